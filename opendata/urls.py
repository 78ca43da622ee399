"""The open-data addresses besides the API (opendata.api.urls): downloads and feeds of any
search, under /practices/ (before the practices' own pages: none may take their names,
practices.models.RESERVED_SLUGS), and the sitemap."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from web.cache import public_page

from . import exports
from .conditional import etag_by_data_version
from .feeds import PracticeSearchFeed
from .sitemaps import SITEMAPS

practice_output_patterns = (
    [
        path("export.csv", exports.export_csv, name="export-csv"),
        path("export.xlsx", exports.export_xlsx, name="export-xlsx"),
        path("export.json", exports.export_json, name="export-json"),
        path("feed/", etag_by_data_version(public_page(PracticeSearchFeed())), name="feed"),
    ],
    "opendata",
)
sitemap_patterns = [
    path(
        "sitemap.xml",
        etag_by_data_version(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        etag_by_data_version(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
