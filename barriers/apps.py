from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BarriersConfig(AppConfig):
    name = "barriers"
    verbose_name = _("Barriers and policy topics")
