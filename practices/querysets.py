from django.db import models
from django.db.models import Q


class PracticeQuerySet(models.QuerySet):
    """Reads of practices. Searching them is the ``search`` app's work (``search.backends``)."""

    def published(self):
        return self.filter(status="published")

    def visible_to(self, user):
        """Published practices, plus for a signed-in user the drafts they may preview."""
        if user.is_authenticated and user.has_perm("practices.view_practice"):
            return self
        if user.is_authenticated:
            return self.filter(Q(status="published") | Q(created_by=user))
        return self.published()

    def without_search_columns(self):
        return self.defer("search_document", "search_vector", "search_rank_vector")

    def with_card_related(self):
        """What a practice card shows, in a fixed number of queries, without the search columns."""
        return (
            self.select_related("region", "institution", "project")
            .prefetch_related("barriers")
            .without_search_columns()
        )
