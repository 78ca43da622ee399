from django.contrib import admin
from django.db import models
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Project, Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nuts_code", "country"]
    list_filter = ["country"]
    search_fields = ["name", "nuts_code"]
    ordering = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    # A web address typed without a scheme is read as https (the default from Django 6 on).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "region"]
    list_filter = ["kind", "region__country"]
    list_select_related = ["region"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    # A web address typed without a scheme is read as https (the default from Django 6 on).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["acronym", "title", "lead_partner", "programme_period", "practice_count"]
    list_select_related = ["lead_partner"]
    search_fields = ["acronym", "title", "summary"]
    autocomplete_fields = ["lead_partner", "partners", "regions"]
    prepopulated_fields = {"slug": ["acronym"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(practice_count=Count("practices"))

    @admin.display(description="Practices", ordering="practice_count")
    def practice_count(self, project):
        return project.practice_count
