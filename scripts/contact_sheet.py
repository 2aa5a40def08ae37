#!/usr/bin/env python
"""Render the last frame of every visual kind's example into one contact sheet.

Writes ``docs/visuals/<kind>.png`` (one tile per kind, 854×480 by default)
and ``docs/visuals.png`` (all tiles in a grid, each with its kind's name
underneath), so a person can see every kind at once.

Usage::

    .venv/bin/python scripts/contact_sheet.py [--size 854x480] [--columns 2] [KIND ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render_tile(kind: str, size: tuple[int, int], out: Path) -> Path:
    from mmlanim.quality import quality
    from mmlanim.render.segment import render_last_frame
    from mmlanim.visuals import registry

    cls = registry()[kind]
    return render_last_frame(cls(cls.example_params()), quality("l", size), out)


def sheet(tiles: list[tuple[str, Path]], columns: int, out: Path) -> Path:
    from PIL import Image, ImageDraw, ImageFont

    from mmlanim import theme

    images = [(kind, Image.open(path).convert("RGB")) for kind, path in tiles]
    w, h = images[0][1].size
    caption, gap = max(28, h // 14), 12
    rows = -(-len(images) // columns)
    canvas = Image.new("RGB", (columns * w + (columns + 1) * gap, rows * (h + caption) + (rows + 1) * gap),
                       "#0A0D10")
    draw = ImageDraw.Draw(canvas)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", int(caption * 0.6))
    except OSError:
        font = ImageFont.load_default()
    for i, (kind, img) in enumerate(images):
        r, c = divmod(i, columns)
        x, y = gap + c * (w + gap), gap + r * (h + caption + gap)
        canvas.paste(img, (x, y))
        draw.text((x + w / 2, y + h + caption / 2), kind, fill=theme.FOREGROUND, font=font, anchor="mm")
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out, optimize=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help="kinds to render (default: all)")
    parser.add_argument("--size", default="854x480", help="tile size WxH (default 854x480)")
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "visuals.png")
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))

    from mmlanim.visuals import registry

    kinds = args.kinds or list(registry())
    tile_dir = args.out.parent / "visuals"
    tiles = []
    for kind in kinds:
        start = time.perf_counter()
        path = render_tile(kind, size, tile_dir / f"{kind}.png")  # type: ignore[arg-type]
        print(f"{kind:>20}: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({time.perf_counter() - start:.1f} s)")
        tiles.append((kind, path))
    # The sheet always shows every kind that has a tile (re-rendered or from an earlier run).
    tiles = [(k, tile_dir / f"{k}.png") for k in registry() if (tile_dir / f"{k}.png").exists()]
    print(f"sheet: {sheet(tiles, args.columns, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
