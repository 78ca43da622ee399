"""The language a translated text of the taxonomy is shown in, for its ``lang`` attribute."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def text_language(record, field):
    """The current language if ``record`` has ``field`` in it, else the language it falls back
    to (English): screen readers then pronounce the text in the language it is written in."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if getattr(record, f"{field}_{language}", None):
        return language
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE
