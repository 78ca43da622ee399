"""Restore a backup made by `backup_database` into the configured database, replacing its content.

PostgreSQL: `pg_restore --clean --if-exists` in one transaction (a failure leaves the database as
it was); the database must exist (an empty one made with `createdb`, or the one to replace).
SQLite: the backup copied over the database file with SQLite's backup API. Stop the web processes
first: pages served during a restore would mix old and new data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup_database import postgres_command, run, sqlite_copy


class Command(BaseCommand):
    help = "Restore PATH (made by backup_database) into the database, replacing what it holds."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--noinput", action="store_false", dest="interactive", help="Do not ask first."
        )

    def handle(self, *args, path, database, interactive, **options):
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        connection = connections[database]
        settings_dict = connection.settings_dict
        if interactive:
            answer = input(
                f"This replaces everything in {settings_dict['NAME']} with {path}. "
                "Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        connection.close()
        if connection.vendor == "postgresql":
            command, environ = postgres_command(
                "pg_restore",
                settings_dict,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                settings_dict["NAME"],
                str(path),
            )
            run(command, environ)
        elif connection.vendor == "sqlite":
            sqlite_copy(path, settings_dict["NAME"])
        else:
            raise CommandError(f"No restore method for {connection.vendor}.")
        self.stdout.write(f"Restored {path} into {database} ({connection.vendor}).")
