from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from config import health
from opendata.api import errors as api_errors
from opendata.urls import practice_output_patterns, sitemap_patterns
from practices.dashboard import dashboard_view
from web.csrf import same_origin_post
from web.site_files import robots_txt, security_txt
from web.urls import (
    barrier_patterns,
    practice_patterns,
    project_patterns,
    shortlist_patterns,
    site_patterns,
    topic_patterns,
)

# The admin carries the site's name, not "Django administration".
admin.site.site_header = _("Good Practice Knowledge Base: curation")
admin.site.site_title = _("Good Practice Knowledge Base")
admin.site.index_title = _("Curation")

urlpatterns = [
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="curation-dashboard"),
    path("admin/", admin.site.urls),
    # Django's own language switch; its form is on every cached public page (web/csrf.py).
    path("i18n/setlang/", same_origin_post(set_language), name="set_language"),
    path("api/v1/", include("opendata.api.urls")),
    re_path(r"^api/", api_errors.not_found),
    path("practices/", include(practice_output_patterns)),
    path("practices/", include(practice_patterns)),
    path("barriers/", include(barrier_patterns)),
    path("topics/", include(topic_patterns)),
    path("projects/", include(project_patterns)),
    path("", include(shortlist_patterns)),
    path("", include(site_patterns)),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", robots_txt, name="robots-txt"),
    *sitemap_patterns,
    path(".well-known/security.txt", security_txt, name="security-txt"),
]

handler400 = "web.errors.bad_request"
handler500 = "web.errors.server_error"
