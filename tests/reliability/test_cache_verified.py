"""Cache entries are verified when served, and re-made when damaged (defects 4, 6)."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from reliability.decoding import assert_decodes_as_manifest_says
from reliability.rendering import three_segments

pytestmark = pytest.mark.render


@pytest.fixture
def setup(tmp_path: Path):
    _, folder, cache, render = three_segments(tmp_path)
    return folder, cache, render


@pytest.mark.parametrize("damage", ["overwritten", "truncated", "emptied"])
def test_a_damaged_segment_entry_is_rendered_again(setup, damage: str) -> None:
    folder, cache, render = setup
    first = render(voice={"engine": "silent"})
    entries = sorted((cache / "segments").rglob("*.mp4"))
    assert len(entries) == 3
    victim = entries[0]
    data = bytearray(victim.read_bytes())
    if damage == "overwritten":
        data[len(data) // 3: len(data) // 3 + 2000] = bytes(2000)
    elif damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data = bytearray()
    victim.write_bytes(bytes(data))
    again = render(voice={"engine": "silent"})
    assert len(again["rendered"]) == 1
    assert again["duration"] == first["duration"]
    assert_decodes_as_manifest_says(folder, again)
    for seg in again["segments"]:
        with av.open(str(folder / seg["file"])) as c:
            assert sum(1 for _ in c.decode(video=0)) > 0


@pytest.mark.parametrize("damage", ["truncated", "emptied", "garbage"])
def test_a_damaged_audio_entry_is_made_again_and_timings_hold(setup, damage: str) -> None:
    folder, cache, render = setup
    first = render()  # espeak: sentences go through the audio cache
    subtitles = (folder / "lecture.srt").read_text()
    wavs = sorted((cache / "audio").rglob("*.wav"), key=lambda p: p.stat().st_size)
    victim = wavs[-1]
    data = victim.read_bytes()
    victim.write_bytes({"truncated": data[: len(data) // 2], "emptied": b"", "garbage": b"RIFF garbage" * 9}[damage])
    again = render()
    assert again["rendered"] == []  # the audio made again is the same audio: the segments stay cached
    assert [(s["start"], s["end"]) for s in again["segments"]] == [(s["start"], s["end"]) for s in first["segments"]]
    assert (folder / "lecture.srt").read_text() == subtitles
    assert_decodes_as_manifest_says(folder, again)
