"""The search interface: the FilterSet in; the page of practices, the total, the facet counts and
the snippets out. The same for every backend; cached under the data version.

A search runs a fixed number of queries whatever the data size: the data version, the counts
(one statement), the barrier and topic lists, the page's ids, the page's practices and their
barriers; with everything cached for the data version, the version and the last two only.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import get_language

from practices.models import Practice

from .cache import SearchCache
from .facets import facet_counts, facet_options

CARD_UNUSED_FIELDS = [
    "description",
    "resources_needed",
    "evidence_of_success",
    "potential_for_transfer",
    "expert_opinion",
]


@dataclass
class SearchResult:
    practices: list  # the page's practices, in order, each with ``snippet`` when words were given
    total: int
    counts: dict  # facet -> [FacetCount] of the values with practices
    options: dict  # facet -> [FacetCount]: every barrier and topic, in order
    page_number: int
    page_size: int
    words: str = ""


def _parameters(filterset):
    """What the results depend on, besides the data version: a cache key's parts."""
    chosen = tuple((name, tuple(sorted(filterset.chosen_keys(name)))) for name in filterset.FACETS)
    return (filterset.scope_key, filterset.words, chosen)


def search_practices(filterset, *, page_number=1, page_size=20, cache=None):
    """The results of ``filterset`` (a bound ``PracticeFilter``): total and facets, and the
    practices of page ``page_number``. A page past the last is empty."""
    using = filterset.queryset.db
    cache = cache or SearchCache(using)
    parameters = _parameters(filterset)
    total, counts = cache.get_or_compute(("counts", *parameters), lambda: facet_counts(filterset))
    # The barriers' and topics' names are in the visitor's language.
    options = cache.get_or_compute(("options", get_language()), facet_options)
    offset = (page_number - 1) * page_size
    page_ids = []
    if offset < total:
        page_ids = cache.get_or_compute(
            ("page", *parameters, filterset.sort_order, offset, page_size),
            lambda: list(filterset.qs.values_list("pk", flat=True)[offset : offset + page_size]),
        )
    return SearchResult(
        practices=practices_in_order(
            page_ids, words=filterset.matched_words, backend=filterset.backend
        ),
        total=total,
        counts=counts,
        options=options,
        page_number=page_number,
        page_size=page_size,
        words=filterset.words,
    )


def practices_in_order(ids, *, words, backend):
    """The published practices of ``ids``, in that order, ready for a card: its links loaded,
    and for ``words`` a snippet that marks them."""
    if not ids:
        return []
    queryset = (
        Practice.objects.using(backend.using)
        .published()  # again: never show what was unpublished since the ids were cached
        .filter(pk__in=ids)
        .with_card_related()
    )
    read = backend.snippet_fields(words) if words else []
    unused = [name for name in CARD_UNUSED_FIELDS if name not in read]
    if words:
        queryset = backend.with_snippets(queryset, words)
    by_id = queryset.defer(*unused).in_bulk()
    practices = [by_id[pk] for pk in ids if pk in by_id]
    for practice in practices:
        practice.snippet = backend.snippet(practice, words) if words else escape(practice.summary)
    return practices


def count_practices(filterset, *, cache=None):
    """Only the number of matches of ``filterset`` (cached as the counts of the same search)."""
    cache = cache or SearchCache(filterset.queryset.db)
    return cache.get_or_compute(
        ("total", *_parameters(filterset)), lambda: filterset.queryset_without(None).count()
    )
