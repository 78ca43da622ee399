"""The client's address, believed only as far as settings.TRUSTED_PROXY_COUNT says.

Each proxy appends the address it received the request from to X-Forwarded-For; whatever a
client put there itself stands further left. So the client's address is the entry that the
outermost trusted proxy appended: the TRUSTED_PROXY_COUNT-th from the right. Without a trusted
proxy the header is ignored, and the address is the connection's own (REMOTE_ADDR).
"""

from django.conf import settings


def client_ip(request):
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
