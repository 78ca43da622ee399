"""Reads for whole pages: each function returns what one page needs. The search page's is in
``web.search_page``."""

from django.db import connections
from django.db.models import Count, Q

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from search.cache import SearchCache


def _most_shared(practice, barrier_ids, topic_ids, limit):
    """``{practice id: links shared}`` of the ``limit`` published practices sharing the most."""
    links = (
        Practice.barriers.through.objects.filter(barrier_id__in=barrier_ids)
        .values_list("practice_id")
        .union(
            Practice.topics.through.objects.filter(policytopic_id__in=topic_ids).values_list(
                "practice_id"
            ),
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


def barrier_topic_matrix():
    """Rows of barriers, columns of topics, cells with the number of published practices."""
    barriers = list(Barrier.objects.all())
    topics = list(PolicyTopic.objects.all())
    cells = {
        (row["barriers"], row["topics"]): row["n"]
        for row in Practice.objects.published()
        .filter(barriers__isnull=False, topics__isnull=False)
        .values("barriers", "topics")
        .annotate(n=Count("pk", distinct=True))
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
        "figures": published.aggregate(
            practices=Count("pk", distinct=True),
            projects=Count("project", distinct=True),
            regions=Count("region", distinct=True),
            countries=Count("region__country", distinct=True),
        ),
    }
