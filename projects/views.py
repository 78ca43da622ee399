from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from .models import Project


def project_list(request):
    projects = Project.objects.annotate(
        practice_count=Count("practices", filter=Q(practices__status="published"))
    )
    return render(request, "projects/project_list.html", {"projects": projects})


def project_detail(request, slug):
    from practices.models import Practice

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
