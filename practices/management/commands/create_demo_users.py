"""Create the local demonstration accounts printed by `make run`. Never use them in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from practices.roles import CONTRIBUTOR, EXPERT

DEMO_PASSWORD = "demo-password"

# user name -> (superuser?, group, what they can do)
DEMO_USERS = {
    "admin": (True, None, "superuser"),
    "expert": (False, EXPERT, "platform expert: reviews, publishes, validates"),
    "contributor": (False, CONTRIBUTOR, "contributor: drafts and submits practices"),
}


class Command(BaseCommand):
    help = (
        "Create local-only demo accounts 'admin' (superuser), 'expert' and 'contributor' "
        "(DEBUG must be on). Safe to re-run."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only: set DEBUG=1.")
        user_model = get_user_model()
        for username, (superuser, group, _role) in DEMO_USERS.items():
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": superuser}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: http://127.0.0.1:8000/admin/ - password '{DEMO_PASSWORD}' for the local "
                "demo accounts:"
            )
        )
        for username, (_superuser, _group, role) in DEMO_USERS.items():
            self.stdout.write(f"  {username:<12} {role}")
