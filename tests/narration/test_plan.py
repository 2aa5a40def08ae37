from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mmlanim.framing import AAC_FRAME
from mmlanim.narration import NarrationError, Voice
from mmlanim.narration.audio import SAMPLE_RATE, write_wav
from mmlanim.narration.cache import AudioCache
from mmlanim.narration.plan import CueSpec, SegmentAudio, distribute, plan_segment

from .conftest import needs_espeak, tone, write_audio

SILENT = Voice(engine="silent", rate=120, pause=0.5, sentence_pause=0.25)  # 0.5 s per word
LEAD = AAC_FRAME / SAMPLE_RATE  # the silence every segment starts with


def check_layout(audio: SegmentAudio, beats: list[str]) -> None:
    """Beats in order, contiguous, covering the audio; sentences inside their beats."""
    assert [b.beat for b in audio.beats] == beats
    assert audio.beats[0].start == 0
    for before, after in zip(audio.beats, audio.beats[1:]):
        assert after.start == pytest.approx(before.start + before.duration, abs=1e-9)
    last = audio.beats[-1]
    assert last.start + last.duration == pytest.approx(audio.duration, abs=1e-9)
    assert len(audio.samples) == round(audio.duration * SAMPLE_RATE)
    assert audio.samples.dtype == np.float32
    assert not audio.samples[:AAC_FRAME].any() and min((s.start for s in audio.sentences), default=LEAD) >= LEAD
    for beat in audio.beats:
        for s in beat.sentences:
            assert beat.start - 1e-9 <= s.start and s.start + s.duration <= beat.start + beat.duration + 1e-9


def test_cues_on_beats_silent(lecture_dir: Path, cache: AudioCache) -> None:
    cues = [
        CueSpec("Here are the two basis vectors. Look closely.", beat="show_basis"),
        CueSpec("Watch the whole grid follow them.", beat="morph"),
        CueSpec("Then it stops.", beat="morph"),
    ]
    audio = plan_segment(cues, ["show_basis", "idle", "morph"], SILENT, lecture_dir, cache, min_beat=1.25)
    check_layout(audio, ["show_basis", "idle", "morph"])
    basis, idle, morph = audio.beats
    assert [s.text for s in basis.sentences] == ["Here are the two basis vectors.", "Look closely."]
    assert [s.duration for s in basis.sentences] == pytest.approx([3.0, 1.0])
    assert [s.start for s in basis.sentences] == pytest.approx([LEAD, LEAD + 3.0 + 0.25])
    assert basis.duration == pytest.approx(LEAD + 3.0 + 0.25 + 1.0 + 0.5)
    assert idle.sentences == () and idle.duration == 0.0  # not spoken: it plays in a neighbour's time
    # Two cues on one beat: concatenated in order, a pause after each.
    assert [s.text for s in morph.sentences] == ["Watch the whole grid follow them.", "Then it stops."]
    assert [s.start - morph.start for s in morph.sentences] == pytest.approx([0.0, 3.0 + 0.5])
    assert morph.duration == pytest.approx(3.0 + 0.5 + 1.5 + 0.5)
    assert audio.duration == pytest.approx(LEAD + 4.75 + 0.0 + 5.5)
    assert audio.speech_end == pytest.approx(audio.duration - 0.5)


@needs_espeak
def test_espeak_beats_are_speech_plus_pause(lecture_dir: Path, cache: AudioCache) -> None:
    voice = Voice(engine="espeak", pause=0.3, sentence_pause=0.2)
    cues = [CueSpec("First we draw an arrow. It is red.", beat="a"), CueSpec("Now it turns.", beat="b")]
    audio = plan_segment(cues, ["a", "b"], voice, lecture_dir, cache)
    check_layout(audio, ["a", "b"])
    for i, beat in enumerate(audio.beats):
        speech = sum(s.duration for s in beat.sentences)
        gaps = 0.2 * (len(beat.sentences) - 1)
        lead = LEAD if i == 0 else 0.0
        assert speech > 0.5
        assert beat.duration == pytest.approx(lead + speech + gaps + 0.3, abs=1e-9)
        starts = np.cumsum([beat.start + lead] + [s.duration + 0.2 for s in beat.sentences])[:-1]
        assert [s.start for s in beat.sentences] == pytest.approx(list(starts))
    assert np.abs(audio.samples).max() > 0.05  # it speaks
    # The pause is silent.
    a = audio.beats[0]
    end = a.start + a.duration
    pause = audio.samples[round((end - 0.3) * SAMPLE_RATE) : round(end * SAMPLE_RATE)]
    assert len(pause) == pytest.approx(0.3 * SAMPLE_RATE, abs=2) and not pause.any()


