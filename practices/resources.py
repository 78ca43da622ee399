"""The columns of a practices file (django-import-export's resource), keyed by slug.

The admin's export, ``manage.py export_practices`` and the benchmark write them; the import reads
the same columns (``practices.importing``, which plans and writes a whole file at once rather than
row by row). Links are written as slugs (the region as its NUTS code, the source as its key), tags
by name separated by commas. Barriers and topics carry their evidence: each column holds a JSON
list, one object per link, with the barrier's or topic's slug, the basis, the source's key and the
reason, and who confirmed the link and when (which an import ignores: only an expert confirms, in
the admin). ``status`` and ``validated`` are exported for reading; an import never changes them.
"""

import json

from django.db.models import Prefetch
from import_export import fields, resources, widgets

from projects.models import Organisation, Project, Region
from sources.models import Source

from .models import Practice, PracticeBarrier, PracticeTopic
from .search_columns import TEXT_FIELDS


class SlugWidget(widgets.ForeignKeyWidget):
    """A linked record written as the field it is known by (slug, NUTS code, key)."""


class TagsWidget(widgets.Widget):
    """The practice's tags, by name, separated by commas."""

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(tag.name for tag in value.all())) if value is not None else ""


class LinkEvidenceWidget(widgets.Widget):
    """A practice's links to barriers or topics (``target``) with their evidence, as a JSON
    list."""

    def __init__(self, target, **kwargs):
        self.target = target
        super().__init__(**kwargs)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        links = value.all()  # prefetched with their target, source and confirmer by the export
        return json.dumps(
            [
                {
                    self.target: getattr(link, self.target).slug,
                    "basis": link.basis,
                    "source": link.source.key if link.source else "",
                    "reason": link.reason,
                    "confirmed_by": link.confirmed_by.get_username() if link.confirmed_by else "",
                    "confirmed_at": link.confirmed_at.isoformat() if link.confirmed_at else "",
                }
                for link in links
            ],
            ensure_ascii=False,
        )


class PracticeResource(resources.ModelResource):
    institution = fields.Field(
        attribute="institution",
        column_name="institution",
        widget=SlugWidget(Organisation, "slug"),
    )
    region = fields.Field(
        attribute="region", column_name="region", widget=SlugWidget(Region, "nuts_code")
    )
    project = fields.Field(
        attribute="project", column_name="project", widget=SlugWidget(Project, "slug")
    )
    source = fields.Field(
        attribute="source", column_name="source", widget=SlugWidget(Source, "key")
    )
    barriers = fields.Field(
        attribute="barrier_links", column_name="barriers", widget=LinkEvidenceWidget("barrier")
    )
    topics = fields.Field(
        attribute="topic_links", column_name="topics", widget=LinkEvidenceWidget("topic")
    )
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget(), readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    validated = fields.Field(
        attribute="validated",
        column_name="validated",
        readonly=True,
        widget=widgets.BooleanWidget(),
    )

    class Meta:
        model = Practice
        import_id_fields = ["slug"]
        fields = [
            "slug",
            *TEXT_FIELDS,
            "institution",
            "region",
            "implementation_level",
            "start_year",
            "end_year",
            "ongoing",
            "project",
            "barriers",
            "topics",
            "tags",
            "source",
            "status",
            "validated",
        ]
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        """What every column reads, fetched in a few queries per thousand practices rather than a
        few per practice."""
        return queryset.select_related(
            "institution", "region", "project", "source"
        ).prefetch_related(
            "tags",
            Prefetch(
                "barrier_links",
                PracticeBarrier.objects.select_related("barrier", "source", "confirmed_by"),
            ),
            Prefetch(
                "topic_links",
                PracticeTopic.objects.select_related("topic", "source", "confirmed_by"),
            ),
        )
