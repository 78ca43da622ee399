from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources.fields import source_documents_field, source_note_field


class BarrierQuerySet(models.QuerySet):
    def by_category(self):
        """Grouped by category, in the order the categories are declared, then by ``order``."""
        position = models.Case(
            *(
                models.When(category=value, then=models.Value(index))
                for index, value in enumerate(Barrier.Category.values)
            ),
            output_field=models.IntegerField(),
        )
        return self.order_by(position, *Barrier._meta.ordering)


class Barrier(models.Model):
    """An obstacle SMEs meet when they go international."""

    class Category(models.TextChoices):
        RESOURCES = "resources", _("Resources and capacity")
        KNOWLEDGE = "knowledge", _("Knowledge and information")
        MARKET = "market", _("Markets and culture")
        INSTITUTIONAL = "institutional", _("Regulation and support system")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    sources = source_documents_field(related_name="barriers")

    history = HistoricalRecords()

    objects = BarrierQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("barriers:detail", kwargs={"slug": self.slug})


class PolicyTopic(models.Model):
    class Group(models.TextChoices):
        ECOSYSTEMS = "ecosystems", _("Regional support ecosystems")
        SUPPORT_SCHEMES = "support_schemes", _("Support schemes for SMEs")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    sources = source_documents_field(related_name="topics")

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "order", "name"]
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topics:detail", kwargs={"slug": self.slug})


class Recommendation(models.Model):
    """A lesson learned or a recommendation of the community under a policy topic."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson learned")
        RECOMMENDATION = "recommendation", _("Recommendation")

    topic = models.ForeignKey(
        PolicyTopic,
        verbose_name=_("policy topic"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source_note = source_note_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "kind", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "text"], name="unique_recommendation_per_topic"
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"
