"""How many worker processes a render starts."""

from __future__ import annotations

import os

from mmlanim._system import usable_cores
from mmlanim.render.pipeline import worker_count


def test_usable_cores_is_the_affinity() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cores() == expected >= 1


def test_worker_count_defaults_to_the_usable_cores() -> None:
    assert worker_count(None, 100) == usable_cores()
    assert worker_count(None, 1) == 1  # never more workers than segments
    assert worker_count(3, 2) == 2 and worker_count(3, 10) == 3 and worker_count(1, 0) == 1
