"""The links of a practice to barriers and topics in its admin page: inlines with their evidence,
an expert's confirmation, and how the history page shows them (practices.admin uses these)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.template_utils import HistoricalRecordContextHelper

from . import services
from .history_display import person_name, readable_value
from .models import PracticeBarrier, PracticeLink, PracticeTopic
from .roles import is_reviewer


class PracticeLinkForm(forms.ModelForm):
    """A link with its evidence; an expert ticks "confirmed" to put their name to it."""

    confirmed = forms.BooleanField(
        label=gettext_lazy("Confirmed by an expert"),
        required=False,
        help_text=gettext_lazy("Experts only. Changing the evidence clears a confirmation."),
    )

    request = None  # set by PracticeLinkInline.get_formset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].initial = self.instance.is_confirmed
        if self.request is None or not is_reviewer(self.request.user):
            self.fields["confirmed"].disabled = True

    def save(self, commit=True):
        link = super().save(commit=False)
        services.practice_link_set_confirmation(
            link=link,
            user=self.request.user,
            confirmed=self.cleaned_data.get("confirmed", False),
            evidence_changed=bool(set(self.changed_data) & services.LINK_EVIDENCE_FIELDS),
        )
        if commit:
            link.save()
        return link


class PracticeLinkInline(admin.StackedInline):
    form = PracticeLinkForm
    extra = 0
    readonly_fields = ["confirmed_by", "confirmed_at"]
    classes = ["practice-links"]

    def get_fields(self, request, obj=None):
        return [
            self.target,
            ("basis", "source"),
            "reason",
            ("confirmed", "confirmed_by", "confirmed_at"),
        ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (formset.form,), {"request": request})
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "confirmed_by")

    # Whoever may edit the practice may edit its links (PracticeAdmin.has_change_permission).
    def _may_edit(self, request, practice):
        if practice is None:
            return request.user.has_perm("practices.add_practice")
        return services.practice_can_edit(practice=practice, user=request.user)

    def has_add_permission(self, request, obj):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("practices.view_practice") or self._may_edit(request, obj)


class PracticeBarrierInline(PracticeLinkInline):
    model = PracticeBarrier
    target = "barrier"
    autocomplete_fields = ["barrier", "source"]
    verbose_name = gettext_lazy("barrier addressed, with its evidence")
    verbose_name_plural = gettext_lazy("Barriers addressed, with their evidence")


class PracticeTopicInline(PracticeLinkInline):
    model = PracticeTopic
    target = "topic"
    autocomplete_fields = ["topic", "source"]
    verbose_name = gettext_lazy("policy topic, with its evidence")
    verbose_name_plural = gettext_lazy("Policy topics, with their evidence")


class PracticeHistoryContext(HistoricalRecordContextHelper):
    """The history page shows a change of links with their evidence, not only their names."""

    LINK_FIELDS = {"barriers": "barrier", "topics": "topic"}

    def prepare_delta_change_value(self, change, value):
        target = self.LINK_FIELDS.get(change.field)
        if target is None:
            return readable_value(self.model._meta.get_field(change.field), value)
        basis = dict(PracticeLink.Basis.choices)
        lines = []
        for link in value:
            parts = [str(basis.get(link.get("basis"), _("no basis")))]
            if link.get("source"):
                parts.append(str(link["source"]))
            if link.get("reason"):
                parts.append(f"“{link['reason']}”")
            confirmed_by = person_name(link.get("confirmed_by"))
            if confirmed_by:
                parts.append(_("confirmed by %(user)s") % {"user": confirmed_by})
            lines.append(f"{link[target]} ({'; '.join(parts)})")
        return lines
