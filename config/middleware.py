"""Request guards: NUL characters refused; staff sessions end after a period without activity
(settings.STAFF_SESSION_IDLE_TIMEOUT)."""

from django.conf import settings
from django.core.exceptions import BadRequest


class RejectNullCharactersMiddleware:
    """Answer 400 (the "Bad request" page) when the path or a parameter holds a NUL character.

    No stored value holds one, and PostgreSQL refuses one in a query: a view or an admin filter
    that looked such a parameter up failed with a 500. Only crafted or damaged addresses carry
    one. A post's fields are checked too (the CSRF check reads them before any view anyway);
    the contents of uploaded files are not.
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
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Give a signed-in staff member's session a sliding expiry.

    Each request by a staff user sets the session to expire ``STAFF_SESSION_IDLE_TIMEOUT`` seconds
    later, so an admin left idle for that long must sign in again. Visitors' sessions (which hold
    only their shortlist) are not touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_TIMEOUT)
        return self.get_response(request)
