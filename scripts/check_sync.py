#!/usr/bin/env python3
"""Does the picture lead the words? Measured from a rendered lecture's MP4 and subtitles alone.

    python scripts/check_sync.py renders/vectors/480p15 [more folders...] [--json] [--slowest N]

For each narration cue (a spoken beat, from the manifest's beat times; the
subtitles when the manifest has none): the seconds from the cue's start
until 80% of the picture's change within the cue has happened (cues with no
change are not counted). For the whole lecture: the longest stretch with neither speech
(the decoded narration above a threshold) nor motion (frames changing), not
counting a segment's final hold (a still stretch that ends where the
segment ends). Targets (at -q m): median ≤ 1.5 s, 90th percentile ≤ 2.2 s,
no silent still stretch over 1.0 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import av
import numpy as np

#: Mean absolute difference (0-255 grey levels, downscaled frames) above which a frame "moves".
MOTION = 0.5
#: RMS (full scale 1.0) above which 20 ms of narration "speaks".
SPEECH = 0.01
#: Grey levels by which a keyframe may move an unchanged pixel (the encoder's re-quantisation: up to
#: about 22 levels seen on fine contour lines; a real edge moves by far more, a slow fade by less, and only
#: the keyframe's own frame is affected).
KEYFRAME_NOISE = 24.0
#: Share of a cue's change whose arrival is measured.
SHARE = 0.8


@dataclass
class Report:
    lecture: str
    cues: int
    measured: int
    median: float
    p90: float
    longest_still: float
    longest_still_at: float
    #: The cues whose picture took longest, slowest first: (start, seconds to 80% of the change, words).
    slowest: list[tuple[float, float, str]]


def _vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    stamp = r"(\d+):(\d\d):(\d\d)[.,](\d{3})"
    cues = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = re.match(stamp + r"\s+-->\s+" + stamp, line.strip())
        if m:
            g = [int(x) for x in m.groups()]
            start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
            end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
            text = lines[i + 1] if i + 1 < len(lines) else ""
            cues.append((start, end, text))
    return cues


def _frame_changes(video: Path) -> tuple[np.ndarray, np.ndarray]:
    """Each frame's start time and its mean absolute difference from the frame before (grey, 1/4 size),
    at every frame of the video's frame rate.

    A keyframe re-quantises the whole picture: an unchanged picture comes back a few grey levels off
    all over. At keyframes only pixels that change by more than :data:`KEYFRAME_NOISE` levels count,
    so the encoder's noise is not taken for motion.
    """
    times, diffs, previous = [], [], None
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        step = 1 / float(stream.codec_context.framerate or stream.base_rate or 30)
        for frame in container.decode(stream):
            grey = frame.to_ndarray(format="gray").astype(np.float32)[::4, ::4]
            at = float(frame.pts * stream.time_base)
            # A held picture is stored as its first and last frame: the frames between change nothing.
            while times and at - times[-1] > 1.5 * step:
                times.append(times[-1] + step)
                diffs.append(0.0)
            times.append(at)
            if previous is None:
                diffs.append(0.0)
            else:
                change = np.abs(grey - previous)
                if frame.key_frame:
                    change[change <= KEYFRAME_NOISE] = 0.0
                diffs.append(float(change.mean()))
            previous = grey
    return np.asarray(times), np.asarray(diffs)


def _speech(video: Path) -> tuple[np.ndarray, np.ndarray]:
    """Start times of 20 ms windows of the narration, and whether each speaks."""
    chunks, rate = [], 48_000
    with av.open(str(video)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate or rate
        for frame in container.decode(stream):
            chunks.append(frame.to_ndarray().astype(np.float32).mean(axis=0))
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    step = rate // 50
    n = len(samples) // step
    rms = np.sqrt((samples[: n * step].reshape(n, step) ** 2).mean(axis=1)) if n else np.zeros(0)
    return np.arange(n) * step / rate, rms > SPEECH


def _lead_times(cues: list[tuple[float, float, str]], times: np.ndarray,
                diffs: np.ndarray) -> list[tuple[float, float, str]]:
    """Each cue with moving pictures as ``(start, lead, words)``: its start, the seconds until 80% of
    the picture's change within it has happened, and its first sentence."""
    leads = []
    half = 0.5 * float(np.median(np.diff(times))) if len(times) > 1 else 0.0
    for start, end, text in cues:
        # Frames fall on multiples of the frame step and the manifest's times are rounded: half a frame's
        # margin keeps the next cue's first frame (often a new segment's cut) out of this cue.
        inside = (times >= start - half) & (times < end - half)
        change = diffs[inside]
        if change.sum() < MOTION * 2:  # nothing moves during this cue
            continue
        reached = np.searchsorted(np.cumsum(change), SHARE * change.sum())
        leads.append((start, float(times[inside][reached] - start), text))
    return leads


