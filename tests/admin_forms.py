"""Turn an admin form, as the page shows it, into the POST data a browser would send."""

from django import forms
from django.urls import reverse


def form_post_data(form, **overrides):
    data = {}
    for bound in form:
        value = bound.value()
        field = bound.field
        if isinstance(field, forms.ModelMultipleChoiceField):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value or []]
        elif isinstance(field, forms.ModelChoiceField):
            data[bound.html_name] = "" if value in (None, "") else str(value)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        else:
            formatted = field.widget.format_value(value)
            data[bound.html_name] = "" if formatted is None else formatted
    data.update(overrides)
    return data


def change_url(practice):
    return reverse("admin:practices_practice_change", args=[practice.pk])


def workflow_url(practice, action):
    return reverse("admin:practices_practice_workflow", args=[practice.pk, action])


def change_form_data(admin_client, practice, **overrides):
    """The change form of ``practice`` as a superuser sees it, with ``overrides`` typed in."""
    response = admin_client.get(change_url(practice))
    assert response.status_code == 200
    return form_post_data(response.context["adminform"].form, _save="Save", **overrides)
