from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.loading import load_fixtures
from partnerships.models import Partner

# In dependency order: places before the relationships and records that refer to them.
BUNDLED_FIXTURES = ["sources", "places", "organisations", "relationships", "verifications", "seeking", "paper"]


class Command(BaseCommand):
    help = (
        "Load the directory's bundled data (fixtures/) in one transaction. Does nothing when the database "
        "already holds partners, so that edits are never overwritten; --reload loads it again over them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Load even when data exists: updates the bundled records in place and keeps all others.",
        )

    def handle(self, *args, reload=False, **options):
        if Partner.objects.exists() and not reload:
            self.stdout.write("The directory already holds data; nothing loaded (use --reload to load it again).")
        else:
            folder = settings.FIXTURE_DIRS[0]
            counts = load_fixtures([folder / f"{name}.json" for name in BUNDLED_FIXTURES])
            loaded = ", ".join(f"{n} {what}" for what, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(BUNDLED_FIXTURES)}: {loaded}."))
