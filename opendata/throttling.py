"""Limits per anonymous client (settings.API_ANON_RATE, settings.DOWNLOAD_ANON_RATE), counted in
Django's cache, the client known by its address as the trusted proxies report it (config.proxy,
the same rule as the sign-in lockout)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from config.proxy import client_ip


class ClientThrottle(SimpleRateThrottle):
    rate_setting = ""

    def get_rate(self):
        # Read at each request, not once at import: the operator's setting, and tests' overrides.
        return getattr(settings, self.rate_setting) or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class ApiThrottle(ClientThrottle):
    scope = "api"
    rate_setting = "API_ANON_RATE"


class DownloadThrottle(ClientThrottle):
    scope = "download"
    rate_setting = "DOWNLOAD_ANON_RATE"
