"""The curators' dashboard in the admin (/admin/dashboard/): what needs attention now."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Practice, PracticeBarrier, PracticeTopic, PracticeTransition
from .roles import is_reviewer

STALE_AFTER = timedelta(days=2 * 365)
# The links listed for confirmation, oldest practice first; the heading gives the whole count.
LINKS_SHOWN = 50


def links_to_confirm():
    """Links of published and submitted practices that no expert has confirmed yet, the ones
    without evidence first: ``(count, [links])`` with at most ``LINKS_SHOWN`` links."""
    statuses = [Practice.Status.PUBLISHED, Practice.Status.SUBMITTED]
    found, count = [], 0
    for model, target in ((PracticeBarrier, "barrier"), (PracticeTopic, "topic")):
        links = model.objects.filter(practice__status__in=statuses, confirmed_at__isnull=True)
        count += links.count()
        found += links.select_related("practice", target, "source").order_by(
            "-basis", "practice__title"
        )[:LINKS_SHOWN]
    for link in found:
        link.target = getattr(link, "barrier", None) or link.topic
        link.missing = link.evidence_missing()
    found.sort(key=lambda link: (not link.missing, link.practice.title, str(link.target)))
    return count, found[:LINKS_SHOWN]


def curation_dashboard():
    """Everything the dashboard shows, in a fixed number of queries."""
    Status = Practice.Status
    last_return = PracticeTransition.objects.filter(
        practice=OuterRef("pk"), action=PracticeTransition.Action.RETURN
    ).order_by("-at", "-pk")
    waiting = (
        Practice.objects.filter(status=Status.SUBMITTED)
        .select_related("created_by")
        .annotate(
            submitted_at=Max(
                "transitions__at",
                filter=Q(transitions__action=PracticeTransition.Action.SUBMIT),
            )
        )
        .order_by("submitted_at", "updated_at")
    )
    returned = (
        Practice.objects.filter(status=Status.RETURNED)
        .select_related("created_by")
        .annotate(
            returned_at=Subquery(last_return.values("at")[:1]),
            return_comment=Subquery(last_return.values("comment")[:1]),
        )
        .order_by("returned_at")
    )
    published = Practice.objects.published()
    stale_before = timezone.now() - STALE_AFTER
    counts = dict(Practice.objects.values_list("status").annotate(n=Count("pk")))
    unconfirmed_count, unconfirmed = links_to_confirm()
    return {
        "unconfirmed_count": unconfirmed_count,
        "unconfirmed": unconfirmed,
        "waiting": waiting,
        "returned": returned,
        "quality": [
            (
                _("Published without evidence of success"),
                published.filter(evidence_of_success=""),
            ),
            (
                _("Published without potential for learning or transfer"),
                published.filter(potential_for_transfer=""),
            ),
            (_("Published but not linked to any barrier"), published.filter(barriers=None)),
            (
                _("Published with a link that lacks its evidence"),
                published.filter(
                    Q(barrier_links__basis="")
                    | Q(barrier_links__reason="")
                    | Q(topic_links__basis="")
                    | Q(topic_links__reason="")
                ).distinct(),
            ),
            (
                _("Published and not updated for two years"),
                published.filter(updated_at__lt=stale_before),
            ),
        ],
        "status_counts": [
            (value, label, counts.get(value, 0)) for value, label in Practice.Status.choices
        ],
    }


def dashboard_view(request):
    if not is_reviewer(request.user):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        **curation_dashboard(),
        "title": _("Curators’ dashboard"),
    }
    return TemplateResponse(request, "admin/practices/dashboard.html", context)
