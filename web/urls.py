"""Public URLs (DESIGN.md's contract). Every public page lists practices, so all live here."""

from django.urls import path

from opendata.views import open_data

from . import views

practice_patterns = (
    [
        path("", views.practice_list, name="list"),
        path("<slug:slug>/", views.practice_detail, name="detail"),
    ],
    "practices",
)
barrier_patterns = (
    [
        path("", views.barrier_list, name="list"),
        path("<slug:slug>/", views.barrier_detail, name="detail"),
    ],
    "barriers",
)
topic_patterns = (
    [
        path("", views.topic_list, name="list"),
        path("<slug:slug>/", views.topic_detail, name="detail"),
    ],
    "topics",
)
project_patterns = (
    [
        path("", views.project_list, name="list"),
        path("<slug:slug>/", views.project_detail, name="detail"),
    ],
    "projects",
)
site_patterns = (
    [
        path("", views.home, name="home"),
        path("matrix/", views.matrix, name="matrix"),
        path("map/", views.practice_map, name="map"),
        path("accessibility/", views.accessibility, name="accessibility"),
        path("open-data/", open_data, name="open_data"),
        path("sources/<slug:key>/", views.source_detail, name="source"),
        path(
            "legal-notice/",
            views.site_page,
            {"template": "web/pages/legal_notice.html"},
            name="legal_notice",
        ),
        path("privacy/", views.site_page, {"template": "web/pages/privacy.html"}, name="privacy"),
        path("contact/", views.site_page, {"template": "web/pages/contact.html"}, name="contact"),
    ],
    "site",
)
shortlist_patterns = (
    [
        path("shortlist/", views.shortlist_list, name="list"),
        path("shortlist/add/", views.shortlist_add, name="add"),
        path("shortlist/remove/", views.shortlist_remove, name="remove"),
        path("shortlist/clear/", views.shortlist_clear, name="clear"),
        path("compare/", views.compare, name="compare"),
    ],
    "shortlist",
)
