"""Imports at the size of a whole collection: progress, all or nothing, safe to repeat, one at a
time, and the terminal's commands."""

import io
import json
import threading

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from practices import importing
from practices.management.commands.benchmark_import import generated_rows
from practices.models import ImportJob, Practice, PracticeBarrier
from search.documents import practice_documents_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert_client(client, expert):
    client.force_login(expert)
    return client


def _snapshot():
    return (
        Practice.objects.count(),
        Practice.history.count(),
        PracticeBarrier.objects.count(),
        sorted(Practice.objects.values_list("slug", "title", "summary")),
    )


def _job(rows, *, state=ImportJob.State.CHECKED, **fields):
    content = json.dumps(rows).encode()
    return ImportJob.objects.create(
        file_name="practices.json", file_format="json", content=content, state=state, **fields
    )


def test_progress_is_reported_as_the_rows_are_checked():
    rows = generated_rows(250)
    calls = []
    importing.practices_import_plan(rows=rows, progress=lambda done, total: calls.append(done))
    assert calls == [100, 200, 250]

    job = _job(rows, state=ImportJob.State.CHECKING)
    importing.import_job_check(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == ("checked", 250, 250)
    assert job.report["counts"] == {"new": 250, "update": 0, "skip": 0, "invalid": 0}


def test_a_working_job_shows_its_progress_and_follows_it(expert_client):
    job = _job([], state=ImportJob.State.IMPORTING, rows_done=40, rows_total=250)
    progress = expert_client.get(reverse("admin:practices_practice_import_progress", args=[job.pk]))
    assert progress.json() == {
        "state": "importing",
        "state_label": "Importing",
        "working": True,
        "rows_done": 40,
        "rows_total": 250,
    }
    assert "no-store" in progress["Cache-Control"]  # the admin's own never_cache
    page = expert_client.get(reverse("admin:practices_practice_import_job", args=[job.pk]))
    html = page.content.decode()
    assert '<progress id="import-progress-bar"' in html and 'max="250" value="40"' in html
    assert "40 of 250 rows" in html
    # Without JavaScript the page reloads itself; with it, the script asks for the progress.
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "js/import-progress.js" in html
    assert "Confirm the import" not in html


def test_a_finished_job_stops_following_itself(expert_client):
    job = _job(generated_rows(3))
    importing.import_job_check(job_id=job.pk)
    html = expert_client.get(
        reverse("admin:practices_practice_import_job", args=[job.pk])
    ).content.decode()
    assert 'http-equiv="refresh"' not in html and "import-progress.js" not in html
    assert "Confirm the import" in html


def test_the_upload_page_lists_recent_imports_to_come_back_to(expert_client, expert):
    job = _job(generated_rows(2), created_by=expert)
    html = expert_client.get(reverse("admin:practices_practice_import")).content.decode()
    assert reverse("admin:practices_practice_import_job", args=[job.pk]) in html
    assert "Checked: waiting for confirmation" in html


def test_a_bad_row_near_the_end_leaves_the_database_as_it_was():
    rows = generated_rows(300)
    rows[297]["region"] = "XX99"
    before = _snapshot()
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.practices_import(rows=rows)
    assert _snapshot() == before
    assert [(row.number, row.errors) for row in rejected.value.plan.invalid] == [
        (298, ["region: No region with nuts_code “XX99”."])
    ]

    job = _job(rows, state=ImportJob.State.IMPORTING)
    job = importing.import_job_apply(job_id=job.pk)
    assert job.state == "failed" and job.message == "Nothing was imported: 1 row(s) rejected."
    assert [row["number"] for row in job.report["rows"] if row["kind"] == "invalid"] == [298]
    assert _snapshot() == before


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    rows = generated_rows(60)
    before = _snapshot()

    def broken(rows):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(importing, "_write_tags", broken)
    job = _job(rows, state=ImportJob.State.IMPORTING)
    with pytest.raises(RuntimeError):
        importing.import_job_apply(job_id=job.pk)
    assert _snapshot() == before
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == "The import stopped on an unexpected error: nothing was imported."


def test_every_imported_practice_has_its_version_with_its_links(expert):
    rows = generated_rows(42)
    importing.practices_import(rows=rows, user=expert)
    for slug in [rows[0]["slug"], rows[41]["slug"]]:
        practice = Practice.objects.get(slug=slug)
        (version,) = practice.history.all()
        assert version.history_user == expert
        assert version.history_change_reason == "Imported from a file"
        assert practice.status == "draft" and practice.created_by == expert
        assert sorted(version.barriers.values_list("barrier_id", "reason")) == sorted(
            practice.barrier_links.values_list("barrier_id", "reason")
        )
        assert version.topics.count() == practice.topic_links.count() > 0
        # Found by the names of what it links to, like a practice saved in the admin: its search
        # text is already what a refresh would write.
        assert practice.search_document
        assert practice_documents_refresh(practice_ids=[practice.pk]) == 0
    assert sorted(Practice.objects.get(slug=rows[0]["slug"]).tags.names()) == sorted(
        name.strip() for name in rows[0]["tags"].split(",") if name.strip()
    )


def test_importing_the_same_file_twice_changes_nothing_the_second_time():
    rows = generated_rows(80)
    importing.practices_import(rows=rows)
    after_first = _snapshot()
    updated = dict(Practice.objects.values_list("slug", "updated_at"))
    plan = importing.practices_import(rows=rows)
    assert plan.counts() == {"new": 0, "update": 0, "skip": 80, "invalid": 0}
    assert _snapshot() == after_first
    assert dict(Practice.objects.values_list("slug", "updated_at")) == updated


def test_a_changed_row_writes_one_new_version_and_only_that(expert):
    rows = generated_rows(5)
    importing.practices_import(rows=rows)
    rows[2]["summary"] = "A summary changed in the file."
    plan = importing.practices_import(rows=rows, user=expert)
    assert [row.kind for row in plan.rows] == ["skip", "skip", "update", "skip", "skip"]
    assert plan.rows[2].changes == ["summary"]
    changed = Practice.objects.get(slug=rows[2]["slug"])
    assert changed.summary == "A summary changed in the file."
    assert changed.history.count() == 2
    assert Practice.objects.get(slug=rows[1]["slug"]).history.count() == 1


def test_a_second_import_is_refused_while_one_runs(expert_client, expert, tmp_path):
    running = _job(generated_rows(2), state=ImportJob.State.IMPORTING)
    waiting = _job(generated_rows(3))
    with pytest.raises(importing.ImportInProgress):
        importing.import_job_confirm(job=waiting, user=expert)
    response = expert_client.post(
        reverse("admin:practices_practice_import_confirm", args=[waiting.pk]), follow=True
    )
    assert "Another import is running." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "checked"
    path = tmp_path / "practices.csv"
    path.write_text(tablib.Dataset(headers=["slug", "title"]).export("csv") + "a-slug,A title\n")
    with pytest.raises(CommandError, match="Another import is running"):
        call_command("import_practices", str(path))
    assert not Practice.objects.filter(slug="a-slug").exists()
    # Once it has finished, the next one goes.
    running.state = ImportJob.State.IMPORTED
    running.save()
    assert importing.import_job_confirm(job=waiting, user=expert).state == "imported"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
def test_an_import_writing_elsewhere_holds_the_others_off(transactional_db):
    """Whatever starts it (another worker, a command on another machine), an import that writes
    holds a lock the others are refused by, rather than interleave with it."""
    call_command("load_initial_data", verbosity=0)  # an earlier test's flush may have emptied it
    rows = generated_rows(3)
    holding, release = threading.Event(), threading.Event()

    def other_import():
        with connections["default"].cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [importing.IMPORT_LOCK_KEY])
            holding.set()
            release.wait(30)
            cursor.execute("ROLLBACK")
        connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    try:
        assert holding.wait(30)
        with pytest.raises(importing.ImportInProgress):
            importing.practices_import(rows=rows)
    finally:
        release.set()
        thread.join(30)
    assert not Practice.objects.filter(slug=rows[0]["slug"]).exists()
    importing.practices_import(rows=rows)
    assert Practice.objects.filter(slug=rows[0]["slug"]).exists()


