"""The search's facets, counted in memory over bitsets of the published practices.

A bitset is a Python ``int`` whose bit ``n`` stands for the practice with id ``n``. Each web
process loads, once per version of the data (``SearchIndexVersion``), one bitset per facet value
(barrier, topic, country, region, project, level, validated, ongoing, tag), the bitset of all
published practices, the published ids in the two fixed orders (newest, title) and the names
and slugs of the barriers, topics, regions, projects and tags the facets show. A search is
then a few ``&`` and ``|`` of bitsets and one ``bit_count()`` per facet value: at 100,000
practices a bitset is 12.5 kB and counting every facet takes about a millisecond, where counting
them in SQL took hundreds. Only the words go to the database (``word_matches``): on PostgreSQL
the bitsets of their words come from the table ``practices.word_index`` keeps, on SQLite from
its ``search()``; the matches and their relevance tiers are kept with the index for the next
request with the same words (a facet click, the next page), until the data changes.

Facets are disjunctive: each facet counts the practices that match every other active parameter
but not its own (the rule of the Django admin's ``FacetsMixin``), so choosing a barrier does not
hide the other barriers one could add.
"""

import math
import threading
import unicodedata
import uuid
from array import array
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from projects.models import Project, Region

from .bitsets import bitset, bitset_from_binary_pairs, bitset_from_words, in_order
from .filters import PracticeFilter
from .models import Practice, SearchIndexVersion
from .word_index import query_word_bits

WORD_MATCHES_KEPT = 64  # per process, for the current version of the data
COLUMN_FACETS = ["region", "country", "project", "level", "validated", "ongoing"]
LINK_WORD_BITS = 32  # small enough for SQLite's 64-bit integer sums


@dataclass(frozen=True)
class FacetOption:
    """A value a facet can offer, in display order."""

    key: str  # as the index keys its bitset: the database id as a string
    value: str  # as the URL names it: a slug or a NUTS code
    label: str
    group: str = ""  # a policy topic's group, as stored


@dataclass(frozen=True)
class WordMatches:
    bits: int
    tiers: list  # bitsets of the matches of equal relevance, best first
    ranked_bits: int  # the matches in a tier; the others come after them

    @classmethod
    def of(cls, bits, tiers):
        ranked_bits = 0
        for tier in tiers:
            ranked_bits |= tier
        return cls(bits=bits, tiers=tiers, ranked_bits=ranked_bits)

    def first(self, found, *, newest, newest_position, offset, limit):
        """A page of ``found`` by relevance: tier by tier, then the others; newest first within
        each."""
        page = []
        for part in [*(found & tier for tier in self.tiers), found & ~self.ranked_bits]:
            count = part.bit_count()
            if offset >= count:
                offset -= count
                continue
            page += in_order(
                part, order=newest, position=newest_position, offset=offset, limit=limit - len(page)
            )
            offset = 0
            if len(page) == limit:
                break
        return page


@dataclass
class FacetIndex:
    token: str
    published: int
    values: dict  # facet -> {value key: bitset}
    newest: array  # published ids, newest first
    newest_position: array  # practice id -> its position in ``newest``
    by_title: array
    options: dict  # facet -> [FacetOption], for the facets whose values are database records
    _word_matches: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def selection(self, chosen):
        """``{facet: bitset}`` of the practices with any chosen value of each facet.

        ``chosen`` maps a facet to its chosen value keys; facets without any are left out.
        """
        selection = {}
        for facet, keys in chosen.items():
            if keys:
                values = self.values.get(facet, {})
                bits = 0
                for key in keys:
                    bits |= values.get(key, 0)
                selection[facet] = bits
        return selection

    @staticmethod
    def matches(base, selection):
        """The bitset of the practices of ``base`` that have a chosen value of every facet."""
        for bits in selection.values():
            base &= bits
        return base

    def count(self, base, selection):
        """``(total, {facet: {value key: count}}, bitset of the matches)`` within ``base``."""
        matches = self.matches(base, selection)
        counts = {}
        for facet, values in self.values.items():
            within = matches
            if facet in selection:
                within = base
                for other, bits in selection.items():
                    if other != facet:
                        within &= bits
            facet_counts = {}
            for key, bits in values.items():
                number = (within & bits).bit_count()
                if number:
                    facet_counts[key] = number
            counts[facet] = facet_counts
        return matches.bit_count(), counts, matches

    def forget_word_matches(self):
        """Drop the kept matches of words (the benchmark times a search with new words)."""
        with self._lock:
            self._word_matches.clear()

    def word_matches(self, words, *, using):
        """The published practices matching ``words``, from the database once per version."""
        with self._lock:
            if words in self._word_matches:
                self._word_matches.move_to_end(words)
                return self._word_matches[words]
        matches = _load_word_matches(words, index=self, using=using)
        with self._lock:
            self._word_matches[words] = matches
            while len(self._word_matches) > WORD_MATCHES_KEPT:
                self._word_matches.popitem(last=False)
        return matches


