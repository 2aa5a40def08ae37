"""Shared fixtures: an isolated cache, lecture helpers, tiny renders."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"


def default_sigint() -> None:
    """``preexec_fn`` for a child that a test interrupts: Ctrl-C reaches it as from a terminal.

    A child inherits its parent's ignored signals and blocked signal mask, and the test process may have
    been left with SIGINT ignored or blocked by a library it ran; then the interrupt would never arrive.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Wrap ``owner.name`` (a module's function, say) so that it counts its calls, for the test's length.

    Returns a one-item list holding the count (a test may set it back to 0).
    """
    calls = [0]
    real = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


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
    # Lectures that name no voice speak with espeak-ng here (fast); the piper
    # voice, the real default, is tested where the voice is the subject.
    os.environ["MMLANIM_DEFAULT_VOICE"] = "espeak"


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


def install_distribution(folder: Path, name: str, modules: dict[str, str], kinds: dict[str, str]) -> Path:
    """Lay out an installed distribution in ``folder`` (as pip would in site-packages).

    ``modules`` maps module names to their source; ``kinds`` maps visual kinds
    to their ``module:Class`` (the distribution's ``mmlanim.visuals`` entry
    points). Put ``folder`` on ``sys.path`` (or PYTHONPATH) to install it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = folder / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    lines = "".join(f"{kind} = {target}\n" for kind, target in kinds.items())
    (info / "entry_points.txt").write_text(f"[mmlanim.visuals]\n{lines}", encoding="utf-8")
    return folder


@pytest.fixture
def add_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Install a throwaway distribution declaring visual kinds, for one test (this process and the
    worker processes it spawns, which inherit ``sys.path``); see :func:`install_distribution`."""

    def add(name: str, modules: dict[str, str], kinds: dict[str, str]) -> Path:
        folder = install_distribution(tmp_path / f"site-{name}", name, modules, kinds)
        for module in modules:
            monkeypatch.delitem(sys.modules, module, raising=False)
        monkeypatch.syspath_prepend(str(folder))
        return folder

    return add


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-control", action="store_true", default=False,
                     help="rewrite tests/visuals/control/*.npz from the current frames")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "render: renders video with manim (slower)")
