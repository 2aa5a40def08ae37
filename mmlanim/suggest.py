"""Did-you-mean suggestions for names in messages."""

from __future__ import annotations

__all__ = ["did_you_mean"]

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate, or ``""``."""
    match = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
