from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: a number that every committed write to what a search reads makes larger.

    Database triggers (migrations 0001 and 0002) bump it, so no write path can miss it: model
    saves, M2M changes, ``QuerySet.update()``, ``bulk_create`` and raw SQL alike. The search's
    cache keys hold it (``search.cache``), so a cached count never outlives the data it counted.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("search data version")

    def __str__(self):
        return str(self.version)
