"""Fixtures for the narration and media tests: tiny videos, audio, fake engines."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from mmlanim.narration.audio import SAMPLE_RATE
from mmlanim.narration.cache import AudioCache

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def tone(seconds: float, freq: float = 440.0, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A quiet sine, float32 mono."""
    t = np.arange(int(round(seconds * rate))) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def write_audio(path: Path, seconds: float, codec: str, rate: int = 44_100) -> Path:
    """Encode a tone into ``path`` with PyAV (``codec`` e.g. 'aac', 'libmp3lame', 'pcm_s16le')."""
    samples = tone(seconds, rate=rate)
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame_size = stream.codec_context.frame_size or 1024
        for start in range(0, len(samples), frame_size):
            chunk = samples[None, start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            out.mux(stream.encode(frame))  # PyAV converts to the codec's sample format
        out.mux(stream.encode(None))
    return path


def make_video(path: Path, n_frames: int, fps: int = 15, size: tuple[int, int] = (128, 72)) -> Path:
    """A video-only H.264 MP4 (yuv420p, libx264 defaults with B-frames, like manim's)."""
    width, height = size
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"crf": "23"}
        for i in range(n_frames):
            image = np.zeros((height, width, 3), np.uint8)
            image[:, : (i * 5) % width] = 220
            image[..., 2] = (i * 9) % 256
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        out.mux(stream.encode(None))
    return path


@pytest.fixture
def cache(tmp_path: Path) -> AudioCache:
    return AudioCache(tmp_path / "cache")


@pytest.fixture
def lecture_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lecture"
    folder.mkdir()
    return folder


@pytest.fixture
def fake_piper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Path]:
    """Put a fake ``piper`` on PATH that speaks like the real program.

    It reads lines from stdin, writes one sine wav per line (0.1 s per word)
    into ``--output-dir`` and reports "Wrote FILE" on stderr; it logs its argv
    once per start and each line it was given.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "piper-calls.txt"
    script = bin_dir / "piper"
    script.write_text(
        f"#!{sys.executable}\n"
        + textwrap.dedent(
            f"""
            import math, os, struct, sys, wave
            args = sys.argv[1:]
            folder = args[args.index("--output-dir") + 1]
            model = args[args.index("--model") + 1]
            open(model, "rb").close()
            with open({str(log)!r}, "a") as log:
                log.write("start " + repr(args) + "\\n")
            for number, line in enumerate(sys.stdin):
                text = line.strip()
                with open({str(log)!r}, "a") as log:
                    log.write("line " + repr(text) + "\\n")
                out = os.path.join(folder, f"{{number}}.wav")
                n = int(22050 * 0.1 * len(text.split()))
                with wave.open(out, "wb") as w:
                    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
                    w.writeframes(b"".join(
                        struct.pack("<h", int(8000 * math.sin(i / 10))) for i in range(n)))
                print(f"INFO:__main__:Wrote {{out}}", file=sys.stderr, flush=True)
            """
        )
    )
    script.chmod(0o755)
    monkeypatch.setenv("MMLANIM_PIPER", str(script))
    return lambda: log

