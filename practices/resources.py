"""Import and export of practices (django-import-export), keyed by slug.

Links are written as slugs (the region as its NUTS code, the source as its key). Barriers and
topics carry their evidence: each column holds a JSON list, one object per link, with the barrier's
or topic's slug, the basis, the source's key and the reason (an export adds who confirmed the link
and when; an import never confirms: only an expert does, in the admin). A plain comma-separated
list of slugs is still read, as links without evidence. An unknown slug, basis or source makes the
row invalid rather than being dropped. Imported practices start as drafts; an import never changes
a practice's status or validation, which move only through the services in
``practices.services``.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from barriers.models import Barrier, PolicyTopic
from projects.models import Organisation, Project, Region
from sources.models import Source

from . import services
from .models import Practice, PracticeBarrier, PracticeLink, PracticeTopic


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


class LinkEvidenceWidget(widgets.Widget):
    """A practice's links of one kind (``link_model``) with their evidence, as a JSON list."""

    def __init__(self, link_model, target, target_model, **kwargs):
        self.link_model, self.target, self.target_model = link_model, target, target_model
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        """Unsaved links (target and evidence set), or ValueError saying what is wrong."""
        text = (value or "").strip() if isinstance(value, str) else value
        if not text:
            return []
        if isinstance(text, str) and not text.startswith("["):
            items = [{self.target: slug.strip()} for slug in text.split(",") if slug.strip()]
        else:
            try:
                items = json.loads(text) if isinstance(text, str) else text
            except ValueError as error:
                raise ValueError(
                    _("Not a valid list of links: %(error)s") % {"error": error}
                ) from None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError(_("Not a valid list of links: expected a list of objects."))
        slugs = [str(item.get(self.target, "")).strip() for item in items]
        targets = {t.slug: t for t in self.target_model.objects.filter(slug__in=slugs)}
        source_keys = {str(item.get("source") or "").strip() for item in items} - {""}
        found_sources = {s.key: s for s in Source.objects.filter(key__in=source_keys)}
        unknown = {"target": [], "basis": [], "source": []}
        links = []
        for slug, item in zip(slugs, items, strict=True):
            basis = str(item.get("basis") or "").strip()
            source_key = str(item.get("source") or "").strip()
            if slug not in targets:
                unknown["target"].append(slug)
            if basis and basis not in PracticeLink.Basis.values:
                unknown["basis"].append(basis)
            if source_key and source_key not in found_sources:
                unknown["source"].append(source_key)
            if slug in targets:
                links.append(
                    self.link_model(
                        **{self.target: targets[slug]},
                        basis=basis,
                        reason=str(item.get("reason") or "").strip(),
                        source=found_sources.get(source_key),
                    )
                )
        labels = {
            "target": self.target_model._meta.verbose_name,
            "basis": _("basis"),
            "source": Source._meta.verbose_name,
        }
        problems = [
            _("Unknown %(model)s: %(values)s.")
            % {"model": labels[kind], "values": ", ".join(dict.fromkeys(values))}
            for kind, values in unknown.items()
            if values
        ]
        if problems:
            raise ValueError(" ".join(problems))
        if len(set(slugs)) != len(slugs):
            raise ValueError(
                _("A %(model)s is linked twice.") % {"model": self.target_model._meta.verbose_name}
            )
        return links

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        links = value.select_related(self.target, "source", "confirmed_by")
        return json.dumps(
            [
                {
                    self.target: getattr(link, self.target).slug,
                    "basis": link.basis,
                    "source": link.source.key if link.source else "",
                    "reason": link.reason,
                    "confirmed_by": link.confirmed_by.get_username() if link.confirmed_by else "",
                    "confirmed_at": link.confirmed_at.isoformat() if link.confirmed_at else "",
                }
                for link in links
            ],
            ensure_ascii=False,
        )


class LinkEvidenceField(fields.Field):
    """Saved after the practice (``PracticeResource.save_m2m``): links need its primary key."""

    def get_value(self, instance):
        return None if instance.pk is None else super().get_value(instance)

    def save(self, instance, row, is_m2m=False, **kwargs):
        if is_m2m and not self.readonly:
            services.practice_links_replace(
                practice=instance, model=self.widget.link_model, links=self.clean(row, **kwargs)
            )


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
    barriers = LinkEvidenceField(
        attribute="barrier_links",
        column_name="barriers",
        widget=LinkEvidenceWidget(PracticeBarrier, "barrier", Barrier),
    )
    topics = LinkEvidenceField(
        attribute="topic_links",
        column_name="topics",
        widget=LinkEvidenceWidget(PracticeTopic, "topic", PolicyTopic),
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
        for field in self._link_fields():
            if field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def _link_fields(self):
        return [f for f in self.get_import_fields() if isinstance(f, LinkEvidenceField)]

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        for field in self._link_fields():
            if field.column_name in row:
                field.save(instance, row, is_m2m=True, **kwargs)
        # The version the practice's save recorded was taken before its links were written.
        services.practice_history_record_links(practice=instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        # The links too: a row is unchanged only if every link and its evidence are.
        for field in self._link_fields():
            if field.column_name not in row:
                continue
            new = sorted(map(services.link_evidence, field.clean(row)), key=str)
            old = [] if original.pk is None else field.get_value(original).all()
            if new != sorted(map(services.link_evidence, old), key=str):
                return False
        return True

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
