"""Whole public pages from the cache, for visitors who have nothing of their own on them.

A page that lists or shows practices costs many times a plain page to render (cards, facets,
links). Most requests come from visitors with nothing of their own: no session, no shortlist,
no message waiting (Django keeps those in a cookie of their own), not signed in. For them a page
depends only on its address, the language and the data, so it is cached under the data version
(``search.version``: any write to what the pages read moves it) and served again, as Django's
``cache_page`` would. The public pages' own forms (language, shortlist) carry no CSRF token
(web/csrf.py), so serving one sets no cookie; should a form with a token ever be added, the token
is the visitor's own: the cached copy keeps a placeholder, and each visitor gets a fresh token of
their own in its place. Everyone else gets the page rendered for them. Only addresses made of the
search's own parameters are cached. Redis, when it holds this cache, should run with a memory
limit and an eviction policy (``maxmemory``, ``allkeys-lru``).
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from search.cache import SearchCache
from search.filters import PracticeFilter

from . import shortlist

PAGE_PARAMETERS = {*PracticeFilter.base_filters, "page"}
TOKEN_PLACEHOLDER = "\u0000csrf-token\u0000"
TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def _visitor_has_own_state(request):
    """A session, a shortlist or a message waiting (each kept in a cookie of its own), or a
    signed-in user."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or shortlist.cookie_name() in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
        or request.user.is_authenticated
    )


def _page_is_the_visitors_own(request):
    """Whether rendering the page gave it something of the visitor's: a session started, or a
    message shown or added."""
    storage = get_messages(request)
    return (
        getattr(getattr(request, "session", None), "modified", False)
        or storage.used
        or storage.added_new
    )


def _is_a_search_of_known_parameters(request):
    """Only addresses made of the URL contract's parameters are cached: any other parameter
    would let anyone fill the cache with copies of the same page."""
    return set(request.GET) <= PAGE_PARAMETERS


def public_page(view):
    """Serve ``view``'s successful GET pages from the cache to visitors without a session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in {"GET", "HEAD"}
            or _visitor_has_own_state(request)
            or not _is_a_search_of_known_parameters(request)
        ):
            return view(request, *args, **kwargs)
        cache = SearchCache()
        if cache.version is None:
            return view(request, *args, **kwargs)
        parts = (
            "page",
            # Pages hold their full address (canonical link, feeds): one copy per site address.
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            bool(request.headers.get("HX-Request")),
        )
        cached = cache.cache.get(cache.key(*parts))
        if cached is not None:
            content, content_type = cached
            if TOKEN_PLACEHOLDER in content:
                content = content.replace(TOKEN_PLACEHOLDER, get_token(request))
            response = HttpResponse(content, content_type=content_type)
            # The page differs for a visitor with a session: no shared cache may mix them up.
            patch_vary_headers(response, ["Cookie"])
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not _page_is_the_visitors_own(request)
        ):
            content = TOKEN_FIELD.sub(
                rf"\g<1>{TOKEN_PLACEHOLDER}\g<3>", response.content.decode(response.charset)
            )
            cache.cache.set(
                cache.key(*parts),
                (content, response["Content-Type"]),
                settings.SEARCH_CACHE_TIMEOUT,
            )
        return response

    return wrapped
