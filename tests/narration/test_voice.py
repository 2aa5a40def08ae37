from __future__ import annotations

import pytest
from pydantic import ValidationError

from mmlanim.narration import Voice


def test_defaults() -> None:
    voice = Voice()
    assert (voice.engine, voice.voice, voice.rate, voice.model, voice.pause) == (
        "espeak",
        "en-us",
        165,
        None,
        0.4,
    )


def test_every_field_is_described() -> None:
    for name, field in Voice.model_fields.items():
        assert field.description and len(field.description) > 20, name


@pytest.mark.parametrize(
    "bad",
    [{"rate": 79}, {"rate": 451}, {"pause": -0.1}, {"pause": 5.5}, {"engine": "festival"}, {"speed": 1}],
)
def test_rejects(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Voice(**bad)


def test_frozen() -> None:
    with pytest.raises(ValidationError):
        Voice().rate = 200  # type: ignore[misc]


def test_merged_overrides_and_validates() -> None:
    lecture = Voice(engine="silent", rate=150)
    segment = lecture.merged(rate=200, model=None)
    assert (segment.engine, segment.rate) == ("silent", 200)
    assert lecture.rate == 150
    with pytest.raises(ValidationError):
        lecture.merged(rate=10)
    with pytest.raises(ValidationError):
        lecture.merged(colour="red")
