"""Practices whose title is close to a given one, to warn before a duplicate is created.

PostgreSQL: trigram similarity (pg_trgm, with the trigram index on ``title`` from migration 0002).
SQLite: difflib's ratio on lower-cased titles, which agrees on the cases that matter.
"""

from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from .models import Practice

TRIGRAM_THRESHOLD = 0.45
DIFFLIB_THRESHOLD = 0.75
LIMIT = 5


def similar_practices(title, *, exclude_pk=None, limit=LIMIT):
    """Up to ``limit`` practices (any status) with a title close to ``title``, closest first."""
    title = (title or "").strip()
    if not title:
        return []
    queryset = Practice.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        return list(
            queryset.annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "title")[:limit]
        )
    wanted = title.casefold()
    scored = []
    for practice in queryset.only("pk", "title", "slug", "status"):
        ratio = SequenceMatcher(None, wanted, practice.title.casefold()).ratio()
        if ratio >= DIFFLIB_THRESHOLD:
            practice.similarity = ratio
            scored.append(practice)
    scored.sort(key=lambda p: (-p.similarity, p.title))
    return scored[:limit]
