from django.contrib import admin

from .models import Practice


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "validated",
        "region",
        "institution",
        "project",
        "updated_at",
    ]
    list_filter = [
        "status",
        "validated",
        "implementation_level",
        "ongoing",
        "region__country",
        "project",
        "barriers",
        "topics",
        "source",
    ]
    list_select_related = ["region", "institution", "project"]
    search_fields = ["title", "summary", "institution__name", "region__name", "project__acronym"]
    autocomplete_fields = ["institution", "region", "project", "barriers", "topics", "source"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at", "created_at", "updated_at", "validated_by", "validated_at"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        (
            "What others can learn",
            {"fields": ["resources_needed", "evidence_of_success", "potential_for_transfer"]},
        ),
        (
            "Where and when",
            {
                "fields": [
                    "institution",
                    "region",
                    "implementation_level",
                    ("start_year", "end_year", "ongoing"),
                    "project",
                ]
            },
        ),
        ("Classification", {"fields": ["barriers", "topics", "tags", "source"]}),
        (
            "Publication and validation",
            {
                "fields": [
                    "status",
                    "published_at",
                    "validated",
                    "expert_opinion",
                    "validated_by",
                    "validated_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
