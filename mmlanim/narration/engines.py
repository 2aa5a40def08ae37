"""Speech engines behind one small interface, and recorded audio.

An :class:`Engine` turns one sentence into a wav file and names the result
with a cache key; :func:`engine_for` picks the engine a :class:`Voice` asks
for. Recorded audio is not synthesised: :func:`recorded_clip` loads it.
Files named by a lecture (recordings, voice models) are resolved relative to
the lecture's folder and must stay inside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

from mmlanim import paths
from mmlanim.narration.audio import load_audio, silence, write_wav
from mmlanim.narration.errors import NarrationError
from mmlanim.narration.voice import DEFAULT_RATE, Voice

__all__ = [
    "FORMAT_VERSION",
    "Engine",
    "Espeak",
    "NarrationError",
    "Piper",
    "RecordedClip",
    "SYNTHESIS_TIMEOUT",
    "Silent",
    "check_available",
    "engine_for",
    "executable_for",
    "file_digest",
    "recorded_clip",
    "resolve_lecture_file",
]

#: Seconds a synthesiser may take for one sentence before it is stopped.
SYNTHESIS_TIMEOUT = 300

#: Bump to invalidate every cached synthesis (e.g. after changing how
#: engines are invoked).
FORMAT_VERSION = 1

# engine -> (default executable, environment variable overriding it, install hint)
_EXECUTABLES: dict[str, tuple[str, str, str]] = {
    "espeak": ("espeak-ng", "MMLANIM_ESPEAK", "install it with `apt-get install espeak-ng`"),
    "piper": ("piper", "MMLANIM_PIPER", "install it with `pip install piper-tts`"),
}


def executable_for(engine: str) -> str:
    """The program run for ``engine`` ('espeak' or 'piper').

    ``$MMLANIM_ESPEAK`` / ``$MMLANIM_PIPER`` override the defaults
    ``espeak-ng`` / ``piper`` (a name looked up on PATH, or a path).
    """
    default, variable, _ = _EXECUTABLES[engine]
    return os.environ.get(variable) or default


def check_available(voice: Voice) -> str | None:
    """Say why ``voice`` cannot be synthesised here, if it cannot.

    Only the engine's program is checked; files named by the lecture are
    checked when they are used.

    Parameters
    ----------
    voice : Voice
        The voice settings.

    Returns
    -------
    str or None
        A message for the user, or ``None`` if the engine's program is
        installed (or the engine needs none).
    """
    if voice.engine not in _EXECUTABLES:
        return None
    program = executable_for(voice.engine)
    if shutil.which(program):
        return None
    _, variable, hint = _EXECUTABLES[voice.engine]
    return (
        f"the {voice.engine} voice needs the program {program!r}, which is not "
        f"installed: {hint} (or set ${variable}), or use `engine: silent` for a draft"
    )


def resolve_lecture_file(path: str | Path, base_dir: Path, what: str = "file") -> Path:
    """:func:`mmlanim.paths.resolve_lecture_file`, raising the narration layer's error.

    Parameters
    ----------
    path : str or Path
        The path as written in the lecture (relative to ``base_dir``, or
        absolute but inside it).
    base_dir : Path
        The lecture's folder.
    what : str, default "file"
        What the file is, for error messages ("audio file", "voice model").

    Returns
    -------
    Path
        The resolved path (symlinks followed).

    Raises
    ------
    NarrationError
        If the path, after following symlinks, leaves ``base_dir``, or if the
        file does not exist or is not a regular file (the
        :class:`~mmlanim.paths.LecturePathError` is its ``__cause__``).
    """
    try:
        return paths.resolve_lecture_file(path, base_dir, what)
    except paths.LecturePathError as exc:
        raise NarrationError(str(exc)) from exc


@lru_cache(maxsize=256)
def _digest_cached(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content, remembered while its size and mtime stay."""
    stat = path.stat()
    return _digest_cached(path, stat.st_size, stat.st_mtime_ns)


def _space_hint(folder: Path) -> str:
    """``: no space left ...`` when the disk holding ``folder`` is (nearly) full, else ''."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return ""
    if info.f_bavail * info.f_frsize < 1 << 20:
        return (": No space left on device (the disk holding the cache is full); free some space or set "
                "MMLANIM_CACHE_DIR elsewhere and render again")
    return ""


def _run(command: list[str], text: str, out_path: Path, program: str) -> None:
    """Run a synthesiser with ``text`` on stdin; it must write ``out_path``."""
    try:
        result = subprocess.run(
            command, input=text.encode("utf-8"), capture_output=True, timeout=SYNTHESIS_TIMEOUT
        )
    except FileNotFoundError as exc:
        raise NarrationError(f"cannot run {program!r}: it is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise NarrationError(
            f"{program} took over {SYNTHESIS_TIMEOUT} s on {text[:60]!r} and was stopped"
        ) from exc
    if result.returncode == 0 and (not out_path.is_file() or out_path.stat().st_size == 0):
        raise NarrationError(f"{program} wrote no audio for {text[:60]!r} into {out_path.parent}"
                             + _space_hint(out_path.parent))
    if result.returncode != 0 or not out_path.is_file() or out_path.stat().st_size == 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[-500:] or "no output"
        raise NarrationError(
            f"{program} failed (exit {result.returncode}) on {text[:60]!r}: {detail}"
        )


@dataclass(frozen=True)
class Engine(ABC):
    """A speech synthesiser.

    Parameters
    ----------
    voice : str
        Voice name (engine-specific).
    rate : int
        Speaking rate, words per minute.
    """

    voice: str
    rate: int

    #: The engine's name, as in :attr:`Voice.engine`.
    name: ClassVar[str]

    def model_hash(self) -> str:
        """Content hash of the engine's model file ('' if it has none)."""
        return ""

    def cache_key(self, text: str) -> str:
        """Name of the audio of ``text``: SHA-256 of everything it depends on.

        Parameters
        ----------
        text : str
            The sentence.

        Returns
        -------
        str
            Hex digest over the format version, engine, voice, rate, model
            hash and text.
        """
        fields = [FORMAT_VERSION, self.name, self.voice, self.rate, self.model_hash(), text]
        return hashlib.sha256(json.dumps(fields).encode("utf-8")).hexdigest()

    @abstractmethod
    def synthesize(self, text: str, out_path: Path) -> None:
        """Speak ``text`` into the wav file ``out_path``.

        Raises
        ------
        NarrationError
            If the synthesiser fails.
        """


