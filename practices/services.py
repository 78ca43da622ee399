"""Writes with rules on practices. Used by the admin, the views, the commands and the tests."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Practice, PracticeBarrier, PracticeTopic, PracticeTransition
from .roles import is_reviewer

# --- Curation workflow -------------------------------------------------------------------------
# draft -> submitted -> published, with returned (back to the author) and archived. Each
# transition is one function below; each checks who may do it and from which status, then records
# a PracticeTransition (who, when, comment). The admin's actions and buttons call them.

Status = Practice.Status
Action = PracticeTransition.Action

TRANSITIONS = {
    Action.SUBMIT: ({Status.DRAFT, Status.RETURNED}, Status.SUBMITTED),
    Action.RETURN: ({Status.SUBMITTED}, Status.RETURNED),
    Action.PUBLISH: ({Status.SUBMITTED}, Status.PUBLISHED),
    Action.UNPUBLISH: ({Status.PUBLISHED, Status.ARCHIVED}, Status.DRAFT),
    Action.ARCHIVE: (
        {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED},
        Status.ARCHIVED,
    ),
}

# What a reader needs before a practice can be published: (field or link, label). A complete
# record says what the practice is and does (a description of some substance, not one sentence),
# what came of it, where it runs and which document it comes from, and what it addresses.
DESCRIPTION_MIN_WORDS = 40
PUBLISH_REQUIREMENTS = [
    ("summary", gettext_lazy("a summary")),
    ("description", gettext_lazy("a description of at least %(words)d words")),
    ("evidence_of_success", gettext_lazy("its evidence of success")),
    ("region", gettext_lazy("a location (region)")),
    ("source", gettext_lazy("its source document")),
    ("barriers", gettext_lazy("at least one barrier")),
    ("topics", gettext_lazy("at least one policy topic")),
]
# An expert may validate a practice while reviewing it, or once it is published.
VALIDATABLE = {Status.SUBMITTED, Status.PUBLISHED}

EDITABLE_BY_AUTHOR = {Status.DRAFT, Status.RETURNED}


def practice_missing_for_publication(practice):
    """Labels of what ``practice`` still lacks before it can be published (empty when ready)."""
    missing = []
    for field, label in PUBLISH_REQUIREMENTS:
        if field in {"barriers", "topics"}:
            present = practice.pk is not None and getattr(practice, field).exists()
        elif field in {"region", "source"}:
            present = getattr(practice, f"{field}_id") is not None
        elif field == "description":
            present = len(practice.description.split()) >= DESCRIPTION_MIN_WORDS
        else:
            present = bool(getattr(practice, field).strip())
        if not present:
            missing.append(str(label) % {"words": DESCRIPTION_MIN_WORDS})
    if practice.pk is not None:
        missing += [
            _("evidence for “%(target)s”: %(what)s")
            % {"target": target, "what": ", ".join(str(item) for item in lacking)}
            for target, lacking in practice_links_without_evidence(practice)
        ]
    return missing


# --- Links with their evidence -----------------------------------------------------------------
# Each link between a practice and a barrier or topic says why, on what basis, from which document
# (practices.models.PracticeLink). An expert's confirmation names them; changing the evidence of a
# confirmed link clears the confirmation, since it was given to other evidence.

LINK_EVIDENCE_FIELDS = {"basis", "reason", "source", "barrier", "topic"}


def practice_links(practice):
    """The practice's barrier links, then its topic links, with what their evidence shows."""
    return [
        *practice.barrier_links.select_related("barrier", "source", "confirmed_by"),
        *practice.topic_links.select_related("topic", "source", "confirmed_by"),
    ]


def practice_links_without_evidence(practice):
    """``[(barrier or topic, [what it lacks])]`` for each link of ``practice`` that is not ready
    for publication."""
    return [
        (getattr(link, "barrier", None) or link.topic, link.evidence_missing())
        for link in practice_links(practice)
        if link.evidence_missing()
    ]


def practice_link_set_confirmation(*, link, user, confirmed, evidence_changed):
    """Record (or clear) an expert's confirmation of ``link``, not yet saved. Only an expert
    confirms; whoever changes the evidence clears a confirmation given before, unless an expert
    confirms the new evidence in the same save."""
    if confirmed and is_reviewer(user):
        if not link.is_confirmed or evidence_changed:
            link.confirmed_by, link.confirmed_at = user, timezone.now()
    elif not confirmed or evidence_changed:
        link.confirmed_by, link.confirmed_at = None, None
    return link


