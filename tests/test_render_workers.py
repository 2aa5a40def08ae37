"""How many worker processes a render starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mmlanim.render.schedule import worker_count


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
@pytest.mark.parametrize("cores", [1, 2])
def test_worker_count_defaults_to_the_cores_the_process_may_use(cores: int) -> None:
    """A process allowed on ``cores`` cores (whatever the machine has) starts that many workers."""
    if cores > os.cpu_count():  # type: ignore[operator]
        pytest.skip(f"the machine has fewer than {cores} cores")
    code = (f"import os; os.sched_setaffinity(0, set(range({cores}))); "
            "from mmlanim.render.schedule import worker_count; print(worker_count(None, 100))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == cores


def test_worker_count_never_exceeds_the_segments_nor_falls_below_one() -> None:
    assert worker_count(None, 1) == 1
    assert worker_count(3, 2) == 2 and worker_count(3, 10) == 3 and worker_count(1, 0) == 1
