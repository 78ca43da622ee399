"""Importing practices from a file, set-based: a whole collection (thousands of rows) at once.

The columns are those of the export (``practices.resources.PracticeResource``), keyed by
``slug``. A file is first *planned*: every row is read, its linked records looked up in maps
loaded once for the whole file, checked by the model's own validation, and compared with the
practice of that slug (what would be created, changed, left as it is, or rejected, and why).
A dry run stops there and writes nothing. An import plans the file again inside one transaction
(the data may have changed since the preview) and, only if no row is rejected, writes it with a
few statements per table: the practices and their versions in bulk (django-simple-history's
``bulk_create_with_history`` / ``bulk_update_with_history``), the barrier and topic links with
their evidence, the tags, each new version's links, and the search text once for the batch. Any
error rolls all of it back.

The rules are those of the admin: an import never publishes, confirms or validates; a new
practice starts as a draft by the importing user; an existing one keeps its status. A link whose
evidence is unchanged keeps its expert's confirmation, one whose evidence changed loses it, links
not in the file are removed. A column missing from the file leaves that field as it is. A row
that changes nothing writes nothing, so importing the same file twice changes nothing the second
time (and adds no version).
"""

import copy
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from projects.models import Organisation, Project, Region
from search.documents import practice_documents_refresh
from sources.models import Source

from .models import (
    LINK_HISTORY_NAMES,
    ImportJob,
    Practice,
    PracticeBarrier,
    PracticeLink,
    PracticeTopic,
)
from .search_columns import TEXT_FIELDS
from .services import link_evidence

TEXT_COLUMNS = [*TEXT_FIELDS, "implementation_level"]
YEAR_COLUMNS = ["start_year", "end_year"]
# column: (model, the field the file names it by)
RECORD_COLUMNS = {
    "institution": (Organisation, "slug"),
    "region": (Region, "nuts_code"),
    "project": (Project, "slug"),
    "source": (Source, "key"),
}
# column: (link model, its target field, the target's model)
LINK_COLUMNS = {
    "barriers": (PracticeBarrier, "barrier", Barrier),
    "topics": (PracticeTopic, "topic", PolicyTopic),
}
TAG_SEPARATOR = ","
# Checked by the plan itself (looked up in maps), not by the model's validation, which would ask
# the database once per row and field.
NOT_MODEL_VALIDATED = [
    *RECORD_COLUMNS,
    "created_by",
    "validated_by",
    "search_document",
    "search_vector",
    "search_rank_vector",
]
BATCH_SIZE = 500
# A database's limit on the values of one statement is far above this (SQLite: 32,766).
IN_CHUNK = 5000
# The key of the PostgreSQL advisory lock an import holds while it writes (any constant of our own).
IMPORT_LOCK_KEY = 0x1D_0F_18
PROGRESS_EVERY = 100

BASES = frozenset(PracticeLink.Basis.values)
NEW, UPDATE, SKIP, INVALID = "new", "update", "skip", "invalid"


class ImportInProgress(Exception):
    """Another import is writing: this one is refused, never interleaved with it."""


@dataclass
class RowPlan:
    number: int  # the row's number in the file, from 1, headers excluded
    slug: str
    kind: str = NEW
    changes: list = field(default_factory=list)  # the columns an update changes
    errors: list = field(default_factory=list)  # "column: message", or a message for the row
    practice: Practice | None = None  # the practice as it will be saved
    links: dict = field(default_factory=dict)  # column: [unsaved links]
    tags: list | None = None  # tag names, when the file has the column
    old_links: dict = field(default_factory=dict)  # column: [saved links], for an update
    old_tags: list = field(default_factory=list)

    def outcome(self):
        """What the preview and the report show of the row (JSON-serialisable)."""
        return {
            "number": self.number,
            "slug": self.slug,
            "kind": self.kind,
            "changes": self.changes,
            "errors": self.errors,
        }


@dataclass
class ImportPlan:
    rows: list

    @property
    def invalid(self):
        return [row for row in self.rows if row.kind == INVALID]

    def counts(self):
        counts = {NEW: 0, UPDATE: 0, SKIP: 0, INVALID: 0}
        for row in self.rows:
            counts[row.kind] += 1
        return counts

    def report(self):
        return {"counts": self.counts(), "rows": [row.outcome() for row in self.rows]}