@pytest.mark.parametrize("engine", [pytest.param("espeak", marks=needs_espeak), "silent"])
def test_cache_reuse_and_invalidation(lecture_dir: Path, tmp_path: Path, engine: str) -> None:
    cues = [CueSpec("One sentence here. And another.", beat="a"), CueSpec("A third one.", beat="b")]
    beats = ["a", "b"]
    voice = Voice(engine=engine)
    first = AudioCache(tmp_path / "c")
    audio = plan_segment(cues, beats, voice, lecture_dir, first)
    assert (first.stats.made, first.stats.hits) == (3, 0)

    again = AudioCache(tmp_path / "c")
    same = plan_segment(cues, beats, voice, lecture_dir, again)
    assert (again.stats.made, again.stats.hits) == (0, 3)
    assert np.array_equal(same.samples, audio.samples) and same.fingerprint == audio.fingerprint

    faster = AudioCache(tmp_path / "c")
    fast = plan_segment(cues, beats, voice.merged(rate=220), lecture_dir, faster)
    assert faster.stats.made == 3
    assert fast.duration < audio.duration and fast.fingerprint != audio.fingerprint

    edited = AudioCache(tmp_path / "c")
    changed = [cues[0], CueSpec("A different third one. Plus a fourth.", beat="b")]
    plan_segment(changed, beats, voice, lecture_dir, edited)
    assert (edited.stats.made, edited.stats.hits) == (2, 2)


def test_only_pause_change_keeps_audio_but_changes_fingerprint(lecture_dir: Path, cache: AudioCache) -> None:
    cues = [CueSpec("two words", beat="a")]
    one = plan_segment(cues, ["a"], SILENT, lecture_dir, cache)
    two = plan_segment(cues, ["a"], SILENT.merged(pause=1.0), lecture_dir, cache)
    assert cache.stats.made == 1
    assert two.duration == pytest.approx(one.duration + 0.5)
    assert one.fingerprint != two.fingerprint
    assert plan_segment(cues, ["a", "b"], SILENT, lecture_dir, cache).fingerprint != one.fingerprint


def test_plain_text_spread_over_beats(lecture_dir: Path, cache: AudioCache) -> None:
    text = (
        "First comes a long sentence with quite a few words. Second short. "
        "Third is of medium length here. Fourth. Fifth one closes the segment nicely."
    )
    beats = ["b1", "b2", "b3"]
    audio = plan_segment([CueSpec(text)], beats, SILENT, lecture_dir, cache)
    check_layout(audio, beats)
    spoken = [s.text for s in audio.sentences]
    assert spoken == [
        "First comes a long sentence with quite a few words.",
        "Second short.",
        "Third is of medium length here.",
        "Fourth.",
        "Fifth one closes the segment nicely.",
    ]
    assert all(beat.sentences for beat in audio.beats)
    # Lengths 51, 13, 31, 7, 36: the most balanced contiguous split.
    assert [len(b.sentences) for b in audio.beats] == [1, 2, 2]
    for i, beat in enumerate(audio.beats):
        lead = LEAD if i == 0 else 0.0
        gaps = 0.25 * (len(beat.sentences) - 1)
        assert beat.duration == pytest.approx(lead + sum(s.duration for s in beat.sentences) + gaps + 0.5)


def test_plain_text_with_fewer_sentences_than_beats(lecture_dir: Path, cache: AudioCache) -> None:
    audio = plan_segment([CueSpec("Only one. And two.")], ["a", "b", "c"], SILENT, lecture_dir, cache)
    assert [len(b.sentences) for b in audio.beats] == [1, 1, 0]
    assert audio.beats[2].duration == 0.0


