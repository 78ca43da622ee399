"""The admin's import of practices, as background jobs (``practices.importing``).

Upload a file: a job checks it in the worker while the page shows its progress (rows done of
rows total; JavaScript updates it in place from a small JSON answer, without it the page reloads
itself); then the page shows the preview, row by row, and a button to confirm; the import then
runs in the worker, with its progress, and the page shows the result. The curator may leave and
come back: the upload page lists the recent imports.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import importing
from .models import ImportJob

ROWS_PER_PAGE = 200
RECENT_JOBS = 20
# The preview's filter: which rows to show.
ROW_KINDS = {
    "all": gettext_lazy("All rows"),
    importing.INVALID: gettext_lazy("Rejected"),
    importing.NEW: gettext_lazy("Will be created"),
    importing.UPDATE: gettext_lazy("Will be changed"),
    importing.SKIP: gettext_lazy("Unchanged, skipped"),
}
# Once imported, the same rows in the past tense.
DONE_KINDS = {
    importing.NEW: gettext_lazy("Created"),
    importing.UPDATE: gettext_lazy("Changed"),
    importing.SKIP: gettext_lazy("Unchanged"),
}


class ImportFileForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy(
            "CSV, XLSX or JSON, with the columns of the export. Rows are matched by slug."
        ),
    )


class ImportViews:
    """Mixed into PracticeAdmin: the import's pages."""

    def import_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_start_view), name="practices_practice_import"),
            path(
                "import/<int:job_id>/",
                view(self.import_job_view),
                name="practices_practice_import_job",
            ),
            path(
                "import/<int:job_id>/progress/",
                view(self.import_progress_view),
                name="practices_practice_import_progress",
            ),
            path(
                "import/<int:job_id>/confirm/",
                view(require_POST(self.import_confirm_view)),
                name="practices_practice_import_confirm",
            ),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def _import_allowed(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied

    def _import_context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
        }

    def import_start_view(self, request):
        self._import_allowed(request)
        form = ImportFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            try:
                job = importing.import_job_create(
                    user=request.user, file_name=upload.name, content=upload.read()
                )
            except ValueError as error:
                form.add_error("import_file", str(error))
            else:
                return HttpResponseRedirect(_job_url(job))
        context = {
            **self._import_context(request, _("Import practices")),
            "form": form,
            "jobs": ImportJob.objects.select_related("created_by", "confirmed_by")
            .defer("content", "report")
            .order_by("-created_at", "-pk")[:RECENT_JOBS],
            "columns": _columns(),
        }
        return TemplateResponse(request, "admin/practices/practice/import_start.html", context)

    def import_job_view(self, request, job_id):
        self._import_allowed(request)
        job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)
        report = job.report or {}
        rows = report.get("rows", [])
        counts = report.get("counts", {})
        default = importing.INVALID if counts.get(importing.INVALID) else "all"
        shown = request.GET.get("show", default)
        if shown not in ROW_KINDS:
            shown = default
        if shown != "all":
            rows = [row for row in rows if row["kind"] == shown]
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        imported = job.state == ImportJob.State.IMPORTED
        labels = DONE_KINDS if imported else ROW_KINDS
        context = {
            **self._import_context(request, _("Import of %(file)s") % {"file": job.file_name}),
            "job": job,
            "page": page,
            "rows": [{**row, "label": labels.get(row["kind"], "")} for row in page],
            "shown": shown,
            "imported": imported,
            "filters": [
                {
                    "kind": kind,
                    "label": labels.get(kind, label),
                    "count": len(report.get("rows", [])) if kind == "all" else counts.get(kind, 0),
                }
                for kind, label in ROW_KINDS.items()
            ],
            "progress_url": reverse("admin:practices_practice_import_progress", args=[job.pk]),
            "confirm_url": reverse("admin:practices_practice_import_confirm", args=[job.pk]),
            "import_url": reverse("admin:practices_practice_import"),
        }
        return TemplateResponse(request, "admin/practices/practice/import_job.html", context)

    def import_progress_view(self, request, job_id):
        """The job's progress, for the page's script: small (the admin never caches it)."""
        self._import_allowed(request)
        job = get_object_or_404(
            ImportJob.objects.only("state", "rows_done", "rows_total"), pk=job_id
        )
        return JsonResponse(
            {
                "state": job.state,
                "state_label": job.get_state_display(),
                "working": job.is_working,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
            }
        )

    def import_confirm_view(self, request, job_id):
        self._import_allowed(request)
        job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_id)
        try:
            job = importing.import_job_confirm(job=job, user=request.user)
        except (importing.ImportInProgress, ValueError) as error:
            self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(_job_url(job))


def _job_url(job):
    return reverse("admin:practices_practice_import_job", args=[job.pk])


def _columns():
    from .resources import PracticeResource

    return [field.column_name for field in PracticeResource().get_export_fields()]
