from django.contrib import admin
from django.urls import include, path

from practices.urls import (
    barrier_patterns,
    practice_patterns,
    project_patterns,
    site_patterns,
    topic_patterns,
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("practices/", include(practice_patterns)),
    path("barriers/", include(barrier_patterns)),
    path("topics/", include(topic_patterns)),
    path("projects/", include(project_patterns)),
    path("", include(site_patterns)),
]
