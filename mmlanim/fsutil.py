"""Files that are never half-written, and a lock per output folder."""

from __future__ import annotations

__all__ = ["LockBusy", "atomic_path", "folder_lock", "io_error", "open_lock_file", "private_dir",
           "remove_stale_partials", "slug", "write_text_atomic"]

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import UserError


def slug(name: str) -> str:
    """A safe file-name stem: letters, digits, ``-`` and ``_`` only."""
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    return text[:80] or "lecture"


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    On an exception (or Ctrl-C) the temporary file is removed and ``path`` is
    left as it was. The temporary name keeps the suffix (tools that infer the
    format from it still work), starts with a dot and names the process and
    thread, so threads writing the same file at once do not share it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial-{os.getpid()}-{threading.get_ident()}{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def private_dir(parent: Path, prefix: str) -> Path:
    """A new temporary folder ``.PREFIX-PID-XXXX`` in ``parent`` (removed by the caller,
    or by :func:`remove_stale_partials` once its process is gone)."""
    import tempfile

    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{prefix}-{os.getpid()}-", dir=parent))


def remove_stale_partials(folder: Path) -> None:
    """Delete partial files (``.NAME.partial-PID.EXT``) and private folders
    (``.PREFIX-PID-XXXX``) whose process is gone, as after a crash or a kill."""
    # os.walk skips a folder that vanishes while it walks: another render, or another lecture of a
    # course, may be removing the same stale folder at once (Path.rglob would raise).
    for root, folders, files in os.walk(folder):
        for name in [f for f in folders if _stale(f)]:
            folders.remove(name)  # not walked into: removed whole
            with contextlib.suppress(OSError):
                shutil.rmtree(os.path.join(root, name))
        for name in filter(_stale, files):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(root, name))


def _stale(name: str) -> bool:
    """Whether ``name`` is a partial file or private folder of a process that is gone."""
    if not name.startswith("."):
        return False
    m = re.search(r"\.partial-(\d+)", name) or re.match(r"\.[a-z]+-(\d+)-", name)
    return m is not None and not _alive(int(m.group(1)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


#: What to do about an I/O failure, by its errno.
_IO_ADVICE = {
    errno.ENOSPC: "free some space on that disk (or set MMLANIM_CACHE_DIR / --output elsewhere) and render again",
    errno.EDQUOT: "free some space within your quota and render again",
    errno.EROFS: "that file system is read-only: choose a writable folder",
    errno.ENOTDIR: "a part of that path is a file, not a folder: move it away or choose another folder",
    errno.EISDIR: "that path is a folder where a file belongs: remove it",
    errno.EACCES: "you may not write there: fix its permissions or choose another folder",
    errno.EPERM: "you may not write there: fix its permissions or choose another folder",
    errno.ELOOP: "that path is a symbolic link where a file belongs: remove the link",
}


def io_error(exc: OSError, what: str = "write") -> UserError:
    """A one-line :class:`UserError` for the I/O failure ``exc``: the path, the cause and what to do."""
    reason = exc.strerror or str(exc)
    path = f" {exc.filename}" if exc.filename else ""
    advice = _IO_ADVICE.get(exc.errno or 0)
    return UserError(f"cannot {what}{path}: {reason}" + (f"; {advice}" if advice else ""))


def open_lock_file(path: Path) -> int:
    """Open (creating) the lock file ``path``: never through a symbolic link, only a regular file.

    Returns the file descriptor (close it to let go of any lock on it).

    Raises
    ------
    UserError
        ``path`` is a link, a folder, a FIFO or anything but a regular file, or
        cannot be opened (one line naming it and what to do).
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            raise UserError(f"the lock file {path} is not a regular file (a link, folder or FIFO); "
                            "remove it and try again") from None
        raise io_error(exc, "open the lock file") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UserError(f"the lock file {path} is not a regular file (a link, folder or FIFO); "
                        "remove it and try again")
    return fd


class LockBusy(Exception):
    """The folder is locked by another process (raised only with ``wait=False``)."""


@contextlib.contextmanager
def folder_lock(folder: Path, *, wait: bool = True,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` while a render writes it.

    The lock is a ``.lock`` file inside the folder that exists only while it
    is held: the holder deletes it before letting go, so no lock file is left
    behind after a render. A process that was waiting for it finds the file
    gone (or replaced) once it gets the lock, and starts over with a new file.

    Parameters
    ----------
    wait : bool
        Block until the other holder finishes (default), or raise LockBusy.
    on_wait : callable, optional
        Called with a message once, before blocking.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise io_error(exc, "create the output folder") from None
    lock_path = folder / ".lock"
    told = False
    while True:
        fh = os.fdopen(open_lock_file(lock_path), "r+")
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                message = f"another render is writing {folder} (pid {holder})"
                if not wait:
                    raise LockBusy(message) from None
                if on_wait and not told:
                    on_wait(message + "; waiting for it to finish")
                    told = True
                fcntl.flock(fh, fcntl.LOCK_EX)
            if not _same_file(lock_path, fh.fileno()):
                continue  # the holder removed the file while we waited: lock a new one
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            try:
                yield
            finally:
                with contextlib.suppress(FileNotFoundError):
                    lock_path.unlink()
                fcntl.flock(fh, fcntl.LOCK_UN)
            return
        finally:
            fh.close()


def _same_file(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the open file ``fd``."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)
