"""The curation life cycle: draft -> submitted -> published, returned, archived, validated."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from practices import services
from practices.duplicates import similar_practices
from practices.models import Practice, PracticeTransition
from projects.models import Region
from tests.admin_forms import NO_LINKS, change_form_data, change_url, workflow_url

pytestmark = pytest.mark.django_db


def test_the_whole_journey_records_who_when_and_why(draft, contributor, expert):
    services.practice_submit(practice=draft, user=contributor)
    services.practice_return(practice=draft, user=expert, comment="Add the evidence of success.")
    draft.refresh_from_db()
    assert draft.status == "returned"
    services.practice_submit(practice=draft, user=contributor, comment="Evidence added.")
    services.practice_publish(practice=draft, user=expert)
    services.practice_validate(practice=draft, user=expert, opinion="A clear, transferable scheme.")
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    assert draft.validated and draft.validated_by == expert and draft.validated_at
    assert draft.expert_opinion == "A clear, transferable scheme."
    steps = list(draft.transitions.order_by("at", "pk").values_list("action", "by", "comment"))
    assert steps == [
        ("submit", contributor.pk, ""),
        ("return", expert.pk, "Add the evidence of success."),
        ("submit", contributor.pk, "Evidence added."),
        ("publish", expert.pk, ""),
        ("validate", expert.pk, "A clear, transferable scheme."),
    ]


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("draft", services.practice_publish),
        ("draft", services.practice_unpublish),
        ("published", services.practice_submit),
        ("returned", services.practice_publish),
        ("archived", services.practice_archive),
    ],
)
def test_only_allowed_transitions_happen(draft, expert, status, service):
    Practice.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be"):
        service(practice=draft, user=expert)
    draft.refresh_from_db()
    assert draft.status == status
    assert not PracticeTransition.objects.filter(practice=draft).exists()


def test_returning_needs_a_comment_and_validating_an_opinion(draft, contributor, expert):
    services.practice_submit(practice=draft, user=contributor)
    with pytest.raises(ValidationError, match="Say what the author should change"):
        services.practice_return(practice=draft, user=expert, comment="  ")
    services.practice_publish(practice=draft, user=expert)
    with pytest.raises(ValidationError, match="Write the expert opinion"):
        services.practice_validate(practice=draft, user=expert, opinion="")


def test_a_draft_cannot_be_validated(draft, expert):
    with pytest.raises(ValidationError, match="Only a practice under review or published"):
        services.practice_validate(practice=draft, user=expert, opinion="Good.")
    assert "validate" not in services.practice_allowed_actions(practice=draft, user=expert)


def test_an_expert_validates_during_review_and_the_validation_survives_publication(
    draft, contributor, expert
):
    draft = services.practice_submit(practice=draft, user=contributor)
    assert "validate" in services.practice_allowed_actions(practice=draft, user=expert)
    services.practice_validate(practice=draft, user=expert, opinion="Sound and transferable.")
    draft.refresh_from_db()
    assert (draft.status, draft.validated, draft.validated_by) == ("submitted", True, expert)
    services.practice_publish(practice=draft, user=expert)
    draft.refresh_from_db()
    assert draft.validated and draft.expert_opinion == "Sound and transferable."


def test_publishing_lists_what_is_missing(contributor, expert):
    practice = Practice.objects.create(
        title="Half-written practice", slug="half-written", created_by=contributor
    )
    services.practice_submit(practice=practice, user=contributor)
    with pytest.raises(ValidationError) as error:
        services.practice_publish(practice=practice, user=expert)
    message = error.value.messages[0]
    for missing in [
        "a summary",
        "a description of at least 40 words",
        "its evidence of success",
        "its source document",
        "at least one barrier",
        "at least one policy topic",
        "a location (region)",
    ]:
        assert missing in message
    practice.refresh_from_db()
    assert practice.status == "submitted"


def test_a_title_a_summary_and_one_sentence_cannot_be_published(draft, contributor, expert):
    draft.description = "One sentence is not a description."
    draft.save()
    services.practice_submit(practice=draft, user=contributor)
    with pytest.raises(ValidationError, match="a description of at least 40 words"):
        services.practice_publish(practice=draft, user=expert)


def test_the_change_page_names_what_is_missing(client, contributor, expert):
    practice = Practice.objects.create(
        title="Half-written practice", slug="half-written", created_by=contributor
    )
    client.force_login(expert)
    page = client.get(change_url(practice)).content.decode()
    assert "Missing before it can be published:" in page
    assert "its source document" in page and "its evidence of success" in page


def test_a_contributor_cannot_review_their_own_practice(draft, contributor):
    services.practice_submit(practice=draft, user=contributor)
    with pytest.raises(PermissionDenied):
        services.practice_publish(practice=draft, user=contributor)
    with pytest.raises(PermissionDenied):
        services.practice_validate(practice=draft, user=contributor, opinion="Mine is great.")


def test_unpublishing_hides_the_practice_again(client, draft, contributor, expert):
    services.practice_submit(practice=draft, user=contributor)
    services.practice_publish(practice=draft, user=expert)
    assert client.get(draft.get_absolute_url()).status_code == 200
    services.practice_unpublish(practice=draft, user=expert, comment="Funding ended.")
    assert client.get(draft.get_absolute_url()).status_code == 404
    services.practice_archive(practice=draft, user=expert)
    draft.refresh_from_db()
    assert draft.status == "archived"


# --- In the admin -------------------------------------------------------------------------------


def test_the_change_page_offers_the_steps_the_user_may_take(client, draft, contributor, expert):
    client.force_login(contributor)
    page = client.get(change_url(draft)).content.decode()
    assert "Submit for review" in page and "Publish" not in page.split("Steps so far")[0]

    client.post(workflow_url(draft, "submit"))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    page = client.get(change_url(draft)).content.decode()
    assert "Submit for review" not in page
    assert 'name="_save"' not in page  # read-only for its author while under review

    client.force_login(expert)
    page = client.get(change_url(draft)).content.decode()
    for button in ["Return to author", "Publish", "Archive"]:
        assert f'value="{button}"' in page
    assert "Submitted for review" in page and contributor.username in page


def test_returning_from_the_change_page_shows_the_comment_to_the_author(
    client, draft, contributor, expert
):
    services.practice_submit(practice=draft, user=contributor)
    client.force_login(expert)
    response = client.post(
        workflow_url(draft, "return"), {"comment": "Name the region's agency."}, follow=True
    )
    assert "returned to author" in response.content.decode()
    client.force_login(contributor)
    page = client.get(change_url(draft)).content.decode()
    assert "Returned to author" in page and "Name the region&#x27;s agency." in page
    assert 'name="_save"' in page  # the author can edit it again


def test_the_change_page_says_what_is_missing_before_publishing(client, contributor, expert):
    practice = Practice.objects.create(title="Bare", slug="bare", created_by=contributor)
    services.practice_submit(practice=practice, user=contributor)
    client.force_login(expert)
    page = client.get(change_url(practice)).content.decode()
    assert "Missing before it can be published:" in page and "at least one barrier" in page
    response = client.post(workflow_url(practice, "publish"), follow=True)
    assert "Before publishing, this practice needs" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == "submitted"


def test_workflow_buttons_answer_post_only(client, draft, contributor):
    client.force_login(contributor)
    assert client.get(workflow_url(draft, "submit")).status_code == 405
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_nobody_sets_the_status_through_the_form(client, admin_client, draft, expert):
    data = change_form_data(admin_client, draft, status="published", validated="on")
    client.force_login(expert)
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.validated


def test_changelist_actions_use_the_same_rules(client, draft, make_practice, contributor, expert):
    incomplete = make_practice("Incomplete", status="submitted")
    services.practice_submit(practice=draft, user=contributor)
    client.force_login(expert)
    response = client.post(
        reverse("admin:practices_practice_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, incomplete.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 practice(s) changed." in page
    assert "Incomplete" in page and "needs" in page
    draft.refresh_from_db()
    incomplete.refresh_from_db()
    assert draft.status == "published" and incomplete.status == "submitted"


def test_contributors_are_not_offered_review_actions(client, draft, contributor):
    client.force_login(contributor)
    page = client.get(reverse("admin:practices_practice_changelist")).content.decode()
    assert "submit_selected" in page
    assert "publish_selected" not in page and "archive_selected" not in page


def test_a_new_practice_is_a_draft_by_its_author(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("admin:practices_practice_add"),
        {"title": "Mentoring for export starters", "slug": "mentoring-export-starters", **NO_LINKS},
    )
    assert response.status_code == 302
    practice = Practice.objects.get(slug="mentoring-export-starters")
    assert practice.status == "draft" and practice.created_by == contributor
    page = client.get(reverse("admin:practices_practice_changelist")).content.decode()
    assert "Mentoring for export starters" in page
    assert "Kent International Business" not in page  # only their own practices


def test_a_close_title_warns_and_links_to_the_existing_practice(client, expert):
    existing = Practice.objects.get(title="Kent International Business")
    client.force_login(expert)
    data = {"title": "Kent International Busines", "slug": "kent-2", **NO_LINKS}
    response = client.post(reverse("admin:practices_practice_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A practice with a similar title exists" in page
    assert reverse("admin:practices_practice_change", args=[existing.pk]) in page
    assert not Practice.objects.filter(slug="kent-2").exists()

    response = client.post(
        reverse("admin:practices_practice_add"), {**data, "confirm_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Practice.objects.filter(slug="kent-2").exists()


def test_a_longer_name_of_a_practice_of_the_same_region_is_flagged(client, expert):
    existing = Practice.objects.get(slug="export-consortia-cantabria")  # "Export Consortia"
    client.force_login(expert)
    data = {"title": "Export Consortia Programme of Cantabria", "slug": "ecpc", **NO_LINKS}
    response = client.post(
        reverse("admin:practices_practice_add"), {**data, "region": existing.region_id}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A practice with a similar title exists" in page
    assert reverse("admin:practices_practice_change", args=[existing.pk]) in page
    # The same title elsewhere, by another institution, is a practice of its own.
    other_region = Region.objects.exclude(pk=existing.region_id).first()
    response = client.post(
        reverse("admin:practices_practice_add"), {**data, "region": other_region.pk}
    )
    assert response.status_code == 302


def test_the_same_institution_weighs_like_the_same_region():
    existing = Practice.objects.get(slug="export-consortia-cantabria")
    similar = similar_practices(
        "Export Consortia Programme of Cantabria", institution=existing.institution
    )
    assert [practice.slug for practice in similar] == ["export-consortia-cantabria"]
    assert similar_practices("Export Consortia Programme of Cantabria") == []


def test_a_distinct_title_saves_without_warning(client, expert):
    client.force_login(expert)
    response = client.post(
        reverse("admin:practices_practice_add"),
        {"title": "Trade missions for food producers", "slug": "trade-missions-food", **NO_LINKS},
    )
    assert response.status_code == 302


# --- On the public site ---------------------------------------------------------------------


def _published_and_validated(draft, contributor, expert):
    services.practice_submit(practice=draft, user=contributor)
    services.practice_publish(practice=draft, user=expert)
    return services.practice_validate(
        practice=draft, user=expert, opinion="Simple to run and easy to transfer."
    )


def test_the_public_page_shows_the_validation_badge_opinion_role_and_date(
    client, draft, contributor, expert
):
    practice = _published_and_validated(draft, contributor, expert)
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Expert-validated" in page
    assert "Simple to run and easy to transfer." in page
    assert "Platform expert" in page
    assert timezone.localtime(practice.validated_at).strftime("%-d %B %Y") in page
    assert expert.username not in page


def test_the_validated_practice_is_found_with_its_badge(client, draft, contributor, expert):
    _published_and_validated(draft, contributor, expert)
    page = client.get("/practices/", {"q": "vouchers", "validated": "1"}).content.decode()
    assert "Regional export vouchers for first-time exporters" in page
    assert "Expert-validated" in page


@pytest.mark.parametrize(
    ("who", "status_code"),
    [("anonymous", 404), ("contributor", 200), ("other_contributor", 404), ("expert", 200)],
)
def test_preview_of_a_draft(client, draft, request, who, status_code):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == status_code
    if status_code == 200:
        assert "Preview: this practice is not published" in response.content.decode()


def test_drafts_are_not_listed_for_anyone_in_search(client, draft, expert):
    client.force_login(expert)
    assert "Regional export vouchers" not in client.get("/practices/?q=vouchers").content.decode()


# --- The curators' dashboard ------------------------------------------------------------------


def test_dashboard_lists_reviews_oldest_first_returned_and_data_quality(
    client, make_practice, contributor, expert
):
    older = make_practice("Older submission", status="draft", created_by=contributor)
    newer = make_practice("Newer submission", status="draft", created_by=contributor)
    services.practice_submit(practice=older, user=contributor)
    PracticeTransition.objects.filter(practice=older).update(at=timezone.now() - timedelta(days=3))
    services.practice_submit(practice=newer, user=contributor)
    sent_back = make_practice("Sent back", status="submitted", created_by=contributor)
    services.practice_return(practice=sent_back, user=expert, comment="Too short.")
    stale = make_practice("Stale one")
    Practice.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=800))

    client.force_login(expert)
    assert "Curators’ dashboard" in client.get(reverse("admin:index")).content.decode()
    response = client.get(reverse("curation-dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    waiting = page.split('id="waiting-heading"')[1].split('id="returned-heading"')[0]
    assert waiting.index("Older submission") < waiting.index("Newer submission")
    returned = page.split('id="returned-heading"')[1].split('id="quality-heading"')[0]
    assert "Sent back" in returned and "Too short." in returned
    quality = page.split('id="quality-heading"')[1]
    assert "Published but not linked to any barrier" in quality and "Stale one" in quality
    assert "not updated for two years" in quality
    counts = dict((label, count) for _value, label, count in response.context["status_counts"])
    assert counts["Submitted for review"] == 2 and counts["Returned to author"] == 1


def test_dashboard_is_for_reviewers_only(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("curation-dashboard")).status_code == 403
    assert "Curators’ dashboard" not in client.get(reverse("admin:index")).content.decode()
    client.logout()
    assert client.get(reverse("curation-dashboard")).status_code == 302


# --- Signing in -------------------------------------------------------------------------------


def test_repeated_failed_sign_ins_are_throttled(client, expert, settings):
    url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "erik", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert client.post(url, {"username": "erik", "password": "wrong"}).status_code == 429
    # Now even the right password is refused for a while.
    response = client.post(url, {"username": "erik", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "Try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_password_signs_in_and_the_session_ends_when_idle(client, expert, settings):
    response = client.post(
        reverse("admin:login"), {"username": "erik", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    client.get(reverse("admin:index"))
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_TIMEOUT == 30 * 60
