from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from conftest import count_calls

from mmlanim.framing import AAC_FRAME, whole_aac_frames
from mmlanim.narration.audio import SAMPLE_RATE, load_audio
from mmlanim.narration.chapters import Chapter
from mmlanim.render.media import MediaError, join_segments, mux_segment, probe

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


def narration(seconds: float, freq: float = 440.0) -> np.ndarray:
    """A tone after the one AAC frame of silence every segment's narration starts with,
    and a pause of one frame at the end, as narration has."""
    frame = np.zeros(AAC_FRAME, np.float32)
    return np.concatenate([frame, tone(seconds - 2 * AAC_FRAME / SAMPLE_RATE, freq), frame])


def segment(tmp_path: Path, name: str, n_frames: int, seconds: float, freq: float = 440.0, **video) -> Path:
    """A narrated segment as the pipeline makes it: a video, then mux_segment."""
    out = tmp_path / f"{name}.mp4"
    mux_segment(make_video(tmp_path / f"{name}-video.mp4", n_frames, **video), narration(seconds, freq), out)
    return out


def dominant_frequency(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)[np.argmax(spectrum)])


@pytest.mark.parametrize("seconds", [1.3, 2.0, 2.7])  # shorter, equal, longer than the video
def test_mux_segment_fits_audio_to_video(tmp_path: Path, seconds: float) -> None:
    video = make_video(tmp_path / "v.mp4", 30)
    out = tmp_path / "muxed.mp4"
    speech = np.concatenate([np.zeros(SAMPLE_RATE // 2, np.float32), tone(seconds - 0.5)])
    mux_segment(video, speech, out)
    info = probe(out)
    assert info.has_audio and info.n_video_frames == 30
    assert info.video_duration == pytest.approx(2.0)
    # 2 s is 93.75 AAC frames: the narration lasts 94.
    assert info.audio_duration == whole_aac_frames(2.0) / SAMPLE_RATE == 94 * AAC_FRAME / SAMPLE_RATE
    assert n_packets(out) == n_packets(video)
    with av.open(str(out)) as container:
        (audio,) = container.streams.audio
        assert (audio.codec_context.name, audio.rate) == ("aac", SAMPLE_RATE)
    # The narration starts on time (the priming frame stands for the lead-in) and is all there.
    decoded = load_audio(out)
    assert len(decoded) == 94 * AAC_FRAME
    onset = int(np.argmax(np.abs(decoded) > 0.05))
    assert abs(onset - SAMPLE_RATE // 2) < 48  # under 1 ms
    body = decoded[SAMPLE_RATE // 2 + 4800 : round(min(seconds, 2.0) * SAMPLE_RATE) - 4800]
    assert np.sqrt(np.mean(body**2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.1)
    assert not list(tmp_path.glob(".*partial*"))


def test_join_three_segments_by_copy(tmp_path: Path) -> None:
    frames = [32, 48, 24]  # whole AAC frames at 15 fps: multiples of 8
    freqs = [300.0, 500.0, 700.0]
    durations = [n / 15 for n in frames]
    segments = [segment(tmp_path, f"s{i}", n, d, f) for i, (n, d, f) in enumerate(zip(frames, durations, freqs))]
    starts = np.cumsum([0.0] + durations)
    chapters = [Chapter(s, e, f"Part {i + 1}") for i, (s, e) in enumerate(zip(starts, starts[1:]))]
    out = tmp_path / "lecture.mp4"
    returned = join_segments(segments, out, chapters, title="Linear maps")
    assert returned == pytest.approx(list(starts[:-1]))

    info = probe(out)
    assert info.video_duration == pytest.approx(sum(durations), abs=1e-6)
    assert info.audio_duration == pytest.approx(sum(durations), abs=1e-6)
    assert info.n_video_frames == sum(frames)
    # Stream copy, no re-encode: every packet of every segment is there, byte for byte.
    assert n_packets(out) == sum(n_packets(v) for v in segments)
    assert audio_payloads(out) == [b for s in segments for b in audio_payloads(s)]
    assert decoded_frames(out) == sum(frames)
    assert info.title == "Linear maps"
    assert [c.title for c in info.chapters] == ["Part 1", "Part 2", "Part 3"]
    assert [c.start for c in info.chapters] == pytest.approx(list(starts[:-1]), abs=1e-3)
    with av.open(str(out)) as container:
        assert len(container.streams.audio) == 1
        times = [f.time for f in container.decode(video=0)]
    assert times == pytest.approx([i / 15 for i in range(sum(frames))], abs=1e-3)
    # The sound stays on its picture: each segment's tone starts one AAC frame in, with no gap or drift.
    decoded = load_audio(out)
    assert len(decoded) == round(sum(durations) * SAMPLE_RATE)
    for start, end, freq in zip(starts, starts[1:], freqs):
        a, b = round(start * SAMPLE_RATE), round(end * SAMPLE_RATE)
        part = decoded[a:b]
        assert np.abs(part[: AAC_FRAME - 64]).max() < 0.01  # the lead-in is silent
        onset = int(np.argmax(np.abs(part) > 0.05))
        assert abs(onset - AAC_FRAME) < 48
        assert dominant_frequency(part[AAC_FRAME + 2048 : -2048]) == pytest.approx(freq, abs=10)
        expected = narration(end - start, freq)
        inner = slice(2 * AAC_FRAME, -2 * AAC_FRAME)
        assert np.sqrt(np.mean((part[inner] - expected[inner]) ** 2)) < 0.02


def audio_payloads(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(audio=0) if p.size]


def test_join_needs_narration_as_long_as_the_picture(tmp_path: Path) -> None:
    good = segment(tmp_path, "good", 16, 16 / 15)
    uneven = segment(tmp_path, "uneven", 30, 2.0)  # 2 s is not a whole number of AAC frames
    with pytest.raises(MediaError, match=r"uneven.mp4: its narration lasts 2.0053 s but its picture 2.0000 s"):
        join_segments([good, uneven], tmp_path / "x.mp4")
    with pytest.raises(MediaError, match="no narration track"):
        join_segments([good, make_video(tmp_path / "silent.mp4", 16)], tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()


def test_join_rejects_mismatched_segments(tmp_path: Path) -> None:
    a = segment(tmp_path, "a", 16, 16 / 15)
    b = segment(tmp_path, "b", 16, 16 / 15, size=(64, 36))
    c = segment(tmp_path, "c", 32, 32 / 30, fps=30)
    with pytest.raises(MediaError, match="b.mp4 differs .* in video width"):
        join_segments([a, b], tmp_path / "x.mp4")
    with pytest.raises(MediaError, match="c.mp4 differs .* in video rate"):
        join_segments([a, c], tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()
    with pytest.raises(MediaError, match="no video"):
        join_segments([], tmp_path / "x.mp4")


def test_lecture_pipeline(tmp_path: Path, cache) -> None:
    """Plan, time the frames, render (fake), mux and join two segments: audio stays on the picture."""
    from mmlanim.framing import beat_frames
    from mmlanim.narration import Voice
    from mmlanim.narration.plan import CueSpec, plan_segment
    from mmlanim.narration.subtitles import subtitles_for

    voice = Voice(engine="silent", rate=120, pause=0.3)
    narrations = [
        [CueSpec("one two three", beat="a"), CueSpec("four", beat="b")],
        [CueSpec("Five six. Seven eight nine ten.")],
    ]
    planned, segments = [], []
    for i, cues in enumerate(narrations):
        audio = plan_segment(cues, ["a", "b"], voice, tmp_path, cache)
        n_frames = sum(beat_frames([b.duration for b in audio.beats], 15))
        padded = audio.padded_to(n_frames / 15)
        video = make_video(tmp_path / f"seg{i}.mp4", n_frames)
        mux_segment(video, padded.samples, tmp_path / f"narrated{i}.mp4")
        planned.append(padded)
        segments.append(tmp_path / f"narrated{i}.mp4")
    out = tmp_path / "lecture.mp4"
    starts = join_segments(segments, out)
    info = probe(out)
    assert info.audio_duration == pytest.approx(info.video_duration, abs=1e-6)
    assert info.video_duration == pytest.approx(sum(p.duration for p in planned), abs=1e-6)
    assert starts[1] == pytest.approx(planned[0].duration)
    subtitles = subtitles_for(zip(starts, planned))
    assert [c.lines for c in subtitles] == [("one two three",), ("four",), ("Five six.",), ("Seven eight nine ten.",)]
    assert subtitles[2].start == pytest.approx(starts[1] + AAC_FRAME / SAMPLE_RATE)
    assert subtitles[-1].end <= info.video_duration


def _audio_packets(path: Path) -> list[tuple[int, int, int, bytes]]:
    with av.open(str(path)) as container:
        return [(p.pts, p.dts, p.duration, bytes(p)) for p in container.demux(audio=0) if p.size]


def test_a_narration_encoded_once_is_copied_the_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mmlanim.narration.cache import AudioCache
    from mmlanim.render import media

    encodings = count_calls(monkeypatch, media, "_encode_narration")
    cache = AudioCache(tmp_path / "audio")
    seconds = 32 / 15  # 32 frames, 100 AAC frames: a length segments are made to
    speech = narration(seconds)
    plain, first, again = (tmp_path / f"{n}.mp4" for n in ("plain", "first", "again"))
    mux_segment(make_video(tmp_path / "v.mp4", 32), speech, plain)
    assert encodings == [1]
    mux_segment(make_video(tmp_path / "v1.mp4", 32), speech, first, cache=cache)
    assert encodings == [2] and len(list(cache.root.rglob("*.m4a"))) == 1
    # The picture is rendered again (another video), the narration is the same: copied, not encoded.
    mux_segment(make_video(tmp_path / "v2.mp4", 32), speech, again, cache=cache)
    assert encodings == [2]
    assert _audio_packets(first) == _audio_packets(again) == _audio_packets(plain)
    assert len(_audio_packets(plain)) == whole_aac_frames(seconds) // AAC_FRAME == 100
    np.testing.assert_array_equal(load_audio(again), load_audio(plain))
    # The segments still join by copy.
    joined = tmp_path / "joined.mp4"
    join_segments([first, again, plain], joined)
    assert probe(joined).audio_duration == pytest.approx(3 * seconds)
    # Other samples are encoded anew.
    mux_segment(make_video(tmp_path / "v3.mp4", 32), narration(seconds, 660.0), tmp_path / "other.mp4", cache=cache)
    assert encodings == [3] and len(list(cache.root.rglob("*.m4a"))) == 2
    # So are the same samples once the encoder's settings change.
    monkeypatch.setattr(media, "_AAC_OPTIONS", {"aac_coder": "twoloop"})
    mux_segment(make_video(tmp_path / "v4.mp4", 32), speech, tmp_path / "twoloop.mp4", cache=cache)
    assert encodings == [4] and len(list(cache.root.rglob("*.m4a"))) == 3
