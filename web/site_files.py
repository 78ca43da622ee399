"""The plain-text files every site publishes at fixed addresses: robots.txt and security.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET

# Downloads and the API cost more than a page and add nothing a crawler would index.
ROBOTS_DISALLOWED = [
    "/admin/",
    "/i18n/",
    "/shortlist/",
    "/compare/",
    "/practices/export.",
    "/api/",
]


@require_GET
def robots_txt(request):
    """Crawlers may read every public page, not the admin nor a visitor's own pages."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOWED)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request):
    """RFC 9116, from what the operator configured (SECURITY_CONTACT, SECURITY_TXT_EXPIRES,
    SECURITY_POLICY_URL); a field they have not set is left out rather than made up. Without a
    contact there is nothing to publish: 404."""
    contacts = [contact.strip() for contact in settings.SECURITY_CONTACT.split(",") if contact]
    if not contacts:
        return HttpResponse(
            "No security contact is configured.\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    lines = [
        f"Contact: {'mailto:' + contact if '@' in contact and ':' not in contact else contact}"
        for contact in contacts
    ]
    if settings.SECURITY_TXT_EXPIRES:
        lines.append(f"Expires: {settings.SECURITY_TXT_EXPIRES}")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    lines.append(f"Preferred-Languages: {', '.join(code for code, _name in settings.LANGUAGES)}")
    lines.append(f"Canonical: {request.build_absolute_uri()}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
