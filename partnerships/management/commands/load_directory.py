from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships.models import Partner
from partnerships.platform.loading import EditsWouldBeLost, InvalidText, load_fixtures

# In dependency order: places before the relationships and records that refer to them.
BUNDLED_FIXTURES = [
    "sources",
    "places",
    "organisations",
    "relationships",
    "verifications",
    "events",
    "seeking",
    "paper",
]
NAMED = 50  # edits named one by one when loading again would overwrite them; the rest counted


class Command(BaseCommand):
    help = (
        "Load the directory's bundled data (fixtures/) in one transaction. Does nothing when the database "
        "already holds partners, so that edits are never overwritten; --reload loads it again over them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Load even when data exists: updates the bundled records in place and keeps all others. "
            "Refuses, loading nothing, when that would change a record staff have edited.",
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="With --reload: replace staff's edits to bundled records too (each change is in the history).",
        )

    def handle(self, *args, reload=False, overwrite_edits=False, **options):
        if Partner.objects.exists() and not reload:
            self.stdout.write("The directory already holds data; nothing loaded (use --reload to load it again).")
            return
        folder = settings.FIXTURE_DIRS[0]
        try:
            counts = load_fixtures([folder / f"{name}.json" for name in BUNDLED_FIXTURES], overwrite_edits)
        except EditsWouldBeLost as refused:
            raise CommandError(self.refusal(refused.edits)) from refused
        except InvalidText as refused:
            problems = "\n".join(f"  {problem}" for problem in refused.problems[:NAMED])
            message = f"Nothing was loaded: the bundled data holds characters no text may:\n{problems}"
            raise CommandError(message) from refused
        loaded = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(BUNDLED_FIXTURES)}: {loaded}."))

    def refusal(self, edits):
        lines = [
            f"Nothing was loaded: it would overwrite {len(edits)} record(s) staff have edited since they were loaded:"
        ]
        for entry in edits[:NAMED]:
            model = entry.instance_type._meta.verbose_name
            when = entry.history_date.strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {model} #{entry.id} “{entry.instance}”, edited by {entry.history_user} on {when}")
        if len(edits) > NAMED:
            lines.append(f"  … and {len(edits) - NAMED} more.")
        lines.append("Keep the edits (do nothing), or run again with --reload --overwrite-edits to replace them.")
        return "\n".join(lines)
