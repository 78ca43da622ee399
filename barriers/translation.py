"""The taxonomy's names and texts, in every language of the site (django-modeltranslation).

Each field below gets a column per language (``name_en``, ``name_fr``...), edited side by side in
the admin; reading ``name`` gives the current language's text, or the English one where it has
not been translated (settings.MODELTRANSLATION_FALLBACK_LANGUAGES). Their versions
(django-simple-history) get the same columns, so that the history keeps every language.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Barrier, PolicyTopic, Recommendation


@register([Barrier, Barrier.history.model])
class BarrierTranslation(TranslationOptions):
    fields = ("name", "description")


@register([PolicyTopic, PolicyTopic.history.model])
class PolicyTopicTranslation(TranslationOptions):
    fields = ("name", "description")


@register([Recommendation, Recommendation.history.model])
class RecommendationTranslation(TranslationOptions):
    fields = ("text",)
