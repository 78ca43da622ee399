"""Create the local demonstration accounts printed by `make run`. Never use them in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Create a local-only superuser 'admin' (DEBUG must be on). Safe to re-run."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only: set DEBUG=1.")
        user_model = get_user_model()
        admin, created = user_model.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        self.stdout.write(
            self.style.SUCCESS(
                "Admin: http://127.0.0.1:8000/admin/ - user 'admin', password "
                f"'{DEMO_PASSWORD}' (local demo account)."
            )
        )
