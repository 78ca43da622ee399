"""Benchmark the open-data outputs at real and large sizes: `make benchmark-open-data`.

On a throw-away database grown with the search benchmark's synthetic practices
(``search/management/commands/benchmark_search.py``), in the same run:

- the API's search (``/api/v1/practices/?...``) beside the search page with the same parameters,
  request by request in turn so that both meet the same machine: median and 95th percentile,
  cold (caches emptied) and warm, and the API's p95 as a multiple of the page's;
- a CSV download of the whole collection and of about a tenth of it: the time to its first
  byte, to its last, its rows, and the process's resident memory (sampled every 5 ms while it
  streams) above what it held before: flat memory means the same growth for both sizes.
"""

import json
import os
import random
import statistics
import threading
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from practices.models import Practice
from search.management.commands.benchmark_search import (
    SyntheticPractices,
    _Null,
    percentile,
)

SCENARIOS = {
    "plain listing": "",
    "broad word search": "q=export",
    "words and two filters": "q=export&barrier={barrier}&country=ES",
    "two filters, no words": "barrier={barrier}&country=ES",
    "a tag, sorted by title": "tag=export&sort=title",
}
PAGE_SIZE = 4096


def _rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE


class _PeakMemory:
    """The highest resident memory of this process while the block runs."""

    def __enter__(self):
        self.before = self.peak = _rss_bytes()
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while self._running:
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._running = False
        self._thread.join()


class Command(BaseCommand):
    help = "Time the API beside the search page, and a CSV download's first byte and memory."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="5000,100000")
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--keepdb", action="store_true")
        parser.add_argument("--json", dest="json_path", type=Path)

    def handle(self, *args, sizes, repeat, seed, keepdb, json_path, **options):
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        if connection.vendor != "postgresql":
            self.stderr.write("Note: not PostgreSQL; the figures that matter are PostgreSQL's.")
        original_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb
        )
        figures = {"database": connection.vendor, "repeat": repeat, "sizes": {}}
        try:
            with override_settings(
                ALLOWED_HOSTS=["testserver"],
                DEBUG=False,
                API_ANON_RATE="",
                DOWNLOAD_ANON_RATE="",
                STORAGES={
                    **settings.STORAGES,
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                call_command("load_initial_data", stdout=_Null())
                generator = SyntheticPractices(random.Random(seed))
                for size in sorted(int(size) for size in sizes.split(",")):
                    figures["sizes"][size] = self._run_size(size, repeat, generator)
                    if json_path:
                        json_path.write_text(json.dumps(figures, indent=2) + "\n")
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=keepdb)

    def _run_size(self, size, repeat, generator):
        held = Practice.objects.count()
        if held > size:
            # Practices are only ever added: a kept database past this size is reported at none.
            self.stderr.write(f"  ({size} skipped: the database holds {held} practices)")
            return None
        if held < size:
            generator.grow_to(size)
            call_command("rebuild_search_index", stdout=_Null())
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM FULL ANALYZE {Practice._meta.db_table}")
                    cursor.execute("VACUUM ANALYZE")
                    cursor.execute("CHECKPOINT")
        published = Practice.objects.published().count()
        self.stdout.write(f"\n{size} practices ({published} published)")
        barrier = generator.popular_barrier().slug
        result = {"published": published, "api_vs_page": {}, "csv": {}}
        self.stdout.write(
            f"{'scenario':<24} {'state':<5} {'page p50':>9} {'p95':>7}"
            f" {'API p50':>8} {'p95':>7} {'API p95 / page p95':>19}"
        )
        for name, query in SCENARIOS.items():
            query = query.format(barrier=barrier)
            row = self._time_api_and_page(query, repeat)
            result["api_vs_page"][name] = row
            for state in ("cold", "warm"):
                page, api = row["page"][state], row["api"][state]
                self.stdout.write(
                    f"{name:<24} {state:<5} {page['p50_ms']:>9.1f} {page['p95_ms']:>7.1f}"
                    f" {api['p50_ms']:>8.1f} {api['p95_ms']:>7.1f}"
                    f" {api['p95_ms'] / page['p95_ms']:>19.2f}"
                )
        for name, query in [("a tenth", f"barrier={self._tenth_barrier()}"), ("everything", "")]:
            figures = self._time_csv(query)
            result["csv"][name] = figures
            self.stdout.write(
                f"CSV of {name:<10} {figures['rows']:>7} rows: first byte"
                f" {figures['first_byte_ms']:.0f} ms, complete {figures['total_s']:.1f} s,"
                f" resident memory {figures['rss_before_mb']:.0f} MB before,"
                f" +{figures['rss_growth_mb']:.1f} MB at its peak"
            )
        return result

    def _tenth_barrier(self):
        """The barrier whose published practices come nearest a tenth of all."""
        counts = {
            barrier: Practice.objects.published().filter(barriers__slug=barrier).count()
            for barrier in Practice.barriers.field.related_model.objects.values_list(
                "slug", flat=True
            )
        }
        target = Practice.objects.published().count() / 10
        return min(counts, key=lambda slug: abs(counts[slug] - target))

    def _time_api_and_page(self, query, repeat):
        urls = {"page": f"/practices/?{query}", "api": f"/api/v1/practices/?{query}"}
        timings = {kind: {"cold": [], "warm": []} for kind in urls}
        client = Client()
        for url in urls.values():
            assert client.get(url).status_code == 200, url
        for _ in range(repeat):
            for kind, url in urls.items():
                for state in ("cold", "warm"):  # warm: the same again, from the cache
                    if state == "cold":
                        cache.clear()
                    began = time.perf_counter()
                    response = client.get(url)
                    timings[kind][state].append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, url
        return {
            kind: {
                state: {
                    "p50_ms": statistics.median(values),
                    "p95_ms": percentile(values, 0.95),
                }
                for state, values in states.items()
            }
            for kind, states in timings.items()
        }

    def _time_csv(self, query):
        client = Client()
        rows = 0
        with _PeakMemory() as memory:
            began = time.perf_counter()
            response = client.get(f"/practices/export.csv?{query}")
            stream = iter(response.streaming_content)
            next(stream)  # the header: one row per chunk
            first_byte = time.perf_counter() - began
            for _row in stream:
                rows += 1
            total = time.perf_counter() - began
            response.close()
        return {
            "rows": rows,
            "first_byte_ms": first_byte * 1000,
            "total_s": total,
            "rss_before_mb": memory.before / 2**20,
            "rss_growth_mb": (memory.peak - memory.before) / 2**20,
            "pid": os.getpid(),
        }
