"""The visitor's shortlist: practice slugs kept in the session, no account needed.

Only slugs are stored; whatever is shown is read again through ``Practice.objects.published()``,
so a practice that is unpublished after it was shortlisted silently drops out.
"""

from practices.models import Practice

SESSION_KEY = "shortlist"
MAX_ITEMS = 50
COMPARE_MIN = 2
COMPARE_MAX = 4


def slugs(session):
    """The shortlisted slugs, in the order they were added."""
    value = session.get(SESSION_KEY, [])
    return [slug for slug in value if isinstance(slug, str)] if isinstance(value, list) else []


def add(session, practice):
    current = slugs(session)
    if practice.slug in current:
        return False
    session[SESSION_KEY] = [*current, practice.slug][-MAX_ITEMS:]
    return True


def remove(session, slug):
    current = slugs(session)
    if slug not in current:
        return False
    session[SESSION_KEY] = [s for s in current if s != slug]
    return True


def clear(session):
    session[SESSION_KEY] = []


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
