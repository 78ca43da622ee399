"""/sitemap.xml: an index of one sitemap per kind of page (django.contrib.sitemaps), each split
into pages of 50,000 addresses should it grow that large."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.models import Project


class PracticeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Practice.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, practice):
        return practice.updated_at


class RecordSitemap(Sitemap):
    model = None
    changefreq = "monthly"

    def items(self):
        return self.model.objects.order_by("pk")


class BarrierSitemap(RecordSitemap):
    model = Barrier


class TopicSitemap(RecordSitemap):
    model = PolicyTopic


class ProjectSitemap(RecordSitemap):
    model = Project


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "site:home",
            "practices:list",
            "barriers:list",
            "topics:list",
            "projects:list",
            "site:matrix",
            "site:open_data",
            "site:accessibility",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "practices": PracticeSitemap,
    "barriers": BarrierSitemap,
    "topics": TopicSitemap,
    "projects": ProjectSitemap,
}
