"""Cheap polling: the open-data outputs carry the data version as their ETag (``search.version``:
it moves on any write to what they show), so a client that asks again with If-None-Match gets
304 Not Modified until something changes, without the search running."""

from django.utils.translation import get_language
from django.views.decorators.http import condition

from search.cache import SearchCache


def request_search_cache(request):
    """The request's search cache, made once: the data version is read once per request, for
    its ETag and for its results alike."""
    request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    if not hasattr(request, "search_cache"):
        request.search_cache = SearchCache()
    return request.search_cache


def data_version_etag(request, *args, **kwargs):
    """The data version and the language (labels are translated). None (no ETag) inside a
    transaction, which may see writes of its own not yet committed."""
    version = request_search_cache(request).version
    return None if version is None else f"{version}-{get_language()}"


def etag_by_data_version(view):
    return condition(etag_func=data_version_etag)(view)
