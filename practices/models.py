from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record
from taggit.managers import TaggableManager

from sources.fields import source_note_field

from .querysets import PracticeQuerySet
from .search_columns import practice_rank_vector_expression, practice_search_vector_expression


def _history_model_name(name):
    """The links' version tables keep the names they were given when the links were plain
    many-to-many tables, so the history recorded since then stays where it is."""
    return LINK_HISTORY_NAMES.get(name, f"Historical{name}")


LINK_HISTORY_NAMES = {
    "PracticeBarrier": "HistoricalPractice_barriers",
    "PracticeTopic": "HistoricalPractice_topics",
}


class PracticeHistoricalRecords(HistoricalRecords):
    """One save, one version. simple-history adds a version for every change of links through the
    many-to-many API (``practice.barriers.set(...)``), so that creating a practice with its
    barriers and topics left three versions. A change of links made on the practice object just
    saved completes the version that save recorded instead; a change of links on its own still
    makes a version of its own."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        version = getattr(instance, "_version_of_this_save", None)
        if version is not None and action in {"post_add", "post_remove", "post_clear"}:
            from .services import practice_history_record_links

            practice_history_record_links(practice=instance)
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


def _remember_version_of_this_save(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Practice):
        instance._version_of_this_save = history_instance


post_create_historical_record.connect(_remember_version_of_this_save)


class PracticeLink(models.Model):
    """What a link between a practice and a barrier or topic rests on.

    A region acts on such a link, so each one says why (``reason``, written anew), on what
    ``basis`` and from which ``source``; an expert's confirmation is recorded with their name and
    the time. A practice is published only when every link has its evidence
    (``practices.services.practice_missing_for_publication``).
    """

    class Basis(models.TextChoices):
        STATED = "stated", _("Stated in the source")
        CONTEXT = "context", _("From the source's context")
        EXPERT = "expert", _("Expert judgement")

    BASIS_HELP = {
        Basis.STATED: _("The source document says so of this practice."),
        Basis.CONTEXT: _(
            "The source document cites the practice in a chapter on this subject, without "
            "saying so of the practice itself."
        ),
        Basis.EXPERT: _("A platform expert judged so; no document says it."),
    }

    basis = models.CharField(
        _("basis"),
        max_length=10,
        choices=Basis.choices,
        blank=True,
        help_text=_(
            "Stated: the source says so of this practice. Context: the source cites the practice "
            "in a chapter on this subject. Expert: an expert's judgement, no document says it."
        ),
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why the practice addresses it, in a sentence or two of your own words."),
    )
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def basis_help(self):
        return self.BASIS_HELP.get(self.basis, "")

    def evidence_missing(self):
        """What this link lacks before its practice can be published (empty when complete)."""
        missing = []
        if not self.basis:
            missing.append(_("a basis"))
        if not self.reason.strip():
            missing.append(_("a reason"))
        if self.basis in {self.Basis.STATED, self.Basis.CONTEXT} and self.source_id is None:
            missing.append(_("the source document"))
        if self.basis == self.Basis.EXPERT and not self.is_confirmed:
            missing.append(_("an expert's confirmation"))
        return missing


class PracticeBarrier(PracticeLink):
    practice = models.ForeignKey(
        "Practice",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="barrier_links",
    )
    barrier = models.ForeignKey(
        "barriers.Barrier",
        verbose_name=_("barrier"),
        on_delete=models.CASCADE,
        related_name="practice_links",
    )

    class Meta:
        # The table of the many-to-many field before it carried evidence: its rows are the links.
        db_table = "practices_practice_barriers"
        unique_together = [("practice", "barrier")]
        ordering = ["barrier__order", "barrier__name"]
        verbose_name = _("barrier addressed")
        verbose_name_plural = _("barriers addressed")

    def __str__(self):
        return f"{self.practice} → {self.barrier}"


class PracticeTopic(PracticeLink):
    practice = models.ForeignKey(
        "Practice",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="topic_links",
    )
    topic = models.ForeignKey(
        "barriers.PolicyTopic",
        verbose_name=_("policy topic"),
        on_delete=models.CASCADE,
        related_name="practice_links",
        # The column of the many-to-many field before it carried evidence.
        db_column="policytopic_id",
    )

    class Meta:
        db_table = "practices_practice_topics"
        unique_together = [("practice", "topic")]
        ordering = ["topic__group", "topic__order", "topic__name"]
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")

    def __str__(self):
        return f"{self.practice} → {self.topic}"


# Addresses under /practices/ that are not practices (opendata.urls).
RESERVED_SLUGS = ["feed"]


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to author")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        LOCAL = "local", _("Local")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    resources_needed = models.TextField(_("resources needed"), blank=True)
    evidence_of_success = models.TextField(_("evidence of success"), blank=True)
    potential_for_transfer = models.TextField(_("potential for learning or transfer"), blank=True)

    institution = models.ForeignKey(
        "projects.Organisation",
        verbose_name=_("main institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    region = models.ForeignKey(
        "projects.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    implementation_level = models.CharField(
        _("implementation level"), max_length=10, choices=Level.choices, blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    ongoing = models.BooleanField(
        _("ongoing"),
        default=False,
        help_text=_("Tick only when the practice is known to still run."),
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("Interreg project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
    )
    # Each link carries its evidence (PracticeBarrier, PracticeTopic below): why the practice
    # addresses the barrier or topic, on what basis, from which document, confirmed by whom.
    barriers = models.ManyToManyField(
        "barriers.Barrier",
        through=PracticeBarrier,
        verbose_name=_("barriers addressed"),
        blank=True,
        related_name="practices",
    )
    topics = models.ManyToManyField(
        "barriers.PolicyTopic",
        through=PracticeTopic,
        verbose_name=_("policy topics"),
        blank=True,
        related_name="practices",
    )
    tags = TaggableManager(_("tags"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)

    validated = models.BooleanField(_("validated by an expert"), default=False)
    expert_opinion = models.TextField(_("expert opinion"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    source_note = source_note_field(
        help_text=_(
            "Which facts are not stated in the source document but inferred (a region from the "
            "practice's name, say) or taken from general knowledge."
        )
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_practices",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Generated by the database (see practices.search_columns). Its GIN index is created by
    # migration 0002 on PostgreSQL only: SQLite has no GIN indexes and searches without it.
    search_document = models.TextField(editable=False, blank=True, default="")
    search_vector = models.GeneratedField(
        expression=practice_search_vector_expression(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )
    search_rank_vector = models.GeneratedField(
        expression=practice_rank_vector_expression(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    objects = PracticeQuerySet.as_manager()
    # Every change is kept (django-simple-history), links to barriers and topics included. The
    # search columns are derived data and stay out of the history.
    history = PracticeHistoricalRecords(
        excluded_fields=["search_vector", "search_rank_vector", "search_document"],
        m2m_fields=[barriers, topics],
        custom_model_name=_history_model_name,
    )

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        # The curation roles (see practices.roles): reviewing moves a practice through its life
        # cycle, validating adds the expert opinion, importing loads practices from a file.
        permissions = [
            ("review_practice", _("Can return, publish, unpublish and archive practices")),
            ("validate_practice", _("Can validate practices with an expert opinion")),
            ("import_practice", _("Can import practices from a file")),
            ("export_practice", _("Can export practices to a file")),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="practice_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="practice_end_year_not_before_start_year",
                violation_error_message=_("The end year cannot be before the start year."),
            ),
            models.CheckConstraint(
                condition=Q(ongoing=False) | Q(end_year__isnull=True),
                name="practice_ongoing_has_no_end_year",
                violation_error_message=_("An ongoing practice has no end year."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=1950, start_year__lte=2100),
                name="practice_start_year_plausible",
                violation_error_message=_("The start year must be between 1950 and 2100."),
            ),
            # /practices/feed/ is the feed of a search: a practice of that slug would be hidden.
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="practice_slug_not_reserved",
                violation_error_message=_(
                    "This slug is the address of another page of the site: choose another."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def country(self):
        return self.region.country if self.region_id else ""

    @property
    def validator_role(self):
        """How the public page names whoever validated the practice (their role, not their name)."""
        from .roles import role_label

        return role_label(self.validated_by)


class PracticeTransition(models.Model):
    """One step of a practice's life cycle (or its expert validation): who, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        RETURN = "return", _("Returned to author")
        PUBLISH = "publish", _("Published")
        UNPUBLISH = "unpublish", _("Unpublished")
        ARCHIVE = "archive", _("Archived")
        VALIDATE = "validate", _("Validated by an expert")

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=Practice.Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Practice.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("practice transition")
        verbose_name_plural = _("practice transitions")

    def __str__(self):
        return f"{self.practice}: {self.get_action_display()}"


class ImportJob(models.Model):
    """A file of practices being imported in the background (``practices.jobs``).

    Checked first (the preview: what each row would do), then, once a curator confirms, imported,
    all at once or not at all. Its rows done and total are updated while a job works, so the
    admin can show the progress; the file stays in the row until the job is deleted."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        REJECTED = "rejected", _("Rejected: a row cannot be imported")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed: nothing was imported")

    WORKING = {State.CHECKING, State.IMPORTING}

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    content = models.BinaryField(_("content"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    # The plan: {"counts": {kind: n}, "rows": [{number, slug, kind, changes, errors}]}.
    report = models.JSONField(_("report"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            # Two imports never write at once: a second confirmation is refused while one runs.
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="importing"),
                name="one_import_writing_at_a_time",
                violation_error_message=_("Another import is running."),
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_working(self):
        return self.state in self.WORKING
