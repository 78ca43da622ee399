#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Management commands (migrate, makemigrations --check, ...) sign nothing a visitor holds, so
    # they may run without SECRET_KEY; the web process (config/wsgi.py) still requires one.
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
