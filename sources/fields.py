"""The fields by which records say where their facts come from, the same on every model."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def source_documents_field(*, related_name):
    """The documents a record's facts and texts are taken from."""
    return models.ManyToManyField(
        "sources.Source",
        verbose_name=_("source documents"),
        blank=True,
        related_name=related_name,
        help_text=_("The documents this record's facts and texts are taken from."),
    )


def source_note_field(**kwargs):
    """Which of a record's facts are inferred or general knowledge rather than stated."""
    kwargs.setdefault(
        "help_text",
        _(
            "Which facts are not stated in the source documents but inferred or taken from "
            "general knowledge."
        ),
    )
    return models.TextField(_("notes on sources"), blank=True, **kwargs)