# --- The commands -------------------------------------------------------------------------------


def test_import_practices_dry_run_says_what_would_happen_and_writes_nothing(tmp_path):
    rows = generated_rows(4)
    rows[3]["barriers"] = "no-such-barrier"
    path = tmp_path / "practices.json"
    path.write_text(json.dumps(rows))
    out = io.StringIO()
    before = _snapshot()
    with pytest.raises(CommandError, match="Nothing can be imported while a row is rejected"):
        call_command("import_practices", str(path), "--dry-run", stdout=out)
    assert "3 would be created, 0 changed, 0 unchanged, 1 rejected." in out.getvalue()
    assert "Row 4 (" in out.getvalue()
    assert "barriers: Unknown barrier: no-such-barrier." in out.getvalue()
    assert _snapshot() == before


def test_import_practices_imports_and_export_practices_round_trips(tmp_path, expert):
    rows = generated_rows(6)
    source = tmp_path / "in.json"
    source.write_text(json.dumps(rows))
    out = io.StringIO()
    call_command("import_practices", str(source), "--user", expert.username, stdout=out)
    assert "6 were created, 0 changed, 0 unchanged, 0 rejected." in out.getvalue()
    assert Practice.objects.get(slug=rows[5]["slug"]).created_by == expert
    assert ImportJob.objects.get().state == "imported"
    total = Practice.objects.count()
    for file_format in ["csv", "json", "xlsx"]:
        exported = tmp_path / f"all.{file_format}"
        call_command("export_practices", "--format", file_format, "--output", str(exported))
        out = io.StringIO()
        call_command("import_practices", str(exported), "--dry-run", stdout=out)
        assert f"0 would be created, 0 changed, {total} unchanged, 0 rejected." in out.getvalue()


