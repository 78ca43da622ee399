"""Reads for whole pages: each function returns what one page needs."""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import connections
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from projects.countries import country_name

from .bitsets import first_in_order
from .facet_index import current_facet_index
from .filters import SORT_RELEVANCE, SORT_TITLE, PracticeFilter
from .highlight import highlight_words, marked_headline
from .models import Practice
from .querysets import HEADLINE_START
from .search import all_of_words, any_of_words

PAGE_SIZE = 20
SUGGESTION_THRESHOLD = 0.5
LONG_FACET_LIMIT = 12


class KnownCountPaginator(Paginator):
    """Page arithmetic for a number of results the search statement has already counted."""

    def __init__(self, *, count, per_page):
        super().__init__([], per_page)
        self._count = count

    @cached_property
    def count(self):
        return self._count


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    group: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list = field(default_factory=list)

    @property
    def selected_values(self):
        return [value for value in self.values if value.selected]


@dataclass
class Chip:
    label: str
    facet_label: str
    url: str


@dataclass
class SearchResults:
    filterset: PracticeFilter
    page: object
    total: int
    facets: list
    chips: list
    sort: str
    clear_url: str
    drop_last_url: str | None
    dropped_values: list
    previous_url: str | None = None
    next_url: str | None = None
    suggestion: str = ""
    words_problem: str = ""
    suggestion_url: str = ""
    any_words_total: int = 0  # for words that match nothing together: the matches of any of them
    any_words_url: str = ""

    @property
    def words(self):
        return self.filterset.words

    @property
    def default_sort(self):
        return self.filterset.default_sort


def _toggle_url(params, name, value):
    """The query string with ``value`` of ``name`` switched on or off, back on page one."""
    # Built from the parameters' pairs: a page has about a hundred of these links, and copying
    # the QueryDict for each took a tenth of the page's time.
    pairs = [
        (key, item) for key, items in params.lists() if key != "page" for item in items if item
    ]
    if (name, value) in pairs:
        pairs.remove((name, value))
    else:
        pairs.append((name, value))
    return "?" + urlencode(pairs)


def _params_without(params, names):
    changed = params.copy()
    for name in [*names, "page"]:
        changed.pop(name, None)
    return "?" + changed.urlencode()


def practice_search(*, params: QueryDict, barrier=None, page_size=PAGE_SIZE):
    """Results, facets and chips of the practice search for the GET parameters ``params``.

    ``barrier`` narrows the search to the practices that address it (a barrier's page). Raises
    Http404 for a page number that does not exist.
    """
    filterset = PracticeFilter(params, queryset=Practice.objects.none())
    filterset.form.is_valid()
    words = filterset.words
    sort = filterset.sort_order
    number = _page_number(params.get("page"))

    using = Practice.objects.db
    index = current_facet_index(using=using)
    scope = index.published
    if barrier is not None:
        scope &= index.values["barrier"].get(str(barrier.pk), 0)
    base = scope
    if words:
        matches = index.word_matches(words, using=using)
        base &= matches.bits
    selection = index.selection({facet: filterset.chosen_ids(facet) for facet in filterset.FACETS})
    total, counts, found = index.count(base, selection)
    paginator = KnownCountPaginator(count=total, per_page=page_size)
    try:
        paginator.validate_number(number)
    except InvalidPage as error:
        raise Http404(_("There is no such page of results.")) from error
    offset = (number - 1) * page_size
    if sort == SORT_RELEVANCE:  # only ever chosen with words
        page_ids = matches.first(
            found,
            newest=index.newest,
            newest_position=index.newest_position,
            offset=offset,
            limit=page_size,
        )
    else:
        order = index.by_title if sort == SORT_TITLE else index.newest
        page_ids = first_in_order(order, found, offset=offset, limit=page_size)
    # published() again: the index may be a moment behind a write made outside this process.
    # A card shows the summary, or for words a snippet: PostgreSQL's headline, else one marked
    # here in the description. The other long texts stay in the database.
    unused = ["resources_needed", "evidence_of_success", "potential_for_transfer", "expert_opinion"]
    if not words or connections[using].vendor == "postgresql":
        unused.append("description")
    by_id = (
        Practice.objects.published()
        .filter(pk__in=page_ids)
        .with_card_related()
        .with_headline(words)
        .defer(*unused)
        .in_bulk()
    )
    page = Page([by_id[pk] for pk in page_ids if pk in by_id], number, paginator)
    for practice in page.object_list:
        practice.snippet = _snippet(practice, words)

    facets = _facets(filterset, counts, index.options)
    chips = [
        Chip(
            label=value.label,
            facet_label=facet.label,
            url=_toggle_url(params, facet.name, value.value),
        )
        for facet in facets
        for value in facet.selected_values
    ]
    if words:
        chips.insert(
            0, Chip(label=f"“{words}”", facet_label=_("Words"), url=_params_without(params, ["q"]))
        )
    suggestion, suggested_words = "", ""
    if words and not base:
        # Only when the words match nothing at all: when they match under other filters, the
        # filters are what to change, and the links to drop them say so.
        suggestion, suggested_words = _suggestion_with_results(
            words, index=index, scope=scope, selection=selection, using=using
        )
    any_words, any_words_total = "", 0
    if words and not total and connections[using].vendor == "postgresql":
        # Not on SQLite: it knows no stop words, so "of" or "the" would match every practice.
        any_words = any_of_words(words)
        if any_words:
            any_matches = index.word_matches(any_words, using=using)
            any_words_total = index.matches(scope & any_matches.bits, selection).bit_count()
    return SearchResults(
        any_words_total=any_words_total,
        any_words_url=_with(params, q=any_words) if any_words_total else "",
        previous_url=_page_url(params, page.previous_page_number())
        if page.has_previous()
        else None,
        next_url=_page_url(params, page.next_page_number()) if page.has_next() else None,
        suggestion=suggestion,
        suggestion_url=_with(params, q=suggested_words) if suggestion else "",
        filterset=filterset,
        page=page,
        total=total,
        facets=facets,
        chips=chips,
        sort=sort,
        clear_url=_params_without(params, ["q", *PracticeFilter.FACETS]),
        drop_last_url=_drop_last_url(params),
        dropped_values=filterset.dropped_values(),
        words_problem=filterset.words_problem(),
    )


