"""Staff sessions end after a period without activity (settings.STAFF_SESSION_IDLE_TIMEOUT)."""

from django.conf import settings


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
