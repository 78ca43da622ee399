"""Time a dry run and an import of a whole collection: `make benchmark-import` (PostgreSQL).

Creates a throw-away test database (the configured database is never touched), loads the seed,
and writes a file of ``--rows`` practices generated from the seed: its practices exported with
the admin's export (every column: texts, institution, region, project, source, barriers and
topics with their evidence, tags), copied over and over with new slugs and titles. It then times,
on that database:

- the dry run (what the admin's preview computes),
- the import (new practices: every one created with its links, tags, version and search text),
- the same file imported again (every row unchanged: nothing written).

The same file runs unchanged on the code before set-based imports (commit 0c0c283, which
imported through django-import-export's row-by-row resource), so that the two can be compared
on the same machine in one run; ``--json`` writes the figures and ``--compare OLD.json NEW.json``
prints them side by side. ``make benchmark-import`` does all of it. ``--profile PATH`` writes
cProfile statistics of each step (``PATH-dry-run.prof``...; read them with ``python -m pstats``).
"""

import cProfile
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings

from practices.models import Practice
from practices.resources import PracticeResource

try:  # the set-based import; the old code imported through the resource alone
    from practices import importing
except ImportError:
    importing = None


def generated_rows(count):
    """``count`` rows made of the seed's practices, exported, each copy with its own slug and
    title."""
    seed = list(PracticeResource().export(queryset=Practice.objects.order_by("pk")).dict)
    rows = []
    for number in range(count):
        row = dict(seed[number % len(seed)])
        copy = number // len(seed) + 1
        row["slug"] = f"{row['slug'][:200]}-copy-{copy}"
        row["title"] = f"{row['title']} (copy {copy})"
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "Time a dry run and an import of generated practices (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5500)
        parser.add_argument("--json", dest="json_path", help="write the figures to this file")
        parser.add_argument("--profile", help="write cProfile statistics to PATH-<step>.prof")
        parser.add_argument(
            "--compare", nargs=2, metavar=("OLD", "NEW"), help="print two --json files side by side"
        )

    def handle(self, *args, rows, json_path, profile, compare, **options):
        if compare:
            self._compare(*compare)
            return
        original_name = connection.settings_dict["NAME"]
        scratch = None
        if connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
            # A file, as the site uses, rather than SQLite's in-memory test database.
            scratch = tempfile.mkdtemp(prefix="benchmark-import-")
            connection.settings_dict["TEST"]["NAME"] = str(Path(scratch) / "benchmark.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            # A rename's refresh and the import's own jobs run where they are started.
            with override_settings(
                TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
            ):
                figures = self._run(rows, profile)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
        if json_path:
            Path(json_path).write_text(json.dumps(figures, indent=2))

    def _run(self, count, profile):
        call_command("load_initial_data", verbosity=0)
        data = generated_rows(count)
        code = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            check=False,
        ).stdout.strip()
        figures = {
            "engine": "set-based" if importing else "django-import-export, row by row",
            "code": code,
            "database": connection.vendor,
            "rows": count,
        }
        self.stdout.write(
            f"Import benchmark: {figures['engine']}, code {code}, {connection.vendor}, {count} rows"
        )
        steps = [("dry run", True), ("import", False)]
        if importing:
            # The old code takes as long again: its figure adds nothing the other two do not say.
            steps.append(("same file again", False))
        for name, dry_run in steps:
            profiler = cProfile.Profile() if profile else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            outcome = self._step(data, dry_run=dry_run)
            if profiler:
                profiler.disable()
                profiler.dump_stats(f"{profile}-{name.replace(' ', '-')}.prof")
            seconds = time.perf_counter() - start
            figures[name] = {"seconds": round(seconds, 1), "outcome": outcome}
            self.stdout.write(f"  {name:<16} {seconds:8.1f} s   {outcome}")
        figures["practices"] = Practice.objects.count()
        figures["versions"] = Practice.history.count()
        self.stdout.write(
            f"  afterwards: {figures['practices']} practices, {figures['versions']} versions"
        )
        return figures

    def _step(self, data, *, dry_run):
        if importing is None:
            import tablib

            dataset = tablib.Dataset(headers=list(data[0]))
            for row in data:
                dataset.append(list(row.values()))
            result = PracticeResource().import_data(
                dataset, dry_run=dry_run, rollback_on_validation_errors=True, use_transactions=True
            )
            return dict(sorted(result.totals.items()))
        if dry_run:
            plan = importing.practices_import_plan(rows=data)
        else:
            plan = importing.practices_import(rows=data)
        return plan.counts()

    def _compare(self, old_path, new_path):
        old, new = (json.loads(Path(p).read_text()) for p in (old_path, new_path))
        self.stdout.write(
            f"{old['rows']} rows on {new['database']}: old code {old['code']} "
            f"({old['engine']}), new code {new['code']} ({new['engine']})"
        )
        self.stdout.write(f"  {'':<16} {'old':>10} {'new':>10}")
        for name in ["dry run", "import", "same file again"]:
            before = f"{old[name]['seconds']:>8.1f} s" if name in old else f"{'-':>10}"
            self.stdout.write(f"  {name:<16} {before} {new[name]['seconds']:>8.1f} s")
