"""Bulk import and export of practices through the admin and the import service: a preview tells
new, changed, unchanged and broken rows apart, and an import with a broken row changes nothing."""

import io
import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barriers.models import Barrier
from practices import importing
from practices.models import Practice
from practices.resources import PracticeResource

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:practices_practice_import")
HEADERS = ["slug", "title", "summary", "region", "start_year", "end_year", "barriers", "topics"]


@pytest.fixture
def expert_client(client, expert):
    client.force_login(expert)
    return client


def _row(practice, **changes):
    exported = PracticeResource().export(queryset=Practice.objects.filter(pk=practice.pk)).dict[0]
    return [changes.get(h, exported[h]) for h in HEADERS]


def _csv(rows, headers=HEADERS):
    data = tablib.Dataset(*rows, headers=headers)
    return SimpleUploadedFile("practices.csv", data.export("csv").encode(), "text/csv")


def _preview(client, upload):
    """Upload a file: the job checks it (at once, under the tests' immediate job backend) and the
    upload lands on the job's page, which shows the preview."""
    response = client.post(IMPORT_URL, {"import_file": upload}, follow=True)
    assert response.status_code == 200
    return response


def _confirm(client, response):
    job = response.context["job"]
    return client.post(
        reverse("admin:practices_practice_import_confirm", args=[job.pk]), follow=True
    )


def _outcomes(response):
    return [
        (row["slug"], str(row["label"]), row.get("changes", []), row["errors"])
        for row in response.context["rows"]
    ]


@pytest.fixture
def kent():
    return Practice.objects.get(title="Kent International Business")


@pytest.fixture
def xport():
    return Practice.objects.get(slug="xport-accelerator")


@pytest.fixture
def ergo():
    return Practice.objects.get(slug__startswith="emilia-romagna")


def test_preview_tells_new_changed_unchanged_and_broken_rows_apart(expert_client, kent, ergo):
    before = {p.slug: (p.title, p.summary) for p in Practice.objects.all()}
    upload = _csv(
        [
            ["new-export-helpdesk", "Export helpdesk", "A helpdesk.", "", "", "", "", ""],
            _row(kent, summary="A new summary for Kent."),
            _row(ergo),
            ["broken-barrier", "Broken", "", "", "", "", "no-such-barrier", ""],
            ["broken-years", "Bad years", "", "", "2020", "2001", "", ""],
        ]
    )
    response = _preview(expert_client, upload)
    page = response.content.decode()
    assert response.context["job"].state == "rejected"
    # Rejected rows are shown first, each with why.
    assert _outcomes(response) == [
        ("broken-barrier", "Rejected", [], ["barriers: Unknown barrier: no-such-barrier."]),
        ("broken-years", "Rejected", [], ["The end year cannot be before the start year."]),
    ]
    assert "Unknown barrier: no-such-barrier." in page
    # Every row, with what would happen to it.
    job = response.context["job"]
    response = expert_client.get(
        reverse("admin:practices_practice_import_job", args=[job.pk]) + "?show=all"
    )
    assert _outcomes(response) == [
        ("new-export-helpdesk", "Will be created", [], []),
        (kent.slug, "Will be changed", ["summary"], []),
        (ergo.slug, "Unchanged, skipped", [], []),
        ("broken-barrier", "Rejected", [], ["barriers: Unknown barrier: no-such-barrier."]),
        ("broken-years", "Rejected", [], ["The end year cannot be before the start year."]),
    ]
    assert "Nothing will be imported while a row is rejected" in page
    # No way to confirm while a row is broken, and nothing changed.
    assert "Confirm the import" not in page
    confirm = _confirm(expert_client, response)
    assert "This file is not waiting for confirmation." in confirm.content.decode()
    assert {p.slug: (p.title, p.summary) for p in Practice.objects.all()} == before


