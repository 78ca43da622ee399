"""Load the curated seed content from fixtures/seed.json.

Safe to run again: a record is found by its natural key (slug, NUTS code, source key, topic and
text) and only created when missing. Records that exist keep what they hold, so edits made in the
admin, to seed records or others, are never overwritten; only what they lack and the seed has is
filled in: a source's file reference, a record's source documents, the evidence of a link
that has none (links made before links carried evidence), and the French names and texts of
barriers, topics and recommendations that have none yet (``name_fr``, ``description_fr``,
``text_fr`` in the seed: translations written for this site, see fixtures/PROVENANCE.md).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice, PracticeBarrier, PracticeTopic
from practices.services import practice_history_record_links
from projects.models import Organisation, Project, Region
from sources.models import Source

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Load the curated seed content (practices, projects, barriers, topics). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH)

    def handle(self, *args, path, **options):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        with transaction.atomic():
            created = SeedLoader(data).load()
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Seed content loaded. Created: {summary}."))


class SeedLoader:
    def __init__(self, data):
        self.data = data
        self.created = dict.fromkeys(
            [
                "sources",
                "regions",
                "organisations",
                "projects",
                "barriers",
                "topics",
                "recommendations",
                "practices",
            ],
            0,
        )

    def _get_or_create(self, label, model, lookup, defaults, *, item=None, sources=None):
        instance, created = model.objects.get_or_create(**lookup, defaults=defaults)
        self.created[label] = self.created.get(label, 0) + int(created)
        if item is not None and sources is not None and not instance.sources.exists():
            instance.sources.set(sources[key] for key in item.get("sources", []))
        return instance, created

    @staticmethod
    def _fill_translations(instance, item, fields):
        """Give ``instance`` the seed's translations (``<field>_fr``) of those ``fields`` it has
        none of; a translation written in the admin is kept."""
        missing = [
            f"{field}_fr"
            for field in fields
            if item.get(f"{field}_fr") and not getattr(instance, f"{field}_fr")
        ]
        for name in missing:
            setattr(instance, name, item[name])
        if missing:
            instance.save(update_fields=missing)

    def _links(self, practice, model, target, items, targets, sources, *, created):
        """A new practice gets its links with their evidence. A practice that exists keeps its
        links as curated; those of its links that have no evidence yet (made before links
        carried evidence) get the seed's, where the seed has the same link."""
        existing = {
            getattr(link, f"{target}_id"): link for link in model.objects.filter(practice=practice)
        }
        for item in items:
            evidence = {
                "basis": item["basis"],
                "reason": item["reason"],
                "source": sources[item["source"]],
            }
            linked = targets[item[target]]
            link = existing.get(linked.pk)
            if created:
                model.objects.create(practice=practice, **{target: linked}, **evidence)
            elif link is not None and not link.basis and not link.reason.strip():
                for name, value in evidence.items():
                    setattr(link, name, value)
                link.save(update_fields=[*evidence])

    def load(self):
        sources = {}
        for item in self.data["sources"]:
            source, _created = self._get_or_create(
                "sources",
                Source,
                {"key": item["key"]},
                {
                    "title": item["title"],
                    "publisher": item.get("publisher", ""),
                    "published": item.get("published", ""),
                    "kind": item["kind"],
                    "url": item.get("url", ""),
                    "file_reference": item.get("file_reference", ""),
                },
            )
            if not source.file_reference and item.get("file_reference"):
                source.file_reference = item["file_reference"]
                source.save(update_fields=["file_reference"])
            sources[item["key"]] = source
        regions = {
            item["nuts_code"]: self._get_or_create(
                "regions",
                Region,
                {"nuts_code": item["nuts_code"]},
                {
                    "name": item["name"],
                    "country": item["country"],
                    "source_note": item.get("source_note", ""),
                },
                item=item,
                sources=sources,
            )[0]
            for item in self.data["regions"]
        }
        organisations = {
            item["slug"]: self._get_or_create(
                "organisations",
                Organisation,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "kind": item["kind"],
                    "region": regions.get(item.get("region")),
                    "website": item.get("website", ""),
                    "source_note": item.get("source_note", ""),
                },
                item=item,
                sources=sources,
            )[0]
            for item in self.data["organisations"]
        }
        projects = {}
        for item in self.data["projects"]:
            project, created = self._get_or_create(
                "projects",
                Project,
                {"slug": item["slug"]},
                {
                    "acronym": item["acronym"],
                    "title": item["title"],
                    "summary": item.get("summary", ""),
                    "programme_period": item.get("programme_period", ""),
                    "website": item.get("website", ""),
                    "lead_partner": organisations.get(item.get("lead_partner")),
                    "source_note": item.get("source_note", ""),
                },
                item=item,
                sources=sources,
            )
            if created:
                project.partners.set(organisations[slug] for slug in item.get("partners", []))
                project.regions.set(regions[code] for code in item.get("regions", []))
            projects[item["slug"]] = project
        barriers = {}
        for item in self.data["barriers"]:
            barrier, _created = self._get_or_create(
                "barriers",
                Barrier,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "name_fr": item.get("name_fr"),
                    "description": item.get("description", ""),
                    "description_fr": item.get("description_fr"),
                    "category": item["category"],
                    "order": item.get("order", 0),
                },
                item=item,
                sources=sources,
            )
            self._fill_translations(barrier, item, ["name", "description"])
            barriers[item["slug"]] = barrier
        topics = {}
        for item in self.data["topics"]:
            topic, _created = self._get_or_create(
                "topics",
                PolicyTopic,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "name_fr": item.get("name_fr"),
                    "group": item["group"],
                    "description": item.get("description", ""),
                    "description_fr": item.get("description_fr"),
                    "order": item.get("order", 0),
                },
                item=item,
                sources=sources,
            )
            self._fill_translations(topic, item, ["name", "description"])
            # Every recommendation of the seed that the topic lacks (a later seed adds some).
            for order, recommendation in enumerate(item.get("recommendations", []), start=1):
                saved, _created = self._get_or_create(
                    "recommendations",
                    Recommendation,
                    {"topic": topic, "text_en": recommendation["text"]},
                    {
                        "text_fr": recommendation.get("text_fr"),
                        "kind": recommendation["kind"],
                        "source": sources[recommendation["source"]],
                        "source_note": recommendation.get("source_note", ""),
                        "order": order,
                    },
                )
                self._fill_translations(saved, recommendation, ["text"])
            topics[item["slug"]] = topic
        now = timezone.now()
        for item in self.data["practices"]:
            practice, created = self._get_or_create(
                "practices",
                Practice,
                {"slug": item["slug"]},
                {
                    "title": item["title"],
                    "summary": item.get("summary", ""),
                    "description": item.get("description", ""),
                    "resources_needed": item.get("resources_needed", ""),
                    "evidence_of_success": item.get("evidence_of_success", ""),
                    "potential_for_transfer": item.get("potential_for_transfer", ""),
                    "institution": organisations.get(item.get("institution")),
                    "region": regions.get(item.get("region")),
                    "implementation_level": item.get("implementation_level") or "",
                    "start_year": item.get("start_year"),
                    "end_year": item.get("end_year"),
                    "ongoing": bool(item.get("ongoing")),
                    "project": projects.get(item.get("project")),
                    "source": sources.get(item.get("source")),
                    "source_note": item.get("source_note", ""),
                    "status": Practice.Status.PUBLISHED,
                    "published_at": now,
                },
            )
            for model, target, items, targets in (
                (PracticeBarrier, "barrier", item.get("barriers", []), barriers),
                (PracticeTopic, "topic", item.get("topics", []), topics),
            ):
                self._links(practice, model, target, items, targets, sources, created=created)
            if created:
                # The practice's first version was taken before its links existed.
                practice_history_record_links(practice=practice)
            if created:
                practice.tags.set(item.get("tags", []))
        return self.created
