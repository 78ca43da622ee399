"""A practice as one row of a download (CSV, XLSX): every public field and the names of its
links, in columns a spreadsheet can filter. The JSON download carries the API's record instead
(``opendata.api.serializers.PracticeSerializer``), with the evidence of each link."""

from django.utils import timezone

from practices.models import PracticeLink

STATED = PracticeLink.Basis.STATED
LIST_SEPARATOR = "; "

# (column, value of a practice loaded by ``selectors.practices_with_record``)
COLUMNS = [
    ("slug", lambda p, url: p.slug),
    ("title", lambda p, url: p.title),
    ("url", lambda p, url: url(p.get_absolute_url())),
    ("summary", lambda p, url: p.summary),
    ("description", lambda p, url: p.description),
    ("resources_needed", lambda p, url: p.resources_needed),
    ("evidence_of_success", lambda p, url: p.evidence_of_success),
    ("potential_for_transfer", lambda p, url: p.potential_for_transfer),
    ("country", lambda p, url: p.region.country if p.region else ""),
    ("country_name", lambda p, url: str(p.region.country_name) if p.region else ""),
    ("region", lambda p, url: p.region.name if p.region else ""),
    ("region_nuts_code", lambda p, url: p.region.nuts_code if p.region else ""),
    ("institution", lambda p, url: p.institution.name if p.institution else ""),
    ("project", lambda p, url: p.project.acronym if p.project else ""),
    ("project_title", lambda p, url: p.project.title if p.project else ""),
    ("implementation_level", lambda p, url: p.get_implementation_level_display()),
    ("start_year", lambda p, url: p.start_year),
    ("end_year", lambda p, url: p.end_year),
    ("ongoing", lambda p, url: p.ongoing),
    ("barriers", lambda p, url: _names(p.barrier_links.all(), "barrier")),
    ("barriers_stated_by_source", lambda p, url: _names(p.barrier_links.all(), "barrier", STATED)),
    ("topics", lambda p, url: _names(p.topic_links.all(), "topic")),
    ("topics_stated_by_source", lambda p, url: _names(p.topic_links.all(), "topic", STATED)),
    ("tags", lambda p, url: LIST_SEPARATOR.join(sorted(tag.name for tag in p.tags.all()))),
    ("validated_by_expert", lambda p, url: p.validated),
    ("validated_at", lambda p, url: _local(p.validated_at)),
    ("expert_opinion", lambda p, url: p.expert_opinion),
    ("first_published", lambda p, url: _local(p.published_at)),
    ("last_updated", lambda p, url: _local(p.updated_at)),
    ("source_document", lambda p, url: p.source.title if p.source else ""),
    ("source_url", lambda p, url: p.source.url if p.source else ""),
    ("source_note", lambda p, url: p.source_note),
]
HEADER = [name for name, _value in COLUMNS]


def _names(links, target, basis=None):
    return LIST_SEPARATOR.join(
        getattr(link, target).name for link in links if basis is None or link.basis == basis
    )


def _local(moment):
    """Date and time in the site's time zone, as a spreadsheet reads it (no time zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def practice_row(practice, *, absolute_url):
    """The row's values, in ``HEADER``'s order; ``absolute_url`` makes a path a full address."""
    return [value(practice, absolute_url) for _name, value in COLUMNS]
