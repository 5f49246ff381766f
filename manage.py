#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def mark_as_command(argv):
    """Tell the settings that this process runs a command, not pages: commands run without the
    statement timeout and the bound on a silent database that pages have (directory/settings.py).
    `runserver` serves pages and keeps them."""
    os.environ["DJANGO_COMMAND"] = "0" if argv[1:2] == ["runserver"] else "1"


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    mark_as_command(sys.argv)
    # On a developer's machine (no SECRET_KEY, DJANGO_DEBUG unset) commands run with the
    # local settings. A deployment sets SECRET_KEY, so its commands get production settings;
    # the web server (wsgi/asgi) never gets this default and refuses to start without a key.
    if "SECRET_KEY" not in os.environ:
        os.environ.setdefault("DJANGO_DEBUG", "1")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
