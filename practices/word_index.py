"""Which practices contain each search word, kept by PostgreSQL as bitsets (``SearchWordBits``).

For each lexeme of the practices' search vectors the table holds three sets of practice ids: those
whose full vector has it (``any``: what ``@@`` matches), those with it in their title (``title``)
and those with it in their summary (``summary``). A set is stored as rows of a 64-bit word's
number and the word, where bit ``n`` of word ``k`` stands for the practice with id ``64 k + n``
(the shape ``bitsets.bitset_from_binary_pairs`` reads).

A search then reads a few thousand small rows by primary key and evaluates the query's ``&``,
``|`` and ``!`` on bitsets in Python (``QueryWordBits.matches``). Matching and ranking through the
full-text GIN index read every match's row instead: at 100,000 practices a common word took 100
to 170 ms that way. Only a query with a phrase (``<->``: quoted words, or a word with a hyphen) is
matched by the database's ``@@``, because the table does not keep word positions.

Relevance comes from the same table, in tiers: each of the query's words (outside a ``!``) adds
10 when it is in the practice's title and 4 when it is in its summary (the weights SQLite's search
uses, see ``practices.search``); ties, and the matches with none of the words in title or
summary, come newest first.

Triggers on the practices table keep it exact in the transaction of every write, whether Django,
a bulk update or raw SQL makes it: after each statement they take the changed rows' old and new
vectors (transition tables) and clear and set their bits. ``rebuild_search_index`` refills it.
"""

import re
from dataclasses import dataclass

from django.db import connections

from .bitsets import bitset_from_binary_pairs
from .search import SEARCH_CONFIG

TABLE = "practices_searchwordbits"
KINDS = {"any": 0, "title": 1, "summary": 2}
TITLE_WEIGHT, SUMMARY_WEIGHT = 10, 4
RANKED_WORDS = 8
# Writers of the table take this transaction-scoped advisory lock in turn: two saves adding the
# same new word would otherwise both insert its row (a unique violation), and two touching the
# same rows in different orders could deadlock. Writes to practices are rare (curation in the
# admin), so waiting costs little. Any number no other advisory lock of the site uses.
WRITE_LOCK = 51172024

# The (lexeme, kind, id) postings of the practices selected by ``{rows}``, which has the columns
# id, search_vector and search_rank_vector.
_POSTINGS = f"""
    SELECT entry.lexeme, {KINDS["any"]} AS kind, practice.id
    FROM {{rows}} AS practice, unnest(practice.search_vector) AS entry
    UNION ALL
    SELECT entry.lexeme, kinds.kind, practice.id
    FROM {{rows}} AS practice, unnest(practice.search_rank_vector) AS entry,
         (VALUES ({KINDS["title"]}, 'A'), ({KINDS["summary"]}, 'B')) AS kinds (kind, weight)
    WHERE kinds.weight = ANY (entry.weights)
"""
_BIT = "CAST(1 AS bigint) << CAST(id % 64 AS integer)"

WORDS_SQL = f"""
    SELECT lexeme, kind, id / 64 AS number, bit_or({_BIT}) AS word
    FROM ({_POSTINGS.format(rows="practices_practice")}) AS postings
    GROUP BY 1, 2, 3
"""

FILL_SQL = f"""
    SELECT pg_advisory_xact_lock({WRITE_LOCK});
    TRUNCATE {TABLE};
    INSERT INTO {TABLE} (lexeme, kind, number, word) {WORDS_SQL} ORDER BY 1, 2, 3;
    ANALYZE {TABLE};
"""

_NO_ROWS = (
    "(SELECT CAST(NULL AS bigint) AS id, CAST(NULL AS tsvector) AS search_vector,"
    " CAST(NULL AS tsvector) AS search_rank_vector WHERE false)"
)


