"""The permission matrix: every role against every curation action, through the admin as a
browser would use it. Allowed actions must work; the others must be refused and change nothing.
"""

import pytest
from django.urls import reverse

from practices import services
from practices.models import Practice
from tests.admin_forms import change_form_data, change_url, workflow_url

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "other_contributor", "expert", "superuser"]

ALLOWED = {
    "view_draft": {"owner", "expert", "superuser"},
    "edit": {"owner", "expert", "superuser"},
    "submit": {"owner", "expert", "superuser"},
    "return": {"expert", "superuser"},
    "publish": {"expert", "superuser"},
    "validate": {"expert", "superuser"},
    "archive": {"expert", "superuser"},
    "import": {"expert", "superuser"},
    "restore": {"expert", "superuser"},
}


@pytest.fixture
def as_role(client, contributor, other_contributor, expert, superuser):
    users = {
        "owner": contributor,
        "other_contributor": other_contributor,
        "expert": expert,
        "superuser": superuser,
    }

    def login(role):
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return login


def _refused(response):
    """Refusals: 403, 404, or the admin sending the user to sign in or away from the object."""
    return response.status_code in {302, 403, 404, 405}


def _in_status(practice, status, contributor, expert):
    if status in {"submitted", "published"}:
        services.practice_submit(practice=practice, user=contributor)
    if status == "published":
        services.practice_publish(practice=practice, user=expert)
    practice.refresh_from_db()
    return practice


def _status(practice):
    return Practice.objects.get(pk=practice.pk).status


@pytest.mark.parametrize("role", ROLES)
def test_view_draft(as_role, draft, role):
    response = as_role(role).get(draft.get_absolute_url())
    if role in ALLOWED["view_draft"]:
        assert response.status_code == 200
        assert draft.title in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_edit(as_role, admin_client, draft, role):
    data = change_form_data(admin_client, draft, title="Edited title")
    response = as_role(role).post(change_url(draft), data)
    draft.refresh_from_db()
    if role in ALLOWED["edit"]:
        assert response.status_code == 302
        assert draft.title == "Edited title"
    else:
        assert _refused(response)
        assert draft.title != "Edited title"


@pytest.mark.parametrize(
    ("action", "start", "end", "text"),
    [
        ("submit", "draft", "submitted", ""),
        ("return", "submitted", "returned", "Please add the costs."),
        ("publish", "submitted", "published", ""),
        ("archive", "draft", "archived", ""),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_transitions(as_role, draft, contributor, expert, role, action, start, end, text):
    practice = _in_status(draft, start, contributor, expert)
    response = as_role(role).post(workflow_url(practice, action), {"comment": text})
    if role in ALLOWED[action]:
        assert response.status_code == 302
        assert _status(practice) == end
        assert practice.transitions.filter(action=action).exists()
    else:
        assert _refused(response)
        assert _status(practice) == start


@pytest.mark.parametrize("role", ROLES)
def test_validate(as_role, draft, contributor, expert, role):
    practice = _in_status(draft, "published", contributor, expert)
    response = as_role(role).post(workflow_url(practice, "validate"), {"comment": "Sound."})
    practice.refresh_from_db()
    if role in ALLOWED["validate"]:
        assert response.status_code == 302
        assert practice.validated and practice.expert_opinion == "Sound."
    else:
        assert _refused(response)
        assert not practice.validated


@pytest.mark.parametrize("role", ROLES)
def test_import(as_role, role):
    response = as_role(role).get(reverse("admin:practices_practice_import"))
    if role in ALLOWED["import"]:
        assert response.status_code == 200
        assert 'name="import_file"' in response.content.decode()
    else:
        assert _refused(response)


@pytest.mark.parametrize("role", ROLES)
def test_restore_a_version(as_role, admin_client, draft, role):
    old_title = draft.title
    first_version = draft.history.earliest("history_date")
    draft.title = "A later title"
    draft.save()
    url = reverse(
        "admin:practices_practice_simple_history", args=[draft.pk, first_version.history_id]
    )
    data = admin_client.get(url).context["adminform"].form
    from tests.admin_forms import form_post_data

    response = as_role(role).post(url, form_post_data(data, _save="Revert"))
    draft.refresh_from_db()
    if role in ALLOWED["restore"]:
        assert response.status_code == 302
        assert draft.title == old_title
    else:
        assert _refused(response)
        assert draft.title == "A later title"


@pytest.mark.parametrize("role", ["owner", "other_contributor"])
def test_contributors_cannot_export(as_role, role):
    response = as_role(role).get(reverse("admin:practices_practice_export"))
    assert response.status_code == 403
