"""Back up the whole database to one file, while the site runs.

PostgreSQL: `pg_dump --format=custom` (restore with `restore_database`, i.e. pg_restore): every
table, sequence, trigger, index and extension, consistent as of one moment. SQLite: the file
copied by SQLite's online backup API, consistent even while requests write.

Not `dumpdata`: it does not round-trip this database (history rows clash on load, tag links are
lost, triggers and generated columns are not data).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


def postgres_command(program, settings_dict, *arguments):
    """``program`` (pg_dump, pg_restore) with the connection's settings, the password in the
    environment rather than on the command line."""
    environ = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environ["PGPASSWORD"] = settings_dict["PASSWORD"]
    command = [program, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    return [*command, *arguments], environ


def run(command, environ):
    try:
        subprocess.run(command, env=environ, check=True)
    except FileNotFoundError as error:
        raise CommandError(f"{command[0]} is not installed (Debian: postgresql-client).") from error
    except subprocess.CalledProcessError as error:
        raise CommandError(f"{command[0]} failed (exit code {error.returncode}).") from error


class Command(BaseCommand):
    help = "Back up the database to PATH (pg_dump custom format, or SQLite's online backup)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database, **options):
        connection = connections[database]
        settings_dict = connection.settings_dict
        path.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            command, environ = postgres_command(
                "pg_dump",
                settings_dict,
                "--format=custom",
                "--file",
                str(path),
                settings_dict["NAME"],
            )
            run(command, environ)
        elif connection.vendor == "sqlite":
            sqlite_copy(settings_dict["NAME"], path)
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(f"Backed up {database} ({connection.vendor}) to {path}.")


def sqlite_copy(source_path, target_path):
    """Copy one SQLite database into another with SQLite's online backup API: consistent even
    while the site writes to the source."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
