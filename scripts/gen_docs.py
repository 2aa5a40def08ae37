#!/usr/bin/env python3
"""Regenerate the docs derived from the format's declaration.

    python scripts/gen_docs.py          # write docs/lecture-format.md, docs/visuals.md, docs/lecture.schema.json
    python scripts/gen_docs.py --check  # exit 1 if a committed file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mmlanim.docs import generated_docs

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the files are current")
    args = parser.parse_args()
    stale = []
    for rel, text in generated_docs(ROOT).items():
        path = ROOT / rel
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(rel)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("stale generated docs (run `make docs`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for rel in stale if not args.check else []:
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
