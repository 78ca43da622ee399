"""Reads for whole pages: each function returns what one page needs. The search page's is in
``web.search_page``."""

from django.db import connections
from django.db.models import Count, Q

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice, PracticeBarrier, PracticeLink
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


def barrier_topic_matrix(*, stated_only=False):
    """Rows of barriers, columns of topics, cells with the number of published practices; with
    ``stated_only``, counting only the links their source states."""
    barriers = list(Barrier.objects.all())
    topics = list(PolicyTopic.objects.all())
    # One join of the two link tables on the practice; the conditions on both links sit in one
    # filter() call, and values() reuses its joins, so each cell counts pairs of the same links.
    links = {"practice__status": Practice.Status.PUBLISHED, "practice__topic_links__isnull": False}
    if stated_only:
        links.update(basis=STATED, practice__topic_links__basis=STATED)
    cells = {
        (row["barrier_id"], row["practice__topic_links__topic_id"]): row["n"]
        for row in PracticeBarrier.objects.filter(**links)
        .values("barrier_id", "practice__topic_links__topic_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    }
    return {
        "topics": topics,
        "rows": [
            {
                "barrier": barrier,
                "cells": [
                    {"topic": topic, "count": cells.get((barrier.pk, topic.pk), 0)}
                    for topic in topics
                ],
            }
            for barrier in barriers
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
