from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from mmlanim.media import MediaError, join_segments, mux_segment, probe
from mmlanim.narration.audio import SAMPLE_RATE, load_audio
from mmlanim.narration.chapters import Chapter

from .conftest import make_video, tone


def n_packets(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for p in container.demux(video=0) if p.size)


def decoded_frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_probe_video_only(tmp_path: Path) -> None:
    info = probe(make_video(tmp_path / "v.mp4", 30))
    assert (info.fps, info.width, info.height, info.n_video_frames) == (15.0, 128, 72, 30)
    assert info.video_duration == pytest.approx(2.0)
    assert not info.has_audio and info.audio_duration == 0 and info.chapters == ()
    with pytest.raises(MediaError, match="cannot open"):
        probe(tmp_path / "missing.mp4")


@pytest.mark.parametrize("seconds", [1.3, 2.0, 2.7])  # shorter, equal, longer than the video
def test_mux_segment_fits_audio_to_video(tmp_path: Path, seconds: float) -> None:
    video = make_video(tmp_path / "v.mp4", 30)
    out = tmp_path / "muxed.mp4"
    narration = np.concatenate([np.zeros(SAMPLE_RATE // 2, np.float32), tone(seconds - 0.5)])
    mux_segment(video, narration, out)
    info = probe(out)
    assert info.has_audio and info.n_video_frames == 30
    assert info.video_duration == pytest.approx(2.0)
    assert info.audio_duration == pytest.approx(info.video_duration, abs=0.02)
    assert n_packets(out) == n_packets(video)
    with av.open(str(out)) as container:
        (audio,) = container.streams.audio
        assert (audio.codec_context.name, audio.rate) == ("aac", SAMPLE_RATE)
    # The narration starts on time (the encoder's priming is cut) and is all there.
    decoded = load_audio(out)
    onset = int(np.argmax(np.abs(decoded) > 0.05))
    assert abs(onset - SAMPLE_RATE // 2) < 48  # under 1 ms
    body = decoded[SAMPLE_RATE // 2 + 4800 : round(min(seconds, 2.0) * SAMPLE_RATE) - 4800]
    assert np.sqrt(np.mean(body**2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)
    assert not list(tmp_path.glob(".*partial*"))


def test_join_three_segments(tmp_path: Path) -> None:
    frames = [30, 45, 23]
    videos = [make_video(tmp_path / f"s{i}.mp4", n) for i, n in enumerate(frames)]
    infos = [probe(v) for v in videos]
    durations = [i.video_duration for i in infos]
    starts = np.cumsum([0.0] + durations)
    audio = np.concatenate([tone(d, freq=300 + 200 * i) for i, d in enumerate(durations)])
    chapters = [Chapter(s, e, f"Part {i + 1}") for i, (s, e) in enumerate(zip(starts, starts[1:]))]
    out = tmp_path / "lecture.mp4"
    returned = join_segments(videos, audio, out, chapters, title="Linear maps")
    assert returned == pytest.approx(list(starts[:-1]))

    info = probe(out)
    assert info.video_duration == pytest.approx(sum(durations), abs=1 / 15)
    assert info.audio_duration == pytest.approx(info.video_duration, abs=0.1)
    assert info.n_video_frames == sum(frames)
    assert n_packets(out) == sum(n_packets(v) for v in videos)  # stream copy, no re-encode
    assert decoded_frames(out) == sum(frames)
    assert info.title == "Linear maps"
    assert [c.title for c in info.chapters] == ["Part 1", "Part 2", "Part 3"]
    assert [c.start for c in info.chapters] == pytest.approx(list(starts[:-1]), abs=1e-3)
    with av.open(str(out)) as container:
        assert len(container.streams.audio) == 1
        times = [f.time for f in container.decode(video=0)]
    assert times == pytest.approx([i / 15 for i in range(sum(frames))], abs=1e-3)


def test_join_ignores_segment_audio(tmp_path: Path) -> None:
    videos = []
    for i in range(2):
        muxed = tmp_path / f"m{i}.mp4"
        mux_segment(make_video(tmp_path / f"v{i}.mp4", 15), tone(1.0), muxed)
        videos.append(muxed)
    out = tmp_path / "out.mp4"
    join_segments(videos, np.zeros(10, np.float32), out)
    info = probe(out)
    assert info.audio_duration == pytest.approx(2.0, abs=0.02) and info.chapters == ()
    assert not load_audio(out).any()


def test_join_rejects_mismatched_segments(tmp_path: Path) -> None:
    a = make_video(tmp_path / "a.mp4", 10)
    b = make_video(tmp_path / "b.mp4", 10, size=(64, 36))
    c = make_video(tmp_path / "c.mp4", 10, fps=30)
    with pytest.raises(MediaError, match="b.mp4 differs .* in width"):
        join_segments([a, b], np.zeros(1, np.float32), tmp_path / "x.mp4")
    with pytest.raises(MediaError, match="c.mp4 differs .* in rate"):
        join_segments([a, c], np.zeros(1, np.float32), tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()
    with pytest.raises(MediaError, match="no video"):
        join_segments([], np.zeros(1, np.float32), tmp_path / "x.mp4")


def test_lecture_pipeline(tmp_path: Path, cache) -> None:
    """Plan, render (fake), pad, mux and join two segments: audio stays on the picture."""
    import math

    from mmlanim.narration import Voice
    from mmlanim.narration.plan import CueSpec, lecture_samples, plan_segment
    from mmlanim.narration.subtitles import subtitles_for

    voice = Voice(engine="silent", rate=120, pause=0.3)
    narrations = [
        [CueSpec("one two three", beat="a"), CueSpec("four", beat="b")],
        [CueSpec("Five six. Seven eight nine ten.")],
    ]
    planned, videos = [], []
    for i, cues in enumerate(narrations):
        audio = plan_segment(cues, ["a", "b"], voice, tmp_path, cache)
        video = make_video(tmp_path / f"seg{i}.mp4", math.ceil(audio.duration * 15))
        planned.append(audio.padded_to(probe(video).video_duration))
        videos.append(video)
    out = tmp_path / "lecture.mp4"
    starts = join_segments(videos, lecture_samples(planned), out)
    info = probe(out)
    assert info.audio_duration == pytest.approx(info.video_duration, abs=0.02)
    assert starts[1] == pytest.approx(planned[0].duration)
    subtitles = subtitles_for(zip(starts, planned))
    assert [c.lines for c in subtitles] == [("one two three",), ("four",), ("Five six.",), ("Seven eight nine ten.",)]
    assert subtitles[2].start == pytest.approx(starts[1])
    assert subtitles[-1].end <= info.video_duration
