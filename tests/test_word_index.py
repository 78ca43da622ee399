"""The table of which practices have each search word (PostgreSQL), and the bitsets it gives."""

import random
import struct
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict

from practices.bitsets import bitset, bitset_from_binary_pairs, ids_of, in_order
from practices.facet_index import current_facet_index
from practices.models import Practice
from practices.querysets import websearch_query
from practices.selectors import practice_search
from practices.word_index import TABLE, WORDS_SQL, ParsedQuery, word_bits_refill

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the word table is kept on PostgreSQL only"
)

# What a policy officer types, and each kind of websearch syntax.
QUERIES = [
    "export",
    "export consortia",
    "SME",
    "internationalization",
    "cluster -kent",
    "kent or cantabria",
    "-export",
    "trade fair or tourism -italy",
    "training mentoring or coaching -digital or voucher",
    "SODERCAN",
    '"export consortia"',
    "export-led growth",
    "the of",
    "xyzzy",
    "Gävleborg",
]


def table_differences():
    """Rows the table lacks and rows it has too many, against the practices' vectors now."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expected AS ({WORDS_SQL}),
            kept AS (SELECT lexeme, kind, number, word FROM {TABLE} WHERE word <> 0)
            SELECT (SELECT count(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM kept) AS a),
                   (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM expected) AS b),
                   (SELECT count(*) FROM expected)
            """
        )
        missing, extra, expected = cursor.fetchone()
    assert expected, "the check compares nothing"
    return missing, extra


def database_matches(words):
    return set(
        Practice.objects.published()
        .filter(search_vector=websearch_query(words))
        .values_list("pk", flat=True)
    )


@postgresql_only
@pytest.mark.django_db
@pytest.mark.parametrize("words", QUERIES)
def test_the_word_table_matches_what_the_database_matches(words):
    index = current_facet_index()
    found = set(ids_of(index.word_matches(words, using="default").bits & index.published))
    assert found == database_matches(words)


@postgresql_only
@pytest.mark.django_db
def test_random_queries_match_what_the_database_matches():
    vocabulary = ["export", "sme", "region", "cluster", "trade", "digital", "kent", "training"]
    chooser = random.Random(7)
    index = current_facet_index()
    for _ in range(40):
        parts = []
        for word in chooser.sample(vocabulary, chooser.randint(1, 4)):
            parts.append(chooser.choice(["", "", "-", "or "]) + word)
        words = " ".join(parts)
        found = set(ids_of(index.word_matches(words, using="default").bits & index.published))
        assert found == database_matches(words), words


@postgresql_only
@pytest.mark.django_db
def test_a_query_form_not_understood_is_matched_by_the_database(monkeypatch):
    def refuse(text):
        raise ValueError(text)

    monkeypatch.setattr(ParsedQuery, "parse", refuse)
    index = current_facet_index()
    found = set(ids_of(index.word_matches("cluster -kent", using="default").bits & index.published))
    assert found == database_matches("cluster -kent")
    assert found


@postgresql_only
@pytest.mark.django_db
def test_the_word_table_stays_exact_through_every_kind_of_write(make_practice, empty_practices):
    first = make_practice("Quokka export desk", summary="Helps numbat traders.", tags=["wombat"])
    second = make_practice("Second desk", summary="Plain.")
    assert table_differences() == (0, 0)

    first.title = "Bilby export desk"
    first.save()
    Practice.objects.filter(pk=second.pk).update(summary="Now about echidnas.")
    first.summary = "Kiwi traders."
    Practice.objects.bulk_update([first], ["summary"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_practice SET description = 'Dingo' WHERE id = %s", [second.pk]
        )
    assert table_differences() == (0, 0)

    first.delete()
    assert table_differences() == (0, 0)
    assert not set(ids_of(current_facet_index().word_matches("bilby", using="default").bits))


@postgresql_only
@pytest.mark.django_db
def test_refilling_the_word_table_restores_it(make_practice):
    make_practice("Quokka export desk")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE lexeme = 'quokka'")
    assert table_differences()[0]
    word_bits_refill()
    assert table_differences() == (0, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE lexeme = 'quokka'")
    call_command("rebuild_search_index", verbosity=0)
    assert table_differences() == (0, 0)


@pytest.mark.django_db
def test_more_of_the_words_in_the_title_rank_higher(make_practice, empty_practices):
    make_practice("Quokka scheme", summary="Helps quokka and bilby traders.")
    make_practice("Quokka bilby scheme", summary="Plain.")
    make_practice("Plain scheme", summary="Mentions a quokka.", description="And a bilby.")
    results = practice_search(params=QueryDict("q=quokka+bilby"))
    assert [p.title for p in results.page.object_list] == [
        "Quokka bilby scheme",
        "Quokka scheme",
        "Plain scheme",
    ]


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("'export'", ("word", "export")),
        ("'a' & 'b' | 'c'", ("or", ("and", ("word", "a"), ("word", "b")), ("word", "c"))),
        ("'a' & ( 'b' | 'c' )", ("and", ("word", "a"), ("or", ("word", "b"), ("word", "c")))),
        ("!'a' & 'b'", ("and", ("not", ("word", "a")), ("word", "b"))),
        ("'a' <-> 'b' & 'c'", ("and", ("phrase", ("word", "a"), ("word", "b")), ("word", "c"))),
        ("'a' <2> !'b'", ("phrase", ("word", "a"), ("not", ("word", "b")))),
        ("'o''brien'", ("word", "o'brien")),
        ("", None),
    ],
)
def test_a_text_search_query_is_read_with_the_database_precedence(text, tree):
    assert ParsedQuery.parse(text).tree == tree


