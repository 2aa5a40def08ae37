"""The lecture format: YAML with positions, the pydantic models, and loading."""

from __future__ import annotations

from .load import LoadedLecture, load_lecture, validate_file
from .model import Cue, lecture_model

__all__ = ["Cue", "LoadedLecture", "lecture_model", "load_lecture", "validate_file"]
