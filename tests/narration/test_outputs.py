from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mmlanim.narration.chapters import Chapter, chapter_timestamp, format_chapters, write_chapters_txt
from mmlanim.narration.plan import BeatTiming, SegmentAudio, Sentence
from mmlanim.narration.subtitles import (
    SubtitleCue,
    format_srt,
    format_vtt,
    subtitles_for,
    timestamp,
    write_srt,
    write_vtt,
)
from mmlanim.narration.transcript import format_transcript, write_transcript


def segment(*sentences: Sentence) -> SegmentAudio:
    end = max(s.start + s.duration for s in sentences)
    beat = BeatTiming("only", 0.0, end, tuple(sentences))
    return SegmentAudio((beat,), np.zeros(round(end * 48000), np.float32), end, "f")


def test_timestamps() -> None:
    assert timestamp(0) == "00:00:00,000"
    assert timestamp(3723.4567) == "01:02:03,457"
    assert timestamp(59.9996, ".") == "00:01:00.000"
    assert timestamp(-0.1) == "00:00:00,000"


def test_srt_and_vtt_format(tmp_path: Path) -> None:
    cues = [
        SubtitleCue(0.0, 1.5, ("Hello there.",)),
        SubtitleCue(1.5, 3.25, ("If x < y & y > z", "then x < z.")),
    ]
    write_srt(tmp_path / "a.srt", cues)
    write_vtt(tmp_path / "a.vtt", cues)
    assert (tmp_path / "a.srt").read_text() == (
        "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n"
        "2\n00:00:01,500 --> 00:00:03,250\nIf x < y & y > z\nthen x < z.\n\n"
    )
    assert (tmp_path / "a.vtt").read_text() == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:01.500\nHello there.\n\n"
        "00:00:01.500 --> 00:00:03.250\nIf x &lt; y &amp; y &gt; z\nthen x &lt; z.\n\n"
    )
    assert format_srt([]) == "" and format_vtt([]) == "WEBVTT\n\n"


def test_subtitles_for_timeline() -> None:
    long = " ".join(["word"] * 40)  # 3 blocks of 2 lines
    first = segment(Sentence("Hello there.", 0.2, 1.0), Sentence(long, 1.5, 10.0))
    second = segment(Sentence("", 0.0, 0.5), Sentence("Bye.", 0.5, 0.5))
    cues = subtitles_for([(0.0, first), (20.0, second)])
    assert cues[0] == SubtitleCue(0.2, 1.2, ("Hello there.",))
    blocks = cues[1:4]
    assert [len(c.lines) for c in blocks] == [2, 2, 2]
    assert " ".join(line for c in blocks for line in c.lines) == long
    # Consecutive, proportional to characters, spanning the sentence exactly.
    assert blocks[0].start == 1.5 and blocks[-1].end == pytest.approx(11.5)
    for a, b in zip(blocks, blocks[1:]):
        assert a.end == pytest.approx(b.start)
    chars = [len(" ".join(c.lines)) for c in blocks]
    for c, n in zip(blocks, chars):
        assert c.end - c.start == pytest.approx(10.0 * n / sum(chars))
    assert cues[4] == SubtitleCue(20.5, 21.0, ("Bye.",))
    assert len(cues) == 5
    assert all(len(line) <= 42 for c in cues for line in c.lines)


def test_chapters_txt(tmp_path: Path) -> None:
    chapters = [Chapter(0.0, 65.2, "Intro"), Chapter(65.2, 130, "Next  step"), Chapter(130, 200, "End")]
    write_chapters_txt(tmp_path / "chapters.txt", chapters)
    assert (tmp_path / "chapters.txt").read_text() == "00:00 Intro\n01:05 Next step\n02:10 End\n"


def test_chapters_over_an_hour() -> None:
    text = format_chapters([Chapter(0, 10, "A"), Chapter(10, 3725, "B"), Chapter(3725.9, 4000, "C")])
    assert text == "0:00:00 A\n0:00:10 B\n1:02:05 C\n"
    assert chapter_timestamp(600) == "10:00"


def test_chapters_must_start_at_zero() -> None:
    with pytest.raises(ValueError, match="00:00"):
        format_chapters([Chapter(2.0, 5.0, "Late")])
    with pytest.raises(ValueError, match="start <= end"):
        Chapter(5.0, 2.0, "Backwards")
    assert format_chapters([]) == ""


def test_transcript(tmp_path: Path) -> None:
    write_transcript(
        tmp_path / "transcript.md",
        "Linear   maps",
        [("Basis", "Here are the two basis vectors.\nWatch the grid.\n\nA new paragraph."), ("Silent part", "")],
    )
    assert (tmp_path / "transcript.md").read_text() == (
        "# Linear maps\n\n## Basis\n\nHere are the two basis vectors. Watch the grid.\n\n"
        "A new paragraph.\n\n## Silent part\n"
    )
    assert format_transcript("T", []) == "# T\n"
