"""Practices close to a new one, to warn before a duplicate is created.

Two ways to be close:

- by title alone, anywhere: PostgreSQL's trigram similarity (pg_trgm, with the trigram index on
  ``title`` from migration 0002), or on SQLite difflib's ratio on lower-cased titles, which
  agrees on the cases that matter;
- by title *and* place: a practice of the same region or the same institution whose title is
  close by a lower bar, or whose words are all in the other title. The same scheme is often
  written up twice under a longer and a shorter name ("Export Consortia Programme of Cantabria",
  "Export Consortia"): alone, such titles are too far apart to flag without flagging unrelated
  ones; in the same region they are worth a look.
"""

import re
from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q

from .models import Practice

TRIGRAM_THRESHOLD = 0.45
DIFFLIB_THRESHOLD = 0.75
# For a practice of the same region or institution.
SAME_PLACE_DIFFLIB_THRESHOLD = 0.5
LIMIT = 5

WORD = re.compile(r"\w+")
# Words that say nothing about which scheme it is.
FILLER_WORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"}


def _words(title):
    return {word for word in WORD.findall(title.casefold()) if word not in FILLER_WORDS}


def _close_in_the_same_place(title, other):
    """Whether two titles of the same region or institution may name the same practice: all the
    words of one are in the other, or difflib finds them close by the lower bar."""
    mine, theirs = _words(title), _words(other)
    if mine and theirs and (mine <= theirs or theirs <= mine):
        return 1.0
    ratio = SequenceMatcher(None, title.casefold(), other.casefold()).ratio()
    return ratio if ratio >= SAME_PLACE_DIFFLIB_THRESHOLD else 0.0


def similar_practices(title, *, region=None, institution=None, exclude_pk=None, limit=LIMIT):
    """Up to ``limit`` practices (any status) close to a new practice called ``title`` in
    ``region`` or of ``institution`` (either may be None), closest first."""
    title = (title or "").strip()
    if not title:
        return []
    queryset = Practice.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    found = {practice.pk: practice for practice in _similar_titles(queryset, title)}
    place = Q()
    if region is not None:
        place |= Q(region=region)
    if institution is not None:
        place |= Q(institution=institution)
    if place:
        for practice in queryset.filter(place).only("pk", "title", "slug", "status"):
            closeness = _close_in_the_same_place(title, practice.title)
            if closeness and closeness > getattr(found.get(practice.pk), "similarity", 0):
                practice.similarity = closeness
                found[practice.pk] = practice
    return sorted(found.values(), key=lambda p: (-p.similarity, p.title))[:limit]


def _similar_titles(queryset, title):
    if connection.vendor == "postgresql":
        return list(
            queryset.annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "title")[:LIMIT]
        )
    wanted = title.casefold()
    scored = []
    for practice in queryset.only("pk", "title", "slug", "status"):
        ratio = SequenceMatcher(None, wanted, practice.title.casefold()).ratio()
        if ratio >= DIFFLIB_THRESHOLD:
            practice.similarity = ratio
            scored.append(practice)
    return scored
