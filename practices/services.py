"""Writes with rules on practices. Used by the admin, the views, the commands and the tests."""

from django.db import transaction
from django.utils import translation

from projects.countries import country_name

from .models import Practice
from .search import vocabulary_expansion

SEARCH_REFRESH_BATCH = 1000


def practice_search_document(practice):
    """The text under which ``practice`` is also found: its linked records' names, expanded.

    Expects ``region``, ``institution``, ``project`` loaded and ``barriers``, ``topics``, ``tags``
    prefetched when called for many practices.
    """
    parts = []
    if practice.institution_id:
        parts.append(practice.institution.name)
    if practice.region_id:
        with translation.override("en"):
            parts += [practice.region.name, str(country_name(practice.region.country))]
    if practice.project_id:
        parts += [practice.project.acronym, practice.project.title]
    parts += [barrier.name for barrier in practice.barriers.all()]
    parts += [topic.name for topic in practice.topics.all()]
    parts += [tag.name for tag in practice.tags.all()]
    linked = " · ".join(parts)
    own = " ".join(
        [
            practice.title,
            practice.summary,
            practice.description,
            practice.resources_needed,
            practice.evidence_of_success,
            practice.potential_for_transfer,
            linked,
        ]
    )
    expansion = vocabulary_expansion(own)
    return f"{linked}\n{expansion}".strip()


def practice_search_refresh(*, practice_ids=None):
    """Recompute ``search_document`` (and so the generated search vector) of some or all practices.

    Returns how many practices changed.
    """
    queryset = Practice.objects.select_related("region", "institution", "project").prefetch_related(
        "barriers", "topics", "tags"
    )
    if practice_ids is not None:
        queryset = queryset.filter(pk__in=list(practice_ids))
    changed = []
    updated = 0
    for practice in queryset.order_by("pk").iterator(chunk_size=SEARCH_REFRESH_BATCH):
        document = practice_search_document(practice)
        if document != practice.search_document:
            practice.search_document = document
            changed.append(practice)
        if len(changed) >= SEARCH_REFRESH_BATCH:
            updated += _save_search_documents(changed)
            changed = []
    return updated + _save_search_documents(changed)


def _save_search_documents(practices):
    if practices:
        with transaction.atomic():
            Practice.objects.bulk_update(practices, ["search_document"])
    return len(practices)
