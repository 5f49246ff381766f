from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.models import Partner

# In dependency order: places before the relationships and records that refer to them.
BUNDLED_FIXTURES = ["sources", "places", "relationships", "verifications", "paper"]


class Command(BaseCommand):
    help = (
        "Load the directory's bundled data (fixtures/) in one transaction. Does nothing when the database "
        "already holds partners, so that edits are never overwritten; --reload loads it again over them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload", action="store_true", help="Load even when data exists (updates bundled records in place)."
        )

    def handle(self, *args, reload=False, **options):
        if Partner.objects.exists() and not reload:
            self.stdout.write("The directory already holds data; nothing loaded (use --reload to load it again).")
        else:
            with transaction.atomic():
                call_command("loaddata", *BUNDLED_FIXTURES, verbosity=options["verbosity"])
            self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(BUNDLED_FIXTURES)}."))
        # loaddata bypasses save(), which derives the search text; derive it for every partner.
        Partner.objects.refresh_search_text()
