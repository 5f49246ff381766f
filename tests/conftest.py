import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    """Tests on the bundled data run after all the others (a stable sort keeps each group's order),
    so that the data is loaded once for the whole session while every other test starts from an
    empty database."""
    items.sort(key=lambda item: "bundled_data" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashing():
    """Staff accounts made in the tests hash their passwords quickly: a production hasher takes
    about half a second a password by design, and the tests make a few hundred accounts. Servers
    the tests start in their own process (tests/test_servers.py) keep the real hashers and make
    their accounts themselves."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(scope="session")
def bundled_data(django_db_setup, django_db_blocker):
    """All bundled data, loaded once for the session as `make run` loads it. It stays until the
    test database is dropped: only tests that ask for it run after it is loaded."""
    with django_db_blocker.unblock():
        call_command("load_directory", verbosity=0)


@pytest.fixture
def client(client):
    """Django's test client; a request that sends Accept-Language asks for the page without its
    language prefix, as a shared link does, so that the browser's language decides
    (partnerships/rules/languages.py). reverse() gives the prefixed path of the active language."""
    from partnerships.rules import languages

    get = client.get

    def get_as_shared(path, *args, **kwargs):
        return get(languages.neutral(path) if "HTTP_ACCEPT_LANGUAGE" in kwargs else path, *args, **kwargs)

    client.get = get_as_shared
    return client


@pytest.fixture(autouse=True)
def fresh_start():
    """Each test starts with an empty cache, as it starts with an empty database (a test's
    rolled-back data may repeat another's data version: partnerships/platform/caching.py), in the default
    language (a request activates its own, and reverse() follows it), and with the database and
    the shared cache taken as up (an outage one test provoked must not fail the next ones)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from partnerships.models import forget_remembered
    from partnerships.platform.resilience import cache_outage, outage

    outage.end()
    cache_outage.end()
    cache.clear()
    forget_remembered()
    translation.activate(settings.LANGUAGE_CODE)
