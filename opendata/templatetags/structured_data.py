"""schema.org descriptions of the public pages, as JSON-LD, for search engines and other
readers of the page."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

# As Django's json_script: nothing in the data can close the script element or open another.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


@register.simple_tag(takes_context=True)
def practice_json_ld(context, practice, barrier_links, topic_links):
    """A published practice as a schema.org CreativeWork: what it is about (its barriers and
    topics), where (its region), by whom (its institution, its project), from which document."""
    if not practice.is_published:
        return ""
    absolute = context["request"].build_absolute_uri
    about = [
        {
            "@type": "DefinedTerm",
            "name": term.name,
            "url": absolute(term.get_absolute_url()),
            "inDefinedTermSet": absolute(reverse(term_set)),
        }
        for terms, term_set in [
            ([link.barrier for link in barrier_links], "barriers:list"),
            ([link.topic for link in topic_links], "topics:list"),
        ]
        for term in terms
    ]
    region = practice.region
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": absolute(practice.get_absolute_url()),
        "url": absolute(practice.get_absolute_url()),
        "name": practice.title,
        "description": practice.summary,
        "inLanguage": "en",
        "datePublished": practice.published_at,
        "dateModified": practice.updated_at,
        "about": about,
        "keywords": sorted(tag.name for tag in practice.tags.all()),
        "spatialCoverage": _without_empty(
            {
                "@type": "Place",
                "name": region.name,
                "address": {"@type": "PostalAddress", "addressCountry": region.country},
            }
        )
        if region
        else None,
        "sourceOrganization": _without_empty(
            {
                "@type": "Organization",
                "name": practice.institution.name,
                "url": practice.institution.website,
            }
        )
        if practice.institution
        else None,
        "producer": _without_empty(
            {
                "@type": "Project",
                "name": practice.project.acronym,
                "alternateName": practice.project.title,
                "url": absolute(practice.project.get_absolute_url()),
            }
        )
        if practice.project
        else None,
        "isBasedOn": _without_empty(
            {
                "@type": "CreativeWork",
                "name": practice.source.title,
                "url": practice.source.url,
                "publisher": practice.source.publisher,
            }
        )
        if practice.source
        else None,
        "license": settings.OPEN_DATA_LICENCE_URL,
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute(reverse("site:home")),
        },
    }
    return _json_ld(_without_empty(data))
