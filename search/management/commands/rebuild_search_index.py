from django.core.management.base import BaseCommand

from search.tasks import search_documents_refresh_task


class Command(BaseCommand):
    help = (
        "Recompute every practice's search text (the names of its linked records) and so its"
        " database-generated search vector. Kept in step by signals; this repairs a database"
        " edited behind the application's back. With --background, the worker does it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--background",
            action="store_true",
            help="hand the rebuild to the worker (manage.py db_worker) and return at once",
        )

    def handle(self, *args, database, background, **options):
        if background:
            result = search_documents_refresh_task.enqueue(using=database)
            self.stdout.write(
                self.style.SUCCESS(f"Search index rebuild queued for the worker: job {result.id}.")
            )
            return
        changed = search_documents_refresh_task.call(using=database)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {changed} practices changed."))
