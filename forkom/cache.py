"""A Redis cache that a stopped or hung Redis slows down a little, and breaks nothing.

Redis holds the shared cache and allauth's rate limits, and caches the sessions, whose truth
is in the database (`cached_db`). When Redis refuses or does not answer within its short
socket timeout, the cache logs it once, stops asking Redis for a few seconds (then tries
again), and meanwhile answers from this process's memory, except for sessions, which it
leaves to the database: a session read from one process's memory could be one that another
process has since ended. The keys written or deleted meanwhile are deleted from Redis when
it is back, so that it holds nothing older than the database.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long Redis is left alone after a failure before it is asked again.
PAUSE_AFTER_FAILURE = 5.0
# The keys to delete from Redis when it is back; past this many, the whole cache is cleared.
MOST_KEYS_TO_FORGET = 10_000
SESSION_KEY_PREFIX = "django.contrib.sessions.cached"
REDIS_DOWN = (RedisError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._memory = LocMemCache(
            f"forkom-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._down_until = 0.0
        self._changed_while_down: set[str] = set()
        self._overflowed = False

    # --- the switch ---------------------------------------------------------------------

    def _redis_up(self) -> bool:
        if time.monotonic() < self._down_until:
            return False
        if self._changed_while_down or self._overflowed:
            try:
                if self._overflowed:
                    super().clear()
                else:
                    super().delete_many(list(self._changed_while_down))
            except REDIS_DOWN as error:
                self._failed(error)
                return False
            self._changed_while_down.clear()
            self._overflowed = False
            logger.warning("Redis is back; keys changed while it was down are dropped from it.")
        return True

    def _failed(self, error: Exception) -> None:
        if time.monotonic() >= self._down_until:
            logger.error(
                "Redis unavailable (%s: %s); using the fallback for %.0f s.",
                type(error).__name__,
                error,
                PAUSE_AFTER_FAILURE,
            )
        self._down_until = time.monotonic() + PAUSE_AFTER_FAILURE

    def _remember(self, keys: Any) -> None:
        for key in keys:
            if len(self._changed_while_down) >= MOST_KEYS_TO_FORGET:
                self._overflowed = True
                return
            self._changed_while_down.add(str(key))

    @staticmethod
    def _is_session(key: Any) -> bool:
        return str(key).startswith(SESSION_KEY_PREFIX)

    def _call(self, method: str, keys: list[Any], changes: bool, *args: Any, **kwargs: Any) -> Any:
        if self._redis_up():
            try:
                return getattr(super(), method)(*args, **kwargs)
            except REDIS_DOWN as error:  # refused, timed out, reset
                self._failed(error)
        if changes:
            self._remember(keys)
        if keys and all(self._is_session(key) for key in keys):
            return _NO_ANSWER[method]
        return getattr(self._memory, method)(*args, **kwargs)

    # --- the cache's methods ------------------------------------------------------------

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> Any:
        return self._call("add", [key], True, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        result = self._call("get", [key], False, key, default, version)
        return default if result is _MISSING else result

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> Any:
        return self._call("set", [key], True, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> Any:
        return self._call("touch", [key], True, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> Any:
        return self._call("delete", [key], True, key, version)

    def get_many(self, keys: Any, version: int | None = None) -> Any:
        keys = list(keys)
        return self._call("get_many", keys, False, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> Any:
        return self._call("has_key", [key], False, key, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        return self._call("incr", [key], True, key, delta, version)

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> Any:
        return self._call("set_many", list(data), True, data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> Any:
        keys = list(keys)
        return self._call("delete_many", keys, True, keys, version)

    def clear(self) -> Any:
        self._memory.clear()
        return self._call("clear", [], True)


_MISSING = object()
# What a session key gets from the fallback: nothing, so that the database answers.
_NO_ANSWER: dict[str, Any] = {
    "add": True,
    "get": _MISSING,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "incr": 0,
    "set_many": [],
    "delete_many": None,
}
