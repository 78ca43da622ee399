"""The visitor's shortlist: practice slugs in a cookie of its own, no account needed.

The cookie is signed (Django's signed cookies: the visitor cannot slip in anything but what the
site wrote) and kept for a year, so the shortlist survives closing the browser; it holds no
session, so a visitor with a shortlist costs the database nothing. A shortlist is shared as a
link, ``/shortlist/?p=slug&p=slug``, which opens the same list for anyone.

Only slugs are stored; whatever is shown is read again through ``Practice.objects.published()``,
so a practice that is unpublished after it was shortlisted silently drops out.
"""

from django.conf import settings
from django.core import signing

from practices.models import Practice

COOKIE_SALT = "web.shortlist"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
SEPARATOR = "."  # not in any slug, and needs no quoting in a cookie
MAX_ITEMS = 50
COMPARE_MIN = 2
COMPARE_MAX = 4


def cookie_name():
    """``__Host-`` prefixed over HTTPS, as the site's other cookies (config.settings)."""
    return "__Host-shortlist" if settings.HTTPS else "shortlist"


def slugs(request):
    """The shortlisted slugs, in the order they were added (none for a cookie not ours)."""
    try:
        value = request.get_signed_cookie(cookie_name(), default="", salt=COOKIE_SALT)
    except signing.BadSignature:
        return []
    return [slug for slug in value.split(SEPARATOR) if slug][:MAX_ITEMS]


def store(response, slug_list):
    """Keep ``slug_list`` as the visitor's shortlist (forget it when empty)."""
    if not slug_list:
        response.delete_cookie(cookie_name(), samesite="Lax")
        return
    response.set_signed_cookie(
        cookie_name(),
        SEPARATOR.join(slug_list[-MAX_ITEMS:]),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )


def with_added(slug_list, practice):
    """``slug_list`` with ``practice`` at the end, and whether it was not there yet."""
    if practice.slug in slug_list:
        return slug_list, False
    return [*slug_list, practice.slug][-MAX_ITEMS:], True


def without(slug_list, slug):
    return [s for s in slug_list if s != slug]


def shared_slugs(params):
    """The slugs of a shared shortlist link (``?p=...``), each once, in order."""
    return list(dict.fromkeys(slug for slug in params.getlist("p") if slug))[:MAX_ITEMS]


def practices(slug_list):
    """Published practices for ``slug_list``, in that order, with what a card and the
    comparison table show, in a fixed number of queries."""
    if not slug_list:
        return []
    found = {
        p.slug: p
        for p in Practice.objects.published()
        .filter(slug__in=slug_list)
        .with_card_related()
        .select_related("source")
        .prefetch_related("topics")
    }
    return [found[slug] for slug in slug_list if slug in found]
