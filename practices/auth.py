"""Sign-in: Django's model backend, except that the local demo accounts' password is refused
unless DEBUG is on.

`manage.py create_demo_users` refuses to run without DEBUG, but DEBUG=1 on the command line
against a production database is enough to create the accounts, and anyone who has read the
README knows their password. So the password itself is refused in production, whoever set it
and on whatever account: such an account cannot sign in until someone gives it a real password.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .management.commands.create_demo_users import DEMO_PASSWORD


class NoDemoPasswordInProductionBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