_indexes = {}
_build_lock = threading.Lock()


def current_facet_index(*, using="default"):
    """The facet index of the current version of the data, loaded if this process lacks it."""
    token = _current_token(using=using)
    key = (using, connections[using].settings_dict["NAME"])
    index = _indexes.get(key)
    if index is None or index.token != token:
        with _build_lock:
            index = _indexes.get(key)
            if index is None or index.token != token:
                index = _load_facet_index(token, using=using)
                _indexes[key] = index
    return index


def search_index_expire(*, using="default"):
    """Mark the data as changed, so that every process reloads its facet index.

    Runs inside the caller's transaction, so the new version appears with the write itself.
    """
    token = uuid.uuid4().hex
    if not SearchIndexVersion.objects.using(using).update(token=token):
        SearchIndexVersion.objects.using(using).create(token=token)


def _current_token(*, using):
    token = SearchIndexVersion.objects.using(using).values_list("token", flat=True).first()
    if token is None:
        # A new or emptied database (a test flush): start a version no process has seen.
        search_index_expire(using=using)
        token = SearchIndexVersion.objects.using(using).values_list("token", flat=True).first()
    return token


def _load_facet_index(token, *, using):
    # Value keys: database ids as strings, country codes, level values, "1" for the yes/no facets.
    ids_by_value = {facet: defaultdict(list) for facet in COLUMN_FACETS}
    region, country, project, level, validated, ongoing = (
        ids_by_value[facet] for facet in COLUMN_FACETS
    )
    rows = list(
        Practice.objects.using(using)
        .published()
        .order_by()
        .values_list(
            "pk",
            "published_at",
            "title",
            "region_id",
            "region__country",
            "project_id",
            "implementation_level",
            "validated",
            "ongoing",
        )
    )
    for practice_id, _published, _title, region_id, code, project_id, level_value, yes, on in rows:
        if region_id is not None:
            region[str(region_id)].append(practice_id)
            country[code].append(practice_id)
        if project_id is not None:
            project[str(project_id)].append(practice_id)
        if level_value:
            level[level_value].append(practice_id)
        if yes:
            validated["1"].append(practice_id)
        if on:
            ongoing["1"].append(practice_id)
    links = {
        "barrier": Practice.barriers.through.objects.annotate(
            linked_value=F("barrier_id"), linked_practice=F("practice_id")
        ),
        "topic": Practice.topics.through.objects.annotate(
            linked_value=F("policytopic_id"), linked_practice=F("practice_id")
        ),
        "tag": TaggedItem.objects.filter(
            content_type__app_label="practices", content_type__model="practice"
        ).annotate(linked_value=F("tag_id"), linked_practice=F("object_id")),
    }
    linked = {facet: _linked_bitsets(pairs, using=using) for facet, pairs in links.items()}

    published = bitset(row[0] for row in rows)
    # The orders are sorted here rather than by the database: sorting every title with the
    # database's collation took seconds at 100,000 practices. Titles compare without case and
    # accents; ties go to the older id. Sorts are stable, so each one keeps the previous order
    # among its ties: by id, then title, then (for the newest) the date.
    rows.sort(key=itemgetter(0))
    title_key = {row[0]: unicodedata.normalize("NFKD", row[2]).casefold() for row in rows}
    by_title = sorted(title_key, key=title_key.__getitem__)
    published_at = {row[0]: row[1].timestamp() if row[1] else -math.inf for row in rows}
    newest = sorted(by_title, key=published_at.__getitem__, reverse=True)
    newest_position = array("q", bytes(8 * (max(title_key, default=0) + 1)))
    for position, practice_id in enumerate(newest):
        newest_position[practice_id] = position
    return FacetIndex(
        token=token,
        published=published,
        # Links of unpublished practices are loaded too, and masked out here.
        values={
            facet: {
                key: masked
                for key, bits in linked.get(facet, {}).items()
                if (masked := bits & published)
            }
            if facet in linked
            else {key: bitset(ids) for key, ids in ids_by_value[facet].items()}
            for facet in PracticeFilter.FACETS
        },
        newest=array("q", newest),
        newest_position=newest_position,
        by_title=array("q", by_title),
        options=_facet_options(using=using),
    )


