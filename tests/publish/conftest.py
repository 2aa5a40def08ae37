"""A published site of the two small test lectures, rendered tiny (shared by the publish tests)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
LECTURES = ("two-segments.yaml", "three-segments.yaml")


@dataclass(frozen=True)
class Published:
    """The site, the lecture files it was made from, and each lecture's render manifest by site folder."""

    site: Path
    lectures: tuple[Path, ...]
    manifests: dict[str, dict]
    renders: Path


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    from click.testing import CliRunner

    from mmlanim.cli import main

    root = tmp_path_factory.mktemp("publish")
    lectures = []
    for name in LECTURES:
        shutil.copyfile(DATA / name, root / name)
        lectures.append(root / name)
    site, renders = root / "site", root / "renders"
    result = CliRunner().invoke(main, ["publish", *map(str, lectures), "-o", str(site), "-q", "l", "-r", "128,72",
                                       "--renders", str(renders), "--quiet", "-j", "1", "--title", "MML & co"],
                               catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(site / "index.html")
    manifests = {p.stem: json.loads((renders / p.stem / "72p15" / "manifest.json").read_text()) for p in lectures}
    return Published(site, tuple(lectures), manifests, renders)
