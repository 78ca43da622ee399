"""One search interface, a backend per database, chosen by the connection's vendor (as Wagtail's
``wagtail.search.backends`` does). A search engine (OpenSearch, Typesense, ...) would be one more
backend here, should the practices ever outgrow PostgreSQL's full-text search."""

from django.db import connections

from .base import SearchBackend
from .postgres import PostgresSearchBackend
from .sqlite import SQLiteSearchBackend

BACKENDS = {backend.vendor: backend for backend in (PostgresSearchBackend, SQLiteSearchBackend)}


def search_backend(using="default") -> SearchBackend:
    vendor = connections[using].vendor
    try:
        return BACKENDS[vendor](using)
    except KeyError:
        raise NotImplementedError(f"No search backend for the {vendor} database.") from None
