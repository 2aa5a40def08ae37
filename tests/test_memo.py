"""The thread-shared memo: each result computed once, however many threads ask together."""

from __future__ import annotations

import threading
import time

import pytest

from mmlanim._memo import shared_cache


def test_threads_asking_together_compute_once() -> None:
    calls: list[int] = []
    start = threading.Barrier(8)

    @shared_cache()
    def slow_square(x: int) -> int:
        calls.append(x)
        time.sleep(0.05)  # long enough that every thread asks while the first computes
        return x * x

    results: list[int] = []

    def ask() -> None:
        start.wait()
        results.append(slow_square(7))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [49] * 8
    assert calls == [7]
    assert slow_square(3) == 9 and calls == [7, 3]


def test_a_failure_is_not_remembered() -> None:
    attempts: list[int] = []

    @shared_cache()
    def flaky(x: int) -> int:
        attempts.append(x)
        if len(attempts) == 1:
            raise OSError("busy")
        return x + 1

    with pytest.raises(OSError, match="busy"):
        flaky(1)
    assert flaky(1) == 2 and flaky(1) == 2
    assert attempts == [1, 1]


def test_maxsize_forgets_the_oldest_and_cache_clear_forgets_all() -> None:
    calls: list[str] = []

    @shared_cache(maxsize=2)
    def echo(x: str) -> str:
        calls.append(x)
        return x.upper()

    assert [echo("a"), echo("b"), echo("a"), echo("c"), echo("a")] == ["A", "B", "A", "C", "A"]
    assert calls == ["a", "b", "c", "a"]  # "c" pushed out "a" (the oldest), and "a" then pushed out "b"
    assert echo("c") == "C" and calls == ["a", "b", "c", "a"]
    echo.cache_clear()
    assert echo("c") == "C" and calls == ["a", "b", "c", "a", "c"]
    assert echo.__name__ == "echo"
