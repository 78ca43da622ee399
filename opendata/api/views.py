"""The read-only API (/api/v1/): the published practices through the search page's own FilterSet
and search interface, so a list gives the same practices, in the same order, with the same
counts as the page with the same parameters; and the barriers, topics, projects and regions."""

from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice
from projects.countries import country_name
from projects.models import Project, Region
from search.filters import COUNTRY_NOT_STATED, PracticeFilter
from search.results import search_practices

from ..conditional import etag_by_data_version, request_search_cache
from ..selectors import published_practice
from . import serializers

PAGE_SIZE = 20
SEARCH_PARAMETERS = [*PracticeFilter.base_filters, "page", "page_size"]
MAX_PAGE_SIZE = 100
PUBLISHED = Q(practices__status=Practice.Status.PUBLISHED)
PAGE_NUMBER = {"type": "integer", "minimum": 1}
PAGE_SIZE_NUMBER = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}


def _search_parameters():
    """The list's parameters, described from the FilterSet itself."""
    descriptions = {
        "q": "Search words, in web-search syntax: quoted phrases, `or`, `-word`.",
        "barrier": "Barrier slugs (repeat the parameter: any of them).",
        "topic": "Policy topic slugs (any of them).",
        "country": "ISO 3166 country codes (any of them).",
        "region": "NUTS codes (any of them).",
        "project": "Interreg project slugs (any of them).",
        "level": "Implementation levels (any of them).",
        "validated": "`1`: only practices an expert validated.",
        "ongoing": "`1`: only ongoing practices.",
        "tag": "Tag slugs (any of them).",
        "sort": "Order: `relevance` (with words; the default then), `newest` (the default "
        "without words), `title`.",
        "evidence": "`stated`: the barrier and topic parameters and counts rest only on the "
        "links the source document states.",
    }
    parameters = []
    for name, filter_ in PracticeFilter.base_filters.items():
        many = name in PracticeFilter.FACETS and name not in {"validated", "ongoing"}
        choices = getattr(filter_, "extra", {}).get("choices")
        # An empty value means "not chosen", as a form sends it (the page's sort list does).
        enum = [*(str(v) for v, _label in choices), ""] if isinstance(choices, list) else None
        parameters.append(
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                many=many,
                explode=True if many else None,
                enum=enum,
                description=descriptions.get(name, ""),
            )
        )
    return [
        *parameters,
        OpenApiParameter("page", PAGE_NUMBER, description="Page number, from 1."),
        OpenApiParameter(
            "page_size", PAGE_SIZE_NUMBER, description=f"1 to {MAX_PAGE_SIZE}; {PAGE_SIZE} default."
        ),
    ]


def _positive_int(params, name, *, default, maximum=None):
    if name not in params:
        return default
    value = params.get(name)
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        limit = f" and at most {maximum}" if maximum else ""
        raise ValidationError({name: [f"A whole number from 1{limit}."]})
    return number


def _parameter_errors(filterset):
    """Invalid parameters, by name: unlike the page, which drops an unknown value and says so,
    the API refuses it, so that a client never mistakes a typo for an empty result."""
    errors = {name: [str(error) for error in errs] for name, errs in filterset.form.errors.items()}
    for name in [*PracticeFilter.FACETS, "sort", "evidence"]:
        requested = [value for value in filterset.data.getlist(name) if value]
        unknown = [value for value in requested if value not in filterset.chosen_keys(name)]
        if unknown and name not in errors:
            errors[name] = [f"Unknown value: {value}" for value in unknown]
    return errors


def _url_of_the_search(request):
    """The request's full address with only the search's own parameters, in their order."""
    pairs = [
        (name, value) for name in SEARCH_PARAMETERS for value in request.query_params.getlist(name)
    ]
    query = f"?{urlencode(pairs)}" if pairs else ""
    return request.build_absolute_uri(request.path) + query


def _facet_labels():
    """How a facet value is named where the stored label is only a code."""
    yes = {"1": _("Yes")}
    return {
        "country": lambda code: (
            str(_("Not stated")) if code == COUNTRY_NOT_STATED else country_name(code)
        ),
        "level": lambda value: str(dict(Practice.Level.choices).get(value, value)),
        "validated": lambda value: str(yes.get(value, value)),
        "ongoing": lambda value: str(yes.get(value, value)),
    }


