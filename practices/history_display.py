"""How the admin's history pages name people, times and values: readable by a curator.

django-simple-history shows raw values: ``None``, a time in UTC with microseconds, a status code,
and "Deleted user (pk=None)" where nobody was set. These helpers give a person's name, the time in
the site's time zone, the label of a choice and one word for "nothing".
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def person_name(user):
    """A user's full name, else their user name; ``""`` for nobody (or a deleted user)."""
    if isinstance(user, int):
        user = get_user_model().objects.filter(pk=user).first()
    if user is None or getattr(user, "pk", None) is None:
        return ""
    if not isinstance(user, get_user_model()):  # simple-history's DeletedObject
        return _("a deleted user")
    return user.get_full_name() or user.get_username()


def local_time(value):
    """``value`` (an aware datetime) in the site's time zone, as people write it."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") + timezone.localtime(
        value
    ).strftime(" %Z")


def readable_value(field, value):
    """``value`` of ``field`` as a curator reads it."""
    if isinstance(field, models.ForeignKey) and field.related_model is get_user_model():
        return person_name(value) or _("nobody")
    if value is None or value == "" or getattr(value, "pk", False) is None:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return local_time(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return value
