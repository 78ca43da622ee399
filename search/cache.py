"""The search's results in Django's cache framework, keyed by the data version.

Local memory by default, Redis when ``REDIS_URL`` is set (``config.settings``). A key holds the
data version read at the start of the request, so a write (whatever its path: the triggers of
``search.version`` see them all) moves every later request to new keys, and old entries expire
unread. Nothing is cached from inside a transaction: it may see its own writes, uncommitted.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connections

from practices.models import Practice

from .version import data_version


class SearchCache:
    """Reads and fills the cache for one request, under the data version it started with."""

    def __init__(self, using=None):
        # The database the request reads practices from (a replica, config.routers): the version
        # must be read where the rows are, or a page read from a lagging replica would be cached
        # under the primary's newer version.
        using = using or Practice.objects.db
        connection = connections[using]
        self.version = None if connection.in_atomic_block else data_version(using)
        self.cache = caches[settings.SEARCH_CACHE]

    def key(self, *parts):
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return f"search:{self.version}:{digest}"

    def get_or_compute(self, parts, compute):
        if self.version is None:
            return compute()
        key = self.key(*parts)
        value = self.cache.get(key)
        if value is None:
            value = compute()
            self.cache.set(key, value, settings.SEARCH_CACHE_TIMEOUT)
        return value