# --- Reading a file -----------------------------------------------------------------------------

FORMATS = ["csv", "xlsx", "json"]


def import_format_of(file_name):
    """The format of a file by its name's ending, or ``None`` when it is not one we read."""
    ending = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return ending if ending in FORMATS else None


def import_rows_read(*, content, file_format):
    """The rows of a file (bytes) as dicts by column, or ValueError saying why it cannot be read."""
    from import_export.formats.base_formats import CSV, JSON, XLSX

    reader = {"csv": CSV, "xlsx": XLSX, "json": JSON}[file_format]()
    try:
        if reader.is_binary():
            dataset = reader.create_dataset(content)
        else:
            dataset = reader.create_dataset(content.decode("utf-8-sig"))
    except Exception as error:  # tablib and its readers raise many kinds
        raise ValueError(
            _("This file cannot be read as %(format)s: %(error)s")
            % {"format": file_format.upper(), "error": error}
        ) from None
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    if "slug" not in headers:
        raise ValueError(_("The file has no “slug” column: each row is matched by its slug."))
    return [dict(zip(headers, values, strict=False)) for values in dataset]


# --- Planning -----------------------------------------------------------------------------------


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def _by(model, key, values):
    found = {}
    for chunk in _chunks(set(values)):
        found.update(
            {str(getattr(o, key)): o for o in model.objects.filter(**{f"{key}__in": chunk})}
        )
    return found


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _year(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(_("“%(value)s” is not a year.") % {"value": value}) from None


TRUE_VALUES, FALSE_VALUES = {"1", "true", "yes"}, {"", "0", "false", "no", "none", "null"}


def _flag(value):
    text = _text(value).strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValueError(_("“%(value)s” is neither yes (1) nor no (0).") % {"value": value})


def _link_items(value, target):
    """The link objects of a barriers or topics cell: a JSON list, or slugs separated by commas
    (links without evidence)."""
    text = value.strip() if isinstance(value, str) else value
    if not text:
        return []
    if isinstance(text, str) and not text.startswith("["):
        return [{target: slug.strip()} for slug in text.split(",") if slug.strip()]
    try:
        items = json.loads(text) if isinstance(text, str) else text
    except ValueError as error:
        raise ValueError(_("Not a valid list of links: %(error)s") % {"error": error}) from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError(_("Not a valid list of links: expected a list of objects."))
    return items


def _links(value, *, column, lookups):
    """Unsaved links of ``column`` with their evidence, or ValueError saying what is wrong."""
    link_model, target, target_model = LINK_COLUMNS[column]
    targets, sources = lookups[column], lookups["source"]
    items = _link_items(value, target)
    slugs = [str(item.get(target, "")).strip() for item in items]
    unknown = {"target": [], "basis": [], "source": []}
    links = []
    for slug, item in zip(slugs, items, strict=True):
        basis = str(item.get("basis") or "").strip()
        source_key = str(item.get("source") or "").strip()
        if slug not in targets:
            unknown["target"].append(slug)
        if basis and basis not in BASES:
            unknown["basis"].append(basis)
        if source_key and source_key not in sources:
            unknown["source"].append(source_key)
        if slug in targets:
            source = sources.get(source_key)
            links.append(
                link_model(
                    **{f"{target}_id": targets[slug].pk},
                    basis=basis,
                    reason=str(item.get("reason") or "").strip(),
                    source_id=source.pk if source else None,
                )
            )
    labels = {
        "target": target_model._meta.verbose_name,
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
            _("A %(model)s is linked twice.") % {"model": target_model._meta.verbose_name}
        )
    return links


def _tags(value):
    names = [name.strip() for name in _text(value).split(TAG_SEPARATOR)]
    return sorted({name for name in names if name})


def _lookups(rows):
    """Every record the file names, loaded once: {column: {key: record}}."""
    lookups = {}
    for column, (model, key) in RECORD_COLUMNS.items():
        wanted = {_text(row.get(column)).strip() for row in rows} - {""}
        lookups[column] = _by(model, key, wanted)
    for column, (_link_model, _target, target_model) in LINK_COLUMNS.items():
        # A few dozen barriers and topics: all of them, rather than parse every cell twice.
        lookups[column] = {t.slug: t for t in target_model.objects.all()}
    # Sources named in link evidence too: there are few sources, load them all.
    lookups["source"] = {s.key: s for s in Source.objects.all()}
    return lookups


def _existing(slugs):
    """The practices of these slugs, with their links and tag names: {slug: (practice, links,
    tags)}."""
    practices = _by(Practice, "slug", slugs)
    ids = [p.pk for p in practices.values()]
    links = {column: {} for column in LINK_COLUMNS}
    tags = {}
    for chunk in _chunks(ids):
        for column, (link_model, _target, _model) in LINK_COLUMNS.items():
            for link in link_model.objects.filter(practice_id__in=chunk).order_by():
                links[column].setdefault(link.practice_id, []).append(link)
        for item in TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Practice), object_id__in=chunk
        ).select_related("tag"):
            tags.setdefault(item.object_id, []).append(item.tag.name)
    return {
        slug: (
            practice,
            {column: links[column].get(practice.pk, []) for column in LINK_COLUMNS},
            sorted(tags.get(practice.pk, [])),
        )
        for slug, practice in practices.items()
    }


