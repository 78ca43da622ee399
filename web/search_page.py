"""The search page's read (``/practices/`` and a barrier's page): the results of the search
interface (``search.results``) with what the page adds around them: facets labelled in the
visitor's language, chips, page links, and what to offer when nothing matches."""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from barriers.models import PolicyTopic
from practices.models import Practice, PracticeBarrier
from projects.countries import country_name
from search.cache import SearchCache
from search.filters import COUNTRY_NOT_STATED, PracticeFilter
from search.results import count_practices, search_practices
from search.text import all_of_words, any_of_words, parse_websearch

PAGE_SIZE = 20
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
    download_query: str = ""  # this search for the downloads (opendata.exports): every practice
    feed_query: str = ""  # and for its feed (opendata.feeds): the newest first
    map_url: str = ""  # the same search on the evidence map, when /map/ can say it

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
    # The data version first: whatever is read after it, checking the parameters included, is
    # at least as new as the version its results are cached under.
    cache = SearchCache(Practice.objects.db)
    filterset = PracticeFilter(params, barrier=barrier)
    words = filterset.words
    number = _page_number(params.get("page"))
    result = search_practices(filterset, page_number=number, page_size=page_size, cache=cache)
    paginator = KnownCountPaginator(count=result.total, per_page=page_size)
    try:
        paginator.validate_number(number)
    except InvalidPage as error:
        raise Http404(_("There is no such page of results.")) from error
    page = Page(result.practices, number, paginator)

    facets = _facets(filterset, result)
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
    if filterset.stated_only:
        chips.append(
            Chip(
                label=_("only links the source states"),
                facet_label=_("Evidence"),
                url=_params_without(params, ["evidence"]),
            )
        )
    if barrier is not None:
        _attach_barrier_links(page.object_list, barrier)
    suggestion, suggested_words = "", ""
    any_words, any_words_total = "", 0
    if words and not result.total:
        # Only when the words match nothing at all: when they match under other filters, the
        # filters are what to change, and the links to drop them say so.
        if not _words_match_anything(filterset, params, barrier):
            suggestion, suggested_words = _suggestion_with_results(
                filterset, params, barrier, cache=cache
            )
        any_words = any_of_words(words)
        if any_words:
            widened = PracticeFilter(_replaced(params, q=any_words), barrier=barrier)
            any_words_total = count_practices(widened, cache=cache)
    return SearchResults(
        download_query=_output_query(params, barrier, drop=["page"]),
        feed_query=_output_query(params, barrier, drop=["page", "sort"]),
        map_url=_map_url(params, barrier),
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
        total=result.total,
        facets=facets,
        chips=chips,
        sort=filterset.sort_order,
        clear_url=_params_without(params, ["q", *PracticeFilter.FACETS, "evidence"]),
        drop_last_url=_drop_last_url(params),
        dropped_values=filterset.dropped_values(),
        words_problem=filterset.words_problem(),
    )


def _output_query(params, barrier, *, drop):
    """The search's parameters for its downloads or its feed, with a barrier's page's barrier."""
    pairs = [
        (name, value)
        for name, values in params.lists()
        if name in PracticeFilter.base_filters and name not in drop
        for value in values
        if value
    ]
    if barrier is not None and ("barrier", barrier.slug) not in pairs:
        pairs.insert(0, ("barrier", barrier.slug))
    return f"?{urlencode(pairs)}" if pairs else ""


def _map_url(params, barrier):
    """The map of this search. A barrier's page narrows to its barrier and, with "Also
    addresses", to practices with both, which /map/'s parameters cannot say (values of one
    parameter combine with OR): then there is no map link."""
    if barrier is not None and params.getlist("barrier"):
        return ""
    changed = params.copy()
    changed.pop("page", None)
    if barrier is not None:
        changed.setlist("barrier", [barrier.slug])
    query = changed.urlencode()
    return reverse("site:map") + (f"?{query}" if query else "")


def _attach_barrier_links(practices, barrier):
    """On a barrier's page each practice says why it addresses the barrier: its link."""
    links = PracticeBarrier.objects.filter(
        barrier=barrier, practice_id__in=[practice.pk for practice in practices]
    ).select_related("source")
    by_practice = {link.practice_id: link for link in links}
    for practice in practices:
        practice.barrier_link = by_practice.get(practice.pk)


