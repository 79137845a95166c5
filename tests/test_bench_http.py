"""The HTTP benchmark's parts: the hello-world page, the server `make run` starts, wrk's figures."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from bench import httpbench as hb
from bench.slowclients import held, loopback, timed_get

ROOT = Path(settings.BASE_DIR)

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8123/_bench/hello/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.01ms    3.11ms  40.20ms   80.00%
    Req/Sec   667.12     50.34   780.00     70.00%
  Latency Distribution
     50%   11.52ms
     75%   13.10ms
     90%   15.87ms
     99%    1.20s
  6650 requests in 5.01s, 1.52MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   1327.35
Transfer/sec:    310.20KB
"""


def reload_urls() -> None:
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_hello_world_is_served_only_when_the_environment_asks(client):
    assert settings.ARCHIVE_BENCH_HELLO is False
    with pytest.raises(Resolver404):
        resolve(hb.HELLO)
    assert client.get(hb.HELLO).status_code == 404
    try:
        with override_settings(ARCHIVE_BENCH_HELLO=True):
            reload_urls()
            response = client.get(hb.HELLO)
            assert response.status_code == 200
            assert response.content == b"Hello, world\n"
            assert response["X-Frame-Options"] == "DENY"  # through the site's middleware
    finally:
        reload_urls()
    assert client.get(hb.HELLO).status_code == 404


def test_wrk_figures_are_read_in_milliseconds():
    run = hb.parse_wrk(WRK_OUTPUT)
    assert run.rps == pytest.approx(1327.35)
    assert run.p50 == pytest.approx(11.52)
    assert run.p99 == pytest.approx(1200.0)
    assert (run.bad, run.errors) == (7, 5)
    assert hb.millis("850us") == pytest.approx(0.85)


def test_random_paths_script_lists_every_path(tmp_path):
    script = hb.random_paths_script(["/petitions/e-100000/", "/petitions/441-10000/"], tmp_path)
    text = script.read_text()
    assert '"/petitions/e-100000/",\n"/petitions/441-10000/"' in text
    assert "math.random(#paths)" in text


def test_slow_clients_only_reach_this_machine():
    assert loopback("127.0.0.1") == "127.0.0.1"
    with pytest.raises(ValueError, match="only connect to this machine"):
        loopback("192.0.2.1")


def test_the_run_server_answers_while_idle_and_half_sent_clients_are_held(tmp_path):
    """`make run`'s command line starts, serves the hello page and outlasts stalled clients."""
    port = hb.free_port()
    command = hb.serve_command(ROOT, port)
    assert f"--port {port}" in " ".join(command)
    with hb.server(ROOT, port, {"ARCHIVE_BENCH_HELLO": "1"}, tmp_path / "server.log"):
        with held("127.0.0.1", port, idle=30, half_sent=10) as holding:
            assert (holding.idle, holding.half_sent, holding.refused) == (30, 10, 0)
            status, _seconds = timed_get("127.0.0.1", port, hb.HELLO, timeout=10)
        assert status == 200
    assert timed_get("127.0.0.1", port, hb.HELLO, timeout=2)[0] is None  # stopped
