"""From narration cues to timed segment audio.

:func:`plan_segment` speaks a segment's cues sentence by sentence (through
the cache), lays the speech out over the visual's beats and returns the
audio with the exact start of every beat and sentence. A beat lasts as long
as its speech plus the voice's pause; the scene stretches its animations to
fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from mmlanim.framing import LEAD_IN
from mmlanim.narration.audio import SAMPLE_RATE, fitted, load_audio, n_samples, silence
from mmlanim.narration.cache import AudioCache
from mmlanim.narration.engines import Engine, engine_for, recorded_clip
from mmlanim.narration.errors import NarrationError
from mmlanim.narration.sentences import split_sentences
from mmlanim.narration.voice import Voice

__all__ = [
    "BeatTiming",
    "CueSpec",
    "SegmentAudio",
    "Sentence",
    "distribute",
    "plan_segment",
]


@dataclass(frozen=True)
class CueSpec:
    """One piece of a segment's narration.

    Attributes
    ----------
    text : str
        What is said (may hold several sentences).
    beat : str or None
        The visual's beat it belongs to; ``None`` for plain-text narration,
        which is spread over all the beats.
    audio : str or None
        A recording of ``text``, relative to the lecture file. A cue with a
        recording plays it whatever the engine; the 'recorded' engine needs
        one on every cue.
    """

    text: str
    beat: str | None = None
    audio: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A spoken sentence; times in seconds from the segment's start."""

    text: str
    start: float
    duration: float


@dataclass(frozen=True)
class BeatTiming:
    """When a beat of the visual happens, in seconds from the segment's start."""

    beat: str
    start: float
    duration: float
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, eq=False)
class SegmentAudio:
    """A segment's narration, timed.

    Attributes
    ----------
    beats : tuple of BeatTiming
        In the visual's beat order, contiguous, covering ``[0, duration]``.
    samples : numpy.ndarray
        Mono float32 at ``SAMPLE_RATE``; ``len == round(duration * SAMPLE_RATE)``.
    duration : float
        Seconds.
    fingerprint : str
        SHA-256 of the audio's cache keys, pauses and beat layout: equal
        fingerprints mean equal audio and timings. Include it in the key of
        anything cached that depends on them (e.g. a rendered segment).
    """

    beats: tuple[BeatTiming, ...]
    samples: np.ndarray
    duration: float
    fingerprint: str

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """All sentences, in order."""
        return tuple(s for beat in self.beats for s in beat.sentences)

    @property
    def speech_end(self) -> float:
        """When the last sentence ends (0 if nothing is said)."""
        return max((s.start + s.duration for s in self.sentences), default=0.0)

    def padded_to(self, seconds: float) -> SegmentAudio:
        """The same narration lasting ``seconds`` (e.g. the frame-quantised video).

        Silence is added at the end (the last beat grows), or trailing silence
        is removed; speech is never cut.

        Raises
        ------
        ValueError
            If ``seconds`` ends before the last sentence does.
        """
        if seconds < self.speech_end - 0.5 / SAMPLE_RATE:
            raise ValueError(
                f"cannot fit {self.speech_end:.3f} s of narration into {seconds:.3f} s"
            )
        samples = fitted(self.samples, n_samples(seconds))
        # The last beat that lasts grows (beats of no duration after it stay so).
        k = max((i for i, b in enumerate(self.beats) if b.duration > 0), default=len(self.beats) - 1)
        grown = replace(self.beats[k], duration=max(0.0, seconds - self.beats[k].start))
        beats = (*self.beats[:k], grown, *self.beats[k + 1:])
        return replace(self, beats=beats, samples=samples, duration=seconds)


@dataclass(frozen=True, eq=False)
class _Piece:
    """A sentence's audio; ``joins_next`` when the next piece continues its recording."""

    text: str
    samples: np.ndarray
    key: str
    joins_next: bool = False


@dataclass(frozen=True)
class _Unit:
    """Pieces spoken in a row on one beat, then (if ``pause``) the voice's pause."""

    pieces: tuple[_Piece, ...]
    pause: bool


