"""Reads for whole pages: each function returns what one page needs. The search page's is in
``web.search_page``."""

from django.db import connections
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice, PracticeBarrier, PracticeLink, PracticeTopic
from projects.models import Project
from search.cache import SearchCache

STATED = PracticeLink.Basis.STATED


def _most_shared(practice, barrier_ids, topic_ids, limit):
    """``{practice id: links shared}`` of the ``limit`` published practices sharing the most."""
    links = (
        Practice.barriers.through.objects.filter(barrier_id__in=barrier_ids)
        .order_by()
        .values_list("practice_id")
        .union(
            Practice.topics.through.objects.filter(topic_id__in=topic_ids)
            .order_by()
            .values_list("practice_id"),
            all=True,
        )
    )
    sql, params = links.query.sql_with_params()
    practice_table = Practice._meta.db_table
    with connections[Practice.objects.db].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.id, COUNT(*) AS shared FROM ({sql}) AS links
            JOIN {practice_table} p ON p.id = links.practice_id
            WHERE p.status = %s AND p.id <> %s
            GROUP BY p.id, p.title ORDER BY shared DESC, p.title LIMIT %s
            """,
            [*params, Practice.Status.PUBLISHED, practice.pk, limit],
        )
        return dict(cursor.fetchall())


def practice_related(practice, *, limit=5):
    """Published practices that share barriers or topics with ``practice``, most shared first.

    One aggregate over the two link tables (a popular barrier links half the practices: counting
    per candidate row by row cost hundreds of milliseconds), then the few practices shown.
    """
    barrier_ids = [barrier.pk for barrier in practice.barriers.all()]
    topic_ids = [topic.pk for topic in practice.topics.all()]
    if not barrier_ids and not topic_ids:
        return []
    shared = SearchCache().get_or_compute(
        ("related", practice.pk, tuple(barrier_ids), tuple(topic_ids), limit),
        lambda: _most_shared(practice, barrier_ids, topic_ids, limit),
    )
    # published() again: the ids may come from the cache, from before an unpublishing.
    by_id = (
        Practice.objects.published().filter(pk__in=shared).select_related("region", "institution")
    )
    related = sorted(by_id, key=lambda other: (-shared[other.pk], list(shared).index(other.pk)))
    for other in related:
        other.shared = shared[other.pk]
    return related


# The matrix's shading: (lowest count, highest or None, label). Few practices share a barrier
# and a topic, so one practice already differs from two; the two darkest steps carry white text.
MATRIX_STEPS = [(1, 1, "1"), (2, 2, "2"), (3, 4, "3–4"), (5, None, _("5 or more"))]


def _matrix_step(count):
    for index, (low, high, _label) in enumerate(MATRIX_STEPS, start=1):
        if count >= low and (high is None or count <= high):
            return index
    return 0


def barrier_topic_matrix(*, stated_only=False):
    """Rows of barriers, columns of topics (in their groups), cells with the number of published
    practices linked to both; with ``stated_only``, counting only the links their source states.
    The totals are those of the search a total links to: a row's counts every practice that
    addresses the barrier, under a topic or not, once; a column's likewise; the corner counts
    every published practice."""
    barriers = list(Barrier.objects.all())
    topics = list(PolicyTopic.objects.all())
    # One join of the two link tables on the practice; the conditions on both links sit in one
    # filter() call, and values() reuses its joins, so each cell counts pairs of the same links.
    links = {"practice__status": Practice.Status.PUBLISHED, "practice__topic_links__isnull": False}
    if stated_only:
        links.update(basis=STATED, practice__topic_links__basis=STATED)
    pairs = PracticeBarrier.objects.filter(**links)
    topic_id = "practice__topic_links__topic_id"

    def counted(*by):
        return {
            tuple(row[key] for key in by): row["n"]
            for row in pairs.values(*by).annotate(n=Count("practice_id", distinct=True)).order_by()
        }

    cells = counted("barrier_id", topic_id)
    published = {"practice__status": Practice.Status.PUBLISHED}
    if stated_only:
        published["basis"] = STATED
    row_totals = dict(
        PracticeBarrier.objects.filter(**published)
        .values_list("barrier_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    column_totals = dict(
        PracticeTopic.objects.filter(**published)
        .values_list("topic_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    group_labels = dict(PolicyTopic.Group.choices)
    groups = []
    for topic in topics:
        if not groups or groups[-1]["group"] != topic.group:
            groups.append(
                {"group": topic.group, "label": group_labels.get(topic.group, ""), "span": 0}
            )
        groups[-1]["span"] += 1
    return {
        "topics": topics,
        "groups": groups,
        "rows": [
            {
                "barrier": barrier,
                "total": row_totals.get(barrier.pk, 0),
                "cells": [
                    {
                        "topic": topic,
                        "count": (count := cells.get((barrier.pk, topic.pk), 0)),
                        "step": _matrix_step(count),
                        "first_of_group": index == 0 or topics[index - 1].group != topic.group,
                    }
                    for index, topic in enumerate(topics)
                ],
            }
            for barrier in barriers
        ],
        "column_totals": [
            {
                "topic": topic,
                "total": column_totals.get(topic.pk, 0),
                "first_of_group": index == 0 or topics[index - 1].group != topic.group,
            }
            for index, topic in enumerate(topics)
        ],
        "total": Practice.objects.published().count(),
        "steps": [
            {"step": index, "label": label}
            for index, (_low, _high, label) in enumerate(MATRIX_STEPS, start=1)
        ],
    }


def with_published_practice_count(queryset):
    """``queryset`` (barriers, topics or projects) with ``practice_count``, the number of their
    published practices, in the model's default order: an aggregate's GROUP BY drops it."""
    return queryset.annotate(
        practice_count=Count(
            "practices", filter=Q(practices__status=Practice.Status.PUBLISHED), distinct=True
        )
    ).order_by(*queryset.model._meta.ordering)


def home_page():
    published = Practice.objects.published()
    return {
        "topics": with_published_practice_count(PolicyTopic.objects.all()),
        "barriers": with_published_practice_count(Barrier.objects.all()),
        "latest": published.with_card_related().order_by("-published_at", "title")[:6],
        "validated": published.filter(validated=True)
        .with_card_related()
        .order_by("-validated_at", "title")[:3],
        # Each figure is what the page it links to lists: the practices of the search page,
        # the projects of the projects page, the regions and countries of the search's facets.
        "figures": {
            **published.aggregate(
                practices=Count("pk", distinct=True),
                regions=Count("region", distinct=True),
                countries=Count("region__country", distinct=True),
            ),
            "projects": Project.objects.count(),
        },
    }
