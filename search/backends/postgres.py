"""PostgreSQL full-text search: the generated, weighted ``search_vector`` with its GIN index,
``websearch_to_tsquery``, ``ts_rank`` on the title and summary, ``ts_headline`` snippets, and
trigram similarity (``pg_trgm``) for spelling suggestions.

The field's vocabulary (``search.text.VOCABULARY_GROUPS``) is applied to the query, not to the
documents: ``ts_rewrite`` replaces a form the stemmer keeps apart (consortia) by all the forms of
its group (consortia | consortium), so a rename of that list needs no reindexing.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import models
from django.db.models import F, Func, Value
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from practices.search_columns import SEARCH_CONFIG

from ..highlight import HEADLINE_START, HEADLINE_STOP, marked_headline
from ..text import query_words, vocabulary_alternatives
from .base import SearchBackend

SUGGESTION_THRESHOLD = 0.5


class Rewrite(Func):
    """``ts_rewrite(query, target, substitute)``: every ``target`` in ``query`` becomes
    ``substitute``."""

    function = "ts_rewrite"
    output_field = SearchQueryField()


class Matches(Func):
    """``vector @@ query`` as a boolean expression, for any query expression (Django's ``exact``
    lookup only takes its own ``SearchQuery``)."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = models.BooleanField()


def websearch_query(words):
    """PostgreSQL's reading of ``words`` in websearch syntax, each vocabulary form widened to its
    group."""
    query = SearchQuery(words, search_type="websearch", config=SEARCH_CONFIG)
    for form, group in vocabulary_alternatives(query_words(words)).items():
        target = SearchQuery(form, search_type="plain", config=SEARCH_CONFIG)
        substitute = reduce(
            or_, (SearchQuery(each, search_type="phrase", config=SEARCH_CONFIG) for each in group)
        )
        query = Rewrite(query, target, substitute)
    return query


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"

    def filter(self, queryset, words):
        return queryset.filter(Matches(F("search_vector"), websearch_query(words)))

    def rank(self, queryset, words):
        # The title and summary only (weights A and B): a small vector kept in the row, so that
        # ranking many matches does not read every practice's whole text back.
        return queryset.annotate(rank=SearchRank(F("search_rank_vector"), websearch_query(words)))

    def with_snippets(self, queryset, words):
        return queryset.annotate(
            headline_raw=SearchHeadline(
                models.functions.Concat(
                    "summary", Value(" "), "description", output_field=models.TextField()
                ),
                websearch_query(words),
                config=SEARCH_CONFIG,
                start_sel=HEADLINE_START,
                stop_sel=HEADLINE_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )

    def snippet(self, practice, words):
        headline = getattr(practice, "headline_raw", None)
        if headline and HEADLINE_START in headline:
            return marked_headline(headline)
        return super().snippet(practice, words)

    def spelling_suggestion(self, words):
        def named(queryset, field):
            return queryset.annotate(similarity=TrigramWordSimilarity(words, field)).values_list(
                field, "similarity"
            )

        candidates = named(Tag.objects.using(self.using), "name").union(
            # The English names, as stored (django-modeltranslation's rewriting of field names
            # off: its values_list would not line up with the union's other branches).
            named(Barrier.objects.using(self.using).rewrite(False), "name_en"),
            named(PolicyTopic.objects.using(self.using).rewrite(False), "name_en"),
            named(Practice.objects.using(self.using).published(), "title"),
            all=True,
        )
        best = list(candidates.order_by("-similarity")[:1])
        if best and best[0][1] >= SUGGESTION_THRESHOLD and best[0][0].lower() != words.lower():
            return best[0][0]
        return ""