def practice_link_confirm(*, link, user):
    """An expert puts their name to the evidence of ``link`` as it stands."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only a platform expert may confirm a link."))
    missing = [item for item in link.evidence_missing() if item != _("an expert's confirmation")]
    if missing:
        raise ValidationError(
            _("This link cannot be confirmed before it has %(missing)s.")
            % {"missing": ", ".join(str(item) for item in missing)},
            code="incomplete",
        )
    link.confirmed_by, link.confirmed_at = user, timezone.now()
    link.save(update_fields=["confirmed_by", "confirmed_at"])
    return link


def practice_links_replace(*, practice, model, links):
    """Make ``practice``'s links of ``model`` (PracticeBarrier or PracticeTopic) be ``links``
    (unsaved links, their target and evidence set), as an import does: a link whose evidence is
    the same keeps its confirmation, one whose evidence changed loses it, the others go."""
    target = "barrier_id" if model is PracticeBarrier else "topic_id"
    existing = {getattr(link, target): link for link in model.objects.filter(practice=practice)}
    kept = set()
    for link in links:
        key = getattr(link, target)
        kept.add(key)
        old = existing.get(key)
        if old is None:
            link.practice = practice
            link.confirmed_by, link.confirmed_at = None, None
            link.save()
        elif link_evidence(old) != link_evidence(link):
            old.basis, old.reason, old.source_id = link.basis, link.reason, link.source_id
            old.confirmed_by, old.confirmed_at = None, None
            old.save()
    model.objects.filter(practice=practice).exclude(**{f"{target}__in": kept}).delete()


def link_evidence(link):
    """What a link rests on, to compare two links: its target, basis, reason and source."""
    target = getattr(link, "barrier_id", None) or getattr(link, "topic_id", None)
    return (target, link.basis, link.reason.strip(), link.source_id)


def practice_history_record_links(*, practice):
    """Make the practice's latest version hold its links as they are now.

    django-simple-history takes a version's links when the practice is saved; the admin saves the
    links (inlines) after the practice, so the version it just took lacks them."""
    version = practice.history.order_by("-history_date", "-history_id").first()
    if version is None:
        return
    for field, links in (
        ("barriers", practice.barrier_links.all()),
        ("topics", practice.topic_links.all()),
    ):
        recorded = getattr(version, field).model
        recorded.objects.filter(history=version).delete()
        names = [f.name for f in links.model._meta.fields]
        recorded.objects.bulk_create(
            recorded(history=version, **{name: getattr(link, name) for name in names})
            for link in links.select_related(None)
        )


def practice_links_restore(*, practice, version):
    """Bring back the links ``version`` (a historical practice) recorded, with their evidence."""
    with transaction.atomic():
        for field, model, target in (
            ("barriers", PracticeBarrier, "barrier_id"),
            ("topics", PracticeTopic, "topic_id"),
        ):
            model.objects.filter(practice=practice).delete()
            model.objects.bulk_create(
                model(
                    practice=practice,
                    **{
                        name: getattr(recorded, name)
                        for name in [
                            target,
                            "basis",
                            "reason",
                            "source_id",
                            "confirmed_by_id",
                            "confirmed_at",
                        ]
                    },
                )
                for recorded in getattr(version, field).all()
            )


def practice_can_edit(*, practice, user):
    """Experts edit any practice; a contributor edits their own while it is draft or returned."""
    if not user.is_authenticated or not user.has_perm("practices.change_practice"):
        return False
    if is_reviewer(user):
        return True
    return practice.created_by_id == user.pk and practice.status in EDITABLE_BY_AUTHOR


def practice_allowed_actions(*, practice, user):
    """The transitions ``user`` may apply to ``practice`` now (for buttons and actions)."""
    allowed = [
        action
        for action, (sources, _target) in TRANSITIONS.items()
        if practice.status in sources and _may(action, practice, user)
    ]
    if practice.status in VALIDATABLE and _may(Action.VALIDATE, practice, user):
        allowed.append(Action.VALIDATE)
    return allowed


def _may(action, practice, user):
    if not user.is_authenticated:
        return False
    if action == Action.SUBMIT:
        return is_reviewer(user) or (
            user.has_perm("practices.change_practice") and practice.created_by_id == user.pk
        )
    if action == Action.VALIDATE:
        return user.has_perm("practices.validate_practice")
    return is_reviewer(user)


def _transition(action, *, practice, user, comment=""):
    sources, target = TRANSITIONS[action]
    if not _may(action, practice, user):
        raise PermissionDenied(
            _("You may not do this: %(action)s.") % {"action": Action(action).label.lower()}
        )
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.status not in sources:
            raise ValidationError(
                _("A practice that is “%(status)s” cannot be %(action)s.")
                % {"status": practice.get_status_display(), "action": _verb(action)},
                code="invalid_transition",
            )
        if action == Action.PUBLISH:
            missing = practice_missing_for_publication(practice)
            if missing:
                raise ValidationError(
                    _("Before publishing, this practice needs %(missing)s.")
                    % {"missing": ", ".join(missing)},
                    code="incomplete",
                )
        from_status = practice.status
        practice.status = target
        update_fields = ["status", "updated_at"]
        if target == Status.PUBLISHED and practice.published_at is None:
            practice.published_at = timezone.now()
            update_fields.append("published_at")
        practice._history_user = user
        practice._change_reason = _history_reason(action, comment)
        practice.save(update_fields=update_fields)
        PracticeTransition.objects.create(
            practice=practice,
            action=action,
            from_status=from_status,
            to_status=target,
            by=user,
            comment=comment,
        )
    return practice


def _verb(action):
    return {
        Action.SUBMIT: _("submitted"),
        Action.RETURN: _("returned"),
        Action.PUBLISH: _("published"),
        Action.UNPUBLISH: _("unpublished"),
        Action.ARCHIVE: _("archived"),
    }[action]


def _history_reason(action, comment):
    label = str(Action(action).label)
    return f"{label}: {comment}"[:100] if comment else label


def practice_submit(*, practice, user, comment=""):
    """The author (or an expert) sends a draft or returned practice for review."""
    return _transition(Action.SUBMIT, practice=practice, user=user, comment=comment)


def practice_return(*, practice, user, comment):
    """An expert sends a submitted practice back to its author, saying what to change."""
    if not (comment or "").strip():
        raise ValidationError(_("Say what the author should change."), code="comment_required")
    return _transition(Action.RETURN, practice=practice, user=user, comment=comment.strip())


def practice_publish(*, practice, user, comment=""):
    """An expert publishes a submitted practice that has what a reader needs."""
    return _transition(Action.PUBLISH, practice=practice, user=user, comment=comment)


def practice_unpublish(*, practice, user, comment=""):
    """An expert takes a published (or archived) practice back to draft."""
    return _transition(Action.UNPUBLISH, practice=practice, user=user, comment=comment)


def practice_archive(*, practice, user, comment=""):
    """An expert archives a practice: kept, never shown."""
    return _transition(Action.ARCHIVE, practice=practice, user=user, comment=comment)


def practice_validate(*, practice, user, opinion):
    """An expert marks a practice under review or published as validated, with their opinion."""
    if not _may(Action.VALIDATE, practice, user):
        raise PermissionDenied(_("Only a platform expert may validate a practice."))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(_("Write the expert opinion."), code="opinion_required")
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.status not in VALIDATABLE:
            raise ValidationError(
                _("Only a practice under review or published can be validated."),
                code="invalid_transition",
            )
        practice.validated = True
        practice.expert_opinion = opinion
        practice.validated_by = user
        practice.validated_at = timezone.now()
        practice._history_user = user
        practice._change_reason = str(Action.VALIDATE.label)
        practice.save(
            update_fields=[
                "validated",
                "expert_opinion",
                "validated_by",
                "validated_at",
                "updated_at",
            ]
        )
        PracticeTransition.objects.create(
            practice=practice,
            action=Action.VALIDATE,
            from_status=practice.status,
            to_status=practice.status,
            by=user,
            comment=opinion,
        )
    return practice


SERVICES = {
    Action.SUBMIT: practice_submit,
    Action.RETURN: practice_return,
    Action.PUBLISH: practice_publish,
    Action.UNPUBLISH: practice_unpublish,
    Action.ARCHIVE: practice_archive,
}