def _longest_still(times: np.ndarray, diffs: np.ndarray, speech_t: np.ndarray, speaking: np.ndarray,
                   segment_ends: list[float]) -> tuple[float, float]:
    """The longest stretch with no speech and no motion, not ending at a segment's end."""
    fps_step = float(np.median(np.diff(times))) if len(times) > 1 else 1 / 30
    moving = diffs > MOTION
    speaks_at = np.interp(times, speech_t, speaking.astype(float), left=0, right=0) > 0 if len(speech_t) else \
        np.zeros_like(moving)
    # Speech within a frame's span counts: widen by one window either side.
    quiet = ~moving & ~speaks_at
    best, best_at, run_start = 0.0, 0.0, None
    for i, q in enumerate(np.append(quiet, False)):
        if q and run_start is None:
            run_start = i
        elif not q and run_start is not None:
            start, end = times[run_start], (times[i - 1] + fps_step)
            final_hold = any(abs(end - e) < 2 * fps_step for e in segment_ends)
            if not final_hold and end - start > best:
                best, best_at = end - start, start
            run_start = None
    return best, best_at


def _beat_cues(manifest: dict) -> list[tuple[float, float, str]]:
    """The spoken beats (a cue each) from the manifest, if it records beat times."""
    cues = []
    for segment in manifest["segments"]:
        for beat in segment.get("beats", []):
            if beat["sentences"] and beat["end"] > beat["start"]:
                cues.append((float(beat["start"]), float(beat["end"]), beat["sentences"][0]["text"]))
    return cues


def measure(folder: Path) -> Report:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    video = folder / manifest["file"]
    vtt = next(folder / s for s in manifest["subtitles"] if s.endswith(".vtt"))
    cues = _beat_cues(manifest) or _vtt_cues(vtt)
    times, diffs = _frame_changes(video)
    speech_t, speaking = _speech(video)
    timed = _lead_times(cues, times, diffs)
    leads = [lead for _, lead, _ in timed]
    ends = [float(s["end"]) for s in manifest["segments"]]
    still, still_at = _longest_still(times, diffs, speech_t, speaking, ends)
    slowest = sorted(((round(t, 2), round(lead, 2), text) for t, lead, text in timed), key=lambda c: -c[1])
    return Report(folder.as_posix(), len(cues), len(leads),
                  round(float(np.median(leads)), 2) if leads else 0.0,
                  round(float(np.percentile(leads, 90)), 2) if leads else 0.0,
                  round(still, 2), round(still_at, 2), slowest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="rendered lecture folders (with manifest.json)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="after the table, list each lecture's N cues whose picture took longest")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="lectures measured at once (default: one per core)")
    args = parser.parse_args(argv)
    if args.jobs > 1 and len(args.folders) > 1:  # decoding dominates: one process per lecture
        with ProcessPoolExecutor(max_workers=min(args.jobs, len(args.folders))) as pool:
            reports = list(pool.map(measure, args.folders))
    else:
        reports = [measure(f) for f in args.folders]
    if args.json:
        print(json.dumps([asdict(r) for r in reports], indent=2))
        return 0
    print(f"{'lecture':<40} {'cues':>5} {'moving':>6} {'median':>7} {'p90':>6} {'still':>6} {'at':>7}")
    for r in reports:
        print(f"{r.lecture:<40} {r.cues:>5} {r.measured:>6} {r.median:>7.2f} {r.p90:>6.2f} "
              f"{r.longest_still:>6.2f} {r.longest_still_at:>7.2f}")
    for r in reports if args.slowest else []:
        print(f"\n{r.lecture}: slowest cues (start, seconds to 80% of the change, words)")
        for start, lead, text in r.slowest[:args.slowest]:
            print(f"  {start:8.2f} {lead:5.2f}  {text[:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