def test_no_narration(lecture_dir: Path, cache: AudioCache) -> None:
    audio = plan_segment([], ["a", "b"], Voice(), lecture_dir, cache, min_beat=2.0)
    assert [b.duration for b in audio.beats] == pytest.approx([LEAD + 2.0, 2.0])
    assert audio.duration == pytest.approx(LEAD + 4.0) and not audio.samples.any() and cache.stats.made == 0


def test_distribute() -> None:
    assert distribute([], 3) == []
    assert distribute([5, 5], 3) == [0, 1]
    assert distribute([1, 1, 1, 1], 2) == [0, 0, 1, 1]
    assert distribute([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [0] + [1] * 10
    assert distribute([3, 3, 3, 3, 3, 3], 3) == [0, 0, 1, 1, 2, 2]
    groups = distribute([1, 9, 2, 2, 2, 2, 7, 1], 4)
    assert groups == sorted(groups) and set(groups) == {0, 1, 2, 3}


def test_bad_beats_and_cues(lecture_dir: Path, cache: AudioCache) -> None:
    # The same words as validation (mmlanim.narration.rules), for callers that skip it.
    with pytest.raises(NarrationError, match=r"cue 'Hi.': unknown beat 'nope' \(beats: a, b\)"):
        plan_segment([CueSpec("Hi.", beat="nope")], ["a", "b"], SILENT, lecture_dir, cache)
    with pytest.raises(NarrationError, match="this cue has no `beat:` while others have one"):
        plan_segment([CueSpec("Hi.", beat="a"), CueSpec("Ho.")], ["a"], SILENT, lecture_dir, cache)
    with pytest.raises(ValueError, match="at least one beat"):
        plan_segment([CueSpec("Hi.")], [], SILENT, lecture_dir, cache)
    with pytest.raises(ValueError, match="repeat"):
        plan_segment([CueSpec("Hi.")], ["a", "a"], SILENT, lecture_dir, cache)


RECORDED = Voice(engine="recorded", pause=0.25)


def test_recorded_cue_per_beat(lecture_dir: Path, cache: AudioCache) -> None:
    write_wav(lecture_dir / "one.wav", tone(2.0))
    write_audio(lecture_dir / "two.mp3", 1.0, "libmp3lame")
    cues = [
        CueSpec("Short. This one is three times longer.", beat="a", audio="one.wav"),
        CueSpec("Second.", beat="b", audio="two.mp3"),
    ]
    audio = plan_segment(cues, ["a", "b"], RECORDED, lecture_dir, cache)
    check_layout(audio, ["a", "b"])
    a, b = audio.beats
    total = len("Short.") + len("This one is three times longer.")
    assert [s.duration for s in a.sentences] == pytest.approx([2.0 * 6 / total, 2.0 * 31 / total], abs=1e-4)
    assert a.sentences[1].start == pytest.approx(LEAD + a.sentences[0].duration)
    assert a.duration == pytest.approx(LEAD + 2.25)
    assert b.duration == pytest.approx(1.0 + 0.25, abs=0.06)
    # The recording plays as it is, one gain bringing it to the voice's loudness.
    played, recorded = audio.samples[AAC_FRAME : AAC_FRAME + 2 * SAMPLE_RATE], tone(2.0)
    gain = float(played @ recorded / (recorded @ recorded))
    assert 0.2 < gain < 5 and np.abs(played - gain * recorded).max() < 2e-3
    assert cache.stats.made == 0


def test_recorded_segment_file_spread_without_inner_pauses(lecture_dir: Path, cache: AudioCache) -> None:
    write_audio(lecture_dir / "all.m4a", 3.0, "aac")
    text = "The first part is said here. The second part. The third part is said at the end."
    audio = plan_segment([CueSpec(text, audio="all.m4a")], ["x", "y"], RECORDED, lecture_dir, cache)
    check_layout(audio, ["x", "y"])
    x, y = audio.beats
    assert x.duration == pytest.approx(LEAD + sum(s.duration for s in x.sentences))  # mid-recording: no pause
    assert y.duration == pytest.approx(sum(s.duration for s in y.sentences) + 0.25)
    assert audio.duration == pytest.approx(LEAD + 3.0 + 0.25, abs=0.06)


def test_recorded_errors(tmp_path: Path, lecture_dir: Path, cache: AudioCache) -> None:
    with pytest.raises(NarrationError, match="missing.wav"):
        plan_segment([CueSpec("Hi.", beat="a", audio="missing.wav")], ["a"], RECORDED, lecture_dir, cache)
    with pytest.raises(NarrationError, match="needs an `audio:` file"):
        plan_segment([CueSpec("Hi.", beat="a")], ["a"], RECORDED, lecture_dir, cache)
    write_wav(tmp_path / "secret.wav", tone(0.2))
    (lecture_dir / "sneaky.wav").symlink_to(tmp_path / "secret.wav")
    for path in ["../secret.wav", "sneaky.wav"]:
        with pytest.raises(NarrationError, match="outside the lecture folder"):
            plan_segment([CueSpec("Hi.", beat="a", audio=path)], ["a"], RECORDED, lecture_dir, cache)


def test_recording_used_with_synthetic_voice(lecture_dir: Path, cache: AudioCache) -> None:
    write_wav(lecture_dir / "me.wav", tone(1.5))
    cues = [CueSpec("Recorded by me.", beat="a", audio="me.wav"), CueSpec("four words said here", beat="b")]
    audio = plan_segment(cues, ["a", "b"], SILENT, lecture_dir, cache)
    assert [b.duration for b in audio.beats] == pytest.approx([LEAD + 2.0, 2.5])
    assert cache.stats.made == 1


def test_padded_to(lecture_dir: Path, cache: AudioCache) -> None:
    cues = [CueSpec("two words", beat="a"), CueSpec("one", beat="b")]
    audio = plan_segment(cues, ["a", "b"], SILENT, lecture_dir, cache)
    assert audio.duration == pytest.approx(LEAD + 2.5) and audio.speech_end == pytest.approx(LEAD + 2.0)
    longer = audio.padded_to(LEAD + 2.7)
    assert longer.duration == LEAD + 2.7 and len(longer.samples) == round((LEAD + 2.7) * SAMPLE_RATE)
    assert longer.beats[0] == audio.beats[0]
    assert longer.beats[1].duration == pytest.approx(0.5 + 0.5 + 0.2)
    assert np.array_equal(longer.samples[: len(audio.samples)], audio.samples)
    shorter = audio.padded_to(LEAD + 2.3)  # trailing pause may go
    assert shorter.beats[1].duration == pytest.approx(0.8)
    with pytest.raises(ValueError, match="cannot fit"):
        audio.padded_to(LEAD + 1.9)


def test_piper_through_plan_and_cache(tmp_path: Path, fake_piper, lecture_dir: Path) -> None:
    (lecture_dir / "v.onnx").write_bytes(b"model")
    voice = Voice(engine="piper", model="v.onnx", pause=0.2, sentence_pause=0.1)
    cues = [CueSpec("One two three. Four five", beat="a"), CueSpec("six", beat="b")]
    first = AudioCache(tmp_path / "pc")
    audio = plan_segment(cues, ["a", "b"], voice, lecture_dir, first)
    assert [s.duration for s in audio.sentences] == pytest.approx([0.3, 0.2, 0.1], abs=1e-3)
    assert [b.duration for b in audio.beats] == pytest.approx([LEAD + 0.8, 0.3], abs=1e-3)
    calls = fake_piper().read_text().splitlines()
    assert first.stats.made == 3 and len(calls) == 4 and calls[0].startswith("start")  # one program, three lines
    second = AudioCache(tmp_path / "pc")
    plan_segment(cues, ["a", "b"], voice, lecture_dir, second)
    assert (second.stats.made, second.stats.hits) == (0, 3)
    assert len(fake_piper().read_text().splitlines()) == 4


def test_blank_cue_is_an_empty_beat(lecture_dir: Path, cache: AudioCache) -> None:
    audio = plan_segment([CueSpec("  ", beat="a"), CueSpec("one", beat="b")], ["a", "b"], SILENT, lecture_dir, cache)
    assert audio.beats[0].duration == 0.0 and audio.beats[0].sentences == ()
    assert audio.beats[1].duration == pytest.approx(LEAD + 1.0)  # the first beat that lasts starts silent


def test_normalised_narration_is_kept_and_read_back_exactly(lecture_dir: Path, cache: AudioCache,
                                                            monkeypatch) -> None:
    from mmlanim.narration import plan
    from mmlanim.narration.loudness import integrated_loudness, true_peak

    write_wav(lecture_dir / "one.wav", tone(2.0))
    cues = [CueSpec("A tone.", beat="a", audio="one.wav")]
    calls: list[int] = []
    real = plan.normalised

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan, "normalised", counted)
    first = plan_segment(cues, ["a"], RECORDED, lecture_dir, cache)
    again = plan_segment(cues, ["a"], RECORDED, lecture_dir, cache)
    assert len(calls) == 1  # the second plan read the normalised samples back
    assert again.fingerprint == first.fingerprint
    np.testing.assert_array_equal(again.samples, first.samples)
    assert again.samples.dtype == np.float32
    assert integrated_loudness(again.samples) == pytest.approx(RECORDED.loudness, abs=0.1)
    assert true_peak(again.samples) <= -1.0 + 1e-6
    # The kept file is checked like any cached audio: a damaged one is made again.
    kept = cache.path_for(first.fingerprint, ".f32")
    data = bytearray(kept.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4] = bytes(255 - b for b in data[middle:middle + 4])
    kept.write_bytes(bytes(data))
    third = plan_segment(cues, ["a"], RECORDED, lecture_dir, cache)
    assert len(calls) == 2
    np.testing.assert_array_equal(third.samples, first.samples)
    # Another loudness is another file.
    louder = plan_segment(cues, ["a"], RECORDED.model_copy(update={"loudness": -14.0}), lecture_dir, cache)
    assert len(calls) == 3 and louder.fingerprint != first.fingerprint
    assert integrated_loudness(louder.samples) == pytest.approx(-14.0, abs=0.1)


@needs_espeak
def test_a_sentence_spoken_before_is_read_back_trimmed_not_decoded_again(lecture_dir: Path, cache: AudioCache,
                                                                         monkeypatch) -> None:
    from mmlanim.narration import plan

    voice = Voice(engine="espeak")
    cues = [CueSpec("One sentence here. And another one.", beat="a")]
    first = plan_segment(cues, ["a"], voice, lecture_dir, cache)
    decoded: list[Path] = []
    real = plan.load_audio
    monkeypatch.setattr(plan, "load_audio", lambda path: decoded.append(path) or real(path))
    again = plan_segment(cues, ["a"], voice, lecture_dir, cache)
    assert decoded == [] and cache.stats.hits == 2  # both sentences served from the cache, none decoded
    np.testing.assert_array_equal(again.samples, first.samples)
    # What is read back is the voice's file decoded and trimmed, exactly.
    from mmlanim.narration.audio import trimmed

    spoken = list(cache.root.rglob("*.wav"))
    assert len(spoken) == 2
    for wav in spoken:
        kept = cache.path_for(plan._derived_key(wav.stem, "trimmed"), ".f32")
        np.testing.assert_array_equal(np.fromfile(kept, dtype="<f4"), trimmed(real(wav)))


def test_a_warm_plan_measures_nothing(lecture_dir: Path, tmp_path: Path) -> None:
    """With its narration cached, planning a segment measures no loudness; neither plan imports scipy."""
    import subprocess
    import sys

    write_wav(lecture_dir / "one.wav", tone(2.0))
    script = f"""
import sys
from pathlib import Path
from mmlanim.narration import Voice
from mmlanim.narration.cache import AudioCache
from mmlanim.narration import loudness
from mmlanim.narration.plan import CueSpec, plan_segment
measured = []
real = loudness._k_weighted
loudness._k_weighted = lambda samples: measured.append(len(samples)) or real(samples)
audio = plan_segment([CueSpec("A tone. And more.", beat="a", audio="one.wav")], ["a"],
                     Voice(engine="recorded", pause=0.25), Path({str(lecture_dir)!r}),
                     AudioCache(Path({str(tmp_path / "audio")!r})))
print(audio.fingerprint, float(abs(audio.samples).sum()), len(measured) > 0, "scipy" in sys.modules)
"""
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    assert runs[0][2] == "True"  # the first plan measured (and normalised) the narration
    assert runs[1][2] == "False"  # the second read it all back
    assert runs[1][:2] == runs[0][:2]
    assert runs[0][3] == runs[1][3] == "False"  # loudness is numpy alone (scipy.signal: a second to import)