def _apply_changes_sql(old, new):
    """The statements that take the postings of the ``old`` rows out and put those of the ``new``
    rows in: per row of the table, the word loses the old bits and gains the new ones, and a row
    whose bits stay the same (a save that leaves the words alone) is not written."""
    return f"""
        PERFORM pg_advisory_xact_lock({WRITE_LOCK});
        WITH changes AS (
            SELECT lexeme, kind, id / 64 AS number,
                   coalesce(bit_or({_BIT}) FILTER (WHERE removed), 0) AS cleared,
                   coalesce(bit_or({_BIT}) FILTER (WHERE NOT removed), 0) AS added
            FROM (
                SELECT *, true AS removed FROM ({_POSTINGS.format(rows=old)}) AS old_postings
                UNION ALL
                SELECT *, false AS removed FROM ({_POSTINGS.format(rows=new)}) AS new_postings
            ) AS postings
            GROUP BY 1, 2, 3
            HAVING coalesce(bit_or({_BIT}) FILTER (WHERE removed), 0)
                <> coalesce(bit_or({_BIT}) FILTER (WHERE NOT removed), 0)
        ),
        updated AS (
            UPDATE {TABLE} AS kept SET word = (kept.word & ~changes.cleared) | changes.added
            FROM changes
            WHERE (kept.lexeme, kept.kind, kept.number)
                = (changes.lexeme, changes.kind, changes.number)
            RETURNING kept.lexeme, kept.kind, kept.number
        )
        INSERT INTO {TABLE} (lexeme, kind, number, word)
        SELECT lexeme, kind, number, added FROM changes
        WHERE added <> 0 AND NOT EXISTS (
            SELECT 1 FROM updated
            WHERE (updated.lexeme, updated.kind, updated.number)
                = (changes.lexeme, changes.kind, changes.number)
        );
    """


def _trigger_sql(event, old, new, referencing):
    name = f"practices_word_bits_after_{event.lower()}"
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            {_apply_changes_sql(old, new)}
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER {name} AFTER {event} ON practices_practice
            REFERENCING {referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION {name}();
    """


CREATE_TRIGGERS_SQL = "".join(
    [
        _trigger_sql("INSERT", _NO_ROWS, "new_rows", "NEW TABLE AS new_rows"),
        _trigger_sql(
            "UPDATE", "old_rows", "new_rows", "OLD TABLE AS old_rows NEW TABLE AS new_rows"
        ),
        _trigger_sql("DELETE", "old_rows", _NO_ROWS, "OLD TABLE AS old_rows"),
    ]
)

DROP_TRIGGERS_SQL = "".join(
    f"""
    DROP TRIGGER IF EXISTS practices_word_bits_after_{event} ON practices_practice;
    DROP FUNCTION IF EXISTS practices_word_bits_after_{event}();
    """
    for event in ("insert", "update", "delete")
)


def word_bits_refill(*, using="default"):
    """Refill the table from the practices' vectors (PostgreSQL; the triggers keep it after)."""
    if connections[using].vendor == "postgresql":
        with connections[using].cursor() as cursor:
            cursor.execute(FILL_SQL)


# -- Reading a query --------------------------------------------------------------------------

# One statement: PostgreSQL's reading of the words, and the rows of each lexeme in it as one binary
# string of (number, word) pairs per lexeme and kind.
_QUERY_SQL = f"""
    SELECT query.text, bits.lexeme, bits.kind, bits.pairs
    FROM (SELECT CAST(websearch_to_tsquery('{SEARCH_CONFIG}', %s) AS text) AS text) AS query
    LEFT JOIN LATERAL (
        SELECT lexeme, kind, string_agg(int8send(number) || int8send(word), '') AS pairs
        FROM {TABLE}
        WHERE lexeme = ANY (ARRAY(
            SELECT replace(replace(found[1], '''''', ''''), '\\\\', '\\')
            FROM regexp_matches(query.text, '''((?:[^'']|'''')*)''', 'g') AS found
        )) AND word <> 0
        GROUP BY lexeme, kind
    ) AS bits ON true
"""

_TOKEN_RE = re.compile(r"\s*(?:'((?:[^']|'')*)'|(<(?:-|\d+)>)|([!&|()]))")


@dataclass(frozen=True)
class ParsedQuery:
    """A ``tsquery`` as nested tuples: ``("word", lexeme)``, ``("not", a)``, ``("and", a, b)``,
    ``("or", a, b)`` and ``("phrase", a, b)``; ``None`` for a query without words."""

    tree: tuple | None
    understood: bool = True

    @classmethod
    def parse(cls, text):
        r"""Parse the text form of a ``tsquery``: quoted lexemes (``''`` and ``\\`` inside), and
        ``!``, ``<->``/``<N>``, ``&``, ``|`` in decreasing precedence, with parentheses."""
        tokens = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN_RE.match(text, position)
            if not match:
                raise ValueError(f"Unexpected text-search query: {text!r}")
            lexeme, distance, operator = match.groups()
            if lexeme is not None:
                tokens.append(("word", lexeme.replace("''", "'").replace("\\\\", "\\")))
            else:
                tokens.append(("<->",) if distance else (operator,))
            position = match.end()
        if not tokens:
            return cls(None)
        tree, rest = _parse_or(tokens)
        if rest:
            raise ValueError(f"Unexpected text-search query: {text!r}")
        return cls(tree)

    @property
    def has_phrase(self):
        return _any_node(self.tree, "phrase")

    def positive_words(self):
        """The lexemes outside any ``!``: those whose presence makes a practice more relevant."""
        found = []
        _collect_positive(self.tree, found)
        return list(dict.fromkeys(found))

    def evaluate(self, bits_of, universe):
        """The bitset of the matches, ``bits_of(lexeme)`` giving each lexeme's (no phrases)."""
        return _evaluate(self.tree, bits_of, universe) if self.tree else 0


def _parse_or(tokens):
    return _parse_binary(tokens, "|", "or", _parse_and)


def _parse_and(tokens):
    return _parse_binary(tokens, "&", "and", _parse_phrase)


def _parse_phrase(tokens):
    return _parse_binary(tokens, "<->", "phrase", _parse_not)


def _parse_binary(tokens, operator, kind, parse_operand):
    """Operands joined by ``operator``, grouped from the left."""
    left, tokens = parse_operand(tokens)
    while tokens and tokens[0] == (operator,):
        right, tokens = parse_operand(tokens[1:])
        left = (kind, left, right)
    return left, tokens


def _parse_not(tokens):
    if not tokens:
        raise ValueError("Unexpected end of a text-search query")
    head, rest = tokens[0], tokens[1:]
    if head == ("!",):
        operand, rest = _parse_not(rest)
        return ("not", operand), rest
    if head == ("(",):
        inner, rest = _parse_or(rest)
        if not rest or rest[0] != (")",):
            raise ValueError("Unbalanced parentheses in a text-search query")
        return inner, rest[1:]
    if head[0] == "word":
        return head, rest
    raise ValueError(f"Unexpected {head[0]!r} in a text-search query")


def _any_node(tree, kind):
    if not tree:
        return False
    parts = (part for part in tree[1:] if isinstance(part, tuple))
    return tree[0] == kind or any(_any_node(part, kind) for part in parts)


def _collect_positive(tree, found):
    if not tree or tree[0] == "not":
        return
    if tree[0] == "word":
        found.append(tree[1])
        return
    for part in tree[1:]:
        _collect_positive(part, found)


def _evaluate(tree, bits_of, universe):
    kind = tree[0]
    if kind == "word":
        return bits_of(tree[1])
    if kind == "not":
        return universe & ~_evaluate(tree[1], bits_of, universe)
    left = _evaluate(tree[1], bits_of, universe)
    right = _evaluate(tree[2], bits_of, universe)
    return left & right if kind == "and" else left | right


@dataclass(frozen=True)
class QueryWordBits:
    """What the table holds for the words of a search."""

    query: ParsedQuery
    bits: dict  # (lexeme, kind) -> bitset

    def of(self, lexeme, kind="any"):
        return self.bits.get((lexeme, KINDS[kind]), 0)

    def matches(self, universe):
        """The matches within ``universe``, or ``None`` for a query with a phrase (or one not
        understood): the database's ``@@`` must match those."""
        if self.query.has_phrase or not self.query.understood:
            return None
        return self.query.evaluate(self.of, universe)

    def tiers(self, matches):
        """The matches with a positive score, as bitsets of equal score, best first."""
        by_score = {0: matches}
        # Each word can split every tier in four: past a few words the cost grows and the order
        # hardly changes, so the first ones rank (a search holds at most 200 characters).
        for lexeme in self.query.positive_words()[:RANKED_WORDS]:
            title, summary = self.of(lexeme, "title"), self.of(lexeme, "summary")
            scored = {}
            for score, bits in by_score.items():
                for gain, part in (
                    (TITLE_WEIGHT + SUMMARY_WEIGHT, bits & title & summary),
                    (TITLE_WEIGHT, bits & title & ~summary),
                    (SUMMARY_WEIGHT, bits & summary & ~title),
                    (0, bits & ~title & ~summary),
                ):
                    if part:
                        scored[score + gain] = scored.get(score + gain, 0) | part
            by_score = scored
        return [by_score[score] for score in sorted(by_score, reverse=True) if score > 0]


def query_word_bits(words, *, using):
    """Read PostgreSQL's query for ``words`` and the bitsets of its lexemes, in one statement."""
    with connections[using].cursor() as cursor:
        cursor.execute(_QUERY_SQL, [words])
        rows = cursor.fetchall()
    bits = {
        (lexeme, kind): bitset_from_binary_pairs(pairs)
        for _text, lexeme, kind, pairs in rows
        if lexeme is not None
    }
    try:
        query = ParsedQuery.parse(rows[0][0])
    except ValueError:
        # Not a form websearch_to_tsquery writes today: the database matches it, unranked.
        query = ParsedQuery(None, understood=False)
    return QueryWordBits(query=query, bits=bits)
