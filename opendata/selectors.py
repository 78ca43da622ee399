"""Reads shared by every open-data output (the API, the downloads, the feeds, the sitemap): the
published practices of a search, with what their public record shows, in a fixed number of
queries however many there are."""

from django.db.models import Case, Prefetch, Value, When

from practices.models import Practice, PracticeBarrier, PracticeTopic
from search.filters import PracticeFilter


def practices_with_record(queryset):
    """``queryset`` with everything a practice's public record shows loaded with it."""
    return (
        queryset.select_related("region", "institution", "project", "source")
        .prefetch_related(
            "tags",
            Prefetch(
                "barrier_links",
                queryset=PracticeBarrier.objects.select_related("barrier", "source").order_by(
                    "barrier__order", "barrier__name"
                ),
            ),
            Prefetch(
                "topic_links",
                queryset=PracticeTopic.objects.select_related("topic", "source").order_by(
                    "topic__group", "topic__order", "topic__name"
                ),
            ),
        )
        .without_search_columns()
    )


def practice_search_records(params, *, slugs=None):
    """The published practices of the search ``params`` (the search page's URL parameters), in
    the page's order, with their records: the filterset (for its problems) and the queryset.

    ``slugs``: only these practices, in this order (a shortlist), whatever the other parameters.
    """
    filterset = PracticeFilter(params)
    queryset = filterset.qs
    if slugs is not None:
        queryset = queryset.filter(slug__in=slugs).order_by(
            Case(*(When(slug=slug, then=Value(position)) for position, slug in enumerate(slugs)))
        )
    return filterset, practices_with_record(queryset)


def published_practice(slug):
    """A published practice's whole record, or ``Practice.DoesNotExist``."""
    return practices_with_record(Practice.objects.published()).get(slug=slug)
