"""How many worker processes a render starts."""

from __future__ import annotations

import os

from mmlanim.render.pipeline import worker_count


def test_worker_count_defaults_to_the_usable_cores() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert worker_count(None, 100) == cores >= 1
    assert worker_count(None, 1) == 1  # never more workers than segments
    assert worker_count(3, 2) == 2 and worker_count(3, 10) == 3 and worker_count(1, 0) == 1
