"""Work a request starts but does not wait for: one thread per server process for each kind."""

import logging
import threading
from collections.abc import Callable

from django.db import connection

log = logging.getLogger(__name__)


def once_in_background(lock: threading.Lock, name: str, work: Callable[[], object],
                       failure: str) -> threading.Thread | None:  # fmt: skip
    """Run `work` in a thread of its own unless this process runs one holding `lock` already;
    a failure is logged as `failure`. The thread closes its database connection at the end."""
    if not lock.acquire(blocking=False):
        return None

    def run():
        try:
            work()
        except Exception:
            log.exception(failure)
        finally:
            connection.close()
            lock.release()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
