"""The search parameters of /practices/ (DESIGN.md's URL contract), defined once.

Every output that lists practices (the search page, barrier pages, the matrix links) reads its
parameters through ``PracticeFilter``. Values combine with OR within one parameter and with AND
across parameters. Unknown values are dropped and reported, never an error.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from projects.countries import COUNTRY_CHOICES
from projects.models import Project, Region

from .models import Practice

SORT_RELEVANCE = "relevance"
SORT_NEWEST = "newest"
SORT_TITLE = "title"
SORT_CHOICES = [
    (SORT_RELEVANCE, _("Relevance")),
    (SORT_NEWEST, _("Newest")),
    (SORT_TITLE, _("Title (A–Z)")),
]
YES_CHOICES = [("1", _("Yes"))]


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
        method=_linked_to("barriers"),
    )
    topic = ModelValuesFilter(
        label=_("Policy topic"),
        queryset=PolicyTopic.objects.all(),
        to_field_name="slug",
        method=_linked_to("topics"),
    )
    country = ValuesFilter(
        label=_("Country"), choices=COUNTRY_CHOICES, field_name="region__country"
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

    def filter_words(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def filter_yes(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value == "1" else queryset

    def keep(self, queryset, name, value):
        return queryset

    @property
    def words(self):
        return (self.form.cleaned_data.get("q") or "").strip()

    @property
    def default_sort(self):
        return SORT_RELEVANCE if self.words else SORT_NEWEST

    @property
    def sort_order(self):
        chosen = self.form.cleaned_data.get("sort")
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
        chosen = self.form.cleaned_data.get(name)
        if not chosen:
            return set()
        if isinstance(chosen, str):
            return {chosen}
        key = getattr(self.filters[name].field, "to_field_name", None)
        return {str(getattr(item, key) if key else item) for item in chosen}

    def chosen_ids(self, name):
        """The valid values of parameter ``name`` as the database keys them (ids, codes...)."""
        chosen = self.form.cleaned_data.get(name)
        if not chosen:
            return []
        if isinstance(chosen, str):
            return [chosen]
        return [str(getattr(item, "pk", item)) for item in chosen]

    def dropped_values(self):
        """(parameter label, values) for every requested value that matched nothing known."""
        dropped = []
        for name in [*self.FACETS, "sort"]:
            requested = [v for v in self.data.getlist(name) if v] if name in self.data else []
            if not requested:
                continue
            known = self.chosen_keys(name)
            unknown = [value for value in requested if value not in known]
            if unknown:
                dropped.append((self.filters[name].label, unknown))
        return dropped
