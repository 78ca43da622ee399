"""Benchmark the public pages on synthetic data: `make benchmark` (PostgreSQL).

Creates a throw-away test database (the configured database is never touched), loads the seed,
grows it to each size of ``--sizes`` with synthetic published practices shaped like real ones
(about 1,200 NUTS-like regions over the countries of ``projects.countries``, 2,000 tags of
uneven popularity, 12 barriers of which the first is linked to half the practices, 8 topics,
texts made of the seed's sentences), and times full requests through Django's test client.

For each scenario it reports the median and 95th percentile of server time and the SQL queries,
**cold** (the search's caches emptied before every timed request), **warm** (the same request
again, its results cached: on the new search, the whole page for a visitor without a session) and
**session** (the same, by a visitor with a session, whose page is rendered for them from the
cached counts and ids), each median's ratio to a plain page (``/accessibility/``, the
machine's reference at that hour) and requests per second of one process (1000 / median ms).
It also times saving a practice, and (new search only) a rename of the barrier linked to half the
practices: the ``save()`` an admin request makes, the background refresh it starts, and the
set-based refresh of those practices' search documents measured directly.

The same file runs unchanged on the old in-memory engine (commit 86aadd9), so that the two can be
compared on the same machine; ``--json`` writes the figures and ``--compare OLD.json NEW.json``
prints them side by side. ``make benchmark-compare`` does all of it; by hand::

    PY=$PWD/.venv/bin/python
    git worktree add --detach /tmp/old-engine 86aadd9
    cp search/management/commands/benchmark_search.py \\
        /tmp/old-engine/practices/management/commands/benchmark_search.py
    export DEBUG=0 SECRET_KEY=benchmark
    (cd /tmp/old-engine && DATABASE_URL=postgres://postgres@127.0.0.1:5432/goodpractice_bench_old \\
        $PY manage.py benchmark_search --json /tmp/bench-old.json)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/goodpractice_bench \\
        $PY manage.py benchmark_search --json /tmp/bench-new.json
    $PY manage.py benchmark_search --compare /tmp/bench-old.json /tmp/bench-new.json
"""

import importlib
import json
import math
import random
import re
import statistics
import subprocess
import time
import warnings
from datetime import timedelta
from itertools import accumulate
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone, translation
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.countries import COUNTRIES
from projects.models import Project, Region

REFERENCE = ("plain page (reference)", "/accessibility/")
# cold: every cache emptied first; warm: the same request again, cached; session: the same again
# by a visitor with a session, whose page is rendered for them (from the cached counts and ids).
STATES = ("cold", "warm", "session")
SCENARIOS = {
    "broad word search": "/practices/?q=export",
    "words and two filters": "/practices/?q=export&barrier={barrier}&country=ES",
    "and, or, not": "/practices/?q=export+training+-digital+or+coaching",
    'a "phrase"': "/practices/?q=%22trade+fairs%22",
    "two filters, no words": "/practices/?barrier={barrier}&country=ES",
    "barrier page": "/barriers/{barrier}/",
    "plain listing": "/practices/",
    "practice page": "/practices/{practice}/",
}
NAME_WIDTH = 24
SAVES = 20
REGIONS = 1200
TAGS = 2000
BARRIERS = 12
TOPICS = 8
# The share of practices linked to the first barrier: the one the filters and the barrier page
# use, and the one renamed, so that a rename touches as many practices as a popular barrier would.
POPULAR_BARRIER_SHARE = 0.5
EXTRA_BARRIERS = [
    ("Complex customs and certification procedures", "institutional"),
    ("Lack of staff with language skills", "knowledge"),
    ("Difficulty finding reliable foreign partners", "market"),
    ("High cost of protecting intellectual property abroad", "resources"),
]
# The most popular tags first: the words the scenarios search for are also tags, as in real data.
TAG_WORDS = [
    "export",
    "training",
    "coaching",
    "trade fairs",
    "digital tool",
    "consortia",
    "cluster",
    "one-stop shop",
    "internships",
    "market intelligence",
    "voucher",
    "co-financing",
    "mentoring",
    "networking",
    "investor services",
    "branding",
    "e-commerce",
    "talent",
    "peer learning",
    "matchmaking",
    "missions",
    "diagnosis",
    "innovation",
    "finance",
    "guarantees",
    "tourism",
    "agrifood",
    "metal",
    "ict",
    "creative industries",
]