def _facet_options(*, using):
    """The barriers, topics, regions, projects and tags the facets can name, in display order.

    Kept with the index, so a search page does not read them again: every save or delete of one
    of them expires the index (``practices.signals``).
    """

    def options(queryset, value, label, group=None):
        fields = ["pk", value, label, *([group] if group else [])]
        return [
            FacetOption(str(pk), str(url_value), name, *extra)
            for pk, url_value, name, *extra in queryset.using(using).values_list(*fields)
        ]

    return {
        "barrier": options(Barrier.objects.all(), "slug", "name"),
        "topic": options(PolicyTopic.objects.all(), "slug", "name", "group"),
        "region": options(Region.objects.all(), "nuts_code", "name"),
        "project": options(Project.objects.all(), "slug", "acronym"),
        "tag": options(Tag.objects.order_by("name", "pk"), "slug", "name"),
    }


def _linked_bitsets(links, *, using):
    """``{value key: bitset}`` from link rows annotated with ``linked_value`` and
    ``linked_practice``.

    The database packs the links into 32-bit words (one row per value and word), so a few
    hundred thousand links arrive as a tenth as many rows: at 100,000 practices, fetching every
    link row took about a second. A link is unique, so the sum of its bits is their union.
    """
    sql, params = links.order_by().values("linked_value", "linked_practice").query.sql_with_params()
    statement = f"""
        SELECT linked_value, linked_practice / {LINK_WORD_BITS},
               CAST(SUM(CAST(1 AS bigint) << CAST(linked_practice %% {LINK_WORD_BITS} AS integer))
                    AS bigint)
        FROM ({sql}) AS links GROUP BY 1, 2
    """
    words = defaultdict(list)
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
        for value, number, word in cursor.fetchall():
            words[str(value)].append((number, word))
    return {
        value: bitset_from_words(numbered, word_bits=LINK_WORD_BITS)
        for value, numbered in words.items()
    }


def _load_word_matches(words, *, index, using):
    """The practices matching ``words``, with their relevance tiers.

    Unpublished practices may be among them: the search only ever reads them through the
    published practices' bitset.
    """
    if connections[using].vendor == "postgresql":
        word_bits = query_word_bits(words, using=using)
        bits = word_bits.matches(index.published)
        if bits is None:
            bits = _postgresql_phrase_matches(words, using=using)
        return WordMatches.of(bits, word_bits.tiers(bits & index.published))
    rows = list(Practice.objects.using(using).search(words).values_list("pk", "rank"))
    rows.sort(key=itemgetter(1), reverse=True)
    tiers = [
        bitset(practice_id for practice_id, _rank in run)
        for rank, run in groupby(rows, key=itemgetter(1))
        if rank > 0
    ]
    return WordMatches.of(bitset(practice_id for practice_id, _rank in rows), tiers)


def _postgresql_phrase_matches(words, *, using):
    """The bitset of the practices matching ``words`` by ``@@``, for a query with a phrase: the
    word table does not know where in a text each word stands.

    The database sends it as pairs of a 64-bit word's number and the word: at 100,000 practices,
    a common word's 90,000 rows took 50 ms more to fetch one by one and turn into a bitset.
    """
    try:
        matches_sql, matches_params = (
            Practice.objects.using(using)
            .search(words)
            .order_by()
            .values_list("pk")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return 0
    # enable_seqscan: the planner prices a full-text match as cheap on every row and so may
    # prefer a sequential scan for a common word, but each row then reads its vector back from
    # TOAST storage, many times slower than the GIN index. SET LOCAL lasts for this statement's
    # transaction only.
    statement = f"""
        SET LOCAL enable_seqscan = off;
        SELECT {_bitset_sql(matches_sql)}
    """
    with connections[using].cursor() as cursor:
        cursor.execute(statement, matches_params)
        (matches,) = cursor.fetchone()
    return bitset_from_binary_pairs(matches)


def _bitset_sql(ids_sql):
    """SQL for the bitset of the ids ``ids_sql`` selects, as (number, 64-bit word) pairs."""
    return f"""(
        SELECT string_agg(int8send(number) || int8send(word), '')
        FROM (
            SELECT match_id / 64 AS number,
                   bit_or(CAST(1 AS bigint) << CAST(match_id %% 64 AS integer)) AS word
            FROM ({ids_sql}) AS ids (match_id)
            GROUP BY 1
        ) AS words
    )"""