def test_preview_of_a_clean_file_then_confirm_applies_it(expert_client, expert, kent, ergo):
    upload = _csv(
        [
            [
                "new-export-helpdesk",
                "Export helpdesk",
                "A helpdesk.",
                "",
                "",
                "",
                "shortage-of-working-capital",
                "",
            ],
            _row(kent, summary="A new summary for Kent."),
            _row(ergo),
        ]
    )
    response = _preview(expert_client, upload)
    assert response.context["job"].state == "checked"
    assert [kind for _slug, kind, _c, _e in _outcomes(response)] == [
        "Will be created",
        "Will be changed",
        "Unchanged, skipped",
    ]
    assert "Confirm the import" in response.content.decode()
    # The dry run changed nothing.
    assert not Practice.objects.filter(slug="new-export-helpdesk").exists()

    response = _confirm(expert_client, response)
    assert "Import finished: 1 new, 1 updated, 1 unchanged." in response.content.decode()
    new = Practice.objects.get(slug="new-export-helpdesk")
    assert new.status == "draft" and new.created_by == expert
    assert list(new.barriers.values_list("slug", flat=True)) == ["shortage-of-working-capital"]
    kent.refresh_from_db()
    assert kent.summary == "A new summary for Kent." and kent.status == "published"
    assert kent.history.latest("history_date").history_user == expert


def test_a_row_that_breaks_between_preview_and_confirm_rolls_everything_back(expert_client, kent):
    upload = _csv(
        [
            _row(kent, summary="Changed in the file."),
            ["late-breaker", "Late breaker", "", "", "", "", "cultural-differences", ""],
        ]
    )
    response = _preview(expert_client, upload)
    Barrier.objects.filter(slug="cultural-differences").update(slug="renamed-meanwhile")
    response = _confirm(expert_client, response)
    page = response.content.decode()
    assert "Nothing was imported: 1 row(s) rejected." in page
    assert "Unknown barrier: cultural-differences." in page
    kent.refresh_from_db()
    assert kent.summary != "Changed in the file."
    assert not Practice.objects.filter(slug="late-breaker").exists()


def test_an_import_never_changes_status_or_validation(expert_client, kent):
    data = tablib.Dataset(headers=["slug", "title", "status", "validated"])
    data.append([kent.slug, kent.title, "archived", "1"])
    data.append(["sneaky", "Sneaky", "published", "1"])
    upload = SimpleUploadedFile("p.csv", data.export("csv").encode(), "text/csv")
    _confirm(expert_client, _preview(expert_client, upload))
    kent.refresh_from_db()
    sneaky = Practice.objects.get(slug="sneaky")
    assert kent.status == "published" and not kent.validated
    assert sneaky.status == "draft" and not sneaky.validated


@pytest.mark.parametrize("format_name", ["xlsx", "json"])
def test_xlsx_and_json_files_import_too(expert_client, format_name):
    data = tablib.Dataset(headers=["slug", "title", "topics"])
    data.append(["from-a-file", "From a file", "financial-support"])
    content = data.export(format_name)
    content = content if isinstance(content, bytes) else content.encode()
    upload = SimpleUploadedFile(f"p.{format_name}", content)
    response = _preview(expert_client, upload)
    assert [kind for _s, kind, _c, _e in _outcomes(response)] == ["Will be created"]


def test_a_file_of_another_kind_is_refused_with_a_message(expert_client):
    upload = SimpleUploadedFile("practices.txt", b"slug,title\n")
    response = expert_client.post(IMPORT_URL, {"import_file": upload})
    assert response.status_code == 200
    assert "Upload a file ending in .csv, .xlsx, .json." in response.content.decode()


def test_a_file_that_cannot_be_read_is_rejected_and_says_why(expert_client):
    upload = SimpleUploadedFile("practices.csv", b"title\nNo slug column\n")
    response = _preview(expert_client, upload)
    assert response.context["job"].state == "rejected"
    assert "The file has no “slug” column" in response.content.decode()


@pytest.mark.parametrize("format_name", ["csv", "xlsx", "json"])
def test_export_in_each_format_has_links_with_their_evidence(format_name, xport):
    dataset = PracticeResource().export(queryset=Practice.objects.filter(pk=xport.pk))
    content = dataset.export(format_name)
    loaded = tablib.Dataset().load(
        io.BytesIO(content) if isinstance(content, bytes) else content, format=format_name
    )
    row = dict(zip(loaded.headers, loaded[0], strict=True))
    assert row["slug"] == xport.slug
    exported = json.loads(row["barriers"])
    link = xport.barrier_links.get()
    assert exported == [
        {
            "barrier": link.barrier.slug,
            "basis": link.basis,
            "source": link.source.key,
            "reason": link.reason,
            "confirmed_by": "",
            "confirmed_at": "",
        }
    ]
    assert json.loads(row["topics"])[0]["topic"] == xport.topics.get().slug
    assert row["status"] == "published"
    assert "search_document" not in loaded.headers and "search_vector" not in loaded.headers
    if format_name == "json":
        assert json.loads(content)[0]["slug"] == xport.slug


