from django.utils.http import urlencode

from search.filters import PracticeFilter

from . import shortlist

# The public pages' namespaces: only their addresses have a canonical form to give.
PUBLIC_NAMESPACES = {"practices", "barriers", "topics", "projects", "site"}
CANONICAL_PARAMETERS = [*PracticeFilter.base_filters, "page"]


def shortlist_context(request):
    """The shortlist's slugs and size for the header link and the add/remove buttons."""
    slugs = shortlist.slugs(request)
    return {"shortlist_slugs": slugs, "shortlist_count": len(slugs)}


def canonical_url(request):
    """The page's address as search engines should index it: this host's full address, with
    only the search's own parameters, in one order, without empty values."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in PUBLIC_NAMESPACES:
        return {}
    pairs = [
        (name, value)
        for name in CANONICAL_PARAMETERS
        for value in request.GET.getlist(name)
        if value and not (name == "page" and value == "1")
    ]
    query = f"?{urlencode(pairs)}" if pairs else ""
    return {"canonical_url": request.build_absolute_uri(request.path) + query}
