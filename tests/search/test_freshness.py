"""No count is ever stale: every write moves the data version, whatever its path, and the cache
(local memory, or Redis shared by every web process) is keyed by it.

These tests commit their writes (``transaction=True``): the version moves when a transaction
commits, and nothing is cached from inside one.
"""

import os
import re
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from search.cache import SearchCache
from search.version import data_version

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def redis_reachable():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def search_cache(request, settings):
    """The search cache on each backend the site can run with. Redis must be there in CI."""
    if request.param == "redis":
        if not redis_reachable():
            if os.environ.get("CI") == "true":
                pytest.fail(f"Redis at {REDIS_URL} is not reachable, and CI=true.")
            pytest.skip(f"Redis at {REDIS_URL} is not reachable.")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
            }
        }
    cache = caches[django_settings.SEARCH_CACHE]
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def world(transactional_db):
    """Three published practices on one barrier and one topic, and a draft."""
    barrier = Barrier.objects.create(name="Fresh barrier", slug="fresh-barrier", order=90)
    topic = PolicyTopic.objects.create(name="Fresh topic", slug="fresh-topic", order=90)
    practices = []
    for number in range(3):
        practice = Practice.objects.create(
            title=f"Fresh practice {number}",
            slug=f"fresh-practice-{number}",
            summary="Kiwifruit exporters learn together.",
            status="published",
            published_at=timezone.now(),
        )
        practice.barriers.add(barrier)
        practice.topics.add(topic)
        practice.tags.add("kiwi")
        practices.append(practice)
    Practice.objects.create(title="Fresh draft", slug="fresh-draft", summary="Kiwifruit.")
    return {"barrier": barrier, "topic": topic, "practices": practices}


class Page:
    """What a visitor reads on a search page (served from the page cache, or rendered)."""

    def __init__(self, html):
        self.html = html
        found = re.search(r"(\d+) practices? found", html)
        self.total = int(found.group(1)) if found else 0

    def count_of(self, facet, value):
        shown = re.search(rf'for="f-{facet}-{value}">[^<]*<span class="count">\((\d+)', self.html)
        return int(shown.group(1)) if shown else 0

    def labels_of(self, facet):
        return re.findall(rf'for="f-{facet}-[^"]*">([^<]*?) <span class="count">', self.html)


def page(client, query="q=kiwifruit"):
    response = client.get(f"/practices/?{query}")
    assert response.status_code == 200
    return Page(response.content.decode())


def barrier_count(results, slug="fresh-barrier"):
    return results.count_of("barrier", slug)


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def unpublish_by_save(practice):
    practice.status = "draft"
    practice.save()


WRITES = {
    "model save": lambda w: unpublish_by_save(w["practices"][0]),
    "model delete": lambda w: w["practices"][0].delete(),
    "QuerySet.update()": lambda w: Practice.objects.filter(pk=w["practices"][0].pk).update(
        status="draft"
    ),
    "raw SQL": lambda w: raw_sql(
        f"UPDATE {Practice._meta.db_table} SET status = 'draft' WHERE id = %s",
        [w["practices"][0].pk],
    ),
    "M2M change": lambda w: w["practices"][0].barriers.remove(w["barrier"]),
    "bulk_create": lambda w: Practice.objects.bulk_create(
        [
            Practice(
                title="Bulk kiwifruit",
                slug="bulk-kiwifruit",
                summary="Kiwifruit.",
                status="published",
                published_at=timezone.now(),
            )
        ]
    ),
}
EXPECTED = {  # (total, count of the barrier) after the write; before: (3, 3)
    "model save": (2, 2),
    "model delete": (2, 2),
    "QuerySet.update()": (2, 2),
    "raw SQL": (2, 2),
    "M2M change": (3, 2),
    # A practice written behind the signals' back has no search document yet, but its own
    # text is searched at once: the database generates the vector.
    "bulk_create": (4, 3),
}


@pytest.fixture(params=["without a session", "with a session"])
def visitor(request, client, settings):
    """A visitor served whole pages from the cache, or one whose pages are rendered for them
    (a session: a shortlist, a message) from the cached counts and page."""
    if request.param == "with a session":
        client.cookies[settings.SESSION_COOKIE_NAME] = "a-visitor-with-a-session"
    return client


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_path_shows_in_the_next_request(visitor, world, search_cache, write):
    client = visitor
    before = page(client)
    assert (before.total, barrier_count(before)) == (3, 3)
    page(client)  # now cached
    WRITES[write](world)
    after = page(client)
    assert (after.total, barrier_count(after)) == EXPECTED[write]


