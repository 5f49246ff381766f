import pytest
from django.core.management import call_command

from partnerships.models import Agreement, Participation, Partner, Program, Relationship, Source, Topic


@pytest.fixture(scope="module")
def bundled_data(django_db_setup, django_db_blocker):
    """All bundled data, loaded once for a module as `make run` loads it, and removed afterwards
    so that other modules start from an empty database."""
    with django_db_blocker.unblock():
        call_command("load_directory", verbosity=0)
        yield
        Program.objects.all().delete()
        Agreement.objects.all().delete()
        Relationship.objects.all().delete()
        Partner.objects.exclude(parent=None).delete()
        Partner.objects.all().delete()
        Topic.objects.all().delete()
        Source.objects.all().delete()
        for model in (Program, Agreement, Relationship, Partner, Topic, Source, Participation):
            model.history.all().delete()
