"""Slow and idle clients held open against a local server, while a page is timed.

Pure Python (sockets only, no Django). Only loopback addresses are accepted; every socket is
closed when the `held` block ends, and each timed request has a deadline.
"""

import http.client
import ipaddress
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

# Half-sent requests, taken in turn: headers that never end (the server waits for the blank
# line), and a form whose body stops short of its Content-Length (Django's CSRF check reads it).
HALF_SENT = [
    b"GET /petitions/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\n",
    b"POST /petitions/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nq=slow&page=",
]


@dataclass
class Held:
    idle: int  # connections opened that sent nothing
    half_sent: int  # connections that sent part of a request's headers or body
    refused: int  # connections the server did not accept


def loopback(host: str) -> str:
    if not ipaddress.ip_address(socket.gethostbyname(host)).is_loopback:
        raise ValueError(f"slow clients only connect to this machine, not {host}")
    return host


@contextmanager
def held(host: str, port: int, idle: int, half_sent: int) -> Iterator[Held]:
    """Open `idle` silent connections and `half_sent` unfinished requests; close all after."""
    loopback(host)
    result = Held(0, 0, 0)
    with ExitStack() as stack:
        for n in range(idle + half_sent):
            try:
                sock = stack.enter_context(socket.create_connection((host, port), timeout=2))
                if n >= idle:
                    sock.sendall(HALF_SENT[n % len(HALF_SENT)])
                    result.half_sent += 1
                else:
                    result.idle += 1
            except OSError:
                result.refused += 1
        time.sleep(0.5)  # let the server pick them up
        yield result


def timed_get(host: str, port: int, path: str, timeout: float) -> tuple[int | None, float]:
    """(status or None on timeout/error, seconds) of one GET on a fresh connection."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(loopback(host), port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except OSError:
        return None, time.monotonic() - started
    finally:
        connection.close()