def test_a_renamed_tag_shows_in_the_facets_at_once_even_written_in_sql(client, world, search_cache):
    def tag_labels():
        return page(client).labels_of("tag")

    assert "kiwi" in tag_labels()
    Tag.objects.filter(name="kiwi").update(name="kiwano")
    assert "kiwano" in tag_labels()
    assert "kiwi" not in tag_labels()


def test_a_repeated_search_is_answered_from_the_cache(visitor, world, search_cache, request):
    client = visitor

    queries_seen = []

    def queries(query):
        with CaptureQueriesContext(connection) as captured:
            page(client, query)
        queries_seen[:] = [q["sql"][:60] for q in captured]
        return len(captured)

    query = "q=kiwifruit&barrier=fresh-barrier&sort=title"
    cold = queries(query)
    warm = queries(query)
    if request.node.callspec.params["visitor"] == "without a session":
        assert warm == 1  # the data version: the whole page comes from the cache
    else:
        # The data version, the barrier named in the address (is it known?), the page's
        # practices and their barriers; the counts and the page's ids come from the cache.
        assert warm == 4, queries_seen
    assert cold > warm
    unpublish_by_save(world["practices"][1])
    assert queries(query) > warm  # a write: counted again


def test_nothing_is_cached_from_inside_a_transaction(world, search_cache):
    assert SearchCache().version is not None
    with transaction.atomic():
        world["practices"][0].delete()
        # This transaction sees its own delete; no other request may be served it.
        assert SearchCache().version is None


def test_the_version_moves_once_per_transaction(world):
    before = data_version()
    with transaction.atomic():
        for practice in world["practices"]:
            practice.title += " (edited)"
            practice.save()
    # PostgreSQL bumps it at commit, once; SQLite once per row written.
    assert data_version() == before + 1 if ON_POSTGRESQL else data_version() > before


@pytest.mark.skipif(not ON_POSTGRESQL, reason="another process needs a database it can reach")
def test_a_publish_in_another_process_shows_in_the_next_request(client, world, search_cache):
    assert page(client).total == 3
    draft = Practice.objects.get(slug="fresh-draft")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    script = (
        "from django.utils import timezone\n"
        "from practices.models import Practice\n"
        f"Practice.objects.filter(pk={draft.pk}).update("
        "status='published', published_at=timezone.now())\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        check=True,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "other-process"},
        timeout=120,
    )
    assert page(client).total == 4


def _in_thread(target, errors):
    def run():
        try:
            target()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite lets one writer at a time")
def test_an_import_and_a_curators_save_at_once_neither_deadlock_nor_lose_a_write(world):
    """An import (one transaction over many practices) reaches the practice a curator is saving:
    it waits for the curator's commit, then both land. The search's version bump comes last in
    each transaction, so neither waits for the other while holding what the other needs."""
    first, contested, _third = world["practices"]
    other_barrier = Barrier.objects.create(name="Second barrier", slug="second-barrier", order=91)
    import_started, curator_holds_row = threading.Event(), threading.Event()
    errors = []

    def import_all():
        with transaction.atomic():
            Practice.objects.filter(pk=first.pk).update(title="Imported first")
            import_started.set()
            assert curator_holds_row.wait(10)
            practice = Practice.objects.get(pk=contested.pk)
            practice.summary = "Imported summary."
            practice.save(update_fields=["summary"])  # waits for the curator's commit

    def curator_save():
        assert import_started.wait(10)
        with transaction.atomic():
            practice = Practice.objects.select_for_update().get(pk=contested.pk)
            practice.title = "Curated title"
            practice.save()
            curator_holds_row.set()
            time.sleep(0.5)  # the import is now waiting for this row
            practice.barriers.add(other_barrier)

    threads = [_in_thread(import_all, errors), _in_thread(curator_save, errors)]
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    contested.refresh_from_db()
    assert (contested.title, contested.summary) == ("Curated title", "Imported summary.")
    assert set(contested.barriers.values_list("slug", flat=True)) == {
        "fresh-barrier",
        "second-barrier",
    }
    assert Practice.objects.get(pk=first.pk).title == "Imported first"


def test_a_rename_refreshes_its_practices_in_a_background_job(client, world, settings):
    """The database-backed job queue, end to end: the rename's request enqueues the refresh, the
    worker (`manage.py db_worker`) runs it, and the practices are then found by the new name."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    barrier = world["barrier"]
    barrier.name = "Feijoa hurdles"
    barrier.save()  # the admin's save: returns once committed, the job waits for the worker
    job = DBTaskResult.objects.get(task_path="search.tasks.search_documents_refresh_task")
    assert job.status == "READY"
    assert page(client, "q=feijoa").total == 0  # not yet: nobody has run the job
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert page(client, "q=feijoa").total == 3
