"""The whole archive as ready files: built by a command, served with their size and version,
rebuilt when the archive changes."""

import csv
import gzip
import io
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from publish import downloads
from tests.conftest import PETITION_PAGES, run_import
from tests.factories import PetitionFactory


@pytest.fixture
def downloads_dir(settings, tmp_path):
    settings.ARCHIVE_DOWNLOADS_DIR = str(tmp_path / "downloads")
    settings.ARCHIVE_SITE_URL = "https://archive.example"
    return tmp_path / "downloads"


def served(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    return gzip.decompress(body)


def test_the_command_builds_every_file_and_they_hold_what_the_exports_hold(
    client, db, downloads_dir
):
    run_import(*PETITION_PAGES)
    out = StringIO()
    call_command("build_downloads", stdout=out)
    assert "petitions.jsonl.gz" in out.getvalue()
    assert sorted(p.name for p in downloads_dir.glob("*.gz")) == sorted(downloads.FILES)

    table = served(client, "/downloads/petitions.csv.gz").decode("utf-8-sig")
    exported = b"".join(client.get("/petitions.csv").streaming_content).decode("utf-8-sig")
    assert table == exported.replace("http://testserver", "https://archive.example")

    lines = served(client, "/downloads/petitions.jsonl.gz").decode().splitlines()
    items = client.get("/petitions.json?per_page=500").json()["items"]
    assert [json.loads(line) for line in lines] == json.loads(
        json.dumps(items).replace("http://testserver", "https://archive.example")
    )
    french = served(client, "/downloads/petitions.fr.jsonl.gz").decode().splitlines()
    assert json.loads(french[0])["url"].startswith("https://archive.example/fr/petitions/")
    header = next(
        csv.reader(
            io.StringIO(served(client, "/downloads/petitions.fr.csv.gz").decode("utf-8-sig"))
        )
    )
    assert header[0] == "numero"


def test_a_backslash_survives_the_json_lines(client, db, downloads_dir):
    PetitionFactory(prayer_text='C:\\dir\\n "quoted"\nnext line\ttab')
    downloads.build()
    (line,) = served(client, "/downloads/petitions.jsonl.gz").decode().splitlines()
    assert json.loads(line)["prayer"]["text"] == 'C:\\dir\\n "quoted"\nnext line\ttab'


def test_an_etag_from_the_build_and_a_304_for_it(client, db, downloads_dir):
    PetitionFactory()
    downloads.build()
    tag = client.get("/downloads/petitions.csv.gz")["ETag"]
    assert client.get("/downloads/petitions.jsonl.gz")["ETag"] != tag
    again = client.get("/downloads/petitions.csv.gz", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag


def test_unknown_names_are_not_found(client, db, downloads_dir):
    assert client.get("/downloads/secrets.txt").status_code == 404
    assert client.get("/downloads/..%2Fbuild.json").status_code == 404


def finish_rebuilds():
    for thread in threading.enumerate():
        if thread.name == "build-downloads":
            thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_a_changed_archive_is_served_the_last_build_while_it_is_rebuilt(client, downloads_dir):
    PetitionFactory(number="e-7001")
    waiting = client.get("/downloads/petitions.csv.gz")  # no build yet: one starts
    assert waiting.status_code == 503 and waiting["Retry-After"] == "60"
    finish_rebuilds()
    first = served(client, "/downloads/petitions.csv.gz")
    assert b"e-7001" in first
    before = downloads.recorded()["version"]
    PetitionFactory(number="e-7002")
    assert served(client, "/downloads/petitions.csv.gz") == first  # the last build, at once
    finish_rebuilds()
    assert downloads.recorded()["version"] != before
    assert b"e-7002" in served(client, "/downloads/petitions.csv.gz")


def test_the_data_page_links_and_describes_the_downloads_in_both_languages(
    client, db, downloads_dir
):
    PetitionFactory()
    downloads.build()
    size = downloads.recorded()["sizes"]["petitions.jsonl.gz"]
    french = client.get("/fr/about/data/").content.decode()
    assert 'href="/fr/downloads/petitions.fr.jsonl.gz"' in french
    assert "JSON Lines, textes en français" in french
    assert "Toute l’archive, prête à télécharger" in french
    # English last: a request leaves its language active for the tests that follow
    english = client.get("/about/data/").content.decode()
    assert '<a href="/downloads/petitions.csv.gz"><code>petitions.csv.gz</code></a>' in english
    assert "JSON Lines, English texts" in english and 'href="#downloads"' in english
    assert f"({size}\xa0bytes)" in english  # the size of the last build
