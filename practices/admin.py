"""The curation admin: practices move through their life cycle only by the services' rules.

Contributors see and edit their own practices while draft or returned; experts review, publish,
validate, import, export and restore versions (see ``practices.roles``). The workflow fields
(status, publication, validation, author) are never edited in the form: the buttons on the change
page and the changelist actions call ``practices.services``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .admin_links import PracticeBarrierInline, PracticeHistoryContext, PracticeTopicInline
from .duplicates import similar_practices
from .history_display import local_time, person_name
from .import_admin import ImportViews
from .models import ImportJob, Practice, PracticeTransition
from .resources import PracticeResource
from .roles import is_reviewer

Action = PracticeTransition.Action

# Set only through the services (or, for the author and dates, by the system).
WORKFLOW_FIELDS = [
    "status",
    "published_at",
    "validated",
    "expert_opinion",
    "validated_by",
    "validated_at",
    "created_by",
    "created_at",
    "updated_at",
]


class PracticeAdminForm(forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=gettext_lazy("This is not a duplicate"),
        required=False,
        help_text=gettext_lazy(
            "Tick after checking that the similar practices listed above are different."
        ),
    )

    request = None  # set by PracticeAdmin.get_form

    class Meta:
        model = Practice
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "resources_needed",
            "evidence_of_success",
            "potential_for_transfer",
            "institution",
            "region",
            "implementation_level",
            "start_year",
            "end_year",
            "ongoing",
            "project",
            "tags",
            "source",
            "source_note",
        ]

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title")
        if self.instance.pk is None and title and not cleaned.get("confirm_not_duplicate"):
            similar = similar_practices(
                title, region=cleaned.get("region"), institution=cleaned.get("institution")
            )
            if similar:
                links = format_html_join(
                    ", ", "{}", ((self._link(practice),) for practice in similar)
                )
                self.add_error(
                    "title",
                    format_html(
                        "{} {}. {}",
                        _("A practice with a similar title exists:"),
                        links,
                        _("Check it, then tick “This is not a duplicate” to save anyway."),
                    ),
                )
        return cleaned

    def _link(self, practice):
        user = getattr(self.request, "user", None)
        if user is not None and is_reviewer(user):
            url = reverse("admin:practices_practice_change", args=[practice.pk])
        elif practice.status == Practice.Status.PUBLISHED:
            url = practice.get_absolute_url()
        else:
            return format_html("“{}” ({})", practice.title, practice.get_status_display())
        return format_html('<a href="{}">“{}”</a>', url, practice.title)


@admin.register(Practice)
class PracticeAdmin(ImportViews, ExportMixin, SimpleHistoryAdmin):
    form = PracticeAdminForm
    inlines = [PracticeBarrierInline, PracticeTopicInline]
    resource_classes = [PracticeResource]
    export_formats = [CSV, XLSX, JSON]
    # The export's button and the import's (practices.import_admin), which runs in the background.
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    change_form_template = "admin/practices/practice/change_form.html"
    list_display = [
        "title",
        "status",
        "validated",
        "created_by",
        "region",
        "institution",
        "project",
        "updated_at",
    ]
    list_filter = [
        "status",
        "validated",
        "implementation_level",
        "ongoing",
        "region__country",
        "project",
        "barriers",
        "topics",
        "source",
    ]
    list_select_related = ["region", "institution", "project", "created_by"]
    search_fields = ["title", "summary", "institution__name", "region__name", "project__acronym"]
    autocomplete_fields = ["institution", "region", "project", "source"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = WORKFLOW_FIELDS
    date_hierarchy = "updated_at"
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "archive_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        (
            gettext_lazy("What others can learn"),
            {"fields": ["resources_needed", "evidence_of_success", "potential_for_transfer"]},
        ),
        (
            gettext_lazy("Where and when"),
            {
                "fields": [
                    "institution",
                    "region",
                    "implementation_level",
                    ("start_year", "end_year", "ongoing"),
                    "project",
                ]
            },
        ),
        (
            gettext_lazy("Classification and sources"),
            {
                "fields": ["tags", "source", "source_note"],
                "description": gettext_lazy(
                    "The barriers and topics the practice addresses, each with its evidence, "
                    "are below the form."
                ),
            },
        ),
        (gettext_lazy("Publication and validation"), {"fields": WORKFLOW_FIELDS}),
    ]

    # --- Who sees and edits what -------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_reviewer(request.user):
            return queryset
        return queryset.filter(created_by=request.user)

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or is_reviewer(request.user) or obj.created_by_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.practice_can_edit(practice=obj, user=request.user)

    def has_review_permission(self, request):
        return is_reviewer(request.user)

    def has_import_permission(self, request):
        return request.user.has_perm("practices.import_practice")

    def has_export_permission(self, request):
        return request.user.has_perm("practices.export_practice")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The version this save recorded was taken before the inlines saved the links: bring it
        # up to date, so that it holds the links and their evidence as saved.
        services.practice_history_record_links(practice=form.instance)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            first = dict(fieldsets[0][1])
            first["fields"] = ["title", "confirm_not_duplicate", *first["fields"][1:]]
            fieldsets = [(fieldsets[0][0], first), *fieldsets[1:]]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            # The workflow fields never come from a form (a restored version included).
            current = Practice.objects.get(pk=obj.pk)
            for field in WORKFLOW_FIELDS:
                setattr(obj, field, getattr(current, field))
        else:
            obj.status = Practice.Status.DRAFT
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        version_id = getattr(request, "restoring_version_id", None)
        if version_id is not None and request.method == "POST":
            # Restoring a version (simple-history's form has no inlines) brings back its links
            # as they were, evidence included.
            services.practice_links_restore(
                practice=obj, version=Practice.history.get(history_id=version_id)
            )
            services.practice_history_record_links(practice=obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return PracticeHistoryContext(self.model, historical_record)

    # The history page in words a curator reads: who by name, when in local time, what was done.
    object_history_list_template = "admin/practices/practice/object_history_list.html"

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        done = {
            "+": _("Created"),
            "~": _("Edited"),
            "-": _("Deleted"),
        }
        for record in historical_records:
            record.when = local_time(record.history_date)
            record.person = person_name(record.history_user)
            record.what = record.history_change_reason or done[record.history_type]

    # --- Restoring a version: experts only ---------------------------------------------------

    def can_restore(self, request):
        return is_reviewer(request.user)

    def revert_disabled(self, request, obj=None):
        return not self.can_restore(request) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.can_restore(request):
            raise PermissionDenied
        request.restoring_version_id = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    # --- The workflow: buttons on the change page --------------------------------------------

    def get_urls(self):
        return [
            *self.import_urls(),
            path(
                "<path:object_id>/workflow/<slug:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="practices_practice_workflow",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        practice = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if practice is not None and self.has_view_permission(request, practice):
            extra_context.update(self.workflow_context(request, practice))
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, practice):
        allowed = services.practice_allowed_actions(practice=practice, user=request.user)
        return {
            "workflow_actions": [
                {
                    "action": action,
                    "label": WORKFLOW_BUTTONS[action],
                    "url": reverse("admin:practices_practice_workflow", args=[practice.pk, action]),
                    "needs_text": action in {Action.RETURN, Action.VALIDATE},
                }
                for action in allowed
            ],
            "missing_for_publication": services.practice_missing_for_publication(practice),
            "transitions": practice.transitions.select_related("by"),
            "preview_url": practice.get_absolute_url(),
        }

    @staticmethod
    def _redirect_to(practice):
        return HttpResponseRedirect(reverse("admin:practices_practice_change", args=[practice.pk]))

    def workflow_view(self, request, object_id, action):
        return require_POST(self._workflow)(request, object_id, action)

    def _workflow(self, request, object_id, action):
        practice = self.get_object(request, object_id)
        if practice is None:
            # Not in this user's queryset: another contributor's practice, or none at all.
            get_object_or_404(Practice, pk=object_id)
            raise PermissionDenied
        text = request.POST.get("comment", "")
        try:
            if action == Action.VALIDATE:
                practice = services.practice_validate(
                    practice=practice, user=request.user, opinion=text
                )
            elif action in services.SERVICES:
                practice = services.SERVICES[action](
                    practice=practice, user=request.user, comment=text
                )
            else:
                raise PermissionDenied
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return self._redirect_to(practice)
        self.message_user(
            request,
            _("“%(title)s”: %(action)s.")
            % {"title": practice.title, "action": Action(action).label.lower()},
            messages.SUCCESS,
        )
        if self.has_view_permission(request, practice):
            return self._redirect_to(practice)
        return HttpResponseRedirect(reverse("admin:practices_practice_changelist"))

    # --- The workflow: actions on the changelist ---------------------------------------------

    def _apply(self, request, queryset, service):
        done, refused = 0, []
        for practice in queryset:
            try:
                service(practice=practice, user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                reason = "; ".join(getattr(error, "messages", None) or [str(error)])
                refused.append(
                    _("“%(title)s”: %(reason)s") % {"title": practice.title, "reason": reason}
                )
        if done:
            self.message_user(
                request, _("%(count)d practice(s) changed.") % {"count": done}, messages.SUCCESS
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=gettext_lazy("Submit selected practices for review"))
    def submit_selected(self, request, queryset):
        self._apply(request, queryset, services.practice_submit)

    @admin.action(description=gettext_lazy("Publish selected practices"), permissions=["review"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, services.practice_publish)

    @admin.action(
        description=gettext_lazy("Unpublish selected practices (back to draft)"),
        permissions=["review"],
    )
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, services.practice_unpublish)

    @admin.action(description=gettext_lazy("Archive selected practices"), permissions=["review"])
    def archive_selected(self, request, queryset):
        self._apply(request, queryset, services.practice_archive)


WORKFLOW_BUTTONS = {
    Action.SUBMIT: gettext_lazy("Submit for review"),
    Action.RETURN: gettext_lazy("Return to author"),
    Action.PUBLISH: gettext_lazy("Publish"),
    Action.UNPUBLISH: gettext_lazy("Unpublish (back to draft)"),
    Action.ARCHIVE: gettext_lazy("Archive"),
    Action.VALIDATE: gettext_lazy("Validate with this expert opinion"),
}


@admin.register(PracticeTransition)
class PracticeTransitionAdmin(admin.ModelAdmin):
    list_display = ["at", "practice", "action", "from_status", "to_status", "by", "comment"]
    list_filter = ["action", "to_status"]
    list_select_related = ["practice", "by"]
    search_fields = ["practice__title", "comment"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The imports, to read, and to delete one whose worker was stopped while it ran (it would
    otherwise stay "Importing" and hold the place of the next import)."""

    list_display = ["file_name", "state", "rows_done", "rows_total", "created_by", "created_at"]
    list_filter = ["state"]
    list_select_related = ["created_by"]
    exclude = ["content", "report"]
    readonly_fields = [
        "file_name",
        "file_format",
        "state",
        "rows_done",
        "rows_total",
        "message",
        "created_by",
        "created_at",
        "confirmed_by",
        "finished_at",
        "task_id",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "report")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
