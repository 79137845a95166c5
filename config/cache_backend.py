"""The shared cache in Redis, which the archive can lose without an error page.

Django's `RedisCache` raises when Redis is down. `ResilientRedisCache` treats any Redis error as
a miss (reads) or a no-op (writes), logs it, and leaves Redis alone for `RETRY_SECONDS` before
trying again, so an outage costs one short connect timeout, not one per cache call: the site
renders every page as if the cache were cold.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _guarded(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError:
            log.warning("Redis cache unavailable; serving without it", exc_info=True)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", [], data, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", None, key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._guarded("delete_many", None, keys, version)

    def clear(self):
        return self._guarded("clear", False)
