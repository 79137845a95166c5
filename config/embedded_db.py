"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The `pgserver` wheel ships a real PostgreSQL; it is started once in `.pgdata/` of the checkout and
left running, so `make run`, `make test` and `.venv/bin/python manage.py …` share one server.
"""

import os
import re
import signal
import time
import warnings
from pathlib import Path


def database_url(data_dir: Path, name: str = "archive") -> str:
    """Start (or reuse) the embedded server and return a URL for a database on it."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a usable database name: {name!r}")
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {name};")
    return f"postgresql://postgres@/{name}?host={data_dir}"


def stop(data_dir: Path) -> bool:
    """Stop the server in `data_dir` (a fast shutdown); False if none was running."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return False
    os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
    for _ in range(300):
        if not pid_file.exists():
            return True
        time.sleep(0.1)
    raise TimeoutError(f"PostgreSQL in {data_dir} did not stop within 30 s")
