"""The API's records. Names and texts as stored; codes (country, level, basis) with their label
in the language the client asks for (Accept-Language), English by default."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice, PracticeLink
from practices.search_columns import TEXT_FIELDS
from projects.models import Organisation, Project, Region
from sources.models import Source


class AbsoluteUrlField(serializers.Field):
    """The record's page on the site (``view_name`` with ``lookup``), as a full address."""

    def __init__(self, view_name, lookup="slug", **kwargs):
        self.view_name, self.lookup = view_name, lookup
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        path = reverse(self.view_name, kwargs={self.lookup: getattr(instance, self.lookup)})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


AbsoluteUrlField = extend_schema_field(OpenApiTypes.URI)(AbsoluteUrlField)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["key", "title", "publisher", "published", "kind", "url"]


class RegionSerializer(serializers.ModelSerializer):
    country_name = serializers.CharField(read_only=True)
    api_url = AbsoluteUrlField("api:region-detail", lookup="nuts_code")

    class Meta:
        model = Region
        fields = ["nuts_code", "name", "country", "country_name", "api_url"]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "kind_label", "website"]


class ProjectSummarySerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField("projects:detail")
    api_url = AbsoluteUrlField("api:project-detail")

    class Meta:
        model = Project
        fields = ["slug", "acronym", "title", "url", "api_url"]


class BarrierSummarySerializer(serializers.ModelSerializer):
    api_url = AbsoluteUrlField("api:barrier-detail")

    class Meta:
        model = Barrier
        fields = ["slug", "name", "api_url"]


class TopicSummarySerializer(serializers.ModelSerializer):
    api_url = AbsoluteUrlField("api:topic-detail")

    class Meta:
        model = PolicyTopic
        fields = ["slug", "name", "api_url"]


class LinkEvidenceSerializer(serializers.Serializer):
    """What a link between a practice and a barrier or topic rests on. Who confirmed it is
    not published, only whether and when an expert did."""

    basis = serializers.ChoiceField(choices=PracticeLink.Basis.choices, allow_blank=True)
    basis_label = serializers.CharField(source="get_basis_display")
    reason = serializers.CharField()
    source = SourceSerializer(allow_null=True)
    confirmed_by_expert = serializers.BooleanField(source="is_confirmed")
    confirmed_at = serializers.DateTimeField(allow_null=True)


class BarrierLinkSerializer(LinkEvidenceSerializer):
    barrier = BarrierSummarySerializer()

    def get_fields(self):
        fields = super().get_fields()
        return {"barrier": fields.pop("barrier"), **fields}  # what it links to, first


class TopicLinkSerializer(LinkEvidenceSerializer):
    topic = TopicSummarySerializer()

    def get_fields(self):
        fields = super().get_fields()
        return {"topic": fields.pop("topic"), **fields}


class PracticeListSerializer(serializers.ModelSerializer):
    """A practice as a search lists it: enough to choose which to read."""

    url = AbsoluteUrlField("practices:detail")
    api_url = AbsoluteUrlField("api:practice-detail")
    region = RegionSerializer(allow_null=True)
    institution = serializers.CharField(source="institution.name", allow_null=True, default=None)
    project = ProjectSummarySerializer(allow_null=True)
    barriers = BarrierSummarySerializer(many=True)
    implementation_level_label = serializers.CharField(source="get_implementation_level_display")

    class Meta:
        model = Practice
        fields = [
            "slug",
            "title",
            "summary",
            "url",
            "api_url",
            "region",
            "institution",
            "project",
            "implementation_level",
            "implementation_level_label",
            "start_year",
            "end_year",
            "ongoing",
            "validated",
            "published_at",
            "barriers",
        ]


