"""Benchmark the search pages on synthetic data: `make benchmark` (PostgreSQL).

Creates a throw-away test database (the configured database is never touched), loads the seed
taxonomy, grows it to each size with synthetic practices written from the seed texts, and times
full requests through Django's test client: median and 95th percentile of server time, and the
number of SQL queries, for each scenario. It also reports how long this process takes to load the
facet index after a change, the memory the index holds, how long saving a practice takes (median
and most), and (as medians in the two columns) how long fixed work takes in Python and in the
database, to compare runs made at different hours.

A search keeps the words' matches for the next request with the same words (a facet click, the
next page); "new words" times the first request with words, made to miss that cache each time.
"""

import random
import re
import statistics
import time
import tracemalloc

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from practices.facet_index import current_facet_index, search_index_expire
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from practices.services import practice_search_refresh
from projects.countries import COUNTRIES
from projects.models import Project, Region

SCENARIOS = {
    "broad word search with facets": "/practices/?q=export",
    "  the same, new words": "/practices/?q=export",
    "  words and two filters": "/practices/?q=export&barrier={barrier}&country=ES",
    "  and, or, not; new words": "/practices/?q=export+training+-digital+or+coaching",
    '  a "phrase", new words': "/practices/?q=%22trade+fairs%22",
    "two filters, no words": "/practices/?barrier={barrier}&country=ES",
    "barrier page": "/barriers/{barrier}/",
}
# The scenarios timed as the first search with their words since the last change.
NEW_WORDS = {name for name in SCENARIOS if name.endswith("new words")}
INDEX_LOADS = 5
SAVES = 10
MACHINE_RUNS = 5
TAG_WORDS = [
    "export",
    "consortia",
    "cluster",
    "one-stop shop",
    "internships",
    "digital tool",
    "coaching",
    "trade fairs",
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
    "training",
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


class Command(BaseCommand):
    help = "Time the search pages at growing numbers of synthetic practices (use PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000,100000")
        parser.add_argument("--repeat", type=int, default=40, help="timed requests per scenario")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--keepdb",
            action="store_true",
            help="keep the benchmark database afterwards and reuse it next time (for EXPLAIN)",
        )

    def handle(self, *args, sizes, repeat, seed, keepdb, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("Note: not PostgreSQL; the figures that matter are PostgreSQL's.")
        sizes = sorted(int(size) for size in sizes.split(","))
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
                self._run(sizes, repeat, random.Random(seed))
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=keepdb)

    def _run(self, sizes, repeat, rng):
        call_command("load_initial_data", verbosity=0)  # creates only what is missing
        generator = SyntheticPractices(rng)
        barrier = Barrier.objects.order_by("order").first().slug
        self.stdout.write(
            f"{'practices':>10}  {'scenario':<32} {'median ms':>9} {'p95 ms':>8} {'queries':>7}"
        )
        for size in sizes:
            held = Practice.objects.count()
            if held > size:
                # The generator only adds practices, so a database that has grown past this size
                # (a kept one, or the seed alone at a tiny size) would be reported under it.
                self.stderr.write(f"  ({size} skipped: the database holds {held} practices)")
                continue
            started = time.perf_counter()
            generator.grow_to(size)
            if connection.vendor == "postgresql":
                # The generator inserts practices and then writes their search text, leaving
                # every row's first version behind as dead space; compact it as autovacuum's
                # reuse would over time, so the figures measure search, not the generator.
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM FULL ANALYZE {Practice._meta.db_table}")
                    cursor.execute("VACUUM ANALYZE")
                    # Write the generator's pages out now rather than during the timings.
                    cursor.execute("CHECKPOINT")
            elapsed = time.perf_counter() - started
            self.stderr.write(f"  ({size} practices ready in {elapsed:.0f} s)")
            self._report_machine(size)
            self._report_index(size)
            self._report_save(size, rng)
            client = Client()
            for name, url in SCENARIOS.items():
                url = url.format(barrier=barrier)
                for _ in range(3):
                    client.get(url)  # warm caches
                timings, query_counts = [], set()
                for _ in range(repeat):
                    if name in NEW_WORDS:
                        current_facet_index().forget_word_matches()
                    with CaptureQueriesContext(connection) as queries:
                        began = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                    query_counts.add(len(queries))
                self._report(size, name, timings, query_counts)

    def _report_machine(self, size):
        """Time fixed work in Python and in the database: the development machine runs the same
        code up to three times slower from hour to hour, and these figures tell runs apart."""

        def median_ms(work):
            timings = []
            for _ in range(MACHINE_RUNS):
                began = time.perf_counter()
                work()
                timings.append((time.perf_counter() - began) * 1000)
            return statistics.median(timings)

        def database_work():
            with connection.cursor() as cursor:
                cursor.execute("SELECT sum(n) FROM generate_series(1, 1000000) AS n")

        python = median_ms(lambda: sum(n * n for n in range(1_000_000)))
        database = median_ms(database_work)
        self.stdout.write(
            f"{size:>10}  {'fixed work: Python | SQL':<32} {python:>9.1f} {database:>8.1f}"
        )

    def _report_save(self, size, rng):
        """Time saving a practice whose summary changed, as the admin does, rolled back after:
        the save also updates the word table (``practices.word_index``)."""
        ids = list(Practice.objects.published().values_list("pk", flat=True))
        timings = []
        for practice_id in rng.sample(ids, SAVES):
            practice = Practice.objects.get(pk=practice_id)
            practice.summary += " Benchmark edit about a numbat."
            with transaction.atomic():
                began = time.perf_counter()
                practice.save()
                timings.append((time.perf_counter() - began) * 1000)
                transaction.set_rollback(True)
        self.stdout.write(
            f"{size:>10}  {'practice save':<32} {statistics.median(timings):>9.1f}"
            f" {max(timings):>8.1f}"
        )

    def _report_index(self, size):
        timings = []
        for _ in range(INDEX_LOADS):
            search_index_expire()
            began = time.perf_counter()
            current_facet_index()
            timings.append((time.perf_counter() - began) * 1000)
        search_index_expire()
        tracemalloc.start()
        current_facet_index()
        held, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"{size:>10}  {'facet index load':<32} {statistics.median(timings):>9.1f}"
            f" {max(timings):>8.1f}  (holds {held / 2**20:.1f} MiB)"
        )

    def _report(self, size, name, timings, query_counts):
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        counts = "/".join(str(count) for count in sorted(query_counts))
        self.stdout.write(
            f"{size:>10}  {name:<32} {statistics.median(timings):>9.1f} {p95:>8.1f} {counts:>7}"
        )


