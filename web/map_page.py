"""The evidence map's read (``/map/``): the practice search's country counts for the same URL
parameters as ``/practices/``, joined to the map's shapes and put in shading steps."""

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.countries import COUNTRIES, country_name
from search.filters import COUNTRY_NOT_STATED

from .europe_map import europe_map
from .search_page import practice_search

# Shading steps: (lowest count, highest count or None, label). Fixed rather than computed from
# the data, so that a colour means the same number on every search; each step at least doubles
# the one before, as the counts of a few dozen practices spread unevenly.
STEPS = [
    (1, 1, "1"),
    (2, 3, "2–3"),
    (4, 7, "4–7"),
    (8, 15, "8–15"),
    (16, None, _("16 or more")),
]


@dataclass
class MapCountry:
    code: str
    name: str
    count: int
    step: int  # 0 for none, else 1 + the index in STEPS
    selected: bool
    url: str  # the search narrowed to this country


def _step(count):
    for index, (low, high, _label) in enumerate(STEPS, start=1):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def _search_url(params, **replaced):
    changed = params.copy()
    for name, value in replaced.items():
        changed.setlist(name, [value])
    query = changed.urlencode()
    return reverse("practices:list") + (f"?{query}" if query else "")


def evidence_map(*, params: QueryDict):
    """The map page's content for the search ``params``. A country's count is its facet count
    (every other parameter applied), so that the chosen countries show among the rest."""
    params = params.copy()
    params.pop("page", None)  # one map for the whole search
    results = practice_search(params=params)
    country_facet = next(facet for facet in results.facets if facet.name == "country")
    by_code = {value.value: value for value in country_facet.values}
    countries = {
        code: MapCountry(
            code=code,
            name=str(country_name(code)),
            count=by_code[code].count if code in by_code else 0,
            step=_step(by_code[code].count) if code in by_code else 0,
            selected=code in by_code and by_code[code].selected,
            url=_search_url(params, country=code),
        )
        for code in COUNTRIES
    }
    geometry = europe_map()
    shapes = [(shape, countries.get(shape.code)) for shape in geometry.shapes]
    counted = sorted(
        (country for country in countries.values() if country.count or country.selected),
        key=lambda country: (-country.count, country.name),
    )
    # Facet values that are no country on the map, besides "not stated".
    elsewhere = [
        value
        for value in country_facet.values
        if value.value not in COUNTRIES and value.value != COUNTRY_NOT_STATED
    ]
    # Practices the map cannot place, said rather than silently left out: the country facet's
    # own "not stated" count (every other parameter applied, as each country's).
    not_stated = by_code.get(COUNTRY_NOT_STATED)
    unplaced = not_stated.count if not_stated else 0
    return {
        "results": results,
        "map": geometry,
        "shapes": shapes,
        "counted": counted,
        "elsewhere": elsewhere,
        "unplaced": unplaced,
        "steps": [
            {"step": index, "label": label} for index, (_low, _high, label) in enumerate(STEPS, 1)
        ],
        "list_url": _search_url(params),
    }
