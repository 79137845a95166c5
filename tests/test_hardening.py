"""Requests the archive cannot serve as asked: oversized bodies, refused hosts, formulas in the
statistics CSVs, and a database that cannot be reached."""

import csv
import io
import logging
import os
import socket
import tempfile

import psycopg
import pytest
from django.db import connection

from tests.factories import PetitionFactory, TopicFactory

FORMULA = "=cmd|' /C calc'!A0"


def raw_request(live_server, head: str) -> bytes:
    """Send request headers only (no body) to the real server and read its answer."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        sock.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: sock.recv(65536), b""))


@pytest.mark.django_db
def test_an_oversized_body_is_refused_before_it_is_read(live_server, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # any upload that were read would go to disk
    before = set(os.listdir(tempfile.gettempdir()))
    answer = raw_request(
        live_server,
        "POST /petitions/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 209715200\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n\r\n",
    )  # 200 MB announced, none sent: an answer at all means nothing waited for the body
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"at most 65536 bytes" in answer
    assert list(tmp_path.iterdir()) == []
    after = set(os.listdir(tempfile.gettempdir()))
    assert not {name for name in after - before if name.endswith(".upload")}


def test_a_body_over_the_limit_is_413_on_every_public_page_in_both_languages(client, settings):
    settings.ARCHIVE_PUBLIC_MAX_BODY = 1000
    for path in ("/petitions/", "/fr/petitions/", "/petitions.csv", "/stats/", "/documents/"):
        response = client.post(path, b"x" * 1001, content_type="application/octet-stream")
        assert response.status_code == 413, path
    chunked = client.post("/petitions/", b"", "text/plain", HTTP_TRANSFER_ENCODING="chunked")
    assert chunked.status_code == 411


@pytest.mark.django_db
def test_the_admin_keeps_its_own_limits(client, settings):
    settings.ARCHIVE_PUBLIC_MAX_BODY = 1000
    response = client.post("/admin/login/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 200  # the login form answered, not a 413


@pytest.mark.django_db
def test_every_statistics_csv_is_guarded_against_formulas(client):
    PetitionFactory(topic=TopicFactory(name=FORMULA, slug="formula"))
    for chart in ("petitions-per-year", "response-times", "portfolios", "overdue"):
        response = client.get(f"/stats/{chart}.csv")
        text = response.content.decode()
        for row in csv.reader(io.StringIO(text)):
            assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in row), (chart, row)
    per_year = client.get("/stats/petitions-per-year.csv").content.decode()
    assert f"'{FORMULA}" in per_year
    assert "'" + FORMULA in client.get("/petitions.csv").getvalue().decode()


def test_a_refused_host_is_one_line_in_the_log_and_a_400(client, caplog):
    host = "h" * 4000
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        response = client.get("/petitions/", HTTP_HOST=host)
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    line = record.getMessage()
    assert "\n" not in line and len(line) < 200 and "4000 characters" in line
    assert record.exc_info is None and not record.exc_text


@pytest.mark.django_db(transaction=True)
def test_a_database_that_cannot_be_reached_is_a_503_and_the_site_recovers(client, settings):
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    closed_port = free.getsockname()[1]
    free.close()  # nothing listens there: PostgreSQL is "down"
    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
    try:
        english, french = client.get("/petitions/"), client.get("/fr/petitions/")
    finally:
        connection.close()
        connection.settings_dict.update(real)
    for response in (english, french):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
    assert "database cannot be reached" in english.content.decode()
    assert "injoignable" in french.content.decode()
    assert client.get("/petitions/").status_code == 200  # back by itself, no restart


def terminate_this_connection() -> None:
    """End the test's database session from another session, as a server restart would."""
    pid = connection.cursor().connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_is_retried_once_for_safe_requests(client):
    PetitionFactory(number="e-4242")
    terminate_this_connection()
    response = client.get("/petitions/e-4242/")
    assert response.status_code == 200  # a fresh connection, the page as usual
    terminate_this_connection()
    assert client.post("/petitions/e-4242/").status_code == 503  # not safe: never sent twice


@pytest.mark.django_db
def test_control_characters_in_a_search_never_break_a_page_or_a_feed(client):
    """XML 1.0 cannot carry control characters: a feed leaves them out of what it repeats, and a
    search that holds one inside its words is a 400."""
    from xml.dom.minidom import parseString

    junk = {"q": "\x0bpipe", "\x0bx": "\x0by", "per_page": "\x0b1"}
    for path in ("/feeds/responses/", "/feeds/petitions/"):
        response = client.get(path, junk)
        assert response.status_code == 200, path
        parseString(response.content)  # well-formed
    for path in ("/petitions/", "/feeds/petitions/", "/petitions.csv"):
        assert client.get(path, {"q": "pipe\x0bline"}).status_code == 400, path