def _validate_fields(practice):
    practice.full_clean(
        exclude=NOT_MODEL_VALIDATED, validate_unique=False, validate_constraints=False
    )


class ConstraintCheck:
    """The model's constraints, checked as Django checks them (each a query), but once per
    distinct combination of the values a constraint reads: a file of thousands of practices
    holds a few dozen combinations of years, where a query per row and constraint was most of an
    import's time."""

    def __init__(self):
        self.outcomes = {}

    def validate(self, practice):
        errors = {}
        for constraint in Practice._meta.constraints:
            names = sorted(constraint.condition.referenced_base_fields)
            key = (constraint.name, *(getattr(practice, name) for name in names))
            if key not in self.outcomes:
                try:
                    constraint.validate(Practice, practice)
                    self.outcomes[key] = None
                except ValidationError as error:
                    self.outcomes[key] = error
            if self.outcomes[key] is not None:
                errors.setdefault(NON_FIELD_ERRORS, []).extend(self.outcomes[key].messages)
        if errors:
            raise ValidationError(errors)


def _row_errors(error):
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def practices_import_plan(*, rows, progress=None):
    """What importing ``rows`` (dicts by column) would do, row by row; writes nothing.

    ``progress(done, total)`` is called every few rows."""
    total = len(rows)
    lookups = _lookups(rows)
    slugs = [_text(row.get("slug")).strip() for row in rows]
    existing = _existing(set(slugs) - {""})
    first_row_of = {}
    constraints = ConstraintCheck()
    plans = []
    for number, (row, slug) in enumerate(zip(rows, slugs, strict=True), start=1):
        plans.append(_plan_row(number, row, slug, lookups, existing, first_row_of, constraints))
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == total):
            progress(number, total)
    if progress is not None and not total:
        progress(0, 0)
    return ImportPlan(rows=plans)


