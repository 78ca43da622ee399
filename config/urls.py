from django.contrib import admin
from django.urls import include, path

from practices.dashboard import dashboard_view
from web.urls import (
    barrier_patterns,
    practice_patterns,
    project_patterns,
    shortlist_patterns,
    site_patterns,
    topic_patterns,
)

urlpatterns = [
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="curation-dashboard"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("practices/", include(practice_patterns)),
    path("barriers/", include(barrier_patterns)),
    path("topics/", include(topic_patterns)),
    path("projects/", include(project_patterns)),
    path("", include(shortlist_patterns)),
    path("", include(site_patterns)),
]

handler400 = "web.views.bad_request"
