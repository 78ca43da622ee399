from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connections, models
from django.db.models import Case, FloatField, Q, Value, When

from .search import (
    SEARCH_CONFIG,
    SQLITE_DEFAULT_WEIGHT,
    SQLITE_FIELD_WEIGHTS,
    SQLITE_SEARCH_FIELDS,
    parse_websearch,
    term_regex,
)

HEADLINE_START = "\u0002"
HEADLINE_STOP = "\u0003"


def websearch_query(query):
    """PostgreSQL's reading of ``query`` in ``websearch`` syntax, with the English stemmer."""
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def visible_to(self, user):
        """Published practices, plus for a signed-in user the drafts they may preview."""
        if user.is_authenticated and user.has_perm("practices.view_practice"):
            return self
        if user.is_authenticated:
            return self.filter(Q(status="published") | Q(created_by=user))
        return self.published()

    def with_card_related(self):
        """What a practice card shows, in a fixed number of queries, without the search columns."""
        return (
            self.select_related("region", "institution", "project")
            .prefetch_related("barriers")
            .defer("search_document", "search_vector", "search_rank_vector")
        )

    @property
    def _is_postgresql(self):
        return connections[self.db].vendor == "postgresql"

    def search(self, query):
        """Practices matching ``query`` (websearch syntax).

        On SQLite annotated with ``rank``, the weight of the fields the words are found in. On
        PostgreSQL the search page ranks from ``practices.word_index`` instead.
        """
        query = (query or "").strip()
        if not query:
            return self
        if self._is_postgresql:
            return self.filter(search_vector=websearch_query(query))
        return self._sqlite_search(query)

    def _sqlite_search(self, query):
        groups = parse_websearch(query)
        if not groups:
            return self.none().annotate(rank=Value(0.0, output_field=FloatField()))
        match = Q()
        rank_parts = []
        for group in groups:
            group_match = Q()
            for negated, words, is_phrase in group:
                regex = term_regex(words, is_phrase)
                term_match = reduce(
                    or_, (Q(**{f"{field}__iregex": regex}) for field in SQLITE_SEARCH_FIELDS)
                )
                group_match &= ~term_match if negated else term_match
                if not negated:
                    rank_parts.extend(
                        Case(
                            When(Q(**{f"{field}__iregex": regex}), then=Value(weight)),
                            default=Value(0.0),
                            output_field=FloatField(),
                        )
                        for field, weight in (
                            (field, SQLITE_FIELD_WEIGHTS.get(field, SQLITE_DEFAULT_WEIGHT))
                            for field in SQLITE_SEARCH_FIELDS
                        )
                    )
            match |= group_match
        return self.filter(match).annotate(rank=reduce(lambda a, b: a + b, rank_parts))

    def with_headline(self, query):
        """Annotate ``headline_raw``: summary and description with the matched words marked.

        PostgreSQL only; the markers are control characters so that the text can be escaped
        before they become <mark> elements (see ``practices.highlight``).
        """
        if not query or not self._is_postgresql:
            return self
        search_query = websearch_query(query)
        return self.annotate(
            headline_raw=SearchHeadline(
                models.functions.Concat(
                    "summary", Value(" "), "description", output_field=models.TextField()
                ),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=HEADLINE_START,
                stop_sel=HEADLINE_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
