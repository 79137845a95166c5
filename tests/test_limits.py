"""Abuse limits: the sign-in lockout (django-axes) and the per-visitor rate limits on searches,
exports and JSON pages (django-ratelimit), behind a trusted proxy or not.

Rates here count per hour: a window of a minute could end between two requests of a test."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.ARCHIVE_TRUSTED_PROXIES = []


@pytest.fixture
def staff_member(db):
    return get_user_model().objects.create_user(
        "clerk", "clerk@example.org", PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, password: str, address: str = "127.0.0.1"):
    data = {"username": "clerk", "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=address)


def test_sign_in_locked_after_n_wrong_passwords_even_with_the_right_one(client, staff_member):
    for _ in range(2):
        response = sign_in(client, "wrong password")
        assert response.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in client.session
    third = sign_in(client, "wrong password")
    assert third.status_code == 429
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    text = locked.content.decode()
    assert "Sign-in locked" in text
    assert "after 3 wrong passwords in a row" in text
    assert "Try again in 15 minutes" in text
    assert locked.headers["Retry-After"] == "900"
    # The lockout is for this username from this address: the clerk elsewhere signs in.
    elsewhere = Client()
    assert sign_in(elsewhere, PASSWORD, address="192.0.2.44").status_code == 302
    assert "_auth_user_id" in elsewhere.session


def test_a_right_password_before_the_limit_resets_the_count(client, staff_member):
    for _ in range(2):
        assert sign_in(client, "wrong password").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert sign_in(client, "wrong password").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def get_many(client, path: str, times: int, **headers) -> list:
    return [client.get(path, **headers) for _ in range(times)]


def assert_limited(response, seconds_at_most: int):
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= seconds_at_most
    assert response.headers["Cache-Control"] == "no-store"


def test_the_n_plus_first_search_in_a_window_is_a_429(client, settings):
    settings.ARCHIVE_RATE_SEARCH = "3/h"
    answers = get_many(client, "/petitions/?q=pipeline", 4)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert_limited(answers[-1], 3600)
    text = answers[-1].content.decode()
    assert "Too many requests" in text
    assert f"Please wait {answers[-1].headers['Retry-After']} seconds" in text
    # Browsing without a search is not limited; a search of documents counts with the others.
    assert {a.status_code for a in get_many(client, "/petitions/?status=responded", 5)} == {200}
    assert client.get("/documents/?q=pipeline").status_code == 429


def test_a_search_page_in_the_page_cache_still_counts_and_a_429_is_never_stored(client, settings):
    settings.ARCHIVE_PAGE_CACHE = True
    settings.ARCHIVE_RATE_SEARCH = "2/h"
    first, cached, limited = get_many(client, "/petitions/?q=pipeline", 3)
    assert first.status_code == cached.status_code == 200
    assert cached.headers["ETag"] == first.headers["ETag"]
    assert_limited(limited, 3600)
    # A new allowance (another rate, so fresh counters): the page, not a stored 429.
    settings.ARCHIVE_RATE_SEARCH = "5/h"
    again = client.get("/petitions/?q=pipeline")
    assert again.status_code == 200
    assert again.headers["ETag"] == first.headers["ETag"]
    # A 304 counts as well.
    revalidated = client.get("/petitions/?q=pipeline", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert revalidated.status_code == 304


def test_the_429_page_is_in_french_on_the_french_site(client, settings):
    settings.ARCHIVE_RATE_SEARCH = "1/h"
    assert client.get("/fr/petitions/?q=eau").status_code == 200
    limited = client.get("/fr/petitions/?q=eau")
    assert_limited(limited, 3600)
    text = limited.content.decode()
    assert "Trop de requêtes" in text
    assert f"Veuillez attendre {limited.headers['Retry-After']} secondes" in text


def test_csv_exports_are_limited(client, settings):
    settings.ARCHIVE_RATE_EXPORT = "2/h"
    answers = get_many(client, "/petitions.csv", 3)
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0]["Content-Type"].startswith("text/csv")
    assert_limited(answers[-1], 3600)
    assert "Too many requests" in answers[-1].content.decode()
    # The statistics' CSV files share the export allowance.
    assert client.get("/stats/portfolios.csv").status_code == 429


def test_json_pages_are_limited_with_a_json_answer(client, settings):
    settings.ARCHIVE_RATE_JSON = "2/h"
    answers = get_many(client, "/petitions.json", 3)
    assert [a.status_code for a in answers] == [200, 200, 429]
    limited = answers[-1]
    assert_limited(limited, 3600)
    assert limited["Content-Type"] == "application/json"
    assert "Too many requests" in json.loads(limited.content)["errors"][0]
    # A petition's JSON counts with the list's (it is a 404 here, and still counted).
    assert client.get("/petitions/e-2835.json").status_code == 429


def test_no_limits_when_turned_off(client, settings):
    settings.RATELIMIT_ENABLE = False
    settings.ARCHIVE_RATE_SEARCH = settings.ARCHIVE_RATE_JSON = "1/h"
    assert {a.status_code for a in get_many(client, "/petitions/?q=pipeline", 4)} == {200}
    assert {a.status_code for a in get_many(client, "/petitions.json", 4)} == {200}


def test_forwarded_for_counts_only_from_a_trusted_proxy(client, settings):
    settings.ARCHIVE_RATE_SEARCH = "1/h"
    settings.ARCHIVE_TRUSTED_PROXIES = [PROXY]
    path = "/petitions/?q=pipeline"

    def via_proxy(visitor: str):
        return client.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{visitor}, {PROXY}")

    # Behind the proxy, each visitor has an allowance of their own.
    assert via_proxy("203.0.113.5").status_code == 200
    assert via_proxy("203.0.113.5").status_code == 429
    assert via_proxy("203.0.113.6").status_code == 200
    # From anyone else the header is ignored: changing it does not buy a new allowance.
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    assert client.get(path, HTTP_X_FORWARDED_FOR="203.0.113.9", **direct).status_code == 200
    assert client.get(path, HTTP_X_FORWARDED_FOR="203.0.113.10", **direct).status_code == 429
