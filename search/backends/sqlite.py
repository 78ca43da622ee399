"""SQLite, the embedded default: words matched in the texts themselves.

Every query word must start a word in the practice's texts or the names of its linked records
(``search_document``); a light suffix strip stands in for a stemmer, stop words are dropped and
each vocabulary form matches the others of its group, as on PostgreSQL. Quoted phrases, ``-word``
and ``or`` read as ``websearch`` reads them. Relevance weighs the title 1, the summary 0.4, the
other texts 0.2 and linked names 0.1, the shape of PostgreSQL's ranking. Spelling suggestions
compare the words with titles and names (``difflib``). Fine at the size of a local trial; a
production site runs on PostgreSQL.
"""

from difflib import SequenceMatcher
from functools import reduce
from operator import or_

from django.db.models import Case, FloatField, Q, Value, When
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from practices.search_columns import TEXT_FIELDS

from ..highlight import highlight_words
from ..text import WORD_RE, parse_websearch, term_regex
from .base import SearchBackend

SEARCH_FIELDS = [*TEXT_FIELDS, "search_document"]
FIELD_WEIGHTS = {"title": 1.0, "summary": 0.4, "search_document": 0.1}
OTHER_FIELDS_WEIGHT = 0.2
SUGGESTION_THRESHOLD = 0.75


def _term_match(words, is_phrase, fields=SEARCH_FIELDS):
    regex = term_regex(words, is_phrase)
    return reduce(or_, (Q(**{f"{field}__iregex": regex}) for field in fields))


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    def filter(self, queryset, words):
        groups = parse_websearch(words)
        if not groups:
            return queryset.none()
        match = Q()
        for group in groups:
            group_match = Q()
            for negated, term_words, is_phrase in group:
                term = _term_match(term_words, is_phrase)
                group_match &= ~term if negated else term
            match |= group_match
        return queryset.filter(match)

    def rank(self, queryset, words):
        parts = [
            Case(
                When(_term_match(term_words, is_phrase, [field]), then=Value(weight)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for group in parse_websearch(words)
            for negated, term_words, is_phrase in group
            if not negated
            for field, weight in (
                (field, FIELD_WEIGHTS.get(field, OTHER_FIELDS_WEIGHT)) for field in SEARCH_FIELDS
            )
        ]
        rank = reduce(lambda a, b: a + b, parts) if parts else Value(0.0)
        return queryset.annotate(rank=rank)

    def snippet_fields(self, words):
        return ["description"]

    def snippet(self, practice, words):
        marked = highlight_words(f"{practice.summary} {practice.description}", words)
        return marked if marked is not None else super().snippet(practice, words)

    def spelling_suggestion(self, words):
        typed = " ".join(WORD_RE.findall(words.lower()))
        if not typed:
            return ""
        size = len(typed.split())
        candidates = [
            *Tag.objects.using(self.using).values_list("name", flat=True),
            *Barrier.objects.using(self.using).values_list("name_en", flat=True),
            *PolicyTopic.objects.using(self.using).values_list("name_en", flat=True),
            *Practice.objects.using(self.using).published().values_list("title", flat=True),
        ]
        best, best_ratio = "", 0.0
        for candidate in candidates:
            tokens = WORD_RE.findall(candidate.lower())
            # Compare with each run of as many words as were typed, as trigram word similarity
            # compares with the best-matching part of a title.
            for start in range(max(1, len(tokens) - size + 1)):
                ratio = SequenceMatcher(None, typed, " ".join(tokens[start : start + size])).ratio()
                if ratio > best_ratio:
                    best, best_ratio = candidate, ratio
        if best_ratio >= SUGGESTION_THRESHOLD and best.lower() != words.lower():
            return best
        return ""
