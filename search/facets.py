"""Facet counts in SQL, disjunctive, in one statement.

Each facet counts the practices that match every active parameter but its own (the rule of the
Django admin's ``FacetsMixin``), so choosing a barrier does not hide the other barriers one could
add. The sets to count within come from the FilterSet itself (``PracticeFilter.queryset_without``):
one for the facets without a chosen value, one more per facet with one. Each is a common table
expression; one ``UNION ALL`` groups the links and columns of every facet over them, with the
total, the labels and the slugs the facets show.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice, PracticeLink
from projects.models import Project, Region

from .filters import COUNTRY_NOT_STATED

TOTAL = "_total"
STATED = PracticeLink.Basis.STATED


@dataclass(frozen=True)
class FacetCount:
    value: str  # as the URL names it: a slug, a code, "1"
    label: str  # as stored (names); the page translates codes
    count: int
    group: str = ""


def _tables():
    return {
        "practice": Practice._meta.db_table,
        "barrier_links": Practice.barriers.through._meta.db_table,
        "barrier": Barrier._meta.db_table,
        "topic_links": Practice.topics.through._meta.db_table,
        "topic": PolicyTopic._meta.db_table,
        "region": Region._meta.db_table,
        "project": Project._meta.db_table,
        "tag_links": TaggedItem._meta.db_table,
        "tag": Tag._meta.db_table,
    }


# What the sets to count within hold of each practice: the columns the facets group by, so that
# only the link tables are joined back.
WITHIN_COLUMNS = {
    "id": "pk",
    "region_id": "region_id",
    "project_id": "project_id",
    "level": "implementation_level",
    "validated": "validated",
    "ongoing": "ongoing",
}

# facet -> SELECT (facet, value, label, group, count) over the practices in {within}.
BRANCHES = {
    "barrier": """
        SELECT 'barrier', b.slug, b.name_en, '', COUNT(*) FROM {within} m
        JOIN {barrier_links} l ON l.practice_id = m.id{stated}
        JOIN {barrier} b ON b.id = l.barrier_id
        GROUP BY b.slug, b.name_en""",
    "topic": """
        SELECT 'topic', t.slug, t.name_en, t."group", COUNT(*) FROM {within} m
        JOIN {topic_links} l ON l.practice_id = m.id{stated}
        JOIN {topic} t ON t.id = l.policytopic_id
        GROUP BY t.slug, t.name_en, t."group"
    """,
    # A practice with no region counts under "not stated" (search.filters.COUNTRY_NOT_STATED).
    "country": """
        SELECT 'country', COALESCE(r.country, '{country_not_stated}'), '', '', COUNT(*)
        FROM {within} m LEFT JOIN {region} r ON r.id = m.region_id
        GROUP BY COALESCE(r.country, '{country_not_stated}')""",
    "region": """
        SELECT 'region', r.nuts_code, r.name, '', COUNT(*) FROM {within} m
        JOIN {region} r ON r.id = m.region_id GROUP BY r.nuts_code, r.name""",
    "project": """
        SELECT 'project', pr.slug, pr.acronym, '', COUNT(*) FROM {within} m
        JOIN {project} pr ON pr.id = m.project_id GROUP BY pr.slug, pr.acronym""",
    "level": """
        SELECT 'level', m.level, '', '', COUNT(*) FROM {within} m
        WHERE m.level <> '' GROUP BY m.level""",
    "validated": """
        SELECT 'validated', '1', '', '', COUNT(*) FROM {within} m WHERE m.validated""",
    "ongoing": """
        SELECT 'ongoing', '1', '', '', COUNT(*) FROM {within} m WHERE m.ongoing""",
    "tag": """
        SELECT 'tag', t.slug, t.name, '', COUNT(*) FROM {within} m
        JOIN {tag_links} l ON l.object_id = m.id AND l.content_type_id = {practice_type}
        JOIN {tag} t ON t.id = l.tag_id GROUP BY t.slug, t.name""",
}


def facet_counts(filterset):
    """``(total, {facet: [FacetCount]})``: the number of matches, and per facet the values that
    have practices, each counted over every parameter but the facet's own."""
    using = filterset.queryset.db
    connection = connections[using]
    chosen = {name for name in BRANCHES if filterset.chosen_keys(name)}
    # One set of matches for the facets without a chosen value, one per facet with one.
    withins = {None: "matches"}
    withins.update({name: f"without_{name}" for name in sorted(chosen)})
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    ctes, params = [], []
    for name, alias in withins.items():
        within = filterset.queryset_without(name).values(*WITHIN_COLUMNS.values())
        try:
            sql, cte_params = within.query.get_compiler(using).as_sql()
        except EmptyResultSet:  # words of no meaning to a search ("of the")
            columns = ", ".join(WITHIN_COLUMNS).replace("level", "implementation_level")
            sql, cte_params = f"SELECT {columns} FROM {Practice._meta.db_table} WHERE 1 = 0", []
        ctes.append(f"{alias}({', '.join(WITHIN_COLUMNS)}) AS {materialized}({sql})")
        params += cte_params
    tables = _tables()
    practice_type = ContentType.objects.db_manager(using).get_for_model(Practice).pk
    branches = [f"SELECT '{TOTAL}', '', '', '', COUNT(*) FROM matches"]
    # ``evidence=stated``: the barrier and topic facets count only the links their source states.
    stated = f" AND l.basis = '{STATED}'" if filterset.stated_only else ""
    for name, template in BRANCHES.items():
        within = withins[name] if name in chosen else withins[None]
        branches.append(
            template.format(
                within=within,
                practice_type=int(practice_type),
                stated=stated,
                country_not_stated=COUNTRY_NOT_STATED,
                **tables,
            ).strip()
        )
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = 0
    counts = {name: [] for name in BRANCHES}
    for facet, value, label, group, count in rows:
        if facet == TOTAL:
            total = count
        elif count:
            counts[facet].append(FacetCount(str(value), label or "", count, group or ""))
    return total, counts


def facet_options():
    """Every barrier and topic, in their stated order: their facets list them all, with or
    without practices, so that a visitor sees what the knowledge base covers. Named in the
    current language (django-modeltranslation, English where a name is not translated)."""
    return {
        "barrier": [
            FacetCount(slug, name, 0) for slug, name in Barrier.objects.values_list("slug", "name")
        ],
        "topic": [
            FacetCount(slug, name, 0, group)
            for slug, name, group in PolicyTopic.objects.values_list("slug", "name", "group")
        ],
    }
