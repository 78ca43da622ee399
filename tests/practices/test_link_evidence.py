"""Every link between a practice and a barrier or topic says why, on what basis, from which
document, and whether an expert confirmed it; curators keep it so in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from barriers.models import Barrier
from practices import services
from practices.models import PracticeBarrier, PracticeTopic
from sources.models import Source
from tests.admin_forms import change_url, page_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, contributor):
    return services.practice_submit(practice=draft, user=contributor)


def _link(practice):
    return practice.barrier_links.get()


def test_a_link_without_evidence_cannot_be_published(submitted, expert):
    PracticeBarrier.objects.filter(practice=submitted).update(reason="", basis="")
    with pytest.raises(ValidationError) as refused:
        services.practice_publish(practice=submitted, user=expert)
    message = " ".join(refused.value.messages)
    assert "Shortage of working capital to finance exports" in message
    assert "a basis" in message and "a reason" in message
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_stated_link_needs_its_source_and_an_expert_link_its_confirmation(submitted, expert):
    link = _link(submitted)
    link.source = None
    link.save()
    assert services.practice_missing_for_publication(submitted) == [
        "evidence for “Shortage of working capital to finance exports”: the source document"
    ]
    link.basis = "expert"
    link.save()
    assert "an expert's confirmation" in services.practice_missing_for_publication(submitted)[0]
    services.practice_link_confirm(link=link, user=expert)
    assert services.practice_missing_for_publication(submitted) == []
    assert services.practice_publish(practice=submitted, user=expert).status == "published"


def test_only_an_expert_confirms_a_link(draft, contributor, expert):
    link = _link(draft)
    with pytest.raises(Exception, match="Only a platform expert"):
        services.practice_link_confirm(link=link, user=contributor)
    services.practice_link_confirm(link=link, user=expert)
    link.refresh_from_db()
    assert link.confirmed_by == expert and link.confirmed_at is not None


def _edit_link(client, practice, **fields):
    """Change the first barrier link of ``practice`` on its admin page, as a browser would."""
    response = client.get(change_url(practice))
    assert response.status_code == 200
    data = page_post_data(response, _save="Save")
    for name, value in fields.items():
        key = f"barrier_links-0-{name}"
        if value is True:
            data[key] = "on"
        elif value is False:
            data.pop(key, None)
        else:
            data[key] = value
    response = client.post(change_url(practice), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return PracticeBarrier.objects.get(pk=_link(practice).pk)


def test_an_expert_confirms_a_link_in_the_admin_inline(client, draft, expert):
    client.force_login(expert)
    link = _edit_link(client, draft, confirmed=True)
    assert link.confirmed_by == expert and link.confirmed_at is not None
    # Saving again keeps the confirmation as it was given.
    again = _edit_link(client, draft)
    assert (again.confirmed_by, again.confirmed_at) == (expert, link.confirmed_at)


def test_changing_the_evidence_clears_the_confirmation(client, draft, contributor, expert):
    services.practice_link_confirm(link=_link(draft), user=expert)
    client.force_login(contributor)  # the author, still editing the draft
    link = _edit_link(client, draft, reason="Vouchers pay for the first export costs.")
    assert link.reason == "Vouchers pay for the first export costs."
    assert link.confirmed_at is None and link.confirmed_by is None


def test_a_contributor_cannot_confirm_a_link(client, draft, contributor):
    client.force_login(contributor)
    response = client.get(change_url(draft))
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.fields["confirmed"].disabled
    link = _edit_link(client, draft, confirmed=True)  # a forged tick changes nothing
    assert link.confirmed_at is None


def test_an_expert_adds_and_removes_links_with_their_evidence(client, draft, expert):
    client.force_login(expert)
    response = client.get(change_url(draft))
    data = page_post_data(response, _save="Save")
    cultural = Barrier.objects.get(slug="cultural-differences")
    source = Source.objects.get(key="policy-brief-2017")
    data.update(
        {
            "barrier_links-TOTAL_FORMS": "2",
            "barrier_links-1-barrier": str(cultural.pk),
            "barrier_links-1-basis": "context",
            "barrier_links-1-source": str(source.pk),
            "barrier_links-1-reason": "The brief names culture as a hurdle.",
            "topic_links-0-DELETE": "on",
        }
    )
    assert client.post(change_url(draft), data).status_code == 302
    added = draft.barrier_links.get(barrier=cultural)
    assert (added.basis, added.source, added.confirmed_at) == ("context", source, None)
    assert not PracticeTopic.objects.filter(practice=draft).exists()
    # The practice is found by the barrier it now addresses.
    draft.refresh_from_db()
    assert "Cultural and business-culture differences" in draft.search_document


def test_the_history_keeps_each_version_of_the_evidence(client, draft, expert):
    client.force_login(expert)
    before = _link(draft).reason
    _edit_link(client, draft, reason="A better reason, checked against the source.")
    versions = list(draft.history.order_by("-history_date", "-history_id")[:2])
    reasons = [list(v.barriers.values_list("reason", flat=True)) for v in versions]
    assert reasons == [["A better reason, checked against the source."], [before]]
    page = client.get(reverse("admin:practices_practice_history", args=[draft.pk])).content.decode()
    assert "A better reason, checked against the source." in page


def test_restoring_a_version_brings_back_its_links_with_their_evidence(client, draft, expert):
    before = draft.history.latest("history_date")
    original = _link(draft)
    client.force_login(expert)
    _edit_link(client, draft, reason="Changed after the version.", basis="context")
    url = reverse("admin:practices_practice_simple_history", args=[draft.pk, before.history_id])
    response = client.get(url)
    data = page_post_data(response, _save="Revert")
    assert client.post(url, data).status_code == 302
    restored = _link(draft)
    assert (restored.basis, restored.reason) == (original.basis, original.reason)


def test_the_dashboard_lists_unconfirmed_links_those_lacking_evidence_first(
    client, submitted, expert
):
    PracticeBarrier.objects.filter(practice=submitted).update(reason="")
    client.force_login(expert)
    response = client.get(reverse("curation-dashboard"))
    links = response.context["unconfirmed"]
    # The seed's 56 links are published and unconfirmed, plus the two of the submitted practice.
    assert response.context["unconfirmed_count"] == 35 + 21 + 2
    assert (links[0].practice, links[0].missing) == (submitted, ["a reason"])
    page = response.content.decode()
    assert "58 links not yet confirmed by an expert" in page
    services.practice_link_confirm(link=PracticeTopic.objects.get(practice=submitted), user=expert)
    assert client.get(reverse("curation-dashboard")).context["unconfirmed_count"] == 57
