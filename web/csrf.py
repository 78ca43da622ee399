"""Cross-site request forgery protection for the public pages' forms, without a token.

The language switch and the shortlist buttons are on every public page, and those pages are
served from the cache (web/cache.py) to visitors who have no cookie of this site. A CSRF token
in those forms would give every visitor a `csrftoken` cookie on their first page, for forms that
only change their own language and shortlist. Instead these forms carry no token, and their
views check where the post comes from: browsers send an Origin header with every form post, and
a forged one carries the other site's origin (or "null"). Without the header (a very old
browser, a script), Django's usual token check applies, and fails. The admin and its sign-in
keep Django's token.
"""

from functools import wraps

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt


def _same_origin(request, origin):
    return origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def same_origin_post(view):
    """Accept a post only from a page of this site (its Origin), else as Django's CSRF check
    would."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is None:
                refused = CsrfViewMiddleware(view).process_view(request, view, args, kwargs)
                if refused is not None:
                    return refused
            elif not _same_origin(request, origin):
                failure_view = get_callable(settings.CSRF_FAILURE_VIEW)
                return failure_view(request, reason=f"Origin {origin!r} is not this site's.")
        return view(request, *args, **kwargs)

    return wrapped
