"""Public pages. Thin: parse the request, call a selector, render."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from barriers.models import Barrier, PolicyTopic, Recommendation
from projects.models import Project

from .models import Practice
from .selectors import barrier_topic_matrix, home_page, practice_related, practice_search

PUBLISHED_PRACTICES = Q(practices__status=Practice.Status.PUBLISHED)


def _search_template(request, full_page):
    """htmx asks for the results region only; everyone else gets the whole page."""
    return "practices/_results.html" if request.headers.get("HX-Request") else full_page


def home(request):
    return render(request, "practices/home.html", home_page())


def practice_list(request):
    results = practice_search(params=request.GET)
    return render(request, _search_template(request, "practices/list.html"), {"results": results})


def practice_detail(request, slug):
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user)
        .select_related("region", "institution__region", "project", "source", "validated_by")
        .prefetch_related("barriers", "topics", "tags"),
        slug=slug,
    )
    return render(
        request,
        "practices/detail.html",
        {"practice": practice, "related": practice_related(practice)},
    )


def matrix(request):
    return render(request, "practices/matrix.html", barrier_topic_matrix())


def barrier_list(request):
    barriers = Barrier.objects.annotate(
        practice_count=Count("practices", filter=PUBLISHED_PRACTICES)
    )
    return render(request, "barriers/barrier_list.html", {"barriers": barriers})


def barrier_detail(request, slug):
    barrier = get_object_or_404(Barrier, slug=slug)
    results = practice_search(params=request.GET, base=Practice.objects.filter(barriers=barrier))
    return render(
        request,
        _search_template(request, "barriers/barrier_detail.html"),
        {"barrier": barrier, "results": results},
    )


def topic_list(request):
    topics = PolicyTopic.objects.annotate(
        practice_count=Count("practices", filter=PUBLISHED_PRACTICES, distinct=True),
        recommendation_count=Count("recommendations", distinct=True),
    )
    return render(request, "barriers/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
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


def project_list(request):
    projects = Project.objects.annotate(
        practice_count=Count("practices", filter=PUBLISHED_PRACTICES)
    )
    return render(request, "projects/project_list.html", {"projects": projects})


def project_detail(request, slug):
    project = get_object_or_404(
        Project.objects.select_related("lead_partner").prefetch_related(
            "partners__region", "regions"
        ),
        slug=slug,
    )
    practices = (
        Practice.objects.published().filter(project=project).with_card_related().order_by("title")
    )
    return render(
        request, "projects/project_detail.html", {"project": project, "practices": practices}
    )
