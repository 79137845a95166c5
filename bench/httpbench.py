"""The HTTP benchmark's parts: the server as `make run` starts it, wrk runs and their figures.

No Django here: the command (`bench_http`) reads the database and prints the table.
"""

import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.slowclients import loopback, timed_get

HELLO = "/_bench/hello/"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Run:
    """One wrk run: requests per second, latency percentiles in ms, non-2xx/3xx and errors."""

    rps: float
    p50: float
    p99: float
    bad: int
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(root: Path, port: int) -> list[str]:
    """The command line `make run` serves with, for `port` (the Makefile's SERVE)."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", "serve-command", f"PORT={port}"],
        cwd=root, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return shlex.split(out.stdout.strip())


@contextmanager
def server(root: Path, port: int, env: dict[str, str], log: Path) -> Iterator[list[str]]:
    """The server started as `make run` starts it, answering HELLO, stopped at the end."""
    command = serve_command(root, port)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=root, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while timed_get("127.0.0.1", port, HELLO, 2)[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: see {log}")
            time.sleep(0.3)
        yield command
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def millis(text: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Run:
    def found(pattern: str, default: str = "0") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    return Run(
        rps=float(found(r"Requests/sec:\s+([0-9.]+)")),
        p50=millis(found(r"\n\s+50%\s+(\S+)", "0ms")),
        p99=millis(found(r"\n\s+99%\s+(\S+)", "0ms")),
        bad=int(found(r"Non-2xx or 3xx responses: (\d+)")),
        errors=errors,
    )


def random_paths_script(paths: Sequence[str], folder: Path) -> Path:
    """A wrk Lua script requesting one of `paths` at random each time."""
    script = folder / "random_paths.lua"
    quoted = ",\n".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{\n{quoted}\n}}\n"
        "math.randomseed(os.time())\n"
        "request = function()\n"
        '  return wrk.format("GET", paths[math.random(#paths)])\n'
        "end\n"
    )
    return script


def wrk(
    base: str, path: str, seconds: int, connections: int, script: Path | None = None,
    headers: Sequence[str] = (),
) -> Run:  # fmt: skip
    command = ["wrk", "--latency", f"-d{seconds}s", f"-c{connections}", "-t2", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, base + path], check=True, capture_output=True, text=True,
        timeout=seconds + 30,
    )  # fmt: skip
    return parse_wrk(out.stdout)


def etag(host: str, port: int, path: str) -> str | None:
    """The ETag header of a GET of `path`, if the page sends one."""
    connection = http.client.HTTPConnection(loopback(host), port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.getheader("ETag")
    finally:
        connection.close()


def scratch() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="bench-http-")
