"""The voice settings of a lecture, a segment or a command line."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULT_RATE", "EngineName", "Voice"]

#: Speaking rate of the default voice, in words per minute.
DEFAULT_RATE = 165

EngineName = Literal["espeak", "piper", "recorded", "silent"]


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

    engine: EngineName = Field(
        "espeak",
        description=(
            "Speech source: 'espeak' (espeak-ng, offline, the default), 'piper' "
            "(a local Piper .onnx voice model), 'recorded' (audio files recorded "
            "by the instructor, given per cue or per segment) or 'silent' (draft "
            "mode: silence timed from the speaking rate)."
        ),
    )
    voice: str = Field(
        "en-us",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?$",
        description=(
            "espeak-ng voice name, e.g. 'en-us', 'en-gb', 'de' "
            "(see `espeak-ng --voices`). Piper voices are chosen by `model`."
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
