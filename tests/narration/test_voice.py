from __future__ import annotations

import pytest
from pydantic import ValidationError

from mmlanim.narration import Voice


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    voice = Voice()
    assert (voice.engine, voice.voice, voice.rate, voice.model, voice.pause, voice.sentence_pause) == (
        None,
        None,
        165,
        None,
        0.4,
        0.3,
    )
    assert voice.loudness == -16.0
    monkeypatch.delenv("MMLANIM_DEFAULT_VOICE", raising=False)
    assert voice.engine_name == "piper"  # the neural voice is the default
    monkeypatch.setenv("MMLANIM_DEFAULT_VOICE", "espeak")
    assert voice.engine_name == "espeak" and Voice(engine="silent").engine_name == "silent"
    monkeypatch.setenv("MMLANIM_DEFAULT_VOICE", "festival")  # not an engine: ignored
    assert voice.engine_name == "piper"


def test_every_field_is_described() -> None:
    for name, field in Voice.model_fields.items():
        assert field.description and len(field.description) > 20, name


@pytest.mark.parametrize(
    "bad",
    [{"rate": 79}, {"rate": 451}, {"pause": -0.1}, {"pause": 5.5}, {"engine": "festival"},
     {"sentence_pause": -1}, {"loudness": 0}, {"speed": 1}],
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