def test_the_admin_export_downloads_a_file(expert_client):
    response = expert_client.get(reverse("admin:practices_practice_export"))
    assert response.status_code == 200
    form = response.context["form"]
    data = {"format": next(v for v, label in form.fields["format"].choices if label == "csv")}
    for name in form.fields:
        if name.startswith("practiceresource_"):
            data[name] = "on"
    response = expert_client.post(reverse("admin:practices_practice_export"), data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "Kent International Business" in response.content.decode()


def _import(rows, *, user=None, headers=HEADERS):
    """Import rows (lists in the order of ``headers``): the plan applied, or the plan rejected."""
    rows = [dict(zip(headers, row, strict=True)) for row in rows]
    try:
        return importing.practices_import(rows=rows, user=user)
    except importing.ImportRejected as error:
        return error.plan


def test_an_import_writes_the_evidence_of_each_link_and_never_confirms(xport, expert):
    link = xport.barrier_links.get()
    link.confirmed_by, link.confirmed_at = expert, link.practice.updated_at
    link.save()
    links = json.dumps(
        [
            {
                "barrier": "fragmented-support",
                "basis": "context",
                "source": "webinar-export-consortia-one-stop-shop",
                "reason": link.reason,
            },
            {
                "barrier": "limited-market-information",
                "basis": "expert",
                "source": "",
                "reason": "Its partners inform firms about foreign markets.",
                "confirmed_by": "someone",
                "confirmed_at": "2026-01-01T00:00:00+00:00",
            },
        ]
    )
    plan = _import([_row(xport, barriers=links)], user=expert)
    assert not plan.invalid
    kept = xport.barrier_links.get(barrier__slug="fragmented-support")
    added = xport.barrier_links.get(barrier__slug="limited-market-information")
    # The unchanged link keeps its confirmation; the file cannot confirm the new one.
    assert kept.confirmed_by == expert
    assert (added.basis, added.source, added.confirmed_at) == ("expert", None, None)
    assert added.reason == "Its partners inform firms about foreign markets."
    # The practice's version records the links as imported.
    version = xport.history.latest("history_date")
    assert set(version.barriers.values_list("barrier__slug", flat=True)) == {
        "fragmented-support",
        "limited-market-information",
    }


def test_changing_a_links_evidence_by_import_clears_its_confirmation(xport, expert):
    link = xport.barrier_links.get()
    link.confirmed_by, link.confirmed_at = expert, link.practice.updated_at
    link.save()
    links = json.dumps(
        [
            {
                "barrier": link.barrier.slug,
                "basis": "context",
                "source": "policy-brief-2021",
                "reason": "A different reason.",
            }
        ]
    )
    _import([_row(xport, barriers=links)], user=expert)
    link.refresh_from_db()
    assert (link.basis, link.reason, link.confirmed_at) == ("context", "A different reason.", None)


def test_exporting_then_importing_the_same_file_changes_nothing(kent, ergo):
    dataset = PracticeResource().export(queryset=Practice.objects.filter(pk__in=[kent.pk, ergo.pk]))
    plan = importing.practices_import_plan(rows=list(dataset.dict))
    assert [row.kind for row in plan.rows] == ["skip", "skip"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ('[{"barrier": "no-such-barrier"}]', "Unknown barrier: no-such-barrier."),
        ('[{"barrier": "fragmented-support", "basis": "rumour"}]', "Unknown basis: rumour."),
        ('[{"barrier": "fragmented-support", "source": "blog"}]', "Unknown source document: blog."),
        ('[{"barrier": "fragmented-support"}, {"barrier": "fragmented-support"}]', "linked twice"),
        ("[not json", "Not a valid list of links"),
    ],
)
def test_a_bad_list_of_links_rejects_the_row_and_says_why(xport, cell, message):
    plan = _import([_row(xport, barriers=cell)])
    assert plan.invalid
    assert message in str(plan.invalid[0].errors)
    assert xport.barrier_links.count() == 1
