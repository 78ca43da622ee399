"""The site's URLs plus views that fail on purpose, for tests/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("test")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("test")


urlpatterns = [
    path("test-400/", bad_request),
    path("test-403/", forbidden),
    path("test-500/", broken),
    *site_urlpatterns,
]
