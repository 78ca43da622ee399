"""Alphabetical order as a reader expects it: case and accents aside ("Émile" among the e's).

PostgreSQL: the ICU root collation. SQLite: a collation of the same name registered on each
connection, comparing the titles without case and accents.
"""

import unicodedata

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver

SQLITE_COLLATION = "reader_order"


def reader_key(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _compare(left, right):
    left_key, right_key = reader_key(left), reader_key(right)
    return (left_key > right_key) - (left_key < right_key) or (left > right) - (left < right)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


class ReaderOrder(models.Func):
    """``field`` in the readers' alphabetical order, for ``order_by``."""

    template = '%(expressions)s COLLATE "und-x-icu"'
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_COLLATION}"
        )
