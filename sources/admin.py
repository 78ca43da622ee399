from django.contrib import admin

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "published"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "key"]
    prepopulated_fields = {"key": ["title"]}
