"""Import and export of practices (django-import-export), keyed by slug.

Links are written as slugs (barriers and topics as comma-separated slug lists, the region as its
NUTS code, the source as its key). An unknown slug makes the row invalid rather than being
dropped. Imported practices start as drafts; an import never changes a practice's status or
validation, which move only through the services in ``practices.services``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from barriers.models import Barrier, PolicyTopic
from projects.models import Organisation, Project, Region
from sources.models import Source

from .models import Practice


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        try:
            return self.model.objects.get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s with %(field)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    def clean(self, value, row=None, **kwargs):
        wanted = [item.strip() for item in str(value or "").split(self.separator) if item.strip()]
        found = list(self.model.objects.filter(**{f"{self.field}__in": wanted}))
        unknown = sorted(set(wanted) - {str(getattr(obj, self.field)) for obj in found})
        if unknown:
            raise ValueError(
                _("Unknown %(model)s: %(values)s.")
                % {"model": self.model._meta.verbose_name, "values": ", ".join(unknown)}
            )
        return found


class PracticeResource(resources.ModelResource):
    institution = fields.Field(
        attribute="institution",
        column_name="institution",
        widget=StrictForeignKeyWidget(Organisation, "slug"),
    )
    region = fields.Field(
        attribute="region", column_name="region", widget=StrictForeignKeyWidget(Region, "nuts_code")
    )
    project = fields.Field(
        attribute="project", column_name="project", widget=StrictForeignKeyWidget(Project, "slug")
    )
    source = fields.Field(
        attribute="source", column_name="source", widget=StrictForeignKeyWidget(Source, "key")
    )
    barriers = fields.Field(
        attribute="barriers",
        column_name="barriers",
        widget=StrictManyToManyWidget(Barrier, separator=",", field="slug"),
    )
    topics = fields.Field(
        attribute="topics",
        column_name="topics",
        widget=StrictManyToManyWidget(PolicyTopic, separator=",", field="slug"),
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    validated = fields.Field(
        attribute="validated",
        column_name="validated",
        readonly=True,
        widget=widgets.BooleanWidget(),
    )

    class Meta:
        model = Practice
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
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
            "barriers",
            "topics",
            "source",
            "status",
            "validated",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        store_row_values = True  # so that the preview can name every row by its slug

    def import_instance(self, instance, row, **kwargs):
        """Check the barrier and topic slugs too, so an unknown one makes the row invalid."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if instance.pk is None:
            instance.status = Practice.Status.DRAFT
            if user is not None and user.is_authenticated:
                instance.created_by = user
        if user is not None:
            instance._history_user = user
            instance._change_reason = _("Imported from a file")


def import_row_outcomes(result):
    """One line per row of an import preview: its slug, what will happen to it, and why."""
    invalid = {row.number: row for row in result.invalid_rows}
    outcomes = []
    for number, row in enumerate(result.rows, start=1):
        values = row.row_values or {}
        outcome = {"number": number, "slug": values.get("slug", ""), "kind": row.import_type}
        if row.import_type == row.IMPORT_TYPE_NEW:
            outcome["label"], outcome["reasons"] = _("Will be created"), []
        elif row.import_type == row.IMPORT_TYPE_UPDATE:
            changed = [
                header
                for header, html in zip(result.diff_headers, row.diff or [], strict=False)
                if "<ins" in html or "<del" in html
            ]
            outcome["label"] = _("Will be changed")
            outcome["reasons"] = [_("Changes: %(fields)s") % {"fields": ", ".join(changed)}]
        elif row.import_type == row.IMPORT_TYPE_SKIP:
            outcome["label"], outcome["reasons"] = _("Unchanged, skipped"), []
        elif row.import_type == row.IMPORT_TYPE_INVALID and number in invalid:
            outcome["label"] = _("Rejected")
            outcome["reasons"] = [
                f"{field}: {message}" if field != "__all__" else message
                for field, messages in invalid[number].error_dict.items()
                for message in messages
            ]
        else:
            outcome["label"] = _("Rejected")
            outcome["reasons"] = [str(error.error) for error in row.errors]
        outcomes.append(outcome)
    return outcomes
