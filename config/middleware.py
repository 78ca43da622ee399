"""Request guards: NUL characters refused; staff sessions end after a period without activity
(settings.STAFF_SESSION_IDLE_TIMEOUT); the security headers Django has no setting for; a writer's
next reads on the primary database."""

import logging
import random
import time

from django.conf import settings
from django.utils.log import log_response

from . import routers

security_logger = logging.getLogger("django.security.NullCharacter")


class RejectNullCharactersMiddleware:
    """Answer 400 (the "Bad request" page) when the path or a parameter holds a NUL character.

    No stored value holds one, and PostgreSQL refuses one in a query: a view or an admin filter
    that looked such a parameter up failed with a 500. Only crafted or damaged addresses carry
    one. A post's fields are checked too (the CSRF check reads them before any view anyway);
    the contents of uploaded files are not. Each such request logs one line on the
    ``django.security`` logger, no traceback: it is a client's mistake, not the site's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameters = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for query in parameters
            for key, values in query.lists()
        ):
            from web.errors import bad_request

            response = bad_request(request)
            # Django's own helper, so that the handler does not log the 400 a second time.
            log_response(
                "NUL character in the request: %s %r",
                request.method,
                request.get_full_path(),
                response=response,
                request=request,
                logger=security_logger,
                level="warning",
            )
            return response
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Give a signed-in staff member's session a sliding expiry.

    Each request by a staff user sets the session to expire ``STAFF_SESSION_IDLE_TIMEOUT`` seconds
    later, so an admin left idle for that long must sign in again. Other sessions are not
    touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_TIMEOUT)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy, from settings: two fixed headers that
    Django's SecurityMiddleware does not send (it sends HSTS, nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class PrimaryAfterWriteMiddleware:
    """Send a visitor's reads to a replica, except right after a write of theirs.

    Replicas lag the primary by a moment: a visitor who has just saved something, added a practice
    to their shortlist or signed in must read it back from the primary, or it would seem lost.
    Only GET and HEAD requests read from a replica, and only when the visitor has not written in
    the last ``PRIMARY_AFTER_WRITE_SECONDS``: any other request marks the visitor with a cookie
    that keeps their reads on the primary that long. Outside requests (commands, background
    threads) everything stays on the primary (config.routers). Without replicas this does
    nothing.
    """

    COOKIE_NAME = "primary_until"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        pinned_until = request.COOKIES.get(self.COOKIE_NAME, "")
        reads_from_replica = request.method in {"GET", "HEAD"} and not (
            pinned_until.isdigit() and int(pinned_until) > time.time()
        )
        replica = random.choice(settings.DATABASE_REPLICAS) if reads_from_replica else None
        with routers.reads_from(replica):
            response = self.get_response(request)
        if request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            seconds = settings.PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                self.COOKIE_NAME,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