def distribute(weights: Sequence[float], n_groups: int) -> list[int]:
    """Split items into contiguous groups of balanced total weight.

    Parameters
    ----------
    weights : sequence of float
        Item weights (e.g. sentence lengths), in order.
    n_groups : int
        Number of groups (beats).

    Returns
    -------
    list of int
        The group of each item, non-decreasing. With at least as many items as
        groups every group gets one; otherwise item ``i`` goes to group ``i``
        and the last groups get none. The sum of squared group weights is
        minimised.
    """
    n = len(weights)
    if n <= n_groups:
        return list(range(n))
    prefix = np.concatenate([[0.0], np.cumsum(weights, dtype=float)])
    inf = float("inf")
    # cost[g][i]: best cost of the first i items in g + 1 groups.
    cost = np.full((n_groups, n + 1), inf)
    cut = np.zeros((n_groups, n + 1), dtype=int)
    cost[0, 1:] = prefix[1:] ** 2
    for g in range(1, n_groups):
        for i in range(g + 1, n + 1):
            starts = np.arange(g, i)  # the last group is items starts..i-1
            totals = cost[g - 1, starts] + (prefix[i] - prefix[starts]) ** 2
            best = int(np.argmin(totals))
            cost[g, i], cut[g, i] = totals[best], starts[best]
    groups = [0] * n
    end = n
    for g in range(n_groups - 1, -1, -1):
        start = cut[g, end] if g else 0
        groups[start:end] = [g] * (end - start)
        end = start
    return groups


def _synthesised(text: str, engine: Engine, cache: AudioCache) -> list[_Piece]:
    """One piece per sentence of ``text``, each synthesised through the cache."""
    pieces = []
    for sentence in split_sentences(text):
        key = engine.cache_key(sentence)
        path = cache.get_or_make(key, partial(engine.synthesize, sentence))
        pieces.append(_Piece(sentence, load_audio(path), key))
    return pieces


def _recorded(cue: CueSpec, base_dir: Path) -> list[_Piece]:
    """The cue's recording cut into sentences, proportionally to their lengths."""
    assert cue.audio is not None
    clip = recorded_clip(cue.audio, base_dir)
    sentences = split_sentences(cue.text) or [""]
    weights = np.cumsum([0] + [max(len(s), 1) for s in sentences])
    bounds = np.round(weights / weights[-1] * len(clip.samples)).astype(int)
    return [
        _Piece(text, clip.samples[a:b], f"{clip.key}:{a}:{b}", joins_next=i < len(sentences) - 1)
        for i, (text, a, b) in enumerate(zip(sentences, bounds[:-1], bounds[1:]))
    ]


def _units(
    cues: Sequence[CueSpec],
    beats: Sequence[str],
    voice: Voice,
    base_dir: Path,
    cache: AudioCache,
    model_file: Path | None,
) -> dict[str, list[_Unit]]:
    """Speak the cues and say which beat each piece of speech belongs to."""
    if not beats:
        raise ValueError("a segment needs at least one beat to narrate")
    if len(set(beats)) != len(beats):
        raise ValueError(f"the visual's beats repeat a name: {list(beats)}")
    attached = [cue.beat is not None for cue in cues]
    if any(attached) and not all(attached):
        raise NarrationError(
            "a segment's narration is either plain text or cues that all name a beat, not both"
        )
    for cue in cues:
        if cue.beat is not None and cue.beat not in beats:
            raise NarrationError(
                f"narration cue {cue.text[:40]!r} names beat {cue.beat!r}, but the visual's "
                f"beats are {', '.join(beats)}"
            )
    engine: Engine | None = None

    def speak(cue: CueSpec) -> list[_Piece]:
        nonlocal engine
        if cue.audio is not None:
            return _recorded(cue, base_dir)
        if voice.engine == "recorded":
            raise NarrationError(
                f"the recorded voice needs an `audio:` file for the cue {cue.text[:40]!r}"
            )
        engine = engine or engine_for(voice, base_dir, model_file=model_file)
        return _synthesised(cue.text, engine, cache)

    units: dict[str, list[_Unit]] = {beat: [] for beat in beats}
    if all(attached):
        for cue in cues:
            assert cue.beat is not None
            spoken = tuple(speak(cue))
            if spoken:  # a blank cue adds no pause
                units[cue.beat].append(_Unit(spoken, pause=True))
        return units
    pieces = [piece for cue in cues for piece in speak(cue)]
    groups = distribute([len(piece.text) for piece in pieces], len(beats))
    for index, beat in enumerate(beats):
        group = tuple(p for p, g in zip(pieces, groups) if g == index)
        if group:
            units[beat].append(_Unit(group, pause=not group[-1].joins_next))
    return units


