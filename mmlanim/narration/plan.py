"""From narration cues to timed segment audio.

:func:`plan_segment` speaks a segment's cues sentence by sentence (through
the cache), lays the speech out over the visual's beats and returns the
audio with the exact start of every beat and sentence. A beat lasts as long
as its speech plus the voice's pause; the scene stretches its animations to
fit.

Synthesised sentences are trimmed of the engine's own leading and trailing
silence and joined with the voice's ``sentence_pause``, so every sentence end
sounds like one whatever the engine made of it. A beat marker inside a cue
(``[[beat]]``, see :mod:`~mmlanim.narration.markers`) splits its sentence:
the parts are synthesised separately and joined with a short phrase pause,
and the marked beat starts at the first sound of the word after the marker.
Each cue's speech is matched to the voice's loudness, and the segment's
narration is normalised to it (ITU-R BS.1770) under a -1 dBTP true peak.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from mmlanim.framing import LEAD_IN
from mmlanim.narration.audio import SAMPLE_RATE, fitted, load_audio, n_samples, silence, trimmed
from mmlanim.narration.cache import AudioCache, cached_samples
from mmlanim.narration.engines import Engine, engine_for, recorded_clip
from mmlanim.narration.errors import NarrationError
from mmlanim.narration.loudness import TRUE_PEAK_CEILING, normalised
from mmlanim.narration.markers import fragments, marker_problems
from mmlanim.narration.rules import cue_problems
from mmlanim.narration.sentences import split_sentences
from mmlanim.narration.voice import Voice

__all__ = [
    "MARKER_GAP",
    "BeatTiming",
    "CueSpec",
    "SegmentAudio",
    "Sentence",
    "distribute",
    "plan_segment",
]


#: Seconds of silence where a beat marker splits a sentence (a short phrase pause).
MARKER_GAP = 0.06
# Bump when the way pieces are trimmed, joined or normalised changes.
_LAYOUT_VERSION = 2


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
    """When a beat of the visual happens, in seconds from the segment's start.

    ``sentences`` are those that start on this beat; a sentence a beat marker
    splits runs on into the marked beat (whose ``sentences`` may then be empty).
    """

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
    """A sentence's audio, or the part of it before or after a beat marker.

    ``text`` is the whole sentence (as subtitles show it); ``joins_next`` when
    the next piece continues its recording; ``continues`` when the sentence
    goes on in the next piece (a marker split it).
    """

    text: str
    samples: np.ndarray
    key: str
    joins_next: bool = False
    continues: bool = False


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


def _spoken_form(text: str, continues: bool) -> str:
    """What the engine is given: a part cut off at a marker ends on a comma, so it
    is spoken as a phrase that goes on rather than as the end of a sentence."""
    if continues and text and text[-1].isalnum():
        return text + ","
    return text


def _derived_key(key: str, what: str) -> str:
    """The cache key of ``what`` is made of the file ``key`` (and of this module's layout version)."""
    return hashlib.sha256(f"{key}:{what}:{_LAYOUT_VERSION}".encode()).hexdigest()


def _trimmed_file(path: Path) -> np.ndarray:
    return trimmed(load_audio(path))


def _synthesised(text: str, engine: Engine, cache: AudioCache) -> list[tuple[str | None, _Piece]]:
    """``(beat started here or None, piece)`` per sentence (or marker-split part) of ``text``.

    Each is synthesised through the cache and trimmed of its silence.
    """
    pieces = []
    for fragment in fragments(text):
        spoken = _spoken_form(fragment.text, fragment.continues)
        key = engine.cache_key(spoken)
        path = cache.get_or_make(key, partial(engine.synthesize, spoken))
        # Decoding and resampling the voice's file costs more than reading the result: kept too.
        samples = cached_samples(cache, _derived_key(key, "trimmed"), partial(_trimmed_file, path))
        piece = _Piece(fragment.sentence_text, samples, key, continues=fragment.continues)
        pieces.append((fragment.beat, piece))
    return pieces


def _matched(pieces: list[tuple[str | None, _Piece]], target: float,
             cache: AudioCache) -> list[tuple[str | None, _Piece]]:
    """The pieces of one cue (or one recording) scaled together to the loudness ``target``.

    The gain is kept in the cache under the pieces' keys, so a warm render measures nothing.
    """
    if not pieces:
        return pieces
    key = _derived_key("|".join(p.key for _, p in pieces), f"gain to {target!r}")
    gain = cached_samples(cache, key, partial(_gain, pieces, target))[0]
    if gain == 1:
        return pieces
    return [(beat, replace(p, samples=p.samples * gain)) for beat, p in pieces]


def _gain(pieces: list[tuple[str | None, _Piece]], target: float) -> np.ndarray:
    """The gain (shape ``(1,)``, float32) that brings the pieces together to ``target`` LUFS; 1 for silence."""
    from mmlanim.narration.loudness import integrated_loudness

    loudness = integrated_loudness(np.concatenate([p.samples for _, p in pieces]))
    if not np.isfinite(loudness):
        return np.ones(1, dtype=np.float32)
    return np.array([10 ** ((target - loudness) / 20)], dtype=np.float32)


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


def _check_markers(cues: Sequence[CueSpec], beats: Sequence[str]) -> None:
    """Raise for the first wrong beat marker (see :func:`~mmlanim.narration.markers.marker_problems`)."""
    for cue in cues:
        problems = marker_problems(cue.text, cue.beat, beats, recorded=cue.audio is not None)
        if problems:
            raise NarrationError(f"cue {cue.text[:40]!r}: {problems[0][1]}")


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
    problems = cue_problems([cue.beat for cue in cues], beats)
    if problems:
        first = problems[0]
        raise NarrationError(f"cue {cues[first.cue].text[:40]!r}: {first.message}")
    _check_markers(cues, beats)
    engine: Engine | None = None

    def speak(cue: CueSpec) -> list[tuple[str | None, _Piece]]:
        nonlocal engine
        if cue.audio is not None:
            return _matched([(None, p) for p in _recorded(cue, base_dir)], voice.loudness, cache)
        if voice.engine_name == "recorded":
            raise NarrationError(
                f"the recorded voice needs an `audio:` file for the cue {cue.text[:40]!r}"
            )
        engine = engine or engine_for(voice, base_dir, model_file=model_file)
        return _matched(_synthesised(cue.text, engine, cache), voice.loudness, cache)

    units: dict[str, list[_Unit]] = {beat: [] for beat in beats}
    if all(attached):
        for cue in cues:
            assert cue.beat is not None
            beat, run = cue.beat, list[_Piece]()
            for switch, piece in speak(cue):
                if switch is not None and switch != beat:
                    if run:
                        units[beat].append(_Unit(tuple(run), pause=False))
                    beat, run = switch, []
                run.append(piece)
            if run:  # a blank cue adds no pause
                units[beat].append(_Unit(tuple(run), pause=True))
        return units
    pieces = [piece for cue in cues for _, piece in speak(cue)]
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
    at_least: Mapping[str, float] | None = None,
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
    at_least : mapping of str to float, optional
        Seconds a spoken beat lasts at least (a cue's ``run_time`` and a little
        hold): a shorter cue is followed by silence, so an animation is never
        squeezed into a short sentence.

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
    between = silence(voice.sentence_pause)
    gap = silence(MARKER_GAP)
    spoken = any(units[beat] for beat in beats)
    empty = silence(0.0 if spoken else min_beat)
    chunks: list[np.ndarray] = []
    layout: list[object] = [["version", _LAYOUT_VERSION]]
    timings: list[BeatTiming] = []
    position = 0  # samples
    spans: list[list[Any]] = []  # [text, start, end, continues] of every sentence, in order
    opened: list[list[list[Any]]] = []  # per beat, the sentences that start on it

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
        begun: list[list[Any]] = []  # the sentences that start on this beat
        spoke = False
        for unit in units[beat]:
            for index, piece in enumerate(unit.pieces):
                start = emit(piece.samples, piece.key)
                spoke = True
                if spans and spans[-1][3]:  # the sentence a marker split goes on
                    spans[-1][2], spans[-1][3] = position, piece.continues
                else:
                    begun.append([piece.text, start, position, piece.continues])
                    spans.append(begun[-1])
                if piece.continues:
                    emit(gap, ["gap", len(gap)])
                elif piece.joins_next:
                    pass
                elif index < len(unit.pieces) - 1:
                    emit(between, ["between", len(between)])
            if unit.pause:
                emit(pause, ["pause", len(pause)])
        if not spoke:
            emit(empty, ["empty", len(empty)])
        elif at_least and beat in at_least:
            short = round(at_least[beat] * SAMPLE_RATE) - (position - beat_start)
            if short > 0:  # the animation outlasts the sentence: the beat waits for it
                emit(np.zeros(short, dtype=np.float32), ["hold", short])
        length = (position - beat_start) / SAMPLE_RATE
        timings.append(BeatTiming(beat, beat_start / SAMPLE_RATE, length, ()))
        opened.append(begun)
    beats_out = tuple(
        replace(timing, sentences=tuple(
            Sentence(text, start / SAMPLE_RATE, (end - start) / SAMPLE_RATE) for text, start, end, _ in begun
        ))
        for timing, begun in zip(timings, opened)
    )
    layout.append(["loudness", voice.loudness, TRUE_PEAK_CEILING])
    fingerprint = hashlib.sha256(json.dumps([SAMPLE_RATE, layout]).encode()).hexdigest()
    # Normalising (4x oversampled true peaks, a few rounds) costs seconds a segment: the result is kept
    # under the layout's fingerprint, which names every piece, pause and the loudness asked for.
    samples = cached_samples(cache, fingerprint, lambda: normalised(
        np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32), voice.loudness, TRUE_PEAK_CEILING))
    return SegmentAudio(beats_out, samples, position / SAMPLE_RATE, fingerprint)
