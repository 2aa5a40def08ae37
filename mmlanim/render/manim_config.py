"""The one module that touches manim's global ``config``.

Every render goes through :func:`manim_settings`, a context manager that
applies mmlanim's settings on top of manim's defaults and restores them after.
"""

from __future__ import annotations

__all__ = ["manim_settings", "sweep_tex_cache"]

import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from .. import theme
from ..fsutil import open_lock_file, remove_stale_partials
from ..quality import Quality
from .encoding import EncoderSettings, encoder_for
from .latex import LATEX_ENVIRONMENT, cached_svg, confined

MAX_TEX_SLOTS = 64
_slot_locks: list[int] = []  # held open: the slot's lock lasts as long as the process


def _tex_root() -> Path:
    """Where the tex slots live: in the cache, unless its path has a hidden folder.

    LaTeX in paranoid mode (see :data:`~mmlanim.render.latex.LATEX_ENVIRONMENT`) refuses to read any
    path with a component starting with a dot, such as ``~/.cache``; then the
    slots go to a private folder of this user in the system's temporary folder.
    """
    import tempfile

    from ..paths import default_cache_dir

    root = (default_cache_dir() / "tex").resolve()
    if not any(part.startswith(".") for part in root.parts):
        return root
    private = Path(tempfile.gettempdir()).resolve() / f"mmlanim-tex-{os.getuid()}"
    private.mkdir(mode=0o700, exist_ok=True)
    info = private.lstat()
    if private.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise RuntimeError(f"{private} is not a private folder of this user; remove it and render again")
    return private


@cache
def tex_dir() -> Path:
    """A LaTeX cache folder that this process alone uses, kept between renders.

    manim caches each formula's SVG under a hash of its text, but writes the
    files in place; two processes sharing one folder could read each other's
    half-written SVGs. So each process claims a *slot* (``tex/0``, ``tex/1`` …)
    by locking it; a slot outlives the process, so a formula is compiled at most
    once per slot, and parallel workers never share one.
    """
    root = _tex_root()
    for n in range(MAX_TEX_SLOTS):
        slot = root / str(n)
        slot.mkdir(parents=True, exist_ok=True)
        # The lock is beside the slot, not in it: nothing that cleans the slot removes it.
        fd = open_lock_file(root / f"{n}.lock")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        _slot_locks.append(fd)
        return slot
    raise RuntimeError(f"all {MAX_TEX_SLOTS} LaTeX cache slots are in use")


@cache
def sweep_tex_cache() -> None:
    """Remove what killed renders left half-written in the LaTeX cache (formulas, rehearsals): once a
    process, as the cache is shared by every render and a kill is rare. A cache that cannot be read or
    cleaned is no reason not to render: its files are checked as they are read."""
    with contextlib.suppress(OSError, RuntimeError):
        remove_stale_partials(_tex_root())


def _shared_tex() -> Path:
    return tex_dir().parent / "shared"


def pull_shared_tex(slot: Path) -> None:
    """Hard-link into ``slot`` the formulas other processes have published."""
    shared = _shared_tex()
    if not shared.is_dir():
        return
    have = {p.name for p in slot.glob("*.svg") if cached_svg(slot, p.name)}
    for svg in shared.glob("*.svg"):
        if svg.name not in have and cached_svg(shared, svg.name):
            (slot / svg.name).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # another process may be linking the same file
                os.link(svg, slot / svg.name)


def publish_tex(slot: Path) -> None:
    """Publish ``slot``'s formulas for other processes (checked files only, by rename)."""
    shared = _shared_tex()
    shared.mkdir(parents=True, exist_ok=True)
    published = {p.name for p in shared.glob("*.svg") if cached_svg(shared, p.name)}
    for svg in slot.glob("*.svg"):
        if svg.name not in published and cached_svg(slot, svg.name):
            tmp = shared / f".{svg.stem}.partial-{os.getpid()}.svg"
            shutil.copyfile(svg, tmp)
            os.replace(tmp, shared / svg.name)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables (seen by LaTeX subprocesses) and restore them after."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def manim_settings(q: Quality, media_dir: Path, *, still: bool = False, dry_run: bool = False,
                   verbose: bool = False, encoder: EncoderSettings | None = None) -> Iterator[None]:
    """manim's config for rendering one scene into ``media_dir``.

    Parameters
    ----------
    q : Quality
        Pixel size and frame rate.
    media_dir : Path
        manim's media folder (a private temporary folder per scene).
    still : bool
        Save the last frame as a PNG instead of writing a movie.
    dry_run : bool
        Build and play the scene without writing any file.
    verbose : bool
        Keep manim's own logs and progress bars.
    encoder : EncoderSettings, optional
        The H.264 settings (default: ``q``'s, :func:`~mmlanim.render.encoding.encoder_for`).
    """
    import manim

    settings = {
        "pixel_width": q.width,
        "pixel_height": q.height,
        "frame_rate": q.fps,
        "frame_height": theme.FRAME_HEIGHT,
        "frame_width": theme.FRAME_HEIGHT * q.width / q.height,
        "background_color": theme.BACKGROUND,
        "media_dir": str(media_dir),
        "tex_dir": str(tex_dir()),
        "output_file": "segment",
        "disable_caching": True,
        # Encode each animation's frames while the next one is drawn (manim's default
        # finishes encoding first): a render of one segment then uses two cores.
        "max_inflight_encoders": 4,
        "video_encoder_options": (encoder or encoder_for(q)).options(),
        "write_to_movie": not (still or dry_run),
        "save_last_frame": still,
        "format": "png" if still else "mp4",
        "preview": False,
        "dry_run": dry_run,
        "verbosity": "INFO" if verbose else "ERROR",
        "progress_bar": "display" if verbose else "none",
    }
    logger = logging.getLogger("manim")
    level = logger.level
    logger.setLevel(logging.INFO if verbose else logging.ERROR)
    pull_shared_tex(tex_dir())
    try:
        with manim.tempconfig(settings), _environment(LATEX_ENVIRONMENT), confined():
            yield
    finally:
        logger.setLevel(level)
        publish_tex(tex_dir())
