from django.core.management.base import BaseCommand, CommandError

from partnerships.sql import backup


class Command(BaseCommand):
    help = "Replace the whole database with a backup (default: the newest in backups/)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The backup to restore (default: the newest in backups/).")

    def handle(self, *args, path=None, **options):
        try:
            restored = backup.restore(path)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {restored}."))
