"""Every public URL pattern, in both languages, fuzzed with junk: never a 5xx, and an export
never fails after its first byte (streamed responses are read to their end)."""

from datetime import date

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from bench.fuzz import PATTERNS, JunkRequest, junk_requests

FUZZ = settings(
    max_examples=250,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def public_names(resolver=None, namespace="") -> set[str]:
    """The names of every URL pattern outside the admin."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                names |= public_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def send(client: Client, junk: JunkRequest):
    extra = {"HTTP_HOST": junk.headers["Host"]} if "Host" in junk.headers else {}
    return client.generic(junk.method, junk.target, junk.body, "application/octet-stream", **extra)


def test_the_fuzzer_knows_every_public_url_pattern():
    assert public_names() == set(PATTERNS)


@pytest.mark.django_db
@FUZZ
@given(junk=junk_requests())
def test_no_junk_request_gets_a_server_error(imported, junk):
    response = send(Client(raise_request_exception=True), junk)
    if isinstance(response, StreamingHttpResponse):
        body = b"".join(response.streaming_content)  # a failure part-way raises here
        if response.status_code == 200 and junk.method != "HEAD":  # a HEAD answer has no body
            assert body.startswith("\ufeff".encode())
    assert response.status_code < 500, (junk, response.status_code)


@pytest.mark.django_db
@settings(FUZZ, max_examples=60)
@given(
    name=st.sampled_from(["list-csv", "list-json", "feed-petitions", "feed-responses", "list"]),
    parameter=st.sampled_from(
        [f"{s}_{e}" for s in ("opened", "presented", "responded") for e in ("from", "to")]
    ),
    day=st.dates(),
    french=st.booleans(),
)
def test_every_date_of_the_calendar_is_an_answer(imported, name, parameter, day, french):
    path = ("/fr" if french else "") + PATTERNS[f"petitions:{name}"]
    response = Client(raise_request_exception=True).get(path, {parameter: day.isoformat()})
    if isinstance(response, StreamingHttpResponse):
        b"".join(response.streaming_content)
    assert response.status_code in (200, 400)
    outside = not date(1867, 7, 1) <= day <= date(timezone.localdate().year + 5, 12, 31)
    assert (response.status_code == 400) == outside
    if outside and name != "list-json":
        assert parameter in response.content.decode() and "1867-07-01" in response.content.decode()
