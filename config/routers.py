"""Reads to PostgreSQL streaming replicas, writes to the primary (settings.DATABASE_REPLICAS).

A read goes to a replica only inside a request that config.middleware.PrimaryAfterWriteMiddleware
lets read from one (a GET or HEAD by a visitor who has not written in the last few seconds), and
never inside a transaction on the primary, which must see its own writes. Everything else, and
everything outside requests (commands, the search's background refresh), stays on the primary.
Migrations run on the primary only: replicas receive them by streaming.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

# The replica this request reads from (one for the whole request, so that the data version it
# reads and the rows it reads come from the same moment), or None: the primary.
_replica = ContextVar("replica", default=None)

# Rows a visitor reads back right after writing them, whatever the request: their session, and
# the sign-in lockout's counts.
PRIMARY_ONLY_APPS = {"sessions", "axes"}


@contextmanager
def reads_from(replica):
    """Within the block, reads go to ``replica`` (an alias of settings.DATABASE_REPLICAS) or, with
    None, to the primary."""
    token = _replica.set(replica)
    try:
        yield
    finally:
        _replica.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = _replica.get()
        if (
            replica is None
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return replica

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: a row read from one links to a row of another.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
