"""Sign-in and browser hardening: spraying passwords across user names is throttled by address,
a user name is locked whichever address tries it, passwords have 12 characters at least, staff
sessions end when idle and 12 hours after signing in, and every response carries its security
headers."""

import logging
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from partnerships.staff.roles import EDITORS
from tests.builders import STAFF_PASSWORD, make_account

pytestmark = pytest.mark.django_db
PASSWORD = STAFF_PASSWORD


def make_editor(name):
    return make_account(EDITORS, name)


def sign_in(client, username, password="wrong", address="198.51.100.7"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_password_spraying_from_one_address_is_throttled(client):
    names = [f"officer{n}" for n in range(6)]
    for name in names:
        make_editor(name)
    statuses = [sign_in(client, name).status_code for name in names[:5]]
    assert statuses[-1] == 429  # five failures from one address, across five user names
    assert sign_in(client, names[5], PASSWORD).status_code == 429  # even with the right password
    assert sign_in(client, names[5], PASSWORD, address="203.0.113.9").status_code == 302  # elsewhere: fine


def test_a_user_name_is_locked_whichever_address_tries_it(client):
    make_editor("officer")
    for n in range(5):
        sign_in(client, "officer", address=f"203.0.113.{n + 1}")
    assert sign_in(client, "officer", PASSWORD, address="192.0.2.50").status_code == 429


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kobe-1957-x")
    validate_password("Kobe-1957-sister")


def test_staff_sessions_end_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the half hour counts from the last request


def sign_in_for_real(client, name="officer"):
    make_editor(name)
    assert sign_in(client, name, PASSWORD).status_code == 302


def signed_in_hours_ago(client, hours):
    session = client.session
    session["signed_in_at"] = int(time.time() - hours * 3600)
    session.save()


def test_an_active_staff_session_ends_twelve_hours_after_signing_in(client):
    sign_in_for_real(client)
    signed_in_hours_ago(client, 11.5)
    assert client.get("/admin/").status_code == 200  # within the day's limit, still signed in
    signed_in_hours_ago(client, 12.1)
    response = client.get("/admin/partnerships/relationship/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
    login = client.get(response["Location"]).content.decode()
    assert "You were signed out 12 hours after signing in" in login


def test_the_session_limit_is_a_setting_and_a_sign_in_starts_it_again(client, settings):
    settings.SESSION_MAX_HOURS = 1
    sign_in_for_real(client)
    signed_in_hours_ago(client, 1.5)
    assert client.get("/admin/").status_code == 302
    assert sign_in(client, "officer", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_refused_next_after_signing_in_leads_to_the_admin_not_a_missing_page(client):
    make_editor("officer")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "officer", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_request_for_a_host_the_site_does_not_serve_is_logged_in_one_line(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/en/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING" and not record.exc_info
    assert "Invalid HTTP_HOST header: 'scanner.example'" in record.getMessage()
    assert "Traceback" not in caplog.text


def test_every_response_carries_its_security_headers(client):
    response = client.get("/about/")
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_set_no_cookie_and_the_old_language_form_is_gone(client):
    for path in ("/", "/en/relationships/?state=WA", "/ja/partners/", "/relationships/"):
        response = client.get(path)
        assert not response.cookies, path
        assert "Cookie" not in response.get("Vary", ""), path
    assert client.post("/i18n/setlang/", {"language": "ja", "next": "/"}).status_code == 404


@pytest.mark.parametrize("path", ["/en/", "/en/relationships/?format=json", "/en/changes/"])
def test_a_page_from_the_cache_carries_the_same_headers_as_a_fresh_one(client, path):
    fresh, kept = client.get(path), client.get(path)
    assert (fresh["X-Cache"], kept["X-Cache"]) == ("miss", "hit")
    assert fresh["X-Frame-Options"] == "DENY"
    ignored = {"X-Cache", "Date"}
    assert {k: v for k, v in kept.headers.items() if k not in ignored} == {
        k: v for k, v in fresh.headers.items() if k not in ignored
    }
