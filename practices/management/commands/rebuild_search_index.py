from django.core.management.base import BaseCommand

from practices.services import practice_search_refresh
from practices.word_index import word_bits_refill


class Command(BaseCommand):
    help = (
        "Recompute every practice's search text (and so its database-generated search vector),"
        " and refill the table of which practices have each search word."
    )

    def handle(self, *args, **options):
        changed = practice_search_refresh()
        word_bits_refill()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {changed} practices changed."))
