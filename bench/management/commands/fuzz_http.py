"""Send junk requests (bench/fuzz.py) to a running archive on this machine and count the answers.

    .venv/bin/python manage.py fuzz_http --base-url http://127.0.0.1:8000 --requests 2000

Only a loopback address is accepted. It stops after `--requests` or `--seconds`, whichever comes
first, prints the count of each status (and of transfers cut off part-way) and exits non-zero
on any 5xx or cut-off answer.
"""

import http.client
import time
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.management.base import BaseCommand, CommandError
from hypothesis import HealthCheck, Phase, given, settings

from bench.fuzz import JunkRequest, junk_requests

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Command(BaseCommand):
    help = "Send generated junk requests to a running archive on 127.0.0.1 and count statuses."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--requests", type=int, default=1000)
        parser.add_argument("--seconds", type=float, default=300)

    def handle(self, *args, base_url, requests, seconds, **options):
        address = urlsplit(base_url)
        if address.scheme != "http" or address.hostname not in LOOPBACK:
            raise CommandError("--base-url must be http:// on this machine (127.0.0.1, localhost)")
        counts: Counter[str] = Counter()
        failures: list[str] = []
        deadline = time.monotonic() + seconds
        host, port = address.hostname, address.port or 80

        @settings(max_examples=requests, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(junk=junk_requests(django_settings.ARCHIVE_PUBLIC_MAX_BODY))
        def send(junk: JunkRequest):
            if time.monotonic() > deadline:
                return
            outcome = answer(host, port, junk)
            counts[outcome] += 1
            if not outcome[0].isdigit() or outcome.startswith("5"):
                failures.append(f"{outcome} {junk.method} {junk.target[:200]}")

        send()
        self.stdout.write(f"{sum(counts.values())} requests to {base_url}")
        for outcome, n in sorted(counts.items()):
            self.stdout.write(f"  {outcome}: {n}")
        for line in failures[:20]:
            self.stdout.write(f"  failed: {line}")
        if failures:
            raise CommandError(f"{len(failures)} answers were 5xx or cut off")


def answer(host: str, port: int, junk: JunkRequest) -> str:
    """The status of one request, read to its end; "cut off" if the body stopped part-way."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.putrequest(junk.method, junk.target, skip_host="Host" in junk.headers)
        for name, value in junk.headers.items():
            connection.putheader(name, value)
        if junk.body:
            connection.putheader("Content-Length", str(len(junk.body)))
        connection.endheaders(junk.body or None)
        response = connection.getresponse()
        try:
            response.read()
        except http.client.IncompleteRead:
            return f"{response.status} cut off"
        return str(response.status)
    except (OSError, http.client.HTTPException) as error:
        return f"no answer ({type(error).__name__})"
    finally:
        connection.close()
