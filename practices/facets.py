"""Disjunctive facet counts and one page of a practice search, in one SQL statement.

Each facet counts the practices that match every active parameter except its own (the rule of the
Django admin's ``FacetsMixin`` and of datasette), so choosing a barrier does not hide the other
barriers one could add. The sets of practices involved (one for all parameters, one more per facet
that has a selected value) are common table expressions materialised once and shared by all the
counts, so the search is evaluated once per set, and the number of queries never grows. The
page's ids come from the same statement, so the words are not matched and ranked a second time.
"""

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F
from taggit.models import TaggedItem

from .models import Practice

# facet -> column of the per-practice set that holds the facet's value
COLUMN_FACETS = {
    "country": F("region__country"),
    "region": F("region_id"),
    "project": F("project_id"),
    "level": F("implementation_level"),
    "validated": F("validated"),
    "ongoing": F("ongoing"),
}
# facet -> (link table, column pointing at the practice, column holding the value)
LINK_FACETS = {
    "barrier": (Practice.barriers.through._meta.db_table, "practice_id", "barrier_id"),
    "topic": (Practice.topics.through._meta.db_table, "practice_id", "policytopic_id"),
    "tag": (TaggedItem._meta.db_table, "object_id", "tag_id"),
}
FACETS = [*LINK_FACETS, *COLUMN_FACETS]
TRUE_VALUES = {"1", "true", "t"}


# sort order -> ORDER BY over the columns of the set of all matches (see ``search_statement``)
SQL_ORDERINGS = {
    "relevance": "o_rank DESC, o_published DESC, o_id",
    "newest": "o_published DESC, o_title, o_id",
    "title": "o_title, o_id",
}


def search_statement(filterset, base, *, sort, offset, limit):
    """Facet counts, the number of matches and the ids of one page of them, in one statement.

    ``base`` is the searched, published queryset (annotated with ``rank``); ``filterset`` a bound,
    validated ``PracticeFilter``; ``sort`` a key of ``SQL_ORDERINGS``. Returns
    ``(total, {facet: {value: count}}, [page ids in order])``; facet values are strings (ids,
    codes, or "1" for the yes/no facets).
    """
    connection = connections[base.db]
    quote = connection.ops.quote_name
    active = set(filterset.active_facets)
    facet_columns = {f"f_{name}": expression for name, expression in COLUMN_FACETS.items()}
    sets = {"all": filterset.filter_queryset_without(base, without=())}
    for facet in active:
        sets[facet] = filterset.filter_queryset_without(base, without={facet})

    ctes, params = [], []
    for key, queryset in sets.items():
        columns = {"o_id": F("pk"), **facet_columns}
        if key == "all":
            # Only the set of all matches is paged, so only it carries what the sort needs.
            columns |= {
                "o_rank": F("rank"),
                "o_published": F("published_at"),
                "o_title": F("title"),
            }
        rows = queryset.order_by().annotate(**columns).values(*columns)
        try:
            sql, sql_params = rows.query.sql_with_params()
        except EmptyResultSet:
            # The words can match nothing (only punctuation, say): neither can any set.
            return 0, {}, []
        ctes.append(f"set_{key} AS MATERIALIZED ({sql})")
        params.extend(sql_params)

    if connection.vendor == "postgresql":
        # PostgreSQL hashes an array once and probes it while it scans the link table; for a
        # join it chose to hash the whole link table instead: at 100,000 practices 3 ms against
        # 80 ms a facet.
        in_set = "= ANY(ARRAY(SELECT o_id FROM {source}))"
    else:
        in_set = "IN (SELECT o_id FROM {source})"
    parts = ["SELECT 'total', '', COUNT(*) FROM set_all"]
    for facet in FACETS:
        source = f"set_{facet if facet in active else 'all'}"
        if facet in LINK_FACETS:
            table, practice_column, value_column = LINK_FACETS[facet]
            condition = ""
            if facet == "tag":
                condition = (
                    " AND link.content_type_id = (SELECT id FROM django_content_type"
                    " WHERE app_label = 'practices' AND model = 'practice')"
                )
            parts.append(
                f"SELECT '{facet}', CAST(link.{value_column} AS TEXT), COUNT(*)"
                f" FROM {quote(table)} link"
                f" WHERE link.{practice_column} {in_set.format(source=source)}"
                f"{condition} GROUP BY link.{value_column}"
            )
        else:
            column = f"f_{facet}"
            parts.append(
                f"SELECT '{facet}', CAST({column} AS TEXT), COUNT(*) FROM {source}"
                f" WHERE {column} IS NOT NULL GROUP BY {column}"
            )
    ordering = SQL_ORDERINGS[sort]
    parts.append(
        f"SELECT 'page', CAST(o_id AS TEXT), ROW_NUMBER() OVER (ORDER BY {ordering})"
        f" FROM (SELECT * FROM set_all ORDER BY {ordering} LIMIT %s OFFSET %s) page"
    )
    params += [limit, offset]
    statement = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(parts)
    if filterset.words and connection.vendor == "postgresql":
        # The planner prices a full-text match as cheap on every row and so prefers a sequential
        # scan for a common word, but each match then reads the row's vector back from TOAST
        # storage: about 10 times slower at 100,000 practices than the GIN index it passes over.
        # SET LOCAL lasts for this statement's transaction only.
        statement = f"SET LOCAL enable_seqscan = off; {statement}"

    counts = defaultdict(dict)
    total = 0
    page = []
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for facet, value, count in cursor.fetchall():
            if facet == "total":
                total = count
            elif facet == "page":
                page.append((count, int(value)))
            elif facet in {"validated", "ongoing"}:
                if str(value).lower() in TRUE_VALUES:
                    counts[facet]["1"] = count
            elif value != "":
                counts[facet][str(value)] = count
    return total, dict(counts), [practice_id for _position, practice_id in sorted(page)]
