#!/usr/bin/env python
"""A contact sheet of a rendered lecture: one frame per cue, shortly after it starts, with its words.

Reads the lecture's MP4 and subtitles (through its ``manifest.json``) and writes one PNG, so a person
can check that what is said is what is shown, cue by cue.

Usage::

    .venv/bin/python scripts/cue_sheet.py renders/LECTURE/720p30 OUT.png [--after 0.8] [--columns 3]
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

TILE = (427, 240)
CAPTION = 44
_CUE = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> ")


def cues(folder: Path) -> list[tuple[float, str]]:
    """The ``(start seconds, words)`` of every subtitle cue of the lecture rendered in ``folder``."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    vtt = next(name for name in manifest["subtitles"] if name.endswith(".vtt"))
    lines = (folder / vtt).read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        match = _CUE.match(line)
        if match:
            h, m, s, ms = (int(g) for g in match.groups())
            found.append((h * 3600 + m * 60 + s + ms / 1000, lines[i + 1] if i + 1 < len(lines) else ""))
    return found


def frames_at(video: Path, times: list[float]) -> list[Image.Image]:
    """The frame on screen at each of ``times`` (sorted): the last one shown at or before it, as PIL images.

    The frames' timing varies: a still hold is stored as its first and last frame, with nothing between.
    Taking the next frame after a time is then right only because the hold's last frame repeats its
    first; the frame on screen is right whatever the video stores.
    """
    images: list[Image.Image] = []
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        shown = None
        for frame in container.decode(stream):
            t = float(frame.pts * stream.time_base)
            while len(images) < len(times) and t > times[len(images)]:
                images.append((frame if shown is None else shown).to_image())
            shown = frame
        while shown is not None and len(images) < len(times):
            images.append(shown.to_image())
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a rendered lecture's folder (holds manifest.json)")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--after", type=float, default=0.8, help="seconds after each cue's start (default 0.8)")
    parser.add_argument("--columns", type=int, default=3)
    args = parser.parse_args()
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    spoken = cues(args.folder)
    images = frames_at(args.folder / manifest["file"], [start + args.after for start, _ in spoken])
    rows = -(-len(images) // args.columns)
    width, height = TILE[0], TILE[1] + CAPTION
    sheet = Image.new("RGB", (args.columns * width, max(rows, 1) * height), "black")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=12)
    for k, (image, (start, words)) in enumerate(zip(images, spoken)):
        row, col = divmod(k, args.columns)
        sheet.paste(image.resize(TILE), (col * width, row * height))
        caption = "\n".join(textwrap.wrap(f"{start:.1f}s {words}", 70)[:3])
        draw.text((col * width + 4, row * height + TILE[1] + 2), caption, fill="white", font=font)
    sheet.save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