class SyntheticPractices:
    """Practices made of sentences from the seed texts, linked like real ones."""

    def __init__(self, rng):
        self.rng = rng
        texts = " ".join(
            " ".join([p.summary, p.description, p.evidence_of_success, p.potential_for_transfer])
            for p in Practice.objects.all()
        )
        self.sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", texts) if len(s) > 40]
        self.words = sorted({w for w in re.findall(r"[A-Za-z]{5,}", texts)})
        self.barriers = list(Barrier.objects.values_list("pk", flat=True))
        self.topics = list(PolicyTopic.objects.values_list("pk", flat=True))
        self.projects = [*Project.objects.values_list("pk", flat=True), None, None]
        self.regions = list(Region.objects.values_list("pk", flat=True))
        for country in COUNTRIES:
            for number in range(1, 5):
                region, _ = Region.objects.get_or_create(
                    nuts_code=f"{country}{number}Z",
                    defaults={
                        "name": f"Region {number} of {COUNTRIES[country]}",
                        "country": country,
                    },
                )
                self.regions.append(region.pk)
        self.tags = [Tag.objects.get_or_create(name=word)[0].pk for word in TAG_WORDS]
        self.content_type = ContentType.objects.get_for_model(Practice)
        # Go on from a kept database's synthetic practices (numbered from 1) rather than clash.
        self.made = Practice.objects.filter(slug__startswith="synthetic-").count()

    def _text(self, low, high):
        return " ".join(self.rng.sample(self.sentences, self.rng.randint(low, high)))

    def grow_to(self, size, batch=2000):
        while Practice.objects.count() < size:
            count = min(batch, size - Practice.objects.count())
            now = timezone.now()
            practices = []
            for _ in range(count):
                self.made += 1
                words = self.rng.sample(self.words, 3)
                ongoing = self.rng.random() < 0.3
                start = self.rng.randint(2000, 2022)
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
                        validated=self.rng.random() < 0.1,
                        status="published" if self.rng.random() < 0.95 else "draft",
                        published_at=now,
                    )
                )
            created = Practice.objects.bulk_create(practices)
            Practice.barriers.through.objects.bulk_create(
                Practice.barriers.through(practice_id=p.pk, barrier_id=b)
                for p in created
                for b in self.rng.sample(self.barriers, self.rng.randint(1, 4))
            )
            Practice.topics.through.objects.bulk_create(
                Practice.topics.through(practice_id=p.pk, policytopic_id=t)
                for p in created
                for t in self.rng.sample(self.topics, self.rng.randint(1, 3))
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=self.content_type, object_id=p.pk, tag_id=t)
                for p in created
                for t in self.rng.sample(self.tags, self.rng.randint(1, 5))
            )
            practice_search_refresh(practice_ids=[p.pk for p in created])
