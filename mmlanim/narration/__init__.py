"""Narration: voices, timed speech, subtitles, chapters and transcripts.

This package turns a segment's narration (plain text or cues attached to the
visual's beats) into timed audio. Importing it is cheap: only the voice model
and the error type are re-exported here; the audio modules (which import
numpy and PyAV) are imported by whoever needs them.
"""

from __future__ import annotations

from mmlanim.narration.errors import NarrationError
from mmlanim.narration.voice import Voice

__all__ = ["NarrationError", "Voice"]
