from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A document that content in the knowledge base is taken from (a policy brief, an article...).

    Practices and recommendations both cite sources, so the model lives in an app of its own that
    the other apps depend on, rather than in one of them.
    """

    class Kind(models.TextChoices):
        POLICY_BRIEF = "policy_brief", _("Policy brief")
        ARTICLE = "article", _("Article")
        WEBINAR = "webinar", _("Webinar report")
        PRESENTATION = "presentation", _("Presentation")
        STUDY = "study", _("Study")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published = models.CharField(
        _("published"),
        max_length=10,
        blank=True,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD, as stated."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    url = models.URLField(_("web address"), blank=True)
    file_reference = models.CharField(
        _("file reference"),
        max_length=200,
        blank=True,
        help_text=_("The document's file in the platform's collection of source documents."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.title
