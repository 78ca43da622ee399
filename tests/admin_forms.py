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
    """The change form of ``practice`` as a superuser sees it, with ``overrides`` typed in: the
    practice's fields and its links with their evidence (the inlines)."""
    response = admin_client.get(change_url(practice))
    assert response.status_code == 200
    return page_post_data(response, _save="Save", **overrides)


def page_post_data(response, **overrides):
    """What a browser sends from an admin change page as shown: the form and its inlines."""
    data = form_post_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(form_post_data(formset.management_form))
        for form in formset.forms:
            data.update(form_post_data(form))
    data.update(overrides)
    return data


def link_rows(prefix, rows, *, initial=0):
    """POST data of an inline of links (``prefix`` barrier_links or topic_links) with ``rows``,
    each a dict of its fields, added after ``initial`` rows already shown."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(initial + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows, start=initial):
        for name, value in row.items():
            if value is True:
                value = "on"
            elif value is False:
                continue
            data[f"{prefix}-{number}-{name}"] = "" if value is None else str(value)
    return data


# An add form posted without any link: the inlines' management data alone.
NO_LINKS = {**link_rows("barrier_links", []), **link_rows("topic_links", [])}