def _page_number(value):
    try:
        number = int(value or 1)
    except ValueError:
        number = 0
    if number < 1:
        raise Http404(_("There is no such page of results."))
    return number


def _page_url(params, number):
    return _with(params, page=str(number)) if number > 1 else _params_without(params, [])


def _with(params, **values):
    changed = params.copy()
    for name, value in values.items():
        changed[name] = value
    if "page" not in values:
        changed.pop("page", None)
    return "?" + changed.urlencode()


def practice_spelling_suggestion(words):
    """On PostgreSQL, the known name or title that best contains ``words`` (trigram similarity)."""
    if connections[Practice.objects.db].vendor != "postgresql":
        return ""
    from django.contrib.postgres.search import TrigramWordSimilarity

    def named(queryset, field):
        return queryset.annotate(similarity=TrigramWordSimilarity(words, field)).values_list(
            field, "similarity"
        )

    candidates = named(Tag.objects.all(), "name").union(
        named(Barrier.objects.all(), "name"),
        named(PolicyTopic.objects.all(), "name"),
        named(Practice.objects.published(), "title"),
        all=True,
    )
    best = list(candidates.order_by("-similarity")[:1])
    if best and best[0][1] >= SUGGESTION_THRESHOLD and best[0][0].lower() != words.lower():
        return best[0][0]
    return ""


def _suggestion_with_results(words, *, index, scope, selection, using):
    """``(suggestion, the words that search for it)`` for ``words``, or empty strings unless
    those words find practices under the current filters: a "Did you mean" that leads to
    nothing is a dead end."""
    suggestion = practice_spelling_suggestion(words)
    suggested_words = all_of_words(suggestion)
    if suggested_words:
        suggested = index.word_matches(suggested_words, using=using)
        if index.matches(scope & suggested.bits, selection):
            return suggestion, suggested_words
    return "", ""


def _drop_last_url(params):
    """The search without the last narrowing parameter in the URL (its last value)."""
    names = [name for name in params if name in PracticeFilter.FACETS and params.getlist(name)]
    if not names:
        return None
    last = names[-1]
    return _toggle_url(params, last, params.getlist(last)[-1])


def _snippet(practice, words):
    """A passage of the summary and description with the matched words marked, or the summary
    when they hold none (the words matched the title or a linked name): an unmarked passage cut
    off mid-sentence would show neither why the practice matched nor what it is."""
    headline = getattr(practice, "headline_raw", None)
    if headline is not None:  # PostgreSQL
        if HEADLINE_START in headline:
            return marked_headline(headline)
    elif words:
        snippet = highlight_words(f"{practice.summary} {practice.description}", words)
        if snippet is not None:
            return snippet
    return escape(practice.summary)


