"""The lecture format, declared once.

Validation, ``mmlanim schema`` (JSON Schema), ``mmlanim visuals`` and the
docs all derive from these models. The ``visual`` field is a union with one
branch per registered visual kind, chosen by ``kind``; it is built from the
registry by :func:`lecture_model`.
"""

from __future__ import annotations

__all__ = ["Cue", "LectureBase", "SegmentBase", "lecture_model", "segment_model"]

from functools import cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from ..narration.voice import Voice

SEGMENT_ID_PATTERN = r"^[A-Za-z0-9_-]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cue(_Strict):
    """One piece of narration, attached to one of the visual's beats."""

    say: str = Field(min_length=1, description="What the narrator says.")
    beat: str | None = Field(
        None,
        description="The visual's beat this cue accompanies (see `mmlanim visuals KIND`). "
        "Without it, cues are spread over the beats in order.",
    )
    audio: str | None = Field(
        None,
        description="With voice engine 'recorded': the audio file of this cue, "
        "relative to the lecture file (wav, mp3, m4a).",
    )


def _narration_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "cues"
    if isinstance(value, BaseModel):  # already validated
        return "cues"
    return None


Narration = Annotated[
    Union[Annotated[str, Tag("text")], Annotated[list[Cue], Tag("cues")]],
    Discriminator(
        _narration_form,
        custom_error_type="narration_form",
        custom_error_message="narration must be text or a list of cues ({say: ..., beat: ...})",
    ),
]


class SegmentBase(_Strict):
    """A segment: one scene of the lecture, one chapter of the video."""

    id: str = Field(
        pattern=SEGMENT_ID_PATTERN,
        max_length=64,
        description="Unique name of the segment: letters, digits, '-' and '_'.",
    )
    title: str | None = Field(None, description="Chapter title (defaults to the id).")
    narration: Narration = Field(
        description="What is said: plain text (spread over the visual's beats) "
        "or a list of cues, each with the beat it accompanies."
    )
    audio: str | None = Field(
        None,
        description="With voice engine 'recorded': one audio file for the whole "
        "segment, relative to the lecture file.",
    )
    voice: Voice | None = Field(
        None,
        description="Voice settings for this segment only; only the keys given "
        "override the lecture's voice.",
    )

    def chapter_title(self) -> str:
        return self.title or self.id


class LectureBase(_Strict):
    """A lecture: a title, a voice and an ordered list of segments."""

    title: str = Field(min_length=1, description="The lecture's title.")
    course: str | None = Field(None, description="The course this lecture belongs to.")
    voice: Voice = Field(
        default_factory=Voice,
        description="How narration is spoken (default: espeak-ng, en-us, 165 words per minute).",
    )


def _visual_union() -> Any:
    from ..visuals import registry

    branches = [Annotated[cls.model, Tag(kind)] for kind, cls in registry().items()]
    return Annotated[
        Union[tuple(branches)],  # type: ignore[valid-type]
        Discriminator(_visual_kind),
        Field(description="What is shown: a visual kind and its parameters (see `mmlanim visuals`)."),
    ]


def _visual_kind(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if isinstance(kind, str) else None


@cache
def segment_model() -> type[SegmentBase]:
    """The segment model with one ``visual`` branch per registered kind."""
    from pydantic import create_model

    return create_model("Segment", __base__=SegmentBase, visual=(_visual_union(), ...))


@cache
def lecture_model() -> type[LectureBase]:
    """The lecture model (the format's single declaration)."""
    from pydantic import create_model

    return create_model(
        "Lecture",
        __base__=LectureBase,
        segments=(list[segment_model()], Field(min_length=1, description="The segments, in order.")),  # type: ignore[valid-type]
    )
