"""What every search backend does, whatever the database (or, one day, the search engine) behind it.

A backend knows how to match words, rank the matches, show why a practice matched, and suggest a
spelling. The rest of the search (parameters, facets, the cache) is the same for every backend:
``search.filters`` and ``search.results``.
"""

from django.utils.html import escape


class SearchBackend:
    vendor = ""

    def __init__(self, using):
        self.using = using

    def filter(self, queryset, words):
        """The practices of ``queryset`` that match ``words`` (websearch syntax)."""
        raise NotImplementedError

    def rank(self, queryset, words):
        """``queryset`` annotated with ``rank``: higher when the words are in the title or the
        summary. The caller orders by it, then the newest first."""
        raise NotImplementedError

    def with_snippets(self, queryset, words):
        """``queryset`` with what ``snippet`` needs for each practice (for a page of them)."""
        return queryset

    def snippet(self, practice, words):
        """Safe HTML: a passage with the matched words marked, or the summary when the words
        matched elsewhere (the title, a linked name)."""
        return escape(practice.summary)

    def spelling_suggestion(self, words):
        """A known title or name close in spelling to ``words``, or an empty string."""
        return ""

    def snippet_fields(self, words):
        """The long text columns ``snippet`` reads besides the summary."""
        return []