@pytest.mark.parametrize("text", ["'a' &", "( 'a'", "'a' 'b'", "&", "'a' )", "'a"])
def test_a_malformed_text_search_query_is_refused(text):
    with pytest.raises(ValueError):
        ParsedQuery.parse(text)


def test_a_query_is_evaluated_on_bitsets():
    bits = {"a": bitset([1, 2, 3]), "b": bitset([3, 4]), "c": bitset([5])}
    universe = bitset(range(8))
    query = ParsedQuery.parse("'a' & !'b' | 'c'")
    assert ids_of(query.evaluate(bits.__getitem__, universe)) == [1, 2, 5]
    assert query.positive_words() == ["a", "c"]
    assert not query.has_phrase
    assert ParsedQuery.parse("!( 'a' <-> 'b' )").has_phrase


@pytest.mark.parametrize("ids", [[], [0], [63], [64], [0, 63, 64, 127, 128, 1000, 99_999]])
def test_ids_come_back_out_of_a_bitset(ids):
    assert ids_of(bitset(ids)) == ids


@pytest.mark.parametrize("ids", [[], [0], [63], [64, 127], [5, 63, 640, 6399]])
def test_a_bitset_is_read_from_the_database_binary_pairs(ids):
    words = {}
    for practice_id in ids:
        words[practice_id // 64] = words.get(practice_id // 64, 0) | 1 << practice_id % 64
    signed = {number: word - (1 << 64) if word >> 63 else word for number, word in words.items()}
    data = b"".join(struct.pack(">qq", number, word) for number, word in signed.items())
    assert bitset_from_binary_pairs(data) == bitset(ids)


def test_a_page_in_an_order_is_the_same_for_few_and_many_ids():
    order = list(range(2000))
    random.Random(3).shuffle(order)
    position = [0] * 2000
    for place, practice_id in enumerate(order):
        position[practice_id] = place
    few = bitset(order[::97])  # taken out and sorted
    many = bitset(order[::3])  # walked in order
    for bits in (few, many):
        expected = [practice_id for practice_id in order if bits >> practice_id & 1]
        assert in_order(bits, order=order, position=position, offset=5, limit=10) == expected[5:15]


@postgresql_only
def test_two_saves_at_once_of_practices_sharing_table_rows_both_land(
    transactional_db, make_practice
):
    # Ids 64 k to 64 k + 63 share each word's row: the second save waits for the first's
    # transaction. Ids given, because the ids a sequence hands out may straddle two rows.
    first = make_practice("First desk", id=64_000)
    second = make_practice("Second desk", id=64_001)
    first_has_written = threading.Event()
    errors = []

    def save(practice, *, after=None):
        try:
            if after:
                after.wait(5)
            with transaction.atomic():
                Practice.objects.filter(pk=practice.pk).update(title=f"{practice.title} quokka")
                if not after:
                    first_has_written.set()
                    time.sleep(0.3)  # the other save starts meanwhile
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(first,)),
        threading.Thread(target=save, args=(second,), kwargs={"after": first_has_written}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert table_differences() == (0, 0)
    index = current_facet_index()
    assert set(ids_of(index.word_matches("quokka", using="default").bits)) == {
        first.pk,
        second.pk,
    }