def plan_segment(
    cues: Sequence[CueSpec],
    beats: Sequence[str],
    voice: Voice,
    base_dir: Path,
    cache: AudioCache,
    *,
    min_beat: float = 1.0,
    model_file: Path | None = None,
) -> SegmentAudio:
    """Speak a segment's narration and time the visual's beats to it.

    Parameters
    ----------
    cues : sequence of CueSpec
        The narration: cues that all name a beat, or plain text (``beat``
        None), whose sentences are spread over the beats in order, balanced
        by length.
    beats : sequence of str
        The visual's beat names, in the order they play.
    voice : Voice
        The segment's voice settings.
    base_dir : Path
        The lecture's folder (recordings and models are relative to it).
    cache : AudioCache
        Where synthesised sentences are kept.
    min_beat : float, default 1.0
        Seconds given to each beat when nothing at all is said in the segment.
    model_file : Path, optional
        A piper model chosen by the user (command line), used instead of
        ``voice.model`` and not confined to ``base_dir``.

    Returns
    -------
    SegmentAudio
        Each beat lasts its sentences' audio plus ``voice.pause`` after each
        cue (no pause is inserted inside one recording). A beat nothing is
        said on lasts 0 s: it plays inside a neighbour's time (see
        :func:`~mmlanim.framing.beat_frames`), never as silent padding;
        only when nothing at all is said does each beat last ``min_beat``.
        The first beat that lasts starts with
        :data:`~mmlanim.framing.LEAD_IN` samples of silence.

    Raises
    ------
    NarrationError
        For a cue naming an unknown beat, a mix of plain text and cues, a
        missing or misplaced recording or model, an engine that is not
        installed or that fails.
    ValueError
        If ``beats`` is empty or repeats a name (a bug in the visual).
    """
    units = _units(cues, beats, voice, base_dir, cache, model_file)
    pause = silence(voice.pause)
    spoken = any(units[beat] for beat in beats)
    empty = silence(0.0 if spoken else min_beat)
    chunks: list[np.ndarray] = []
    layout: list[object] = []
    timings: list[BeatTiming] = []
    position = 0  # samples

    def emit(chunk: np.ndarray, token: object) -> int:
        nonlocal position
        start = position
        chunks.append(chunk)
        layout.append(token)
        position += len(chunk)
        return start

    for beat in beats:
        beat_start = position
        layout.append(["beat", beat])
        if beat_start == 0 and (units[beat] or not spoken):  # the encoder's priming frame plays here
            emit(np.zeros(LEAD_IN, dtype=np.float32), ["lead-in", LEAD_IN])
        sentences = []
        for unit in units[beat]:
            for piece in unit.pieces:
                start = emit(piece.samples, piece.key)
                sentences.append(
                    Sentence(piece.text, start / SAMPLE_RATE, len(piece.samples) / SAMPLE_RATE)
                )
            if unit.pause:
                emit(pause, ["pause", len(pause)])
        if not sentences:
            emit(empty, ["empty", len(empty)])
        length = (position - beat_start) / SAMPLE_RATE
        timings.append(BeatTiming(beat, beat_start / SAMPLE_RATE, length, tuple(sentences)))
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    fingerprint = hashlib.sha256(json.dumps([SAMPLE_RATE, layout]).encode()).hexdigest()
    return SegmentAudio(tuple(timings), samples, position / SAMPLE_RATE, fingerprint)