def _facets(filterset, counts, options):
    """The facets beside the results: ``counts`` from the index, keyed by database id or code;
    ``options``, the index's barriers, topics, regions, projects and tags in display order."""

    def build(name, label, choices, *, keep_zero=False, limit=None):
        """``choices``: (value, label, group) in display order, the value as the URL names it.

        With ``limit``, only that many values with the highest counts are shown, besides the
        selected ones (long lists such as regions and tags), in their display order.
        """
        selected = filterset.chosen_keys(name)
        facet = Facet(name=name, label=label)
        facet_counts = counts.get(name, {})
        shown = None
        if limit is not None:
            top = sorted(facet_counts, key=lambda value: (-facet_counts[value], value))[:limit]
            shown = set(top) | selected
        for value, choice_label, group in choices:
            if shown is not None and value not in shown:
                continue
            count = facet_counts.get(value, 0)
            is_selected = value in selected
            if count or is_selected or keep_zero:
                facet.values.append(
                    FacetValue(
                        value=value,
                        label=str(choice_label),
                        count=count,
                        selected=is_selected,
                        group=str(group),
                    )
                )
        return facet

    # Facets are keyed by the value that appears in the URL, counts by database id.
    counts = dict(counts)
    for name, facet_options in options.items():
        by_key = counts.get(name, {})
        counts[name] = {o.value: by_key[o.key] for o in facet_options if o.key in by_key}

    def choices(name):
        return [(option.value, option.label, "") for option in options[name]]

    group_labels = dict(PolicyTopic.Group.choices)  # translated here, in the request's language
    tag_counts = counts["tag"]
    tags = sorted(options["tag"], key=lambda option: -tag_counts.get(option.value, 0))
    countries = sorted(
        set(counts.get("country", {})) | set(filterset.chosen_keys("country")),
        key=lambda code: str(country_name(code)),
    )
    return [
        build("barrier", _("Barrier"), choices("barrier"), keep_zero=True),
        build(
            "topic",
            _("Policy topic"),
            [
                (option.value, option.label, group_labels.get(option.group, option.group))
                for option in options["topic"]
            ],
            keep_zero=True,
        ),
        build("country", _("Country"), [(code, country_name(code), "") for code in countries]),
        build("region", _("Region"), choices("region"), limit=LONG_FACET_LIMIT),
        build("project", _("Interreg project"), choices("project")),
        build(
            "level",
            _("Implementation level"),
            [(value, label, "") for value, label in Practice.Level.choices],
        ),
        build("validated", _("Expert validation"), [("1", _("Validated by an expert"), "")]),
        build("ongoing", _("Status"), [("1", _("Ongoing"), "")]),
        build(
            "tag",
            _("Tag"),
            [(option.value, option.label, "") for option in tags],
            limit=LONG_FACET_LIMIT,
        ),
    ]


def practice_related(practice, *, limit=5):
    """Published practices that share barriers or topics with ``practice``, most shared first."""
    barrier_ids = [barrier.pk for barrier in practice.barriers.all()]
    topic_ids = [topic.pk for topic in practice.topics.all()]
    if not barrier_ids and not topic_ids:
        return []
    barrier_links = Practice.barriers.through.objects.filter(
        practice_id=OuterRef("pk"), barrier_id__in=barrier_ids
    )
    topic_links = Practice.topics.through.objects.filter(
        practice_id=OuterRef("pk"), policytopic_id__in=topic_ids
    )

    def count_of(links):
        return Coalesce(
            Subquery(
                links.values("practice_id").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    candidates = (
        Practice.barriers.through.objects.filter(barrier_id__in=barrier_ids)
        .values("practice_id")
        .union(
            Practice.topics.through.objects.filter(policytopic_id__in=topic_ids).values(
                "practice_id"
            )
        )
    )
    return list(
        Practice.objects.published()
        .exclude(pk=practice.pk)
        .filter(pk__in=Subquery(candidates))
        .annotate(shared_barriers=count_of(barrier_links), shared_topics=count_of(topic_links))
        .annotate(shared=Coalesce("shared_barriers", 0) + Coalesce("shared_topics", 0))
        .order_by("-shared", "title")
        .select_related("region", "institution")[:limit]
    )


def barrier_topic_matrix():
    """Rows of barriers, columns of topics, cells with the number of published practices."""
    barriers = list(Barrier.objects.all())
    topics = list(PolicyTopic.objects.all())
    cells = {
        (row["barriers"], row["topics"]): row["n"]
        for row in Practice.objects.published()
        .filter(barriers__isnull=False, topics__isnull=False)
        .values("barriers", "topics")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    return {
        "topics": topics,
        "rows": [
            {
                "barrier": barrier,
                "cells": [
                    {"topic": topic, "count": cells.get((barrier.pk, topic.pk), 0)}
                    for topic in topics
                ],
            }
            for barrier in barriers
        ],
    }


def with_published_practice_count(queryset):
    """``queryset`` (barriers, topics or projects) with ``practice_count``, the number of their
    published practices, in the model's default order: an aggregate's GROUP BY drops it."""
    return queryset.annotate(
        practice_count=Count(
            "practices", filter=Q(practices__status=Practice.Status.PUBLISHED), distinct=True
        )
    ).order_by(*queryset.model._meta.ordering)


def home_page():
    published = Practice.objects.published()
    return {
        "topics": with_published_practice_count(PolicyTopic.objects.all()),
        "barriers": with_published_practice_count(Barrier.objects.all()),
        "latest": published.with_card_related().order_by("-published_at", "title")[:6],
        "validated": published.filter(validated=True)
        .with_card_related()
        .order_by("-validated_at", "title")[:3],
        "figures": published.aggregate(
            practices=Count("pk", distinct=True),
            projects=Count("project", distinct=True),
            regions=Count("region", distinct=True),
            countries=Count("region__country", distinct=True),
        ),
    }
