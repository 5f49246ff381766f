from django.core.management.base import BaseCommand

from partnerships.sql import backup


class Command(BaseCommand):
    help = "Back up the whole database (PostgreSQL: pg_dump custom format; SQLite: a consistent copy) to backups/."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write it (default: backups/directory-<time>.*).")

    def handle(self, *args, path=None, **options):
        written = backup.backup(path)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {written}."))