def _plan_row(number, row, slug, lookups, existing, first_row_of, constraints):
    plan = RowPlan(number=number, slug=slug)
    errors = {}
    if slug in first_row_of:
        errors["slug"] = [_("This slug is on row %(row)s too.") % {"row": first_row_of[slug]}]
    elif slug:
        first_row_of[slug] = number
    found = existing.get(slug)
    if found is None:
        practice = Practice(slug=slug, status=Practice.Status.DRAFT)
        old_links, old_tags = {column: [] for column in LINK_COLUMNS}, []
    else:
        practice, old_links, old_tags = copy.copy(found[0]), found[1], found[2]
        plan.kind = UPDATE
    before = copy.copy(practice)
    for column in TEXT_COLUMNS:
        if column in row:
            setattr(practice, column, _text(row[column]))
    for column in YEAR_COLUMNS:
        if column in row:
            try:
                setattr(practice, column, _year(row[column]))
            except ValueError as error:
                errors.setdefault(column, []).append(str(error))
    if "ongoing" in row:
        try:
            practice.ongoing = _flag(row["ongoing"])
        except ValueError as error:
            errors.setdefault("ongoing", []).append(str(error))
    for column, (model, key) in RECORD_COLUMNS.items():
        if column not in row:
            continue
        value = _text(row[column]).strip()
        record = lookups[column].get(value) if value else None
        if value and record is None:
            errors.setdefault(column, []).append(
                _("No %(model)s with %(field)s “%(value)s”.")
                % {"model": model._meta.verbose_name, "field": key, "value": value}
            )
        setattr(practice, f"{column}_id", record.pk if record else None)
    for column in LINK_COLUMNS:
        if column in row:
            try:
                plan.links[column] = _links(row[column], column=column, lookups=lookups)
            except ValueError as error:
                errors.setdefault(column, []).append(str(error))
    if "tags" in row:
        plan.tags = _tags(row["tags"])
    for check in (_validate_fields, constraints.validate):
        try:
            check(practice)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        plan.kind = INVALID
        plan.errors = _row_errors(ValidationError(errors))
        return plan
    plan.practice = practice
    if plan.kind == UPDATE:
        plan.changes = _changes(before, practice, plan, old_links, old_tags)
        if not plan.changes:
            plan.kind = SKIP
    plan.old_links, plan.old_tags = old_links, old_tags
    return plan


def _changes(before, after, plan, old_links, old_tags):
    changes = [
        column
        for column in [*TEXT_COLUMNS, *YEAR_COLUMNS, "ongoing"]
        if getattr(before, column) != getattr(after, column)
    ]
    changes += [
        c for c in RECORD_COLUMNS if getattr(before, f"{c}_id") != getattr(after, f"{c}_id")
    ]
    for column, links in plan.links.items():
        if sorted(map(link_evidence, links), key=str) != sorted(
            map(link_evidence, old_links[column]), key=str
        ):
            changes.append(column)
    if plan.tags is not None and plan.tags != old_tags:
        changes.append("tags")
    return changes


# --- Writing ------------------------------------------------------------------------------------


