from django.contrib import admin
from django.db import models

from .models import Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    # A web address typed without a scheme is read as https (the default from Django 6 on).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "kind", "publisher", "published"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "key"]
    prepopulated_fields = {"key": ["title"]}
