from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .models import Barrier, PolicyTopic, Recommendation

PUBLISHED = Q(practices__status="published")


def barrier_list(request):
    barriers = Barrier.objects.annotate(practice_count=Count("practices", filter=PUBLISHED))
    return render(request, "barriers/barrier_list.html", {"barriers": barriers})


def barrier_detail(request, slug):
    # The barrier page reuses the practice search, narrowed to this barrier's practices.
    from practices.models import Practice
    from practices.selectors import practice_search

    barrier = get_object_or_404(Barrier, slug=slug)
    results = practice_search(params=request.GET, base=Practice.objects.filter(barriers=barrier))
    template = (
        "practices/_results.html"
        if request.headers.get("HX-Request")
        else "barriers/barrier_detail.html"
    )
    return render(request, template, {"barrier": barrier, "results": results})


def topic_list(request):
    topics = PolicyTopic.objects.annotate(
        practice_count=Count("practices", filter=PUBLISHED),
        recommendation_count=Count("recommendations", distinct=True),
    )
    return render(request, "barriers/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
    from practices.models import Practice

    topic = get_object_or_404(
        PolicyTopic.objects.prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.select_related("source"))
        ),
        slug=slug,
    )
    practices = (
        Practice.objects.published().filter(topics=topic).with_card_related().order_by("title")
    )
    return render(request, "barriers/topic_detail.html", {"topic": topic, "practices": practices})
