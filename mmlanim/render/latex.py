"""Typesetting a formula with LaTeX: confined, bounded in time, checked, then cached.

Formulas come from lectures, which may come from strangers. While a segment
renders, :func:`confined` stands in for manim's ``tex_to_svg_file`` with
:func:`tex_to_svg_file`, which

- runs LaTeX and dvisvgm in a **fresh private folder** of their own (their
  working folder and ``TEXMFOUTPUT``), so ``\\openout`` can only write there,
  never into the cache;
- gives each run a **wall-clock limit** (:func:`latex_timeout`), failing with
  an error that names the formula;
- **checks** the SVG (an ``<svg>`` document) and only then stores it in the
  cache, under a temporary name and renamed, **sealed** with a hash of its
  bytes (:func:`seal`); a cached SVG is served only if its seal holds
  (:func:`cached_svg`), otherwise it is made again.

The cached SVG keeps manim's own name for the formula (a hash of its LaTeX
source), so formulas typeset ahead (``mmlanim.visuals._typeset``) are found.
"""

from __future__ import annotations

__all__ = ["LATEX_ENVIRONMENT", "LatexError", "cached_svg", "check_svg", "compile_svg", "confined", "latex_timeout",
           "quoted", "run_bounded", "seal", "store_svg", "svg_name", "tex_to_svg_file", "texcode", "work_folder"]

import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..fsutil import atomic_path

#: kpathsea settings for every LaTeX run: TeX may not read or write files outside
#: its own fresh working folder (``\input{/etc/passwd}`` is refused), nor run
#: shell commands.
LATEX_ENVIRONMENT = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
#: Seconds a LaTeX or dvisvgm run may take, unless ``MMLANIM_LATEX_TIMEOUT`` says otherwise.
DEFAULT_TIMEOUT = 60.0
_SEAL = b"\n<!-- mmlanim-sha256 "
_SEAL_END = b" -->\n"
_REACHED_END = "mmlanim: the end of the document"


class LatexError(Exception):
    """A formula did not typeset (the message names it and why)."""


def latex_timeout() -> float:
    """The wall-clock limit of one LaTeX or dvisvgm run, in seconds (``MMLANIM_LATEX_TIMEOUT``)."""
    text = os.environ.get("MMLANIM_LATEX_TIMEOUT", "")
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def texcode(expression: str, environment: str | None, template: Any) -> str:
    """The LaTeX document manim would write for ``expression`` (in ``environment``) with ``template``."""
    if environment is not None:
        return str(template.get_texcode_for_expression_in_env(expression, environment))
    return str(template.get_texcode_for_expression(expression))


def svg_name(code: str) -> str:
    """manim's cache name of the SVG of the LaTeX document ``code``."""
    return hashlib.sha256(code.encode()).hexdigest()[:16] + ".svg"


def seal(data: bytes) -> bytes:
    """``data`` (an SVG) followed by an XML comment holding its SHA-256."""
    return data + _SEAL + hashlib.sha256(data).hexdigest().encode() + _SEAL_END


def _unsealed(sealed: bytes) -> bytes | None:
    body, found, rest = sealed.rpartition(_SEAL)
    if not found or not rest.endswith(_SEAL_END) or not body:
        return None
    return body if hashlib.sha256(body).hexdigest().encode() == rest[:-len(_SEAL_END)] else None


def cached_svg(folder: Path, name: str) -> Path | None:
    """The cached SVG ``folder/name`` if it is there and its seal holds, else None."""
    path = folder / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return path if _unsealed(data) is not None else None


def store_svg(folder: Path, name: str, data: bytes) -> Path:
    """Store the checked SVG ``data`` as ``folder/name``, sealed, under a temporary name then renamed."""
    path = folder / name
    with atomic_path(path) as tmp:
        tmp.write_bytes(seal(data))
    return path


