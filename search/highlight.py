"""Snippets that show why a practice matched, escaped before the matches are marked."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import parse_websearch, term_regex

# ts_headline marks matches with these control characters, so that the text can be escaped before
# they become <mark> elements.
HEADLINE_START = "\u0002"
HEADLINE_STOP = "\u0003"

SNIPPET_LENGTH = 240


def marked_headline(raw):
    """PostgreSQL's ts_headline output, with its control-character markers made <mark>."""
    text = escape(raw).replace(HEADLINE_START, "<mark>").replace(HEADLINE_STOP, "</mark>")
    return mark_safe(text)


def highlight_words(text, query):
    """A window of ``text`` around the first match of ``query``, matches marked; ``None`` when
    ``text`` holds no match."""
    patterns = [
        term_regex(words, is_phrase)
        for group in parse_websearch(query)
        for negated, words, is_phrase in group
        if not negated
    ]
    if not patterns:
        return None
    matcher = re.compile("|".join(f"(?:{pattern}\\w*)" for pattern in patterns), re.IGNORECASE)
    first = matcher.search(text)
    if first is None:
        return None
    start = max(0, first.start() - 60)
    if start:
        # Begin at the start of a word, not inside one.
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else first.start()
    window = text[start : start + SNIPPET_LENGTH]
    pieces, last = [], 0
    for match in matcher.finditer(window):
        pieces += [escape(window[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    pieces.append(escape(window[last:]))
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_LENGTH < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
