"""Every change of a practice and of the taxonomy is kept, shown as a diff, and can be restored."""

import pytest
from django.urls import reverse
from django.utils import translation

from barriers.models import Barrier
from practices import services
from practices.models import Practice
from tests.admin_forms import change_form_data, change_url, form_post_data

pytestmark = pytest.mark.django_db


def _history_page(client, model_admin_name, pk):
    return client.get(reverse(f"admin:{model_admin_name}_history", args=[pk])).content.decode()


def test_an_admin_edit_is_kept_with_who_and_a_diff(client, admin_client, draft, expert):
    data = change_form_data(admin_client, draft, summary="A clearer summary.")
    client.force_login(expert)
    client.post(change_url(draft), data)
    latest = draft.history.latest("history_date")
    assert latest.history_user == expert and latest.summary == "A clearer summary."
    page = _history_page(client, "practices_practice", draft.pk)
    assert "A clearer summary." in page and "Vouchers pay part of a first export plan." in page
    assert "erik" in page


def test_each_workflow_step_appears_in_the_history(client, draft, contributor, expert):
    services.practice_submit(practice=draft, user=contributor)
    services.practice_return(practice=draft, user=expert, comment="Add costs.")
    services.practice_submit(practice=draft, user=contributor)
    services.practice_publish(practice=draft, user=expert)
    services.practice_validate(practice=draft, user=expert, opinion="Convincing.")
    reasons = list(
        draft.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert [r for r in reasons if r] == [
        "Submitted for review",
        "Returned to author: Add costs.",
        "Submitted for review",
        "Published",
        "Validated by an expert",
    ]
    client.force_login(expert)
    page = _history_page(client, "practices_practice", draft.pk)
    assert "Returned to author: Add costs." in page and "Convincing." in page


def test_links_to_barriers_are_part_of_the_history(draft):
    draft.barriers.add(Barrier.objects.get(slug="cultural-differences"))
    latest = draft.history.latest("history_date")
    assert set(latest.barriers.values_list("barrier__slug", flat=True)) == {
        "shortage-of-working-capital",
        "cultural-differences",
    }


def test_restoring_a_version_brings_back_its_text_but_not_its_status(
    client, admin_client, draft, contributor, expert
):
    first = draft.history.earliest("history_date")
    services.practice_submit(practice=draft, user=contributor)
    services.practice_publish(practice=draft, user=expert)
    draft.refresh_from_db()
    draft.summary = "An unfortunate edit."
    draft.save()

    url = reverse("admin:practices_practice_simple_history", args=[draft.pk, first.history_id])
    client.force_login(expert)
    page = client.get(url).content.decode()
    assert "Revert" in page
    form = admin_client.get(url).context["adminform"].form
    response = client.post(url, form_post_data(form, _save="Revert"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Vouchers pay part of a first export plan."
    assert draft.status == "published"  # the version was a draft; the life cycle is not undone
    assert draft.history.latest("history_date").history_user == expert


def test_a_contributor_sees_the_history_of_their_practice_but_cannot_restore(
    client, draft, contributor
):
    draft.summary = "Second wording."
    draft.save()
    first = draft.history.earliest("history_date")
    client.force_login(contributor)
    assert "Second wording." in _history_page(client, "practices_practice", draft.pk)
    url = reverse("admin:practices_practice_simple_history", args=[draft.pk, first.history_id])
    page = client.get(url).content.decode()
    assert 'value="Revert"' not in page


def test_taxonomy_changes_are_kept_and_can_be_restored(client, expert):
    barrier = Barrier.objects.get(slug="cultural-differences")
    old_name = barrier.name
    client.force_login(expert)
    url = reverse("admin:barriers_barrier_change", args=[barrier.pk])
    form = client.get(url).context["adminform"].form
    client.post(
        url,
        form_post_data(
            form,
            name_en="Cultural and language differences",
            name_fr="Différences culturelles et linguistiques",
            _save="1",
        ),
    )
    barrier.refresh_from_db()
    assert barrier.name == "Cultural and language differences"
    with translation.override("fr"):
        assert barrier.name == "Différences culturelles et linguistiques"
    latest = barrier.history.latest("history_date")
    assert latest.history_user == expert
    page = _history_page(client, "barriers_barrier", barrier.pk)
    assert old_name in page and "Cultural and language differences" in page

    previous = barrier.history.order_by("history_date").first()
    url = reverse("admin:barriers_barrier_simple_history", args=[barrier.pk, previous.history_id])
    form = client.get(url).context["adminform"].form
    assert client.post(url, form_post_data(form, _save="1")).status_code == 302
    barrier.refresh_from_db()
    assert barrier.name == old_name


def test_history_leaves_out_the_search_columns():
    fields = {f.name for f in Practice.history.model._meta.fields}
    assert "search_vector" not in fields and "search_document" not in fields
    assert {"title", "status", "expert_opinion"} <= fields


def test_restoring_a_version_brings_back_its_barrier_and_topic_links(client, draft, expert):
    before = draft.history.latest("history_date")
    original_barriers = set(draft.barriers.values_list("slug", flat=True))
    original_topics = set(draft.topics.values_list("slug", flat=True))
    # A later change of its own (another request: another object), so a version of its own.
    later = Practice.objects.get(pk=draft.pk)
    later.barriers.set([Barrier.objects.get(slug="low-digital-maturity")])
    later.topics.clear()

    url = reverse("admin:practices_practice_simple_history", args=[draft.pk, before.history_id])
    client.force_login(expert)
    form = client.get(url).context["adminform"].form
    assert client.post(url, form_post_data(form, _save="Revert")).status_code == 302

    assert set(draft.barriers.values_list("slug", flat=True)) == original_barriers
    assert set(draft.topics.values_list("slug", flat=True)) == original_topics
    assert original_barriers and original_topics


def test_one_save_is_one_version(client, expert, contributor, region_es):
    """Creating a practice with its links, or saving it in the admin, records one version."""
    practice = Practice.objects.create(title="One version", slug="one-version", region=region_es)
    practice.barriers.set(
        [Barrier.objects.get(slug="cultural-differences")], through_defaults={"basis": "expert"}
    )
    practice.topics.set([], through_defaults={})
    assert practice.history.count() == 1
    assert list(practice.history.get().barriers.values_list("barrier__slug", flat=True)) == [
        "cultural-differences"
    ]
    client.force_login(expert)
    data = change_form_data(client, practice, summary="Now with a summary.")
    assert client.post(change_url(practice), data).status_code == 302
    assert practice.history.count() == 2


def test_the_history_page_names_people_and_local_times(client, draft, expert):
    expert.first_name, expert.last_name = "Erika", "Expert"
    expert.save()
    services.practice_submit(practice=draft, user=expert)
    services.practice_publish(practice=draft, user=expert)
    services.practice_validate(practice=draft, user=expert, opinion="Sound and transferable.")
    client.force_login(expert)
    page = _history_page(client, "practices_practice", draft.pk)
    assert "Erika Expert" in page
    assert "Deleted user" not in page and "pk=None" not in page
    assert "Change reason" not in page and ">None<" not in page
    assert "Validated by an expert" in page  # what was done
    assert "nobody &rarr; Erika Expert" in page
    assert "+00:00" not in page  # no raw UTC time
    assert "CET" in page or "CEST" in page  # the site's time zone (Europe/Brussels)
    assert "Submitted for review &rarr; Published" in page  # statuses by their labels
