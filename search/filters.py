"""The search parameters of /practices/ (DESIGN.md's URL contract), defined once.

``PracticeFilter.qs`` is the one way in: the search page, the barrier pages and every later output
(API, downloads, feeds) get the same published practices in the same order from it. Values combine
with OR within one parameter and with AND across parameters. Unknown values are dropped and
reported, never an error.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice, PracticeBarrier, PracticeLink, PracticeTopic
from projects.countries import COUNTRY_CHOICES
from projects.models import Project, Region

from .backends import search_backend
from .glossary import bilingual_query
from .ordering import ReaderOrder

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Relevance")),
    (SORT_NEWEST, _("Newest")),
    (SORT_TITLE, _("Title (A–Z)")),
]
YES_CHOICES = [("1", _("Yes"))]
STATED = PracticeLink.Basis.STATED
EVIDENCE_CHOICES = [(STATED, _("Only links the source states"))]
# The link tables behind the barrier and topic parameters: (model, its field for the target).
LINKS = {"barrier": (PracticeBarrier, "barrier"), "topic": (PracticeTopic, "topic")}
# How a facet names a chosen record (the rest by str()).
COUNTRY_NOT_STATED = "not-stated"
LABELS = {"project": lambda project: project.acronym, "region": lambda region: region.name}


class LenientModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Keeps the values that exist and drops the others, so one stale value in a shared URL
    does not throw away the rest of the search."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        return self.queryset.filter(**{f"{key}__in": {str(item) for item in value}})


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    def clean(self, value):
        valid = {str(key) for key, _label in self.choices}
        return [item for item in (value or []) if item in valid]


class ModelValuesFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LenientModelMultipleChoiceField


class ValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


def _linked_to(field):
    """Filter method: practices linked through ``field`` to any of the chosen values."""

    def method(queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=Practice.objects.filter(**{f"{field}__in": value}).values("pk")
        )

    return method


def _in(field):
    def method(queryset, name, value):
        return queryset.filter(**{f"{field}__in": value}) if value else queryset

    return method


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_words",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    barrier = ModelValuesFilter(
        label=_("Barrier"),
        queryset=Barrier.objects.all(),
        to_field_name="slug",
        method="filter_links",
    )
    topic = ModelValuesFilter(
        label=_("Policy topic"),
        queryset=PolicyTopic.objects.all(),
        to_field_name="slug",
        method="filter_links",
    )
    # "not-stated": the practices whose source names no place, so that none silently drops out
    # of the country facet.
    country = ValuesFilter(
        label=_("Country"),
        choices=[*COUNTRY_CHOICES, (COUNTRY_NOT_STATED, _("Not stated"))],
        method="filter_country",
    )
    region = ModelValuesFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="nuts_code",
        method=_in("region"),
    )
    project = ModelValuesFilter(
        label=_("Interreg project"),
        queryset=Project.objects.all(),
        to_field_name="slug",
        method=_in("project"),
    )
    level = ValuesFilter(
        label=_("Implementation level"),
        choices=Practice.Level.choices,
        field_name="implementation_level",
    )
    validated = django_filters.ChoiceFilter(
        label=_("Validated by an expert"), choices=YES_CHOICES, method="filter_yes"
    )
    ongoing = django_filters.ChoiceFilter(
        label=_("Ongoing"), choices=YES_CHOICES, method="filter_yes"
    )
    tag = ModelValuesFilter(
        label=_("Tag"), queryset=Tag.objects.all(), to_field_name="slug", method=_linked_to("tags")
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES, method="keep")
    # A switch, not a filter of its own: with it, the barrier and topic parameters, their facet
    # counts and a barrier's page rest only on the links whose source states them.
    evidence = django_filters.ChoiceFilter(
        label=_("Evidence of links"), choices=EVIDENCE_CHOICES, method="keep"
    )

    # Parameters that narrow the results and have a facet; ``q`` and ``sort`` are not facets.
    FACETS = [
        "barrier",
        "topic",
        "country",
        "region",
        "project",
        "level",
        "validated",
        "ongoing",
        "tag",
    ]

    class Meta:
        model = Practice
        fields = []

    def __init__(self, data=None, queryset=None, *, barrier=None, **kwargs):
        """``barrier``: only the practices that address it (a barrier's page). Whatever the
        queryset given, only published practices are ever listed or counted."""
        queryset = (queryset if queryset is not None else Practice.objects.all()).published()
        self.barrier = barrier
        super().__init__(data, queryset, **kwargs)
        self.backend = search_backend(queryset.db)

    @property
    def stated_only(self):
        """Whether links count only when their source states them (``evidence=stated``)."""
        return self.cleaned.get("evidence") == STATED

    @property
    def scope_key(self):
        """What the results depend on besides the parameters with facets: a cache key's part."""
        barrier = f"barrier:{self.barrier.pk}" if self.barrier is not None else ""
        return f"{barrier}|stated" if self.stated_only else barrier

    def links(self, name, targets):
        """The links of parameter ``name`` (barrier, topic) to ``targets`` that count now."""
        model, field = LINKS[name]
        links = model.objects.filter(**{f"{field}__in": targets})
        return links.filter(basis=STATED) if self.stated_only else links

    def filter_links(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=self.links(name, value).values("practice_id"))

    @property
    def cleaned(self):
        """The valid parameters; an invalid one (words too long) is left out and reported."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    def filter_words(self, queryset, name, value):
        words = bilingual_query(value.strip())
        return self.backend.filter(queryset, words) if words else queryset

    def filter_queryset(self, queryset):
        """The matches of every parameter, in the chosen order."""
        return self.ordered(self.queryset_without(None, queryset=queryset))

    def queryset_without(self, name, *, queryset=None):
        """The matches of every parameter except ``name``, unordered: what a disjunctive facet
        counts (``name=None``: every parameter)."""
        queryset = self.queryset.all() if queryset is None else queryset
        if self.barrier is not None:
            queryset = self.filter_links(queryset, "barrier", [self.barrier])
        for filter_name, value in self.cleaned.items():
            if filter_name != name and filter_name not in {"sort", "evidence"}:
                queryset = self.filters[filter_name].filter(queryset, value)
        return queryset.order_by()

    def ordered(self, queryset):
        sort = self.sort_order
        title = ReaderOrder("title")
        first = []
        if self.barrier is not None:
            # A barrier's page lists first the practices whose source states that they address it.
            stated = PracticeBarrier.objects.filter(
                practice=OuterRef("pk"), barrier=self.barrier, basis=STATED
            )
            first = [Exists(stated).desc()]
        if sort == SORT_TITLE:
            return queryset.order_by(*first, title, "pk")
        if sort == SORT_RELEVANCE:  # only ever chosen with words
            return self.backend.rank(queryset, self.matched_words).order_by(
                *first, "-rank", "-published_at", title, "pk"
            )
        return queryset.order_by(*first, "-published_at", title, "pk")

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        chosen = Q(region__country__in=[code for code in value if code != COUNTRY_NOT_STATED])
        if COUNTRY_NOT_STATED in value:
            chosen |= Q(region__isnull=True)
        return queryset.filter(chosen)

    def filter_yes(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value == "1" else queryset

    def keep(self, queryset, name, value):
        return queryset

    @property
    def words(self):
        return (self.cleaned.get("q") or "").strip()

    @property
    def matched_words(self):
        """What the backend matches, ranks and marks: the words, and their English for the
        French terms of the glossary (search.glossary)."""
        return bilingual_query(self.words)

    @property
    def default_sort(self):
        return SORT_RELEVANCE if self.words else SORT_NEWEST

    @property
    def sort_order(self):
        chosen = self.cleaned.get("sort")
        if chosen == SORT_RELEVANCE and not self.words:
            return SORT_NEWEST
        return chosen or self.default_sort

    def words_problem(self):
        """A message when the search words could not be used, else an empty string."""
        if "q" in self.form.errors:
            return _("Search words are too long: use at most %(limit)s characters.") % {
                "limit": self.filters["q"].extra["max_length"]
            }
        return ""

    def chosen_keys(self, name):
        """The valid values of parameter ``name`` as they appear in the URL (slugs, codes...)."""
        chosen = self.cleaned.get(name)
        if not chosen:
            return set()
        if isinstance(chosen, str):
            return {chosen}
        key = getattr(self.filters[name].field, "to_field_name", None)
        return {str(getattr(item, key) if key else item) for item in chosen}

    def chosen_labels(self, name):
        """``{value as in the URL: its name}`` of the chosen records of parameter ``name``."""
        chosen = self.cleaned.get(name)
        key = getattr(self.filters[name].field, "to_field_name", None)
        if not chosen or isinstance(chosen, str) or not key:
            return {}
        return {str(getattr(item, key)): LABELS.get(name, str)(item) for item in chosen}

    def dropped_values(self):
        """(parameter label, values) for every requested value that matched nothing known."""
        dropped = []
        for name in [*self.FACETS, "sort", "evidence"]:
            requested = [v for v in self.data.getlist(name) if v] if name in self.data else []
            if not requested:
                continue
            known = self.chosen_keys(name)
            unknown = [value for value in requested if value not in known]
            if unknown:
                dropped.append((self.filters[name].label, unknown))
        return dropped