@method_decorator(etag_by_data_version, name="dispatch")
class PracticeSearchView(GenericAPIView):
    """Published good practices: a search, not a plain list (it has facets)."""

    serializer_class = serializers.PracticePageSerializer

    @extend_schema(
        operation_id="practices_search",
        summary="Search the practices",
        description="Takes the search page's parameters (/practices/?...) and gives the same "
        "practices in the same order, their number and the facet counts.",
        parameters=_search_parameters(),
    )
    def get(self, request):
        # The data version first (search.cache), then the whole answer for this address and
        # language from the cache, as the search page is for a visitor without a session.
        # Kept rendered: rendering the JSON cost more than the rest of a cached answer.
        # Keyed by the search's own parameters only: any other parameter would let anyone fill the
        # cache with copies of the same answer.
        cache = request_search_cache(request)
        url = _url_of_the_search(request)
        content = cache.get_or_compute(
            ("api-practices", url, get_language()),
            lambda: JSONRenderer().render(self._search(request, cache, url)),
        )
        return HttpResponse(content, content_type="application/json")

    def _search(self, request, cache, url):
        params = request.query_params
        filterset = PracticeFilter(params)
        page_number = _positive_int(params, "page", default=1)
        page_size = _positive_int(params, "page_size", default=PAGE_SIZE, maximum=MAX_PAGE_SIZE)
        errors = _parameter_errors(filterset)
        if errors:
            raise ValidationError(errors)
        result = search_practices(
            filterset, page_number=page_number, page_size=page_size, cache=cache
        )
        last_page = max(1, -(-result.total // page_size))
        if page_number > last_page:
            raise NotFound(f"There is no page {page_number}: the last is {last_page}.")
        labels = _facet_labels()
        # Barriers and topics by their names in the request's language, as the page names them.
        for name in ("barrier", "topic"):
            names = {option.value: option.label for option in result.options[name]}
            labels[name] = lambda value, names=names: names.get(value, value)
        facets = {
            name: [
                {
                    "value": count.value,
                    "label": labels[name](count.value) if name in labels else count.label,
                    "count": count.count,
                }
                for count in result.counts.get(name, [])
            ]
            for name in PracticeFilter.FACETS
        }
        return {
            "count": result.total,
            "next": replace_query_param(url, "page", page_number + 1)
            if page_number < last_page
            else None,
            "previous": (
                replace_query_param(url, "page", page_number - 1)
                if page_number > 2
                else remove_query_param(url, "page")
            )
            if page_number > 1
            else None,
            "facets": facets,
            "results": serializers.PracticeListSerializer(
                result.practices, many=True, context=self.get_serializer_context()
            ).data,
        }


@method_decorator(etag_by_data_version, name="dispatch")
class PracticeDetailView(GenericAPIView):
    serializer_class = serializers.PracticeSerializer

    @extend_schema(
        operation_id="practices_retrieve",
        summary="A practice's whole record",
        description="With its barriers and topics and the evidence of each link.",
    )
    def get(self, request, slug):
        try:
            practice = published_practice(slug)
        except Practice.DoesNotExist:
            raise NotFound("No published practice has this slug.") from None
        return Response(self.get_serializer(practice).data)


class TaxonomyPagination(PageNumberPagination):
    """DRF's pages, but a page number or size that is not a whole number in range is refused
    (400), as the search refuses it, rather than silently replaced."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _positive_int(
            request.query_params, "page_size", default=self.page_size, maximum=MAX_PAGE_SIZE
        )

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request.query_params, "page", default=1)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"page": PAGE_NUMBER, "page_size": PAGE_SIZE_NUMBER}[
                parameter["name"]
            ]
        return parameters


@method_decorator(etag_by_data_version, name="dispatch")
class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = TaxonomyPagination

    def get_queryset(self):
        model = self.queryset.model
        counted = self.queryset.annotate(
            practice_count=Count("practices", filter=PUBLISHED, distinct=True)
        )
        return counted.order_by(*model._meta.ordering, "pk")


class BarrierViewSet(ReadOnlyViewSet):
    """The barriers SMEs meet when they go international, each with its number of published
    practices."""

    queryset = Barrier.objects.all()
    serializer_class = serializers.BarrierSerializer
    lookup_field = "slug"


class TopicViewSet(ReadOnlyViewSet):
    """Policy topics, with the community's lessons and recommendations."""

    queryset = PolicyTopic.objects.prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.select_related("source"))
    )
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"


class ProjectViewSet(ReadOnlyViewSet):
    """The Interreg projects that documented the practices."""

    queryset = Project.objects.select_related("lead_partner").prefetch_related(
        "partners", "regions"
    )
    serializer_class = serializers.ProjectSerializer
    lookup_field = "slug"


class RegionViewSet(ReadOnlyViewSet):
    """Regions (NUTS) where practices are implemented or projects have partners."""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionDetailSerializer
    lookup_field = "nuts_code"
    lookup_value_regex = "[A-Za-z0-9]{2,5}"