def _lock():
    """Refuse to write while another import writes (released when the transaction ends).

    PostgreSQL: a transaction-level advisory lock. SQLite lets one writer at a time anyway (the
    settings open every transaction with ``BEGIN IMMEDIATE``), so a second import waits for the
    first one's commit and then plans against what it wrote."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise ImportInProgress(
                    _("Another import is being written. Try again once it ends.")
                )


class ImportRejected(Exception):
    """A row is rejected: nothing was written. ``plan`` says which and why."""

    def __init__(self, plan):
        super().__init__(
            _("Nothing was imported: %(count)d row(s) rejected.") % {"count": len(plan.invalid)}
        )
        self.plan = plan


def practices_import(*, rows, user=None, progress=None):
    """Import ``rows`` all at once, or nothing: returns the plan that was applied.

    Raises ImportRejected (with the plan) when a row is rejected, ImportInProgress when another
    import is writing. ``progress(done, total)`` follows the rows as they are checked."""
    practices_import_plan(rows=rows, progress=progress)  # the slow part, with progress shown
    with transaction.atomic():
        _lock()
        # Planned again under the lock and in the transaction that writes: what was checked is
        # what is written, even if a record was renamed meanwhile.
        plan = practices_import_plan(rows=rows)
        if plan.invalid:
            raise ImportRejected(plan)
        _write(plan, user)
    return plan


def _write(plan, user):
    now = timezone.now()
    reason = _("Imported from a file")
    user = user if user is not None and user.is_authenticated else None
    new = [row for row in plan.rows if row.kind == NEW]
    changed = [row for row in plan.rows if row.kind == UPDATE]
    if not new and not changed:
        return
    for row in new:
        row.practice.status = Practice.Status.DRAFT  # an import never publishes
        row.practice.created_by = user
        row.practice.created_at = now
    bulk_create_with_history(
        [row.practice for row in new],
        Practice,
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
        default_date=now,
    )
    if changed:
        fields = {"updated_at"}
        for row in changed:
            row.practice.updated_at = now
            fields.update(c for c in row.changes if c not in LINK_COLUMNS and c != "tags")
        bulk_update_with_history(
            [row.practice for row in changed],
            Practice,
            fields=sorted(fields),
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
    written = [*new, *changed]
    _write_links(written)
    _write_tags(written)
    ids = [row.practice.pk for row in written]
    _record_links_in_versions(ids, now)
    practice_documents_refresh(practice_ids=ids)


def _write_links(rows):
    for column, (link_model, target, _model) in LINK_COLUMNS.items():
        create, update, delete = [], [], []
        for row in rows:
            if column not in row.links:
                continue
            old = {getattr(link, f"{target}_id"): link for link in row.old_links[column]}
            kept = set()
            for link in row.links[column]:
                key = getattr(link, f"{target}_id")
                kept.add(key)
                before = old.get(key)
                if before is None:
                    link.practice_id = row.practice.pk
                    create.append(link)
                elif link_evidence(before) != link_evidence(link):
                    # Other evidence than the expert confirmed: the confirmation goes.
                    before.basis, before.reason, before.source_id = (
                        link.basis,
                        link.reason,
                        link.source_id,
                    )
                    before.confirmed_by, before.confirmed_at = None, None
                    update.append(before)
            delete += [link.pk for key, link in old.items() if key not in kept]
        link_model.objects.bulk_create(create, batch_size=BATCH_SIZE)
        link_model.objects.bulk_update(
            update,
            ["basis", "reason", "source", "confirmed_by", "confirmed_at"],
            batch_size=BATCH_SIZE,
        )
        for chunk in _chunks(delete):
            link_model.objects.filter(pk__in=chunk).delete()


def _write_tags(rows):
    rows = [row for row in rows if row.tags is not None and row.tags != row.old_tags]
    if not rows:
        return
    wanted = {name for row in rows for name in row.tags}
    tags = _by(Tag, "name", wanted)
    for name in sorted(wanted - set(tags)):
        tags[name] = Tag.objects.create(name=name)  # taggit gives it a unique slug
    content_type = ContentType.objects.get_for_model(Practice)
    create, delete = [], []
    for row in rows:
        create += [
            TaggedItem(content_type=content_type, object_id=row.practice.pk, tag=tags[name])
            for name in set(row.tags) - set(row.old_tags)
        ]
        delete += [(row.practice.pk, name) for name in set(row.old_tags) - set(row.tags)]
    TaggedItem.objects.bulk_create(create, batch_size=BATCH_SIZE)
    for practice_id, name in delete:
        TaggedItem.objects.filter(
            content_type=content_type, object_id=practice_id, tag__name=name
        ).delete()


def _record_links_in_versions(ids, date):
    """Each version this import recorded holds its practice's links as written, with their
    evidence (bulk history, like a practice's save, records none)."""
    history = Practice.history.model
    for chunk in _chunks(ids):
        versions = {
            v.id: v.history_id for v in history.objects.filter(id__in=chunk, history_date=date)
        }
        for link_model, _target, _model in LINK_COLUMNS.values():
            recorded = apps.get_model("practices", LINK_HISTORY_NAMES[link_model.__name__])
            names = [f.attname for f in link_model._meta.concrete_fields]
            recorded.objects.bulk_create(
                [
                    recorded(
                        history_id=versions[link.practice_id],
                        **{name: getattr(link, name) for name in names},
                    )
                    for link in link_model.objects.filter(practice_id__in=chunk).order_by()
                    if link.practice_id in versions
                ],
                batch_size=BATCH_SIZE,
            )


# --- Import jobs: the same, in the background, with progress ---------------------------------
# The admin stores the file in an ImportJob and hands it to the worker (practices.tasks): first
# the check (the preview), then, once a curator confirms, the import. Each updates the job's rows
# done and total as it goes, so the admin shows the progress; the curator may leave and come back.


def import_job_create(*, user, file_name, content):
    """Store an uploaded file and start checking it; ValueError when it is not a file we read."""
    from .tasks import import_job_check_task

    file_format = import_format_of(file_name)
    if file_format is None:
        raise ValueError(
            _("Upload a file ending in %(formats)s.")
            % {"formats": ", ".join(f".{name}" for name in FORMATS)}
        )
    job = ImportJob.objects.create(
        created_by=user,
        file_name=file_name[:255],
        file_format=file_format,
        content=content,
        state=ImportJob.State.CHECKING,
    )
    _enqueue(job, import_job_check_task)
    return job


def _enqueue(job, task):
    """Hand ``job`` to the worker. With the database backend the task is a row written in the
    caller's transaction: the worker sees it when that commits."""
    result = task.enqueue(job_id=job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _job_progress(job, *, also=None):
    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)
        if also is not None:
            also(done, total)

    return progress


def _job_rows(job):
    return import_rows_read(content=bytes(job.content), file_format=job.file_format)


def _job_finish(job, *, state, report=None, message=""):
    job.state, job.message, job.finished_at = state, message, timezone.now()
    if report is not None:
        job.report = report
    job.save(update_fields=["state", "message", "finished_at", "report"])
    return job


def import_job_check(*, job_id):
    """The preview: what each row of the job's file would do. Writes nothing but the job."""
    job = ImportJob.objects.get(pk=job_id)
    try:
        rows = _job_rows(job)
    except ValueError as error:
        return _job_finish(job, state=ImportJob.State.REJECTED, message=str(error))
    ImportJob.objects.filter(pk=job.pk).update(rows_total=len(rows), rows_done=0)
    plan = practices_import_plan(rows=rows, progress=_job_progress(job))
    state = ImportJob.State.REJECTED if plan.invalid else ImportJob.State.CHECKED
    return _job_finish(job, state=state, report=plan.report())


def import_job_confirm(*, job, user):
    """A curator confirms a checked file: its import starts. ImportInProgress while another
    import runs (two never write at once); ValueError when the job is not waiting for it."""
    from .tasks import import_job_apply_task

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state != ImportJob.State.CHECKED:
            raise ValueError(_("This file is not waiting for confirmation."))
        job.state, job.confirmed_by, job.rows_done = ImportJob.State.IMPORTING, user, 0
        try:
            with transaction.atomic():
                job.save(update_fields=["state", "confirmed_by", "rows_done"])
        except IntegrityError:
            raise ImportInProgress(
                _("Another import is running. Confirm this one once it has finished.")
            ) from None
        return _enqueue(job, import_job_apply_task)


def import_job_apply(*, job_id, progress=None):
    """Import the job's file, all or nothing (see ``practices_import``)."""
    job = ImportJob.objects.get(pk=job_id)
    try:
        rows = _job_rows(job)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=len(rows), rows_done=0)
        plan = practices_import(
            rows=rows, user=job.confirmed_by, progress=_job_progress(job, also=progress)
        )
    except ImportRejected as error:
        return _job_finish(
            job, state=ImportJob.State.FAILED, report=error.plan.report(), message=str(error)
        )
    except (ImportInProgress, ValueError) as error:
        return _job_finish(job, state=ImportJob.State.FAILED, message=str(error))
    except Exception:
        _job_finish(
            job,
            state=ImportJob.State.FAILED,
            message=_("The import stopped on an unexpected error: nothing was imported."),
        )
        raise
    return _job_finish(job, state=ImportJob.State.IMPORTED, report=plan.report())


def import_job_start_now(*, user, file_name, content):
    """A job for an import run at once by the caller (``manage.py import_practices``), holding
    the same place as an admin import: refused (ImportInProgress) while another one runs."""
    file_format = import_format_of(file_name)
    if file_format is None:
        raise ValueError(
            _("Upload a file ending in %(formats)s.")
            % {"formats": ", ".join(f".{name}" for name in FORMATS)}
        )
    try:
        with transaction.atomic():
            return ImportJob.objects.create(
                created_by=user,
                confirmed_by=user,
                file_name=file_name[:255],
                file_format=file_format,
                content=content,
                state=ImportJob.State.IMPORTING,
            )
    except IntegrityError:
        raise ImportInProgress(
            _("Another import is running. Try again once it has finished.")
        ) from None
