from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sources.fields import source_documents_field, source_note_field

from .countries import COUNTRY_CHOICES, country_name

nuts_code_validator = RegexValidator(
    r"^[A-Z]{2}[A-Z0-9]{0,3}$",
    _("A NUTS code is two capital letters and up to three more characters."),
)


class Region(models.Model):
    nuts_code = models.CharField(
        _("NUTS code"), max_length=5, unique=True, validators=[nuts_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, db_index=True)
    sources = source_documents_field(related_name="regions")
    source_note = source_note_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.name} ({self.nuts_code})"

    @property
    def country_name(self):
        return country_name(self.country)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_DEVELOPMENT_AGENCY = (
            "regional_development_agency",
            _("Regional development agency"),
        )
        CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
        REGIONAL_AUTHORITY = "regional_authority", _("Local or regional authority")
        NATIONAL_AGENCY = "national_agency", _("National agency")
        CLUSTER_ORGANISATION = "cluster_organisation", _("Cluster organisation")
        BUSINESS_SUPPORT = "business_support", _("Business support organisation")
        UNIVERSITY = "university", _("University or research centre")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    sources = source_documents_field(related_name="organisations")
    source_note = source_note_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Project(models.Model):
    acronym = models.CharField(_("acronym"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    programme_period = models.CharField(
        _("programme period"), max_length=20, blank=True, help_text=_("For example 2014-2020.")
    )
    website = models.URLField(_("website"), blank=True)
    lead_partner = models.ForeignKey(
        Organisation,
        verbose_name=_("lead partner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), blank=True, related_name="projects"
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("partner regions"), blank=True, related_name="projects"
    )
    sources = source_documents_field(related_name="projects")
    source_note = source_note_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})