def check_svg(data: bytes) -> bool:
    """Whether ``data`` is an SVG document (XML whose root is ``<svg>``)."""
    import xml.etree.ElementTree as ET

    if not data.strip():
        return False
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    return root.tag.rpartition("}")[2] == "svg"


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A fresh private folder for one LaTeX job, removed after."""
    with tempfile.TemporaryDirectory(prefix="mmlanim-latex-") as folder:
        yield Path(folder)


def _bounded_child(cpu_seconds: int) -> None:  # pragma: no cover - runs in the child, before exec
    """In a LaTeX child: at most ``cpu_seconds`` of CPU, and (on Linux) killed when its parent dies,
    so a formula that loops never outlives a render that was killed."""
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG


def run_bounded(command: Sequence[str], work: Path, formula: str) -> int:
    """Run ``command`` in ``work`` (TeX confined to it), within :func:`latex_timeout`; its exit status.

    Raises
    ------
    LatexError
        It ran out of time (naming ``formula``), or could not be started.
    """
    env = {**os.environ, **LATEX_ENVIRONMENT, "TEXMFOUTPUT": str(work)}
    limit = latex_timeout()
    try:
        return subprocess.run(list(command), cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=limit,
                              preexec_fn=partial(_bounded_child, int(limit) + 5)).returncode
    except subprocess.TimeoutExpired:
        raise LatexError(f"{command[0]} took longer than {limit:g} s on the formula {quoted(formula)} and was "
                         "stopped (does it loop?)") from None
    except FileNotFoundError:
        raise LatexError(f"{command[0]} is not installed (run `mmlanim doctor`)") from None


_MARKER = re.compile(r"\\special\{dvisvgm:raw [^}]*\}")


def quoted(formula: str) -> str:
    """``formula`` for a message: quoted, without MathTex's part markers, shortened."""
    text = " ".join(_MARKER.sub("", formula).split())
    return "'" + (text if len(text) <= 200 else text[:197] + "...") + "'"


def _first_error(log: Path) -> str:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "no log written"
    errors = [line[1:].strip() for line in lines if line.startswith("!")]
    return errors[0] if errors else "see its log"


def compile_svg(code: str, compiler: str | Sequence[str], output_format: str, formula: str) -> bytes:
    """Typeset the LaTeX document ``code`` into a checked SVG, in a fresh private folder.

    Parameters
    ----------
    code : str
        The whole document.
    compiler : str or sequence of str
        LaTeX program(s), run in order.
    output_format : str
        ``.dvi``, ``.xdv`` or ``.pdf``.
    formula : str
        The formula as the lecture wrote it (for messages).

    Returns
    -------
    bytes
        The SVG.

    Raises
    ------
    LatexError
        LaTeX failed (its first error), ran out of time, made no page, or the
        SVG is not one.
    """
    from manim.utils import tex_file_writing as tfw

    with work_folder() as work:
        tex = work / "formula.tex"
        log = tex.with_suffix(".log")
        # A line in LaTeX's log once the document's own end is reached (a formula may end it early).
        head, found, tail = code.rpartition("\\end{document}")
        tex.write_text(head + f"\\typeout{{{_REACHED_END}}}" + found + tail if found else code, encoding="utf-8")
        for program in [compiler] if isinstance(compiler, str) else list(compiler):
            command = tfw.make_tex_compilation_command(program, output_format, tex, work)
            if run_bounded(command, work, formula):
                raise LatexError(f"LaTeX failed on the formula {quoted(formula)}: {_first_error(log)}")
        page = tex.with_suffix(output_format)
        reached = log.is_file() and _REACHED_END in log.read_text(encoding="utf-8", errors="replace")
        if not reached or not page.is_file() or page.stat().st_size == 0:
            raise LatexError(f"LaTeX made no page of the formula {quoted(formula)} (does it end the document early?)")
        svg = tex.with_suffix(".svg")
        run_bounded(["dvisvgm", *(["--pdf"] if output_format == ".pdf" else []), "--page=1", "--no-fonts",
                     "--verbosity=0", f"--output={svg.as_posix()}", page.as_posix()], work, formula)
        data = svg.read_bytes() if svg.is_file() else b""
        if not check_svg(data):
            raise LatexError(f"the formula {quoted(formula)} did not convert to an SVG picture "
                             "(dvisvgm made no valid SVG of its page)")
        return data


def tex_to_svg_file(expression: str, environment: str | None = None, tex_template: Any = None) -> Path:
    """manim's ``tex_to_svg_file``, confined and bounded: the SVG of ``expression``, from the cache or made."""
    from manim import config

    template = tex_template if tex_template is not None else config["tex_template"]
    code = texcode(expression, environment, template)
    folder = Path(config.get_dir("tex_dir"))
    name = svg_name(code)
    hit = cached_svg(folder, name)
    if hit is not None:
        return hit
    data = compile_svg(code, template.tex_compiler, template.output_format, expression)
    folder.mkdir(parents=True, exist_ok=True)
    return store_svg(folder, name, data)


@contextlib.contextmanager
def confined() -> Iterator[None]:
    """Within: every formula manim typesets goes through :func:`tex_to_svg_file`."""
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    saved = tex_mobject.tex_to_svg_file, tfw.tex_to_svg_file
    tex_mobject.tex_to_svg_file = tfw.tex_to_svg_file = tex_to_svg_file
    try:
        yield
    finally:
        tex_mobject.tex_to_svg_file, tfw.tex_to_svg_file = saved
