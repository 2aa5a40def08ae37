"""A memo that threads share: each result is computed once, however many threads ask at the same time.

:func:`functools.cache` is safe to call from threads, but it does not wait for
a result being computed: threads that ask for the same key together each
compute it. A render narrates its segments side by side (and a course several
lectures), and the first thing each of those threads does is ask for the same
hashes (the shared code, a voice model), so a plain cache computed them once
per thread. :func:`shared_cache` computes each once; the others wait for it.
"""

from __future__ import annotations

__all__ = ["shared_cache"]

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class _Entry:
    """One key's result, or the lock its first caller holds while computing it."""

    __slots__ = ("done", "lock", "value")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = False
        self.value: Any = None


class _SharedCache(Generic[P, R]):
    """The function returned by :func:`shared_cache`."""

    def __init__(self, func: Callable[P, R], maxsize: int | None) -> None:
        functools.update_wrapper(self, func)
        self._func = func
        self._maxsize = maxsize
        self._entries: dict[Hashable, _Entry] = {}
        self._guard = threading.Lock()

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        with self._guard:
            entry = self._entries.get(key)
            if entry is None:
                if self._maxsize is not None and len(self._entries) >= self._maxsize:
                    self._entries.pop(next(iter(self._entries)))  # the oldest key goes
                entry = self._entries[key] = _Entry()
        if entry.done:
            return entry.value  # type: ignore[no-any-return]
        with entry.lock:  # the first caller computes; the others wait here for it
            if not entry.done:
                try:
                    entry.value = self._func(*args, **kwargs)
                except BaseException:
                    with self._guard:  # not kept: the next caller tries again
                        if self._entries.get(key) is entry:
                            del self._entries[key]
                    raise
                entry.done = True
            return entry.value  # type: ignore[no-any-return]

    def cache_clear(self) -> None:
        """Forget every result."""
        with self._guard:
            self._entries.clear()


def shared_cache(maxsize: int | None = None) -> Callable[[Callable[P, R]], _SharedCache[P, R]]:
    """Decorator: remember ``func``'s results by its (hashable) arguments, each computed once.

    A thread asking for a key another thread is computing waits for that result
    instead of computing it too. An exception is not remembered (the next call
    computes again). With ``maxsize``, the oldest key is forgotten past that
    many. ``cache_clear()`` forgets every result.
    """

    def decorate(func: Callable[P, R]) -> _SharedCache[P, R]:
        return _SharedCache(func, maxsize)

    return decorate
