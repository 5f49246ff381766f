import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    """Tests on the bundled data run after all the others (a stable sort keeps each group's order),
    so that the data is loaded once for the whole session while every other test starts from an
    empty database."""
    items.sort(key=lambda item: "bundled_data" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def bundled_data(django_db_setup, django_db_blocker):
    """All bundled data, loaded once for the session as `make run` loads it. It stays until the
    test database is dropped: only tests that ask for it run after it is loaded."""
    with django_db_blocker.unblock():
        call_command("load_directory", verbosity=0)
