"""What this machine lets the process use."""

from __future__ import annotations

__all__ = ["usable_cores"]

import os


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
