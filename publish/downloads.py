"""The whole archive as ready files: `/downloads/petitions.csv.gz` and `petitions.jsonl.gz`
(one petition's JSON a line), in English, and their French twins `petitions.fr.csv.gz` and
`petitions.fr.jsonl.gz`.

`build()` streams each file from one `COPY … TO STDOUT` into gzip, a piece at a time (memory
does not grow with the archive), writes it beside the last build and moves it into place, then
records the archive's version (`browse.facets.archive_version`) in `build.json`. The command
`build_downloads` builds them (`make run` does, after the seed import); a download that finds
the build older than the archive is served the last build while one background thread per
server rebuilds them, PostgreSQL's advisory lock keeping to one build at a time.
"""

import gzip
import hashlib
import json
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from browse.background import once_in_background
from browse.compiled import bind
from browse.facets import archive_version
from browse.stored_json import json_query, store_all
from browse.views import Selection
from petitions.models import Petition
from publish.exports import copy_out, csv_statement, header_line, selection_sql

LOCK = 742_013  # pg_advisory_lock key of a downloads build
FILES = {
    f"petitions{suffix}.{kind}.gz": (kind, language)
    for language, suffix in (("en", ""), ("fr", ".fr"))
    for kind in ("csv", "jsonl")
}
MEANINGS = {
    "petitions.csv.gz": _("CSV, English texts and headers"),
    "petitions.jsonl.gz": _("JSON Lines, English texts"),
    "petitions.fr.csv.gz": _("CSV, French texts and headers"),
    "petitions.fr.jsonl.gz": _("JSON Lines, French texts"),
}
_thread_lock = threading.Lock()  # one background rebuild per server process


def directory() -> Path:
    return Path(settings.ARCHIVE_DOWNLOADS_DIR)


def recorded() -> dict:
    """What the last build recorded ({} before the first)."""
    try:
        return json.loads((directory() / "build.json").read_text())
    except (OSError, ValueError):
        return {}


def everything() -> tuple[str, list]:
    """Every public petition, newest first: the list without parameters."""
    return selection_sql(Selection(QueryDict(), Petition.objects.all()).ordered())


def jsonl_statement(language: str) -> str:
    sql, params = everything()
    query = json_query(language, settings.ARCHIVE_SITE_URL, sql)
    return f"COPY ({bind(f'SELECT json FROM ({query}) AS row ORDER BY ord', params)}) TO STDOUT"


def file_pieces(kind: str, language: str):
    """The file's bytes, in pieces. COPY's text format doubles a backslash, the only escape a
    JSON text can hold (JSON escapes control characters itself)."""
    if kind == "csv":
        yield header_line(language)
        yield from copy_out(csv_statement(language, settings.ARCHIVE_SITE_URL, everything()))
    else:
        for piece in copy_out(jsonl_statement(language)):
            yield piece.replace(b"\\\\", b"\\")


def write(name: str) -> int:
    """Build one file beside the last one, then put it in its place; its size in bytes."""
    kind, language = FILES[name]
    path = directory() / name
    partial = path.with_name(f".{name}.{os.getpid()}.partial")
    try:
        with gzip.open(partial, "wb", compresslevel=6) as out:
            for piece in file_pieces(kind, language):
                out.write(piece)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def build() -> dict:
    """Build every file under the advisory lock; wait for a build already running instead."""
    directory().mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            version = archive_version()
            if recorded().get("version") == version:
                return recorded()  # built meanwhile by another process
            store_all()  # the JSON Lines read each petition's stored JSON
            sizes = {name: write(name) for name in FILES}
            info = {"version": version, "built_at": timezone.now().isoformat(), "sizes": sizes}
            temporary = directory() / f".build.{os.getpid()}.json"
            temporary.write_text(json.dumps(info, indent=2))
            os.replace(temporary, directory() / "build.json")
            return info
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def rebuild_in_background() -> threading.Thread | None:
    """Start a rebuild in a thread of its own unless this process runs one already."""
    return once_in_background(_thread_lock, "build-downloads", build,
                              "The downloads could not be rebuilt")  # fmt: skip


def listed() -> list[dict]:
    """The files for /about/data/: name, link, meaning and size of the last build."""
    sizes = recorded().get("sizes", {})
    return [
        {"name": name, "url": reverse("petitions:download", args=[name]),
         "meaning": MEANINGS[name], "size": sizes.get(name)}
        for name in FILES
    ]  # fmt: skip


def etag(info: dict, name: str) -> str:
    return '"' + hashlib.sha256(f"{info.get('version')}|{name}".encode()).hexdigest()[:32] + '"'


def download(request, name: str):
    """A ready file; a rebuild starts when the archive has changed since it was built."""
    if name not in FILES:
        raise Http404(name)
    info = recorded()
    if info.get("version") != archive_version():
        rebuild_in_background()
    path = directory() / name
    if not info or not path.is_file():
        response = HttpResponse("Being prepared; try again in a minute.\n", status=503)
        response["Retry-After"] = "60"
        return response
    tag = etag(info, name)
    if tag in request.headers.get("If-None-Match", ""):
        return HttpResponse(status=304, headers={"ETag": tag})
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["ETag"] = tag
    return response
