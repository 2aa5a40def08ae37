"""Shared fixtures: an isolated cache, lecture helpers, tiny renders."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"

#: A lecture with the 'recorded' voice whose recording (takes/hello.wav) a test may or may not create.
RECORDED_LECTURE = """\
title: Recorded
voice: {engine: recorded}
segments:
  - id: one
    narration:
      - say: Hello there.
        beat: show_title
        audio: takes/hello.wav
    visual: {kind: title}
"""


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test session gets its own cache: nothing touches ~/.cache."""
    os.environ["MMLANIM_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def write_lecture(tmp_path: Path):
    """Write a lecture's YAML (dedented) into a temporary folder; return its path."""

    def write(text: str, name: str = "lecture.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def lecture_copy(tmp_path: Path):
    """Copy a lecture from tests/data into a temporary folder; return its path."""

    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copyfile(TEST_DATA / name, dst)
        return dst

    return copy


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-control", action="store_true", default=False,
                     help="rewrite tests/visuals/control/*.npz from the current frames")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "render: renders video with manim (slower)")