def test_export_practices_streams_to_standard_output():
    out = io.StringIO()
    call_command("export_practices", "--format", "json", stdout=out)
    exported = json.loads(out.getvalue())
    assert len(exported) == Practice.objects.count()
    assert {"slug", "barriers", "topics", "tags", "status"} <= set(exported[0])


def test_import_practices_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match=r"give a \.csv, \.xlsx or \.json file"):
        call_command("import_practices", str(tmp_path / "practices.txt"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_practices", str(tmp_path / "missing.csv"))


def test_rebuild_search_index_runs_now_or_in_the_background():
    Practice.objects.update(search_document="")
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"{Practice.objects.count()} practices changed" in out.getvalue()
    Practice.objects.update(search_document="")
    out = io.StringIO()
    call_command("rebuild_search_index", "--background", stdout=out)
    assert "queued for the worker" in out.getvalue()
    # The tests' job backend runs it at once.
    assert not Practice.objects.filter(search_document="").exists()


def test_the_import_pages_take_a_bounded_number_of_queries(
    expert_client, expert, django_assert_max_num_queries
):
    for _ in range(5):
        _job(generated_rows(2), created_by=expert, confirmed_by=expert)
    job = _job(generated_rows(300), state=ImportJob.State.CHECKING)
    importing.import_job_check(job_id=job.pk)
    # The session, the user and their permissions, then one query for the list or the job,
    # however many imports or rows it shows.
    with django_assert_max_num_queries(8):
        expert_client.get(reverse("admin:practices_practice_import"))
    with django_assert_max_num_queries(8):
        response = expert_client.get(reverse("admin:practices_practice_import_job", args=[job.pk]))
    assert len(response.context["rows"]) == 200  # a page of the 300 rows


def test_only_importers_see_an_import_or_its_progress(client, contributor):
    job = _job([], state=ImportJob.State.CHECKING)
    client.force_login(contributor)
    for name in ["import_job", "import_progress"]:
        response = client.get(reverse(f"admin:practices_practice_{name}", args=[job.pk]))
        assert response.status_code == 403
    response = client.post(reverse("admin:practices_practice_import_confirm", args=[job.pk]))
    assert response.status_code == 403


def test_an_update_changes_linked_records_and_tags_and_a_slug_twice_is_rejected(region_es):
    rows = generated_rows(2)
    importing.practices_import(rows=rows)
    rows[0]["region"], rows[0]["tags"] = region_es.nuts_code, "new tag, another tag"
    plan = importing.practices_import(rows=rows)
    assert plan.rows[0].changes == ["region", "tags"]
    practice = Practice.objects.get(slug=rows[0]["slug"])
    assert practice.region == region_es
    assert sorted(practice.tags.names()) == ["another tag", "new tag"]
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.practices_import(rows=[rows[1], {**rows[1], "title": "Again"}])
    assert [(row.number, row.errors) for row in rejected.value.plan.invalid] == [
        (2, ["slug: This slug is on row 1 too."])
    ]
