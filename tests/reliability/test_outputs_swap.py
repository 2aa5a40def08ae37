"""Outputs are copies, change all together or not at all, and are rebuilt when damaged (defects 5, 7, 8)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from mmlanim.errors import UserError
from reliability.decoding import assert_decodes_as_manifest_says
from reliability.rendering import three_segments

pytestmark = pytest.mark.render


@pytest.fixture
def setup(tmp_path: Path):
    return three_segments(tmp_path, voice={"engine": "silent"})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_editing_an_output_segment_in_place_leaves_the_cache_alone(setup) -> None:
    lecture, folder, cache, render = setup
    render()
    entries = {p: p.read_bytes() for p in (cache / "segments").rglob("*.mp4")}
    for out in (folder / "segments").glob("*.mp4"):
        with open(out, "r+b") as fh:  # in place, as an editor might
            fh.seek(100)
            fh.write(b"\0" * 500)
    assert {p: p.read_bytes() for p in entries} == entries
    again = render()
    assert again["rendered"] == []  # the cache was not touched, so it serves
    assert_decodes_as_manifest_says(folder, again)


@pytest.mark.parametrize("damage", ["truncated lecture", "emptied subtitles", "edited chapters"])
def test_damaged_joined_outputs_are_rebuilt(setup, damage: str) -> None:
    lecture, folder, cache, render = setup
    first = render()
    before = snapshot(folder)
    name = {"truncated lecture": "lecture.mp4", "emptied subtitles": "lecture.srt",
            "edited chapters": "chapters.txt"}[damage]
    data = before[name]
    (folder / name).write_bytes(data[: len(data) // 2] if name.endswith(".mp4") else b"" if name.endswith(".srt")
                                else data.replace(b"First", b"Fist!"))
    again = render()
    assert (folder / name).read_bytes() == data
    assert_decodes_as_manifest_says(folder, again)
    assert again["duration"] == first["duration"]


def test_no_cache_rebuilds_the_joined_lecture_too(setup) -> None:
    lecture, folder, cache, render = setup
    render()
    joined = (folder / "lecture.mp4").stat().st_ino, (folder / "lecture.srt").stat().st_ino
    again = render(use_cache=False)
    assert again["rendered"] == ["intro", "first", "second"]
    assert ((folder / "lecture.mp4").stat().st_ino, (folder / "lecture.srt").stat().st_ino) != joined
    assert (folder / "lecture.mp4").stat().st_ino not in joined
    assert_decodes_as_manifest_says(folder, again)


@pytest.mark.parametrize("site", ["join", "subtitles", "manifest", "segment copy"])
def test_a_full_output_disk_leaves_the_previous_outputs_as_they_were(setup, monkeypatch, site: str) -> None:
    lecture, folder, cache, render = setup
    render()
    before = snapshot(folder)
    text = lecture.read_text()
    lecture.write_text(text.replace("vectors: [[1, -2], [3, 1]]", "vectors: [[1, -2], [3, 2]]")
                       .replace("Second pair", "Second pair, edited"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "x"))

    import mmlanim.narration.subtitles as subtitles
    import mmlanim.render.media as media
    import mmlanim.render.outputs as outputs

    if site == "join":
        monkeypatch.setattr(media, "join_segments", full)
    elif site == "subtitles":
        monkeypatch.setattr(subtitles, "write_vtt", full)
    elif site == "segment copy":
        monkeypatch.setattr(outputs, "copy_file", full)
    else:
        real = json.dumps
        monkeypatch.setattr(outputs.json, "dumps",
                            lambda obj, **kw: full() if "outputs_key" in obj else real(obj, **kw))
    with pytest.raises(UserError) as info:
        render()
    message = str(info.value)
    assert "\n" not in message and "No space left on device" in message and "free some space" in message
    assert snapshot(folder) == before
    assert not [p for p in folder.rglob(".*") if p.name != ".lock"]
    monkeypatch.undo()
    after = render()
    assert after["rendered"] == []  # the failed render stored its segment; only the outputs were refused
    assert [s["title"] for s in after["segments"]][-1] == "Second pair, edited"
    assert_decodes_as_manifest_says(folder, after)
    assert os.path.getsize(folder / "lecture.mp4") > 0
