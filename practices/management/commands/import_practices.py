"""Import practices from a file, as the admin does: `manage.py import_practices FILE [--dry-run]`.

The same columns, checks and rules as the admin's import (``practices.importing``): all rows or
none, matched by slug, new practices as drafts, statuses kept. ``--dry-run`` prints what each
row would do and writes nothing. Refused while another import runs.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from practices import importing


class ProgressBar:
    """Rows done of rows total, redrawn in place on a terminal; silent elsewhere."""

    WIDTH = 40

    def __init__(self, stream, label):
        self.stream, self.label = stream, label
        self.enabled = stream.isatty()

    def __call__(self, done, total):
        if not self.enabled or not total:
            return
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import practices from a CSV, XLSX or JSON file (the admin's columns), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .xlsx or .json file")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what each row would do; change nothing"
        )
        parser.add_argument(
            "--user", help="the user name the new practices and their versions are recorded by"
        )

    def handle(self, *args, file, dry_run, user, verbosity, **options):
        self.verbosity = verbosity
        path = Path(file)
        if importing.import_format_of(path.name) is None:
            raise CommandError(f"{path.name}: give a .csv, .xlsx or .json file.")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}.") from None
        user = self._user(user)
        if dry_run:
            try:
                rows = importing.import_rows_read(
                    content=content, file_format=importing.import_format_of(path.name)
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
            plan = importing.practices_import_plan(
                rows=rows, progress=ProgressBar(sys.stderr, "Checking")
            )
            self._report(plan.report(), verb="would be")
            if plan.invalid:
                raise CommandError("Nothing can be imported while a row is rejected.")
            return
        try:
            job = importing.import_job_start_now(user=user, file_name=path.name, content=content)
        except (importing.ImportInProgress, ValueError) as error:
            raise CommandError(str(error)) from None
        job = importing.import_job_apply(
            job_id=job.pk, progress=ProgressBar(sys.stderr, "Importing")
        )
        if job.report:
            self._report(job.report, verb="were")
        if job.state != job.State.IMPORTED:
            raise CommandError(job.message or "Nothing was imported.")
        self.stdout.write(self.style.SUCCESS("Imported."))

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model()._default_manager.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None

    def _report(self, report, *, verb):
        counts = report["counts"]
        self.stdout.write(
            f"{counts['new']} {verb} created, {counts['update']} changed, "
            f"{counts['skip']} unchanged, {counts['invalid']} rejected."
        )
        for row in report["rows"]:
            if row["kind"] == importing.INVALID:
                self.stdout.write(f"Row {row['number']} ({row['slug'] or 'no slug'}): rejected")
                for error in row["errors"]:
                    self.stdout.write(f"  {error}")
            elif self.verbosity > 1 and row["kind"] == importing.UPDATE:
                self.stdout.write(
                    f"Row {row['number']} ({row['slug']}): changes {', '.join(row['changes'])}"
                )
