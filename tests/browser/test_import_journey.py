"""A curator imports a file in a real browser, with the real job queue: the upload starts a job,
the page shows its progress and follows it without a reload, then shows the preview row by row;
the curator confirms, watches the import, reads the result and finds the practices in the search.
The worker (`manage.py db_worker`'s loop) runs in a thread beside the live server."""

import threading

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from practices.management.commands.benchmark_import import generated_rows
from practices.models import Practice
from practices.roles import EXPERT, sync_roles

from .conftest import axe_violations, format_violations, screenshot
from .test_curation_journey import PASSWORD, sign_in

ROWS = 120


@pytest.fixture
def expert(site):
    sync_roles(Group, Permission)
    user = get_user_model().objects.create_user(
        "erik", password=PASSWORD, is_staff=True, first_name="Erik", last_name="Eklund"
    )
    user.groups.add(Group.objects.get(name=EXPERT))
    return user


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class WorkerThread:
    """The database worker, started when the test says so."""

    def __init__(self):
        self.worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        )
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        from django.db import connections

        try:
            self.worker.run()
        finally:
            connections.close_all()

    def start(self):
        self.thread.start()

    def stop(self):
        self.worker.running = False
        self.thread.join(30)


@pytest.fixture
def worker(database_jobs):
    thread = WorkerThread()
    yield thread
    if thread.thread.is_alive():
        thread.stop()


def test_a_curator_imports_a_file_and_watches_it_through(page, expert, worker, tmp_path):
    rows = generated_rows(ROWS)
    data = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        data.append(list(row.values()))
    path = tmp_path / "practices.csv"
    path.write_text(data.export("csv"))
    violations = {}

    def check(name):
        screenshot(page, name)
        found = axe_violations(page)
        if found:
            violations[name] = found

    sign_in(page, "erik")
    page.goto("/admin/practices/practice/")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import practices")).to_be_visible()
    check("import-1-upload")
    page.set_input_files("#id_import_file", str(path))
    page.get_by_role("button", name="Check the file").click()

    # The job waits for the worker: the page says so and shows an empty bar.
    expect(page.get_by_role("heading", name="Checking the file")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_contain_text("Waiting for the worker to start")
    check("import-2-progress")

    # The worker starts: the page follows the job by itself and shows the preview.
    worker.start()
    expect(page.get_by_role("heading", name="Row by row")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Checked: waiting for confirmation")).to_be_visible()
    expect(page.locator(".import-filters")).to_contain_text(f"Will be created ({ROWS})")
    expect(page.locator(".import-outcomes tbody tr")).to_have_count(ROWS)
    expect(page.locator(".import-outcomes tbody tr").first).to_contain_text(rows[0]["slug"])
    assert not Practice.objects.filter(slug=rows[0]["slug"]).exists()
    check("import-3-preview")

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_text(f"Import finished: {ROWS} new, 0 updated, 0 unchanged.")).to_be_visible(
        timeout=60_000
    )
    check("import-4-result")
    assert Practice.objects.filter(slug__in=[row["slug"] for row in rows]).count() == ROWS

    # The imported practices are drafts: the curators find them in the admin's search.
    page.get_by_role("link", name="See the practices").click()
    page.fill("#searchbar", rows[0]["title"])
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list")).to_contain_text(rows[0]["title"])
    expect(page.locator("#result_list")).to_contain_text("Draft")

    # The upload page lists the import, to come back to.
    page.goto("/admin/practices/practice/import/")
    expect(page.locator(".import-jobs")).to_contain_text("Imported")
    worker.stop()
    assert not violations, format_violations(violations)
