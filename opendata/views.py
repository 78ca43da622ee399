"""The Open data page: what the API, the downloads and the feeds offer, the licence and how to
cite the data."""

from django.conf import settings
from django.shortcuts import render

from barriers.models import Barrier
from web.cache import public_page

from .exports import SHORTLIST_LIMIT
from .records import HEADER


@public_page
def open_data(request):
    return render(
        request,
        "opendata/open_data.html",
        {
            "licence_name": settings.OPEN_DATA_LICENCE_NAME,
            "licence_url": settings.OPEN_DATA_LICENCE_URL,
            "site_name": settings.SITE_NAME,
            "api_rate": settings.API_ANON_RATE,
            "download_rate": settings.DOWNLOAD_ANON_RATE,
            "columns": HEADER,
            "shortlist_limit": SHORTLIST_LIMIT,
            "barriers": Barrier.objects.by_category(),
            "site_url": request.build_absolute_uri("/"),
        },
    )
