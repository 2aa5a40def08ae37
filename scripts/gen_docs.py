#!/usr/bin/env python3
"""Regenerate the docs derived from the format's declaration.

    python scripts/gen_docs.py                    # docs/lecture-format.md, docs/visuals.md, docs/lecture.schema.json
    python scripts/gen_docs.py --check            # exit 1 if a committed file is stale
    python scripts/gen_docs.py --pictures KIND..  # also KIND's contact-sheet tile (docs/visuals/KIND.png,
                                                  # docs/visuals.png) and its control frame
                                                  # (tests/visuals/control/KIND.npz): for a new or changed kind

``make docs`` runs the first form; ``make docs KINDS="kind1 kind2"`` the last.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from mmlanim.docs import generated_docs

ROOT = Path(__file__).resolve().parent.parent


def write_docs(check: bool) -> int:
    stale = []
    for rel, text in generated_docs(ROOT).items():
        path = ROOT / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(rel)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print("stale generated docs (run `make docs`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for rel in stale if not check else []:
        print(f"wrote {rel}")
    return 0


def write_pictures(kinds: list[str]) -> int:
    """The kinds' contact-sheet tiles and their graphical-test control frames."""
    from mmlanim.visuals import registry

    unknown = [k for k in kinds if k not in registry()]
    if unknown:
        print(f"unknown visual kinds: {', '.join(unknown)} (see `mmlanim visuals`)", file=sys.stderr)
        return 1
    sheet = subprocess.run([sys.executable, str(ROOT / "scripts" / "contact_sheet.py"), *kinds], cwd=ROOT)
    if sheet.returncode:
        return sheet.returncode
    tests = [f"tests/visuals/test_frames.py::test_last_frame_matches_control[{k}]" for k in kinds]
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--regen-control", *tests], cwd=ROOT).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are current")
    parser.add_argument("--pictures", nargs="+", metavar="KIND", default=[],
                        help="also render these kinds' contact-sheet tiles and control frames")
    args = parser.parse_args()
    status = write_docs(args.check)
    if status or args.check or not args.pictures:
        return status
    return write_pictures(args.pictures)


if __name__ == "__main__":
    sys.exit(main())
