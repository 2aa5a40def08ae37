"""The lecture format, declared once.

Validation, ``mmlanim schema`` (JSON Schema), ``mmlanim visuals`` and the
docs all derive from these models. The ``visual`` field is a union with one
branch per visual kind of the registry, discriminated by ``kind`` (pydantic's
own discriminated union); :func:`lecture_model` builds it.
"""

from __future__ import annotations

__all__ = ["Cue", "LectureBase", "SegmentBase", "lecture_model", "segment_model"]

import functools
import operator
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, create_model

from ..narration.voice import Voice

if TYPE_CHECKING:
    from ..narration.plan import CueSpec

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
    emphasis: list[str] = Field(
        default_factory=list,
        description="Objects to point at once the beat's animation is done, gently indicated while the "
        "sentence finishes (names from `mmlanim visuals KIND`; with `beat:`).",
    )
    run_time: float | None = Field(
        None,
        gt=0,
        le=10,
        description="Seconds its beat's animation takes from the cue's first word (default: the kind's "
        "natural length, about 1-1.5 s); the picture then holds while the sentence finishes. A cue "
        "shorter than the animation is stretched to fit it, never the animation squeezed.",
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
    Annotated[str, Tag("text")] | Annotated[list[Cue], Tag("cues")],
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
    beats: list[str] | None = Field(
        None,
        min_length=1,
        description="Which of the visual's beats play, in the kind's order (default: all of them). "
        "A beat left out neither plays nor takes time; cues may attach only to the beats listed.",
    )
    voice: Voice | None = Field(
        None,
        description="Voice settings for this segment only; only the keys given "
        "override the lecture's voice.",
    )

    if TYPE_CHECKING:  # added by segment_model(): one branch per visual kind
        visual: Any

    def chapter_title(self) -> str:
        return self.title or self.id

    def cue_specs(self) -> list[CueSpec]:
        """The narration as the narration layer takes it: one :class:`CueSpec` per cue
        (plain text is one cue with no beat, spread over the visual's beats)."""
        from ..narration.plan import CueSpec

        if isinstance(self.narration, str):
            return [CueSpec(self.narration, None, self.audio)]
        return [CueSpec(c.say, c.beat, c.audio) for c in self.narration]

    def run_times(self) -> dict[str, float]:
        """The run times cues set for their beats (``{beat: seconds}``)."""
        if isinstance(self.narration, str):
            return {}
        return {c.beat: c.run_time for c in self.narration if c.beat and c.run_time is not None}

    def emphasis(self) -> dict[str, list[str]]:
        """The objects cues point at, by beat (``{beat: [name, ...]}``), in the order written."""
        found: dict[str, list[str]] = {}
        if isinstance(self.narration, list):
            for c in self.narration:
                if c.beat and c.emphasis:
                    found.setdefault(c.beat, []).extend(n for n in c.emphasis if n not in found.get(c.beat, []))
        return found

    def beat_minimums(self) -> dict[str, float]:
        """Seconds each beat with a cue-set run time lasts at least: the animation, then a short hold."""
        from ..framing import RUN_TIME_HOLD

        return {beat: seconds + RUN_TIME_HOLD for beat, seconds in self.run_times().items()}


class LectureBase(_Strict):
    """A lecture: a title, a voice and an ordered list of segments."""

    title: str = Field(min_length=1, description="The lecture's title.")
    course: str | None = Field(None, description="The course this lecture belongs to.")
    voice: Voice = Field(
        default_factory=Voice,
        description="How narration is spoken (default: espeak-ng, en-us, 165 words per minute).",
    )

    if TYPE_CHECKING:  # added by lecture_model()
        segments: list[SegmentBase]


def _kinds() -> tuple[tuple[str, Any], ...]:
    from ..visuals import registry

    return tuple(registry().items())


def _visual_union(kinds: Sequence[tuple[str, Any]]) -> Any:
    models = tuple(cls.model for _, cls in kinds)
    description = "What is shown: a visual kind and its parameters (see `mmlanim visuals`)."
    if len(models) == 1:
        return Annotated[models[0], Field(description=description)]
    union = functools.reduce(operator.or_, models)  # one branch per kind: A | B | ...
    return Annotated[union, Field(discriminator="kind", description=description)]


def segment_model() -> type[SegmentBase]:
    """The segment model with one ``visual`` branch per visual kind of the registry."""
    return _segment_model(_kinds())


def lecture_model() -> type[LectureBase]:
    """The lecture model (the format's single declaration), for the kinds of the registry."""
    return _lecture_model(_kinds())


@cache
def _segment_model(kinds: tuple[tuple[str, Any], ...]) -> type[SegmentBase]:
    return create_model("Segment", __base__=SegmentBase, visual=(_visual_union(kinds), ...))


@cache
def _lecture_model(kinds: tuple[tuple[str, Any], ...]) -> type[LectureBase]:
    return create_model(
        "Lecture",
        __base__=LectureBase,
        segments=(list[_segment_model(kinds)],  # type: ignore[arg-type,misc,valid-type]  # built at run time
                  Field(min_length=1, description="The segments, in order.")),
    )
