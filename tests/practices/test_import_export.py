"""Bulk import and export of practices: a preview tells new, changed, unchanged and broken rows
apart, and an import with a broken row changes nothing."""

import io
import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from barriers.models import Barrier
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


def _csv(rows):
    data = tablib.Dataset(*rows, headers=HEADERS)
    return SimpleUploadedFile("practices.csv", data.export("csv").encode(), "text/csv")


def _format_index(client, name):
    form = client.get(IMPORT_URL).context["form"]
    return next(value for value, label in form.fields["format"].choices if label == name)


def _preview(client, upload, format_name="csv"):
    return client.post(
        IMPORT_URL,
        {"import_file": upload, "format": _format_index(client, format_name)},
    )


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
    assert response.status_code == 200
    result = response.context["result"]
    page = response.content.decode()

    assert result.has_validation_errors()
    invalid = {row.number: row for row in result.invalid_rows}
    assert set(invalid) == {4, 5}
    assert "Unknown barrier: no-such-barrier." in str(invalid[4].error_dict)
    assert "The end year cannot be before the start year." in str(invalid[5].error_dict)
    assert "Unknown barrier: no-such-barrier." in page
    assert "The end year cannot be before the start year." in page
    # The row-by-row table names each row and what would happen to it.
    outcomes = [
        (row["slug"], str(row["label"]), [str(r) for r in row["reasons"]])
        for row in response.context["row_outcomes"]
    ]
    assert outcomes == [
        ("new-export-helpdesk", "Will be created", []),
        (kent.slug, "Will be changed", ["Changes: summary"]),
        (ergo.slug, "Unchanged, skipped", []),
        ("broken-barrier", "Rejected", ["barriers: Unknown barrier: no-such-barrier."]),
        ("broken-years", "Rejected", ["The end year cannot be before the start year."]),
    ]
    assert "Nothing will be imported while a row is rejected" in page
    # No way to confirm while a row is broken, and nothing changed.
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert 'name="import_file_name"' not in page
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
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    kinds = [row.import_type for row in result.rows]
    assert kinds == ["new", "update", "skip"]
    page = response.content.decode()
    for label in ["New", "Update", "Skipped"]:
        assert label in page
    # The dry run changed nothing.
    assert not Practice.objects.filter(slug="new-export-helpdesk").exists()

    confirm = response.context["confirm_form"]
    response = expert_client.post(
        reverse("admin:practices_practice_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
        follow=True,
    )
    assert "Import finished: 1 new, 1 updated" in response.content.decode()
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
    confirm = response.context["confirm_form"]
    Barrier.objects.filter(slug="cultural-differences").update(slug="renamed-meanwhile")
    response = expert_client.post(
        reverse("admin:practices_practice_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
        follow=True,
    )
    assert "Nothing was imported" in response.content.decode()
    kent.refresh_from_db()
    assert kent.summary != "Changed in the file."
    assert not Practice.objects.filter(slug="late-breaker").exists()


def test_an_import_never_changes_status_or_validation(expert_client, kent):
    data = tablib.Dataset(headers=["slug", "title", "status", "validated"])
    data.append([kent.slug, kent.title, "archived", "1"])
    data.append(["sneaky", "Sneaky", "published", "1"])
    upload = SimpleUploadedFile("p.csv", data.export("csv").encode(), "text/csv")
    confirm = _preview(expert_client, upload).context["confirm_form"]
    expert_client.post(
        reverse("admin:practices_practice_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
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
    response = _preview(expert_client, upload, format_name)
    assert [row.import_type for row in response.context["result"].rows] == ["new"]


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


def _import(rows, *, dry_run=False, user=None):
    data = tablib.Dataset(*rows, headers=HEADERS)
    return PracticeResource().import_data(
        data, dry_run=dry_run, rollback_on_validation_errors=True, user=user
    )


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
    result = _import([_row(xport, barriers=links)], user=expert)
    assert not result.has_errors() and not result.has_validation_errors()
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
    result = PracticeResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows] == ["skip", "skip"]


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
    result = _import([_row(xport, barriers=cell)])
    assert result.has_validation_errors()
    assert message in str(result.invalid_rows[0].error_dict)
    assert xport.barrier_links.count() == 1
