"""The search's facets, counted in memory over bitsets of the published practices.

A bitset is a Python ``int`` whose bit ``n`` stands for the practice with id ``n``. Each web
process loads, once per version of the data (``SearchIndexVersion``), one bitset per facet value
(barrier, topic, country, region, project, level, validated, ongoing, tag), the bitset of all
published practices, the published ids in the two fixed orders (newest, title) and the names
and slugs of the barriers, topics, regions, projects and tags the facets show. A search is
then a few ``&`` and ``|`` of bitsets and one ``bit_count()`` per facet value: at 100,000
practices a bitset is 12.5 kB and counting every facet takes about a millisecond, where counting
them in SQL took hundreds. Only the words go to the database (``word_matches``): its full-text
index finds and ranks the matches once, and the result is kept with the index for the next
request with the same words (a facet click, the next page), until the data changes.

Facets are disjunctive: each facet counts the practices that match every other active parameter
but not its own (the rule of the Django admin's ``FacetsMixin``), so choosing a barrier does not
hide the other barriers one could add.
"""

import math
import struct
import sys
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

from .filters import PracticeFilter
from .models import Practice, SearchIndexVersion
from .querysets import relevance, websearch_query

WORD_MATCHES_KEPT = 64  # per process, for the current version of the data
COLUMN_FACETS = ["region", "country", "project", "level", "validated", "ongoing"]
LINK_WORD_BITS = 32  # small enough for SQLite's 64-bit integer sums

_BITS_OF_BYTE = [1 << n for n in range(8)]


def bitset(ids):
    """The bitset of the given practice ids."""
    ids = list(ids)
    if not ids:
        return 0
    data = bytearray(max(ids) // 8 + 1)
    for practice_id in ids:
        data[practice_id >> 3] |= _BITS_OF_BYTE[practice_id & 7]
    return int.from_bytes(data, "little")


def bitset_from_words(numbered_words, *, word_bits):
    """The bitset of ``(number, word)`` pairs, where bit ``n`` of word number ``k`` stands for the
    practice with id ``k * word_bits + n``: how the database sends a set of ids in few rows."""
    numbered_words = list(numbered_words)
    if not numbered_words:
        return 0
    size = word_bits // 8
    word_format = {32: "<I", 64: "<Q"}[word_bits]
    unsigned = (1 << word_bits) - 1  # the database's 64-bit words are signed
    packed = bytearray(size * (max(numbered_words)[0] + 1))  # numbers are unique
    for number, word in numbered_words:
        struct.pack_into(word_format, packed, size * number, word & unsigned)
    return int.from_bytes(packed, "little")


def first_in_order(order, bits, *, offset, limit):
    """The ids of ``order`` whose bit is set in ``bits``, skipping ``offset``, at most ``limit``."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    size = len(data)
    found = []
    for practice_id in order:
        position = practice_id >> 3
        if position < size and data[position] >> (practice_id & 7) & 1:
            if offset:
                offset -= 1
                continue
            found.append(practice_id)
            if len(found) == limit:
                break
    return found


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
    ranked: array  # the ids of the matches with a positive rank, best first
    ranked_bits: int

    def first(self, found, *, newest, offset, limit):
        """A page of ``found`` by relevance: ranked matches first, then the others by newest."""
        ranked = found & self.ranked_bits
        page = first_in_order(self.ranked, ranked, offset=offset, limit=limit)
        if len(page) < limit:
            page += first_in_order(
                newest,
                found & ~self.ranked_bits,
                offset=max(0, offset - ranked.bit_count()),
                limit=limit - len(page),
            )
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
    """The practices matching ``words``: those that match in their title or summary (a positive
    rank) by rank, the others after them in the order of the newest.

    Unpublished practices may be among them: the search only ever reads them through the
    published practices' bitset.
    """
    if connections[using].vendor == "postgresql":
        bits, ids, ranks = _postgresql_matches(words, using=using)
    else:
        rows = list(Practice.objects.using(using).search(words).values_list("pk", "rank"))
        bits = bitset(practice_id for practice_id, _rank in rows)
        ranked = sorted((row for row in rows if row[1] > 0), key=itemgetter(1), reverse=True)
        ids, ranks = [pk for pk, _rank in ranked], [rank for _pk, rank in ranked]
    by_relevance = _by_relevance(ids, ranks, newest_position=index.newest_position)
    return WordMatches(bits=bits, ranked=by_relevance, ranked_bits=bitset(by_relevance))


def _by_relevance(ids, ranks, *, newest_position):
    """``ids``, given best rank first, with the newest first among those of equal rank.

    Leaves out the practices the index does not know as published: they have no position.
    """
    known = len(newest_position)
    ordered = array("q")
    start = 0
    for _rank, run in groupby(ranks):
        end = start + sum(1 for _ in run)
        run_ids = [practice_id for practice_id in ids[start:end] if practice_id < known]
        ordered.extend(sorted(run_ids, key=newest_position.__getitem__))
        start = end
    return ordered


def _postgresql_matches(words, *, using):
    """``(bitset of the matches, ids of the ranked ones best first, their ranks)``.

    Two GIN indexes answer: that of the full vector finds every match, that of the small
    title-and-summary vector finds the practices to rank, so ``ts_rank`` runs only for those (a
    fifth of a common word's matches) rather than for every match. The database sends the bitset
    as pairs of a 64-bit word's number and the word, and the ranked matches as one binary string:
    at 100,000 practices, a common word's 90,000 rows took 50 ms more to fetch one by one and turn
    into a bitset in Python. Neither part asks for the practice's status (reading it cost 20 ms):
    the published practices' bitset masks the result anyway.
    """
    query = websearch_query(words)
    try:
        matches_sql, matches_params = (
            Practice.objects.using(using)
            .search(words)
            .order_by()
            .values_list("pk")
            .query.sql_with_params()
        )
        ranked_sql, ranked_params = (
            Practice.objects.using(using)
            .filter(search_rank_vector=query)
            .annotate(rank=relevance(query))
            .order_by()
            .values_list("pk", "rank")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return 0, array("q"), array("d")
    # enable_seqscan: the planner prices a full-text match as cheap on every row and so may
    # prefer a sequential scan for a common word, but each row then reads its vector back from
    # TOAST storage, many times slower than the GIN index. SET LOCAL lasts for this statement's
    # transaction only.
    statement = f"""
        SET LOCAL enable_seqscan = off;
        SELECT
            {_bitset_sql(matches_sql)},
            (SELECT string_agg(int8send(match_id) || float8send(rank), '' ORDER BY rank DESC)
             FROM ({ranked_sql}) AS ranked (match_id, rank))
    """
    with connections[using].cursor() as cursor:
        cursor.execute(statement, [*matches_params, *ranked_params])
        matches, ranked = cursor.fetchone()
    pairs = _big_endian_array("q", matches)  # 8-byte word number, 8-byte word, ...
    ranked = _big_endian_array("q", ranked)  # 8-byte id, 8-byte rank, ...
    return (
        bitset_from_words(zip(pairs[0::2], pairs[1::2], strict=True), word_bits=64),
        ranked[0::2],
        array("d", ranked.tobytes())[1::2],
    )


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


def _big_endian_array(typecode, data):
    """The numbers of a binary string from the database, in this machine's byte order."""
    numbers = array(typecode, bytes(data or b""))
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers
