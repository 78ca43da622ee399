"""Reading the search words, the same way on every backend.

The words are read in PostgreSQL's ``websearch`` syntax: ``"quoted phrase"``, ``-word`` to
exclude, ``or`` between alternatives, everything else must all match. PostgreSQL parses it itself
(``websearch_to_tsquery``); the SQLite backend and the snippets use ``parse_websearch`` below.
"""

import re

# Where the English stemmer keeps apart words our readers treat as the same. A search for one form
# also finds the others: PostgreSQL rewrites the query (``ts_rewrite``), SQLite matches any form.
# Keep groups small and only for this field's vocabulary.
VOCABULARY_GROUPS = [
    {"consortium", "consortia", "consortiums"},
    {"sme", "smes"},
    {"internationalisation", "internationalization"},
    {"internationalise", "internationalize", "internationalised", "internationalized"},
    {"internationalising", "internationalizing"},
    {"organisation", "organization"},
    {"organisations", "organizations"},
    {"programme", "program"},
    {"programmes", "programs"},
    {"centre", "center"},
    {"fdi", "foreign direct investment"},
]

WORD_RE = re.compile(r"[\w’'-]+", re.UNICODE)
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# Words too common to search by. PostgreSQL's English configuration drops its own list of them;
# the SQLite backend drops these, so that "internationalisation of SMEs" does not need an "of"
# and a query of such words alone finds nothing on both databases.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves
    """.split()  # noqa: SIM905
)


def vocabulary_alternatives(words):
    """``{form: every form of its group}`` for each vocabulary form among ``words`` (lowercase),
    and for a group's several-word form when all its words are there."""
    present = {word.lower() for word in words}
    alternatives = {}
    for group in VOCABULARY_GROUPS:
        for form in group:
            if all(part in present for part in form.split()):
                alternatives[form] = sorted(group)
    return alternatives


def parse_websearch(query):
    """Parse ``websearch`` syntax into OR-groups of (negated, words, is_phrase) terms.

    Returns a list of groups; a document matches a group when it matches every term in it, and
    matches the query when it matches any group (the same reading as websearch_to_tsquery). Stop
    words are dropped, as PostgreSQL drops them.
    """
    groups = [[]]
    for match in TOKEN_RE.finditer(query):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            words = [word for word in WORD_RE.findall(phrase.lower()) if word not in STOP_WORDS]
            if words:
                groups[-1].append((bool(negated), words, True))
            continue
        if bare.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        is_negated = bare.startswith("-") and len(bare) > 1
        words = WORD_RE.findall(bare.lower().lstrip("-"))
        for word in words:
            if word not in STOP_WORDS:
                groups[-1].append((is_negated, [word], False))
    return [group for group in groups if any(not negated for negated, _, _ in group)]


def query_words(query):
    """The plain words of ``query``, lowercase, without search syntax."""
    return [word.lower().lstrip("-") for word in WORD_RE.findall(query)]


def any_of_words(query):
    """``query`` widened to match any of its words (``a b`` becomes ``a or b``), or an empty
    string when it cannot be widened that way: one word only, or phrases, exclusions or ``or``
    already in it."""
    groups = parse_websearch(query)
    if len(groups) != 1 or len(groups[0]) < 2:
        return ""
    if any(negated or is_phrase for negated, _words, is_phrase in groups[0]):
        return ""
    return " or ".join(words[0] for _negated, words, _is_phrase in groups[0])


def all_of_words(text):
    """``text`` as search words that find what holds all of its words. Read as ``websearch``
    syntax, a name such as "Profitnet - building SME owner capacity" would exclude "building";
    a quote or an "or" would change its meaning too."""
    words = (word.lstrip("-") for word in WORD_RE.findall(text))
    return " ".join(word for word in words if word and word.lower() != "or")


# -- Matching words in text, for SQLite and for snippets -----------------------------------------

SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "s")


def strip_suffix(word):
    """A light stand-in for a stemmer: the word without a common English ending."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def term_regex(words, is_phrase):
    """A regular expression for a term: a phrase's words in a row, or a word's start (any of its
    vocabulary forms)."""
    if is_phrase:
        return r"\b" + r"\W+".join(re.escape(word) for word in words) + r"\b"
    forms = vocabulary_alternatives(words).get(words[0], [words[0]])
    stems = sorted({strip_suffix(form) for form in forms})
    if len(stems) == 1:
        return r"\b" + re.escape(stems[0])
    return r"\b(?:" + "|".join(r"\W+".join(map(re.escape, s.split())) for s in stems) + ")"
