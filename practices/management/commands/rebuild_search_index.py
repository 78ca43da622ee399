from django.core.management.base import BaseCommand

from practices.services import practice_search_refresh


class Command(BaseCommand):
    help = "Recompute every practice's search text (and so its database-generated search vector)."

    def handle(self, *args, **options):
        changed = practice_search_refresh()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {changed} practices changed."))
