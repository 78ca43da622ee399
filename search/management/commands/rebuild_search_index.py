from django.core.management.base import BaseCommand

from search.documents import practice_documents_refresh


class Command(BaseCommand):
    help = (
        "Recompute every practice's search text (the names of its linked records) and so its"
        " database-generated search vector. Kept in step by signals; this repairs a database"
        " edited behind the application's back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        changed = practice_documents_refresh(using=database)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {changed} practices changed."))
