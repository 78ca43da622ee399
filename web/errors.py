"""The error handlers (config.urls): pages in the site's design, JSON under /api/, and 503 with
Retry-After while the database cannot be reached."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control

# How long a visitor is asked to wait when the database cannot be reached: a restart takes a few
# seconds; a longer outage gets the same answer again.
DATABASE_OUTAGE_RETRY_AFTER = 5


@cache_control(no_store=True)
def server_error(request):
    """The 500 page, or, when the database cannot be reached (a restart, a failover, too many
    connections), the 503 page with Retry-After: the site is down for a moment, not broken.

    Django calls this while handling the exception, from wherever it came (a view, a middleware
    reading the session, the page cache reading the data version). Both pages render without the
    request or the database, which may be what failed.
    """
    exception = sys.exc_info()[1]
    api = _for_the_api(request)
    if isinstance(exception, (OperationalError, InterfaceError)):
        response = (
            JsonResponse({"detail": "Temporarily unavailable."}, status=503)
            if api
            else HttpResponse(loader.render_to_string("503.html"), status=503)
        )
        response["Retry-After"] = str(DATABASE_OUTAGE_RETRY_AFTER)
        return response
    if api:
        return JsonResponse({"detail": "Server error."}, status=500)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def _for_the_api(request):
    """The API's clients read JSON, whatever went wrong (opendata.api.errors)."""
    return request is not None and request.path.startswith("/api/")


def bad_request(request, exception=None):
    """Django's own 400 handler renders without the request (no CSRF token for the language
    form, no context processors); this one renders 400.html like the other error pages."""
    if _for_the_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return render(request, "400.html", status=400)
