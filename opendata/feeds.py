"""Atom feeds of any search (``/practices/feed/?<the search page's parameters>``): the newest
published practices that match, so a region can follow its barrier, a topic or a search."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from search.filters import SORT_NEWEST, PracticeFilter

FEED_SIZE = 30


@dataclass
class FeedSearch:
    filterset: PracticeFilter
    query: str  # the search's own parameters, without its order and page
    feed_path: str


class PracticeSearchFeed(Feed):
    """One instance answers every request: what a request asks for lives in ``FeedSearch``."""

    feed_type = Atom1Feed

    def get_object(self, request):
        params = request.GET.copy()
        for name in list(params):
            if name not in PracticeFilter.base_filters or name == "sort":
                params.pop(name)
        query = params.urlencode()
        params["sort"] = SORT_NEWEST  # a feed gives the newest first, whatever the search's order
        return FeedSearch(PracticeFilter(params), query, request.get_full_path())

    def title(self, search):
        filterset = search.filterset
        chosen = [
            label
            for name in ("barrier", "topic", "project", "region")
            for label in filterset.chosen_labels(name).values()
        ]
        if filterset.words:
            chosen.insert(0, f"“{filterset.words}”")
        if not chosen:
            return _("New good practices · %(site)s") % {"site": settings.SITE_NAME}
        return _("New good practices: %(search)s · %(site)s") % {
            "search": ", ".join(chosen),
            "site": settings.SITE_NAME,
        }

    def subtitle(self, search):
        return _("The newest published practices that match this search.")

    def link(self, search):
        return reverse("practices:list") + (f"?{search.query}" if search.query else "")

    def feed_url(self, search):
        return search.feed_path

    def items(self, search):
        return search.filterset.qs.with_card_related()[:FEED_SIZE]

    def item_title(self, practice):
        return practice.title

    def item_description(self, practice):
        return practice.summary

    def item_pubdate(self, practice):
        return practice.published_at

    def item_updateddate(self, practice):
        return practice.updated_at

    def item_categories(self, practice):
        return [barrier.name for barrier in practice.barriers.all()]

    def item_author_name(self, practice):
        return practice.institution.name if practice.institution else None

    def feed_copyright(self, search):
        return f"{settings.OPEN_DATA_LICENCE_NAME} ({settings.OPEN_DATA_LICENCE_URL})"
