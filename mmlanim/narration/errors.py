"""The one error type of the narration layer."""

from __future__ import annotations

__all__ = ["NarrationError"]


class NarrationError(ValueError):
    """A narration cannot be turned into audio.

    Raised for problems the lecture author can fix: a missing or misplaced
    audio or model file, an engine that is not installed, a cue attached to
    a beat the visual does not have, a synthesiser that failed.
    """