@dataclass(frozen=True)
class Espeak(Engine):
    """espeak-ng, run as a subprocess; the text goes through stdin."""

    executable: str = "espeak-ng"
    name: ClassVar[str] = "espeak"

    def synthesize(self, text: str, out_path: Path) -> None:  # noqa: D102
        command = [self.executable, "-b", "1", "-v", self.voice, "-s", str(self.rate)]
        _run([*command, "-w", str(out_path), "--stdin"], text, out_path, self.executable)


@dataclass(frozen=True)
class Piper(Engine):
    """A local Piper voice model, run through the ``piper`` program.

    The rate scales Piper's ``--length_scale`` (``DEFAULT_RATE / rate``).
    """

    model: Path
    executable: str = "piper"
    name: ClassVar[str] = "piper"

    def model_hash(self) -> str:  # noqa: D102
        config = self.model.with_name(self.model.name + ".json")
        parts = [file_digest(self.model)] + ([file_digest(config)] if config.is_file() else [])
        return ":".join(parts)

    def synthesize(self, text: str, out_path: Path) -> None:  # noqa: D102
        command = [self.executable, "--model", str(self.model), "--output_file", str(out_path)]
        scale = f"{DEFAULT_RATE / self.rate:.4f}"
        _run([*command, "--length_scale", scale], text, out_path, self.executable)


@dataclass(frozen=True)
class Silent(Engine):
    """Draft mode: silence lasting ``words / rate`` minutes."""

    name: ClassVar[str] = "silent"

    def seconds(self, text: str) -> float:
        """Estimated speaking time of ``text``."""
        return len(text.split()) / self.rate * 60.0

    def synthesize(self, text: str, out_path: Path) -> None:  # noqa: D102
        write_wav(out_path, silence(self.seconds(text)))


def engine_for(voice: Voice, base_dir: Path, *, model_file: Path | None = None) -> Engine:
    """The engine that speaks with ``voice``.

    Parameters
    ----------
    voice : Voice
        The voice settings.
    base_dir : Path
        The lecture's folder: ``voice.model`` is relative to it and must be
        inside it.
    model_file : Path, optional
        A piper model given by the user rather than the lecture (e.g. on the
        command line): used instead of ``voice.model``, from anywhere.

    Returns
    -------
    Engine
        Ready to synthesise.

    Raises
    ------
    NarrationError
        If the engine's program is not installed, the piper model is not
        given, missing or outside ``base_dir``, or the engine is 'recorded'
        (recordings are loaded with :func:`recorded_clip`).
    """
    if voice.engine == "recorded":
        raise NarrationError(
            "the recorded voice synthesises nothing: every cue needs an `audio:` file"
        )
    if voice.engine == "silent":
        return Silent(voice.voice, voice.rate)
    if voice.engine == "piper":
        if model_file is not None:
            model = Path(model_file).resolve()
            if not model.is_file():
                raise NarrationError(f"piper voice model {str(model_file)!r} not found")
        elif not voice.model:
            raise NarrationError("the piper voice needs `model:`, the path of a .onnx voice model")
        else:
            model = resolve_lecture_file(voice.model, base_dir, "piper voice model")
    problem = check_available(voice)
    if problem:
        raise NarrationError(problem)
    program = executable_for(voice.engine)
    if voice.engine == "piper":
        return Piper(voice.voice, voice.rate, model=model, executable=program)
    return Espeak(voice.voice, voice.rate, executable=program)


@dataclass(frozen=True, eq=False)
class RecordedClip:
    """An instructor's recording, decoded.

    Attributes
    ----------
    path : Path
        The resolved file.
    key : str
        SHA-256 of the file's content.
    samples : numpy.ndarray
        Mono float32 at the narration sample rate.
    """

    path: Path
    key: str
    samples: np.ndarray


def recorded_clip(path: str | Path, base_dir: Path) -> RecordedClip:
    """Load a recording named by the lecture (wav, mp3, m4a, ...).

    Parameters
    ----------
    path : str or Path
        Relative to ``base_dir``.
    base_dir : Path
        The lecture's folder; the file must be inside it.

    Returns
    -------
    RecordedClip
        The decoded audio and its content hash.

    Raises
    ------
    NarrationError
        If the file is missing, outside ``base_dir`` or cannot be decoded.
    """
    resolved = resolve_lecture_file(path, base_dir, "audio file")
    try:
        samples = load_audio(resolved)
    except ValueError as exc:
        raise NarrationError(f"audio file {str(path)!r}: {exc}") from exc
    return RecordedClip(resolved, file_digest(resolved), samples)