def old_engine():
    """The old in-memory engine's module (commit 86aadd9), or ``None`` on the new search."""
    try:
        return importlib.import_module("practices.facet_index")
    except ImportError:
        return None


def new_documents():
    """``search.documents`` of the new search, or ``None`` on code that has none."""
    if not apps.is_installed("search"):
        return None
    try:
        return importlib.import_module("search.documents")
    except ImportError:
        return None


def percentile(timings, share):
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def code_version():
    """The commit of the code that runs, to label the figures (best effort)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


class Command(BaseCommand):
    help = "Time the public pages at growing numbers of synthetic practices (use PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="5000,100000")
        parser.add_argument(
            "--repeat", type=int, default=20, help="timed requests per scenario, cold and warm"
        )
        parser.add_argument("--saves", type=int, default=SAVES, help="timed practice saves")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--keepdb",
            "--keep",
            action="store_true",
            help="keep the benchmark database afterwards and reuse it next time, rather than"
            " generate the practices again (and for EXPLAIN)",
        )
        parser.add_argument("--json", dest="json_path", type=Path, help="write the figures here")
        parser.add_argument(
            "--compare",
            nargs=2,
            type=Path,
            metavar=("OLD_JSON", "NEW_JSON"),
            help="print two runs' --json figures side by side, and do nothing else",
        )

    def handle(self, *args, sizes, repeat, saves, seed, keepdb, json_path, compare, **options):
        if compare:
            self._compare(*compare)
            return
        # WhiteNoise warns once that `collectstatic` has not run: the pages do not need it.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        if connection.vendor != "postgresql":
            self.stderr.write("Note: not PostgreSQL; the figures that matter are PostgreSQL's.")
        sizes = sorted(int(size) for size in sizes.split(","))
        figures = {
            "code": code_version(),
            "engine": "old (in-memory bitsets)" if old_engine() else "new (search app)",
            "database": connection.vendor,
            "repeat": repeat,
            "sizes": {},
        }
        original_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=keepdb
        )
        try:
            with override_settings(
                ALLOWED_HOSTS=["testserver"],
                DEBUG=False,
                STORAGES={
                    **settings.STORAGES,
                    "staticfiles": {
                        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    },
                },
            ):
                self._run(sizes, repeat, saves, random.Random(seed), figures, json_path)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=keepdb)

    def _run(self, sizes, repeat, saves, rng, figures, json_path):
        self.stdout.write(f"Search benchmark: {figures['engine']}, code {figures['code']}")
        call_command("load_initial_data", stdout=_Null())  # creates only what is missing
        generator = SyntheticPractices(rng)
        for size in sizes:
            held = Practice.objects.count()
            if held > size:
                # The generator only adds practices, so a database that has grown past this size
                # (a kept one, or the seed alone at a tiny size) would be reported under it.
                self.stderr.write(f"  ({size} skipped: the database holds {held} practices)")
                continue
            figures["sizes"][str(size)] = self._run_size(size, repeat, saves, rng, generator)
            if json_path:
                # After each size, so that a long run stopped later still leaves its figures.
                json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    def _run_size(self, size, repeat, saves, rng, generator):
        ready = {}
        started = time.perf_counter()
        generator.grow_to(size)
        ready["generate_s"] = time.perf_counter() - started
        began = time.perf_counter()
        # `rebuild_search_index` exists in both codebases: it fills the search documents (and on
        # the old engine its word table) of the practices bulk_create wrote without signals.
        call_command("rebuild_search_index", stdout=_Null())
        ready["search_index_s"] = time.perf_counter() - began
        began = time.perf_counter()
        if connection.vendor == "postgresql":
            # Generating and then writing the search documents leaves every practice's first row
            # version behind as dead space; compact it as autovacuum's reuse would over time, so
            # the figures measure search, not the generator.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM FULL ANALYZE {Practice._meta.db_table}")
                cursor.execute("VACUUM ANALYZE")
                # Write the generator's pages out now rather than during the timings.
                cursor.execute("CHECKPOINT")
        ready["vacuum_s"] = time.perf_counter() - began
        ready["total_s"] = time.perf_counter() - started
        published = Practice.objects.published().count()
        self.stdout.write(
            f"\n{size} practices ({published} published), ready in {ready['total_s']:.0f} s:"
            f" generated {ready['generate_s']:.0f} s, search index"
            f" {ready['search_index_s']:.0f} s, vacuum {ready['vacuum_s']:.0f} s"
        )
        result = {"published": published, "ready": ready, "pages": {}}
        self._write_header()
        barrier = generator.popular_barrier()
        practice = (
            Practice.objects.published()
            .filter(slug__startswith="synthetic-")
            .order_by("pk")
            .first()
            or Practice.objects.published().order_by("pk").first()
        )
        reference = self._time_page(size, repeat, REFERENCE[1])
        result["pages"][REFERENCE[0]] = reference
        self._write_row(size, REFERENCE[0], reference, reference)
        for name, url in SCENARIOS.items():
            url = url.format(barrier=barrier.slug, practice=practice.slug)
            figures = self._time_page(size, repeat, url)
            result["pages"][name] = figures
            self._write_row(size, name, figures, reference)
        self.stdout.write(
            f"{'':>7}  (req/s: one process, 1000 / median ms; x ref: median / the plain page's)"
        )
        result["save"] = self._time_saves(size, saves, rng)
        result["rename"] = self._time_rename(size, barrier)
        return result

    # --- Pages ---------------------------------------------------------------------------------

    def _time_page(self, size, repeat, url):
        engine = old_engine()
        figures = {"url": url}
        for state in STATES:
            client = Client()
            if state == "session":
                # A visitor with a session (a shortlist, a message) has pages rendered for them.
                client.cookies[settings.SESSION_COOKIE_NAME] = "benchmark-visitor-with-a-session"
            response = client.get(url)  # fills the caches (and the database's) before warm
            assert response.status_code == 200, (url, response.status_code)
            timings, query_counts = [], set()
            for _ in range(repeat):
                if state == "cold":
                    cache.clear()
                    if engine:
                        # The old engine keeps its index in the process: expiring it is what a
                        # write does, and the next request reloads it.
                        engine.search_index_expire()
                with CaptureQueriesContext(connection) as queries:
                    began = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                query_counts.add(len(queries))
            figures[state] = {
                "p50_ms": statistics.median(timings),
                "p95_ms": percentile(timings, 0.95),
                "queries": sorted(query_counts),
            }
        return figures

    def _write_header(self):
        self.stdout.write(
            f"{'size':>7}  {'scenario':<{NAME_WIDTH}}"
            f" {'cold p50':>8} {'p95':>7} {'q':>5} {'x ref':>6} {'req/s':>6}"
            f"  {'warm p50':>8} {'p95':>7} {'q':>5} {'x ref':>6} {'req/s':>6}"
            f"  {'session p50':>11} {'p95':>7} {'q':>5} {'x ref':>6} {'req/s':>6}"
        )

    def _write_row(self, size, name, figures, reference):
        columns = []
        for state in STATES:
            if state not in figures:
                continue
            width = 11 if state == "session" else 8
            median = figures[state]["p50_ms"]
            ratio = median / reference[state]["p50_ms"]
            queries = "/".join(str(count) for count in figures[state]["queries"])
            rate = 1000 / median
            columns.append(
                f"{median:>{width}.1f} {figures[state]['p95_ms']:>7.1f} {queries:>5}"
                f" {ratio:>6.1f} {rate:>6.{1 if rate < 10 else 0}f}"
            )
        self.stdout.write(f"{size:>7}  {name:<{NAME_WIDTH}} " + "  ".join(columns))

    # --- Writes --------------------------------------------------------------------------------

    def _time_saves(self, size, saves, rng):
        """Time saving a practice's new title as the admin does (a transaction, committed): the
        save's signals and triggers, and the commit, are the work measured."""
        ids = list(Practice.objects.published().values_list("pk", flat=True))
        timings = []
        for practice_id in rng.sample(ids, min(saves, len(ids))):
            practice = Practice.objects.get(pk=practice_id)
            # Toggle a suffix, so that a kept database's titles do not grow from run to run.
            suffix = " (revised)"
            title = practice.title.removesuffix(suffix)
            practice.title = title if practice.title.endswith(suffix) else title + suffix
            began = time.perf_counter()
            with transaction.atomic():
                practice.save()
            timings.append((time.perf_counter() - began) * 1000)
        figures = {
            "count": len(timings),
            "p50_ms": statistics.median(timings),
            "p95_ms": percentile(timings, 0.95),
        }
        self.stdout.write(
            f"{size:>7}  {'practice save':<{NAME_WIDTH}} {figures['p50_ms']:>8.1f}"
            f" {figures['p95_ms']:>7.1f}  (p50, p95 ms of {len(timings)} title saves)"
        )
        return figures

    def _time_rename(self, size, barrier):
        documents = new_documents()
        if documents is None:
            self.stdout.write(
                f"{size:>7}  {'barrier rename':<{NAME_WIDTH}} skipped: this code has no"
                " search.documents (the old engine)"
            )
            return None
        practice_ids = list(barrier.practices.values_list("pk", flat=True))
        original = barrier.name
        # (a) The admin's request: its save, in a transaction, committed. The refresh of the
        # practices' documents is a background job, queued at commit; the worker (its loop
        # run here until the queue is empty) does it.
        barrier.name = f"{original} (renamed)"
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            began = time.perf_counter()
            with transaction.atomic():
                barrier.save()
            save_ms = (time.perf_counter() - began) * 1000
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
            background_ms = (time.perf_counter() - began) * 1000
        # (b) The set-based refresh itself, measured directly: renamed behind the signals' back
        # (a queryset update), so every linked practice's document has to be rewritten.
        Barrier.objects.filter(pk=barrier.pk).update(name=original)
        began = time.perf_counter()
        changed = documents.practice_documents_refresh(practice_ids=practice_ids)
        refresh_ms = (time.perf_counter() - began) * 1000
        figures = {
            "practices": len(practice_ids),
            "save_ms": save_ms,
            "background_done_ms": background_ms,
            "refresh_ms": refresh_ms,
            "refresh_changed": changed,
        }
        label = f"barrier rename ({len(practice_ids)} practices)"
        self.stdout.write(
            f"{size:>7}  {label}: save() {save_ms:.1f} ms; background refresh done after"
            f" {background_ms:.0f} ms; practice_documents_refresh {refresh_ms:.0f} ms"
            f" ({changed} rewritten)"
        )
        return figures

    # --- Comparison ----------------------------------------------------------------------------

    def _compare(self, old_path, new_path):
        paths = (old_path, new_path)
        try:
            old, new = (json.loads(path.read_text(encoding="utf-8")) for path in paths)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the figures: {error}") from error
        self.stdout.write(f"old: {old['engine']}, code {old['code']} ({old_path})")
        self.stdout.write(f"new: {new['engine']}, code {new['code']} ({new_path})")
        self.stdout.write(
            "new/old: below 1 the new code is faster; 'adj.' divides each run's median by its"
            " plain page's first, to discount a busier machine during one of the runs."
        )
        for size in sorted(set(old["sizes"]) & set(new["sizes"]), key=int):
            before, after = old["sizes"][size], new["sizes"][size]
            self.stdout.write(f"\n{size} practices")
            self.stdout.write(
                f"{'scenario':<{NAME_WIDTH}} {'state':<7} {'old p50':>8} {'new p50':>8}"
                f" {'new/old':>7} {'adj.':>5}  {'old p95':>8} {'new p95':>8}"
                f"  {'old q':>5} {'new q':>5}"
            )
            reference = REFERENCE[0]
            for name in [reference, *SCENARIOS]:
                if name not in before["pages"] or name not in after["pages"]:
                    continue
                for state in STATES:
                    if state not in before["pages"][name] or state not in after["pages"][name]:
                        continue
                    a, b = before["pages"][name][state], after["pages"][name][state]
                    ratio = b["p50_ms"] / a["p50_ms"]
                    adjusted = ratio / (
                        after["pages"][reference][state]["p50_ms"]
                        / before["pages"][reference][state]["p50_ms"]
                    )
                    self.stdout.write(
                        f"{name:<{NAME_WIDTH}} {state:<7} {a['p50_ms']:>8.1f} {b['p50_ms']:>8.1f}"
                        f" {ratio:>7.2f} {adjusted:>5.2f}  {a['p95_ms']:>8.1f} {b['p95_ms']:>8.1f}"
                        f"  {_queries(a):>5} {_queries(b):>5}"
                    )
            a, b = before["save"], after["save"]
            self.stdout.write(
                f"{'practice save':<{NAME_WIDTH}} {'':<7} {a['p50_ms']:>8.1f} {b['p50_ms']:>8.1f}"
                f" {b['p50_ms'] / a['p50_ms']:>7.2f} {'':>5}  {a['p95_ms']:>8.1f}"
                f" {b['p95_ms']:>8.1f}"
            )
            for label, run in (("old", before), ("new", after)):
                ready = run["ready"]
                self.stdout.write(
                    f"{label} data ready in {ready['total_s']:.0f} s (generated"
                    f" {ready['generate_s']:.0f} s, search index {ready['search_index_s']:.0f} s,"
                    f" vacuum {ready['vacuum_s']:.0f} s)"
                )
                if run.get("rename"):
                    rename = run["rename"]
                    self.stdout.write(
                        f"{label} barrier rename ({rename['practices']} practices): save()"
                        f" {rename['save_ms']:.1f} ms, background refresh done after"
                        f" {rename['background_done_ms']:.0f} ms, set-based refresh"
                        f" {rename['refresh_ms']:.0f} ms"
                    )


