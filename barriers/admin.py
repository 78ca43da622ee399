from django.contrib import admin
from django.db.models import Count
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from .models import Barrier, PolicyTopic, Recommendation

# TranslationAdmin shows each translated field once per language (barriers/translation.py), English
# first; English is required, a missing translation falls back to it.


@admin.register(Barrier)
class BarrierAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "category", "order", "practice_count"]
    list_editable = ["order"]
    list_filter = ["category"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # An aggregate's GROUP BY drops the model's ordering; the admin's pages need one.
        queryset = super().get_queryset(request)
        return queryset.annotate(practice_count=Count("practices")).order_by(
            *queryset.model._meta.ordering
        )

    @admin.display(description="Practices", ordering="practice_count")
    def practice_count(self, barrier):
        return barrier.practice_count


class RecommendationInline(TranslationStackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["kind", "text", "source", "order"]


@admin.register(PolicyTopic)
class PolicyTopicAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "group", "order", "practice_count"]
    list_editable = ["order"]
    list_filter = ["group"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RecommendationInline]

    def get_queryset(self, request):
        # An aggregate's GROUP BY drops the model's ordering; the admin's pages need one.
        queryset = super().get_queryset(request)
        return queryset.annotate(practice_count=Count("practices")).order_by(
            *queryset.model._meta.ordering
        )

    @admin.display(description="Practices", ordering="practice_count")
    def practice_count(self, topic):
        return topic.practice_count


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["__str__", "kind", "topic", "source"]
    list_filter = ["kind", "topic__group", "topic", "source"]
    list_select_related = ["topic", "source"]
    search_fields = ["text"]
    autocomplete_fields = ["topic", "source"]
