"""Where mmlanim keeps things, and files named by a lecture (kept inside its folder tree).

:func:`default_cache_dir` is the root of mmlanim's caches.

A lecture may come from a stranger, so the files it names (recordings, CSV
data, a piper voice model) must not reach anything else on the machine.
:func:`resolve_lecture_file` follows symbolic links *before* checking, so a
link inside the folder that points outside it is refused like ``../x`` or an
absolute path would be. Only regular files are accepted (never a folder, a
device or a named pipe, which could block a render forever).

Nothing here imports the narration or visual layers: both use it.
"""

from __future__ import annotations

__all__ = ["MAX_PATH_CHARS", "LecturePathError", "default_cache_dir", "resolve_lecture_file"]

import os
import stat
from pathlib import Path


def default_cache_dir() -> Path:
    """The root of mmlanim's caches (not created here).

    Returns
    -------
    Path
        ``$MMLANIM_CACHE_DIR`` if set, else the platform's cache folder for
        mmlanim (``$XDG_CACHE_HOME/mmlanim`` or ``~/.cache/mmlanim`` on Linux,
        ``~/Library/Caches/mmlanim`` on macOS), from platformdirs.
    """
    explicit = os.environ.get("MMLANIM_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("mmlanim", appauthor=False)


MAX_PATH_CHARS = 1024
"""Longest file name a lecture may give, in characters."""


class LecturePathError(ValueError):
    """A file named by a lecture is missing, unreadable, not a regular file or outside its folder.

    The message is written for the lecture's author and names the file as the
    lecture does.
    """


def _shown(path: str) -> str:
    """The path as quoted in messages (shortened when very long)."""
    return repr(path if len(path) <= 80 else path[:77] + "...")


def resolve_lecture_file(path: str | os.PathLike[str], base_dir: str | os.PathLike[str], what: str = "file",
                         *, must_exist: bool = True, max_bytes: int | None = None) -> Path:
    """Resolve a file named by a lecture, relative to the lecture's folder.

    Parameters
    ----------
    path : str or PathLike
        The path as written in the lecture: relative to ``base_dir``, or
        absolute but inside it.
    base_dir : str or PathLike
        The lecture's folder; the file must be inside it (or a subfolder).
    what : str, default "file"
        What the file is, for messages ("audio file", "CSV file").
    must_exist : bool, default True
        With False, only check where the path leads (a file needed later,
        such as a voice model a draft render does not use).
    max_bytes : int, optional
        Refuse files larger than this.

    Returns
    -------
    Path
        The resolved path, symbolic links followed.

    Raises
    ------
    LecturePathError
        If the path is empty, contains a NUL character or is too long; if it
        resolves (after following links) outside ``base_dir``; with
        ``must_exist``, if the file does not exist, cannot be read, is not a
        regular file or is larger than ``max_bytes``.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise LecturePathError(f"{what}: expected a file name, got {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str) or not text.strip():
        raise LecturePathError(f"{what}: the file name is empty")
    if "\x00" in text:
        raise LecturePathError(f"{what} {_shown(text)}: a file name cannot contain a NUL character")
    if len(text) > MAX_PATH_CHARS:
        raise LecturePathError(f"{what} {_shown(text)}: the file name is too long "
                               f"({len(text)} characters; at most {MAX_PATH_CHARS})")
    root = Path(base_dir).resolve()
    try:
        resolved = (root / text).resolve()
    except RuntimeError:  # a symbolic link loop (Python < 3.13)
        raise LecturePathError(f"{what} {_shown(text)} is a loop of symbolic links") from None
    except OSError as exc:
        raise LecturePathError(f"{what} {_shown(text)} cannot be resolved: {exc.strerror}") from None
    if not resolved.is_relative_to(root):
        raise LecturePathError(
            f"{what} {_shown(text)} resolves to {resolved}, outside the lecture folder "
            f"{root}; keep lecture files inside the lecture's folder"
        )
    if not must_exist:
        return resolved
    try:
        info = resolved.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise LecturePathError(f"{what} {_shown(text)} not found (looked for {resolved})") from None
    except OSError as exc:
        raise LecturePathError(f"{what} {_shown(text)} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise LecturePathError(f"{what} {_shown(text)} is {kind}; name a file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise LecturePathError(f"{what} {_shown(text)} is {info.st_size:,} bytes; at most "
                               f"{max_bytes:,} bytes are read")
    return resolved