def _queries(figures):
    return "/".join(str(count) for count in figures["queries"])


class _Null:
    """A stdout for the commands this one calls, whose messages would break its table."""

    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


class SyntheticPractices:
    """Published practices made of sentences from the seed texts, linked like real ones."""

    def __init__(self, rng):
        self.rng = rng
        texts = " ".join(
            " ".join([p.summary, p.description, p.evidence_of_success, p.potential_for_transfer])
            for p in Practice.objects.all()
        )
        self.sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", texts) if len(s) > 40]
        self.words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{5,}", texts)})
        self.content_type = ContentType.objects.get_for_model(Practice)
        self._complete_barriers()
        self._complete_topics()
        self.barriers = list(Barrier.objects.order_by("order", "pk").values_list("pk", flat=True))
        self.topics = list(PolicyTopic.objects.values_list("pk", flat=True))
        self.projects = [*Project.objects.values_list("pk", flat=True), None, None]
        self.regions = self._regions()
        self.tags = self._tags()
        # Zipf-like popularity: a few tags on many practices, most on a handful.
        self.tag_weights = list(accumulate(1 / (rank + 1) for rank in range(len(self.tags))))
        # Go on from a kept database's synthetic practices (numbered from 1) rather than clash.
        self.made = Practice.objects.filter(slug__startswith="synthetic-").count()

    def popular_barrier(self):
        return Barrier.objects.get(pk=self.barriers[0])

    def _complete_barriers(self):
        missing = BARRIERS - Barrier.objects.count()
        top = max(Barrier.objects.values_list("order", flat=True), default=0)
        for number, (name, category) in enumerate(EXTRA_BARRIERS[: max(missing, 0)], 1):
            Barrier.objects.get_or_create(
                slug=slugify(name),
                defaults={"name": name, "category": category, "order": top + number},
            )

    def _complete_topics(self):
        missing = TOPICS - PolicyTopic.objects.count()
        for number in range(1, missing + 1):
            PolicyTopic.objects.get_or_create(
                slug=f"synthetic-topic-{number}",
                defaults={
                    "name": f"Support scheme {number}",
                    "group": PolicyTopic.Group.SUPPORT_SCHEMES,
                    "order": 100 + number,
                },
            )

    def _regions(self):
        """About ``REGIONS`` regions, as many per country, with NUTS-3-like codes (``ESZ01``)."""
        per_country = math.ceil(REGIONS / len(COUNTRIES))
        existing = set(Region.objects.values_list("nuts_code", flat=True))
        with translation.override("en"):
            new = [
                Region(
                    nuts_code=f"{country}Z{number:02d}",
                    name=f"{self.rng.choice(self.words).capitalize()} ({name} {number})",
                    country=country,
                )
                for country, name in COUNTRIES.items()
                for number in range(1, per_country + 1)
                if f"{country}Z{number:02d}" not in existing
            ]
        Region.objects.bulk_create(new, batch_size=1000)
        return list(Region.objects.values_list("pk", flat=True))

    def _tags(self):
        """``TAGS`` tags: the common words first, then pairs of words from the seed texts."""
        names = list(TAG_WORDS)
        seen = {slugify(name) for name in names}
        while len(names) < TAGS:
            name = " ".join(self.rng.sample(self.words, 2))
            if slugify(name) not in seen:
                seen.add(slugify(name))
                names.append(name)
        existing = dict(Tag.objects.values_list("name", "pk"))
        taken = set(Tag.objects.values_list("slug", flat=True))
        Tag.objects.bulk_create(
            [
                Tag(name=name, slug=slugify(name))
                for name in names
                if name not in existing and slugify(name) not in taken
            ],
            batch_size=1000,
        )
        existing = dict(Tag.objects.values_list("name", "pk"))
        return [existing[name] for name in names if name in existing]

    def _text(self, low, high):
        return " ".join(self.rng.sample(self.sentences, self.rng.randint(low, high)))

    def _barriers(self):
        popular, others = self.barriers[0], self.barriers[1:]
        count = self.rng.randint(1, 4)
        if self.rng.random() < POPULAR_BARRIER_SHARE:
            return [popular, *self.rng.sample(others, count - 1)]
        return self.rng.sample(others, count)

    def _tag_ids(self):
        count = self.rng.randint(0, 4)
        return set(self.rng.choices(self.tags, cum_weights=self.tag_weights, k=count))

    def grow_to(self, size, batch=5000):
        held = Practice.objects.count()
        while held < size:
            count = min(batch, size - held)
            now = timezone.now()
            practices = []
            for _ in range(count):
                self.made += 1
                words = self.rng.sample(self.words, 3)
                ongoing = self.rng.random() < 0.3
                start = self.rng.randint(2000, 2022)
                published = self.rng.random() < 0.97
                validated = self.rng.random() < 0.1
                published_at = now - timedelta(hours=self.rng.randint(0, 6 * 365 * 24))
                practices.append(
                    Practice(
                        title=f"{words[0].capitalize()} {words[1]} {words[2]} {self.made}",
                        slug=f"synthetic-{self.made}",
                        summary=self._text(1, 2),
                        description="\n\n".join(self._text(2, 4) for _ in range(3)),
                        resources_needed=self._text(0, 1),
                        evidence_of_success=self._text(1, 2),
                        potential_for_transfer=self._text(1, 2),
                        region_id=self.rng.choice(self.regions),
                        project_id=self.rng.choice(self.projects),
                        implementation_level=self.rng.choice(["national", "regional", "local", ""]),
                        start_year=start,
                        end_year=None if ongoing else self.rng.choice([None, start + 2]),
                        ongoing=ongoing,
                        validated=validated,
                        validated_at=published_at if validated else None,
                        status="published" if published else "draft",
                        published_at=published_at if published else None,
                    )
                )
            with transaction.atomic():
                created = Practice.objects.bulk_create(practices)
                Practice.barriers.through.objects.bulk_create(
                    [
                        Practice.barriers.through(practice_id=p.pk, barrier_id=b)
                        for p in created
                        for b in self._barriers()
                    ],
                    batch_size=10000,
                )
                Practice.topics.through.objects.bulk_create(
                    [
                        Practice.topics.through(practice_id=p.pk, topic_id=t)
                        for p in created
                        for t in self.rng.sample(self.topics, self.rng.randint(1, 2))
                    ],
                    batch_size=10000,
                )
                TaggedItem.objects.bulk_create(
                    [
                        TaggedItem(content_type=self.content_type, object_id=p.pk, tag_id=t)
                        for p in created
                        for t in self._tag_ids()
                    ],
                    batch_size=10000,
                )
            held += len(created)
