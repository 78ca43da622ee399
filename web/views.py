"""Public pages. Thin: parse the request, call a selector, render."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, Count, Prefetch, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice, PracticeBarrier, PracticeLink, PracticeTopic
from projects.models import Project
from sources.models import Source

from . import shortlist
from .cache import public_page
from .csrf import same_origin_post
from .map_page import evidence_map
from .search_page import practice_search
from .selectors import (
    barrier_topic_matrix,
    home_page,
    practice_related,
    with_published_practice_count,
)


def _search_template(request, full_page):
    """htmx asks for the results region only; everyone else gets the whole page."""
    return "web/practices/_results.html" if request.headers.get("HX-Request") else full_page


@public_page
def home(request):
    return render(request, "web/practices/home.html", home_page())


@public_page
def practice_list(request):
    results = practice_search(params=request.GET)
    template = _search_template(request, "web/practices/list.html")
    return render(request, template, {"results": results})


@public_page
def practice_detail(request, slug):
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user)
        .select_related("region", "institution__region", "project", "source", "validated_by")
        .prefetch_related(
            "barriers",
            "topics",
            "tags",
            Prefetch(
                "barrier_links",
                queryset=PracticeBarrier.objects.select_related("barrier", "source").order_by(
                    *STATED_FIRST, "barrier__order", "barrier__name"
                ),
            ),
            Prefetch(
                "topic_links",
                queryset=PracticeTopic.objects.select_related("topic", "source").order_by(
                    *STATED_FIRST, "topic__group", "topic__order", "topic__name"
                ),
            ),
        ),
        slug=slug,
    )
    return render(
        request,
        "web/practices/detail.html",
        {
            "practice": practice,
            "barrier_links": practice.barrier_links.all(),
            "topic_links": practice.topic_links.all(),
            "related": practice_related(practice),
            "not_stated": facts_not_stated(practice),
        },
    )


def facts_not_stated(practice):
    """The labels of the facts the practice's source does not state, said once on its page
    rather than "Not stated" on each line."""
    facts = [
        (_("Main institution"), practice.institution_id),
        (_("Location"), practice.region_id),
        (_("Implementation level"), practice.implementation_level),
        (_("Timescale"), practice.start_year or practice.ongoing),
        (_("Interreg project"), practice.project_id),
        (_("Source"), practice.source_id),
    ]
    return [label for label, value in facts if not value]


@public_page
def source_detail(request, key):
    """A source document: what it is, where to find it, and the published practices taken
    from it."""
    source = get_object_or_404(Source, key=key)
    practices = (
        Practice.objects.published().filter(source=source).with_card_related().order_by("title")
    )
    return render(
        request, "web/pages/source_detail.html", {"source": source, "practices": practices}
    )


# The firmest evidence first: stated by the source, then its context, then an expert's judgement.
STATED_FIRST = [
    Case(
        *(
            When(basis=basis, then=Value(position))
            for position, basis in enumerate(PracticeLink.Basis.values)
        ),
        default=Value(len(PracticeLink.Basis.values)),
    )
]


@public_page
def matrix(request):
    stated_only = request.GET.get("evidence") == PracticeLink.Basis.STATED
    return render(
        request,
        "web/practices/matrix.html",
        {**barrier_topic_matrix(stated_only=stated_only), "stated_only": stated_only},
    )


@public_page
def practice_map(request):
    return render(request, "web/practices/map.html", evidence_map(params=request.GET))


@public_page
def barrier_list(request):
    barriers = with_published_practice_count(Barrier.objects.all()).by_category()
    return render(request, "web/barriers/barrier_list.html", {"barriers": barriers})


@public_page
def barrier_detail(request, slug):
    barrier = get_object_or_404(Barrier, slug=slug)
    results = practice_search(params=request.GET, barrier=barrier)
    return render(
        request,
        _search_template(request, "web/barriers/barrier_detail.html"),
        {"barrier": barrier, "results": results},
    )


@public_page
def topic_list(request):
    topics = with_published_practice_count(
        PolicyTopic.objects.annotate(recommendation_count=Count("recommendations", distinct=True))
    )
    return render(request, "web/barriers/topic_list.html", {"topics": topics})


@public_page
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
    return render(
        request, "web/barriers/topic_detail.html", {"topic": topic, "practices": practices}
    )


@public_page
def project_list(request):
    projects = with_published_practice_count(Project.objects.all())
    return render(request, "web/projects/project_list.html", {"projects": projects})


@public_page
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
        request, "web/projects/project_detail.html", {"project": project, "practices": practices}
    )


def accessibility(request):
    return render(
        request,
        "web/pages/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


def site_page(request, *, template):
    """The pages about the site (legal notice, privacy, contact): built-in templates that an
    operator replaces with their own (SITE_TEMPLATES_DIR), with the details the settings give."""
    return render(
        request,
        template,
        {
            "operator": settings.SITE_OPERATOR,
            "operator_address": settings.SITE_OPERATOR_ADDRESS,
            "contact_email": settings.CONTACT_EMAIL,
            "accessibility_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        },
    )


# Shortlist and comparison: kept in a cookie (see shortlist.py), no account needed.


def _back(request, default="shortlist:list", anchor=""):
    """Back to the page the visitor was on: the form's ``next`` field or else the referring page,
    if it is an address on this site (a path from the root, or a full address of this host);
    otherwise the shortlist. Anything else (another site, a bare word) is ignored, never read as
    the name of a URL. ``anchor``: the element to scroll back to (the button just pressed)."""
    fragment = f"#{anchor}" if anchor else ""
    for target in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        if (
            target.startswith(("/", "http://", "https://"))
            and not target.startswith("//")
            and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            return HttpResponseRedirect(target.split("#")[0] + fragment)
    return redirect(default)


@require_GET
def shortlist_list(request):
    """The visitor's shortlist, or with ``?p=...`` a shortlist someone shared."""
    shared = shortlist.shared_slugs(request.GET)
    own = shortlist.slugs(request)
    practices = shortlist.practices(shared or own)
    slugs = [practice.slug for practice in practices]
    response = render(
        request,
        "web/practices/shortlist.html",
        {
            "practices": practices,
            "shortlist_query": urlencode([("p", slug) for slug in slugs]),
            "shared": bool(shared),
            "share_url": request.build_absolute_uri(
                reverse("shortlist:list") + "?" + urlencode([("p", slug) for slug in slugs])
            ),
            "compare_min": shortlist.COMPARE_MIN,
            "compare_max": shortlist.COMPARE_MAX,
        },
    )
    if not shared and slugs != own:
        shortlist.store(response, slugs)  # unpublished ones drop out
    return response