class PracticeSerializer(serializers.ModelSerializer):
    """A practice's whole public record, with the evidence of each of its links."""

    url = AbsoluteUrlField("practices:detail")
    api_url = AbsoluteUrlField("api:practice-detail")
    region = RegionSerializer(allow_null=True)
    institution = OrganisationSerializer(allow_null=True)
    project = ProjectSummarySerializer(allow_null=True)
    source = SourceSerializer(allow_null=True)
    implementation_level_label = serializers.CharField(source="get_implementation_level_display")
    barriers = BarrierLinkSerializer(source="barrier_links", many=True)
    topics = TopicLinkSerializer(source="topic_links", many=True)
    tags = serializers.SerializerMethodField()
    validation = serializers.SerializerMethodField()

    class Meta:
        model = Practice
        fields = [
            "slug",
            *TEXT_FIELDS,
            "url",
            "api_url",
            "region",
            "institution",
            "project",
            "implementation_level",
            "implementation_level_label",
            "start_year",
            "end_year",
            "ongoing",
            "published_at",
            "updated_at",
            "barriers",
            "topics",
            "tags",
            "validation",
            "source",
            "source_note",
        ]

    def get_tags(self, practice) -> list[str]:
        return sorted(tag.name for tag in practice.tags.all())

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "validated": {"type": "boolean"},
                "validated_at": {"type": "string", "format": "date-time", "nullable": True},
                "expert_opinion": {"type": "string"},
            },
            "required": ["validated", "validated_at", "expert_opinion"],
        }
    )
    def get_validation(self, practice):
        """Whether a platform expert validated the practice, when, and their opinion; the
        expert is not named."""
        return {
            "validated": practice.validated,
            "validated_at": serializers.DateTimeField().to_representation(practice.validated_at)
            if practice.validated_at
            else None,
            "expert_opinion": practice.expert_opinion,
        }


class BarrierSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField("barriers:detail")
    api_url = AbsoluteUrlField("api:barrier-detail")
    category_label = serializers.CharField(source="get_category_display")
    practice_count = serializers.IntegerField(
        help_text="Published practices that address the barrier."
    )
    practices_api_url = serializers.SerializerMethodField()

    class Meta:
        model = Barrier
        fields = [
            "slug",
            "name",
            "description",
            "category",
            "category_label",
            "url",
            "api_url",
            "practice_count",
            "practices_api_url",
        ]

    def get_practices_api_url(self, barrier) -> str:
        path = f"{reverse('api:practice-list')}?barrier={barrier.slug}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class RecommendationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    source = SourceSerializer(allow_null=True)

    class Meta:
        model = Recommendation
        fields = ["kind", "kind_label", "text", "source"]


class TopicSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField("topics:detail")
    api_url = AbsoluteUrlField("api:topic-detail")
    group_label = serializers.CharField(source="get_group_display")
    practice_count = serializers.IntegerField(
        help_text="Published practices that inform the topic."
    )
    recommendations = RecommendationSerializer(many=True)

    class Meta:
        model = PolicyTopic
        fields = [
            "slug",
            "name",
            "description",
            "group",
            "group_label",
            "url",
            "api_url",
            "practice_count",
            "recommendations",
        ]


class ProjectSerializer(serializers.ModelSerializer):
    url = AbsoluteUrlField("projects:detail")
    api_url = AbsoluteUrlField("api:project-detail")
    lead_partner = OrganisationSerializer(allow_null=True)
    partners = OrganisationSerializer(many=True)
    regions = RegionSerializer(many=True)
    practice_count = serializers.IntegerField(help_text="Its published practices.")

    class Meta:
        model = Project
        fields = [
            "slug",
            "acronym",
            "title",
            "summary",
            "programme_period",
            "website",
            "url",
            "api_url",
            "lead_partner",
            "partners",
            "regions",
            "practice_count",
        ]


class RegionDetailSerializer(RegionSerializer):
    practice_count = serializers.IntegerField(help_text="Its published practices.")
    practices_api_url = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "practice_count", "practices_api_url"]

    def get_practices_api_url(self, region) -> str:
        path = f"{reverse('api:practice-list')}?region={region.nuts_code}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="As the parameter of the same name takes it.")
    label = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    """Per parameter, its values that have practices among the matches of every other
    parameter (the search page's facets)."""

    barrier = FacetValueSerializer(many=True)
    topic = FacetValueSerializer(many=True)
    country = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    project = FacetValueSerializer(many=True)
    level = FacetValueSerializer(many=True)
    validated = FacetValueSerializer(many=True)
    ongoing = FacetValueSerializer(many=True)
    tag = FacetValueSerializer(many=True)


class PracticePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = FacetsSerializer()
    results = PracticeListSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
