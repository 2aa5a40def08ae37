"""The voice settings of a lecture, a segment or a command line."""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULT_ENGINE", "DEFAULT_RATE", "EngineName", "Voice", "default_engine"]

#: Speaking rate of the default voice, in words per minute.
DEFAULT_RATE = 165

EngineName = Literal["espeak", "piper", "recorded", "silent"]

#: The engine of a voice that names none (unless ``$MMLANIM_DEFAULT_VOICE`` says otherwise).
DEFAULT_ENGINE: EngineName = "piper"

_ENGINES: tuple[EngineName, ...] = ("espeak", "piper", "recorded", "silent")


def default_engine() -> EngineName:
    """The engine used where neither the lecture nor the command line names one.

    Returns
    -------
    str
        ``$MMLANIM_DEFAULT_VOICE`` if it names an engine ('espeak', 'piper',
        'recorded' or 'silent'), else :data:`DEFAULT_ENGINE` ('piper').
    """
    chosen = os.environ.get("MMLANIM_DEFAULT_VOICE", "").strip().lower()
    for name in _ENGINES:
        if chosen == name:
            return name
    return DEFAULT_ENGINE


class Voice(BaseModel):
    """How narration is spoken.

    Set once for the lecture (``voice:``), overridable per segment and from
    the command line; see :meth:`merged`.

    Examples
    --------
    >>> Voice().merged(rate=200).rate
    200
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    engine: EngineName | None = Field(
        None,
        description=(
            "Speech source: 'piper' (a neural voice, offline; the default when "
            "none is named), 'espeak' (espeak-ng, offline, many languages), "
            "'recorded' (audio files recorded by the instructor, given per cue or "
            "per segment) or 'silent' (draft mode: silence timed from the "
            "speaking rate). Unset: piper, or $MMLANIM_DEFAULT_VOICE."
        ),
    )
    voice: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?$",
        description=(
            "piper: a bundled voice by name ('en_US-joe-medium', the default, or "
            "'joe'); a local .onnx voice is given by `model` instead. espeak: an "
            "espeak-ng voice name, e.g. 'en-us' (the default), 'en-gb', 'de' (see "
            "`espeak-ng --voices`)."
        ),
    )
    rate: int = Field(
        DEFAULT_RATE,
        ge=80,
        le=450,
        description=(
            "Speaking rate in words per minute. For piper it scales the model's "
            f"natural pace ({DEFAULT_RATE} = unchanged); 'silent' uses it to "
            "estimate durations."
        ),
    )
    model: str | None = Field(
        None,
        description=(
            "piper only: path of the .onnx voice model (its .onnx.json config "
            "beside it), relative to the lecture file. Never downloaded."
        ),
    )
    pause: float = Field(
        0.4,
        ge=0,
        le=5,
        description="Seconds of silence after each cue, before the next beat.",
    )
    sentence_pause: float = Field(
        0.3,
        ge=0,
        le=5,
        description=(
            "Seconds of silence between two sentences of one cue (the engine's own "
            "leading and trailing silence is trimmed first, so every sentence gets "
            "this pause, also after one-letter names such as 'the end of v.')."
        ),
    )
    loudness: float = Field(
        -16.0,
        ge=-40,
        le=-6,
        description=(
            "Integrated loudness (ITU-R BS.1770, LUFS) every segment's narration is "
            "brought to, synthesised or recorded; true peaks stay under -1 dBTP."
        ),
    )

    @property
    def engine_name(self) -> EngineName:
        """The engine in effect: :attr:`engine`, or :func:`default_engine` when unset."""
        return self.engine or default_engine()

    def merged(self, **overrides: Any) -> Voice:
        """Return a copy with the given fields replaced, validated.

        Parameters
        ----------
        **overrides
            Field values; ``None`` values are ignored so that unset command
            line options can be passed straight through.

        Returns
        -------
        Voice
            The new settings.

        Raises
        ------
        pydantic.ValidationError
            If a field is unknown or a value is out of range.
        """
        update = {key: value for key, value in overrides.items() if value is not None}
        return Voice.model_validate({**self.model_dump(), **update})