def _shortlist_answer(request, *, practice, slug_list, message, level=messages.SUCCESS):
    """After a change: for htmx, the practice's button as it now is, the header's count and the
    message for screen readers, in place; without JavaScript, back to the page with the message."""
    if request.headers.get("HX-Request") and practice is not None:
        response = render(
            request,
            "web/includes/shortlist_changed.html",
            {
                "practice": practice,
                "shortlist_slugs": slug_list,
                "shortlist_count": len(slug_list),
                "status_message": message,
            },
        )
    else:
        messages.add_message(request, level, message)
        response = _back(request, anchor=f"shortlist-{practice.slug}" if practice else "")
    shortlist.store(response, slug_list)
    return response


@same_origin_post
@require_POST
def shortlist_add(request):
    """Add one practice (``slug``), or every practice of a shared list (several ``slug``)."""
    wanted = list(dict.fromkeys(request.POST.getlist("slug")))[: shortlist.MAX_ITEMS]
    found = {p.slug: p for p in Practice.objects.published().filter(slug__in=wanted)}
    if not found or len(found) != len(wanted):
        raise Http404(_("No such published practice."))
    slug_list, added = shortlist.slugs(request), []
    for slug in wanted:
        slug_list, was_added = shortlist.with_added(slug_list, found[slug])
        if was_added:
            added.append(found[slug])
    if len(wanted) > 1:
        message = _("%(count)d practices were added to your shortlist.") % {"count": len(added)}
        return _shortlist_answer(request, practice=None, slug_list=slug_list, message=message)
    practice = found[wanted[0]]
    if added:
        message = _("“%(title)s” was added to your shortlist.") % {"title": practice.title}
        level = messages.SUCCESS
    else:
        message = _("“%(title)s” is already on your shortlist.") % {"title": practice.title}
        level = messages.INFO
    return _shortlist_answer(
        request, practice=practice, slug_list=slug_list, message=message, level=level
    )


@same_origin_post
@require_POST
def shortlist_remove(request):
    slug = request.POST.get("slug", "")
    slug_list = shortlist.slugs(request)
    practice = Practice.objects.published().filter(slug=slug).first()
    if slug not in slug_list:
        return _shortlist_answer(
            request,
            practice=practice,
            slug_list=slug_list,
            message=_("This practice is not on your shortlist."),
            level=messages.INFO,
        )
    message = _("“%(title)s” was removed from your shortlist.") % {
        "title": practice.title if practice else slug
    }
    return _shortlist_answer(
        request, practice=practice, slug_list=shortlist.without(slug_list, slug), message=message
    )


@same_origin_post
@require_POST
def shortlist_clear(request):
    messages.success(request, _("Your shortlist is now empty."))
    response = _back(request)
    shortlist.store(response, [])
    return response


@require_GET
def compare(request):
    requested = list(dict.fromkeys(slug for slug in request.GET.getlist("p") if slug))[:50]
    practices = shortlist.practices(requested)
    found = {practice.slug for practice in practices}
    unknown = [slug for slug in requested if slug not in found]
    problem = None
    if len(practices) < shortlist.COMPARE_MIN:
        problem = "too_few"
    elif len(practices) > shortlist.COMPARE_MAX:
        problem = "too_many"
    shortlisted = shortlist.practices(shortlist.slugs(request)) if problem else []
    return render(
        request,
        "web/practices/compare.html",
        {
            "practices": [] if problem else practices,
            "problem": problem,
            "unknown": unknown,
            "requested_count": len(practices),
            "shortlisted": shortlisted,
            "compare_min": shortlist.COMPARE_MIN,
            "compare_max": shortlist.COMPARE_MAX,
        },
    )