def _replaced(params, **values):
    changed = params.copy()
    for name, value in values.items():
        changed[name] = value
    return changed


def _words_match_anything(filterset, params, barrier):
    """Whether the words find any practice on this page's scope, whatever the other filters."""
    only_words = QueryDict(mutable=True)
    only_words["q"] = filterset.words
    return PracticeFilter(only_words, barrier=barrier).qs.exists()


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
    """The query string with ``values`` set, back on page one unless ``page`` is one of them."""
    changed = _replaced(params, **values)
    if "page" not in values:
        changed.pop("page", None)
    return "?" + changed.urlencode()


def _suggestion_with_results(filterset, params, barrier, *, cache):
    """``(suggestion, the words that search for it)`` for the search's words, or empty strings
    unless those words find practices under the current filters: a "Did you mean" that leads to
    nothing is a dead end."""
    if not parse_websearch(filterset.words):
        return "", ""  # stop words only: nothing to correct
    suggestion = filterset.backend.spelling_suggestion(filterset.words)
    suggested_words = all_of_words(suggestion)
    if suggested_words:
        suggested = PracticeFilter(_replaced(params, q=suggested_words), barrier=barrier)
        if count_practices(suggested, cache=cache):
            return suggestion, suggested_words
    return "", ""


def _drop_last_url(params):
    """The search without the last narrowing parameter in the URL (its last value)."""
    names = [name for name in params if name in PracticeFilter.FACETS and params.getlist(name)]
    if not names:
        return None
    last = names[-1]
    return _toggle_url(params, last, params.getlist(last)[-1])


def _country_label(code):
    return _("Not stated") if code == COUNTRY_NOT_STATED else country_name(code)


def _facets(filterset, result):
    """The facets beside the results, in the request's language: ``result.counts`` gives the
    values with practices; a chosen value always shows, with 0 if nothing has it now."""
    counts = {name: {c.value: c for c in values} for name, values in result.counts.items()}

    def build(name, label, choices, *, keep_zero=False, limit=None):
        """``choices``: (value, label, group) in display order, the value as the URL names it.

        With ``limit``, only that many values with the highest counts are shown, besides the
        selected ones (long lists such as regions and tags), in their display order.
        """
        selected = filterset.chosen_keys(name)
        facet = Facet(name=name, label=label)
        facet_counts = {value: c.count for value, c in counts.get(name, {}).items()}
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

    def counted(name, *, key=lambda choice: choice[1].lower()):
        """The values with practices and the chosen ones, as (value, label, group)."""
        choices = {value: (value, c.label, c.group) for value, c in counts.get(name, {}).items()}
        for value, chosen_label in filterset.chosen_labels(name).items():
            choices.setdefault(value, (value, chosen_label, ""))
        return sorted(choices.values(), key=key)

    group_labels = dict(PolicyTopic.Group.choices)  # translated here, in the request's language
    # On a barrier's page, the facet offers the other barriers, to narrow to both.
    scope = filterset.barrier.slug if filterset.barrier is not None else None
    tag_counts = {value: c.count for value, c in counts.get("tag", {}).items()}
    return [
        build(
            "barrier",
            _("Barrier") if scope is None else _("Also addresses"),
            [(o.value, o.label, "") for o in result.options["barrier"] if o.value != scope],
            keep_zero=scope is None,
        ),
        build(
            "topic",
            _("Policy topic"),
            [
                (option.value, option.label, group_labels.get(option.group, option.group))
                for option in result.options["topic"]
            ],
            keep_zero=True,
        ),
        build(
            "country",
            _("Country"),
            sorted(
                (
                    (code, _country_label(code), "")
                    for code in set(counts.get("country", {})) | filterset.chosen_keys("country")
                ),
                # "Not stated" last, after the countries in alphabetical order.
                key=lambda choice: (choice[0] == COUNTRY_NOT_STATED, str(choice[1])),
            ),
        ),
        build("region", _("Region"), counted("region"), limit=LONG_FACET_LIMIT),
        build("project", _("Interreg project"), counted("project")),
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
            counted("tag", key=lambda choice: (-tag_counts.get(choice[0], 0), choice[1].lower())),
            limit=LONG_FACET_LIMIT,
        ),
    ]
