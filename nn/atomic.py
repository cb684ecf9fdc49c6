"""Write files so that a reader never sees half of one, and two writers never lose each other's work.

- `atomic_write`: a private temp file in the same folder, then a rename. The new file keeps the
  old one's permissions (a new file gets the usual 0666 minus umask); a symlink is written
  through to its target, never replaced by a regular file; temp files left by a killed writer
  (`.NAME.PID.XXXX.part` whose process is gone) are removed by the next write to NAME.
- `exclusive`: a lock on one path for the length of a command (a hidden `.NAME.lock` beside it,
  held with flock); a second writer is refused at once instead of silently overwriting.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from nn.errors import UserError

STALE_UNKNOWN_S = 3600  # a temp file with no readable pid counts as stale after an hour


def real_target(path: str | os.PathLike) -> Path:
    """The file that writing to `path` should change: symlinks (even dangling ones) followed."""
    return Path(os.path.realpath(path))


def _umask() -> int:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_parts(target: Path) -> list[Path]:
    """Remove temp files of earlier writes to `target` whose writer is gone; return what was removed."""
    removed = []
    for part in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        pid_text = part.name[len(target.name) + 2 :].split(".", 1)[0]
        try:
            stale = not _alive(int(pid_text)) if pid_text.isdigit() else \
                time.time() - part.stat().st_mtime > STALE_UNKNOWN_S
            if stale:
                part.unlink()
                removed.append(part)
        except OSError:
            continue
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, before_replace: Callable[[Path], None] | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only if the block finishes without an exception.

    `before_replace(target)` runs just before the rename and may raise to keep the old file.
    """
    target = real_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_parts(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:  # mkstemp makes it 0600: private while it is written
            yield f
            f.flush()
            try:
                mode = os.stat(target).st_mode & 0o7777
            except FileNotFoundError:
                mode = 0o666 & ~_umask()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        if before_replace:
            before_replace(target)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 32, 0).decode().strip()
        if text.isdigit():
            return f" (pid {text})"
    return ""


@contextlib.contextmanager
def exclusive(path: str | os.PathLike, fix: str, create_folder: bool = True) -> Iterator[Path]:
    """Hold the write lock on `path` for the block; yield the real target.

    Refuses at once (UserError) when another command holds it. Creating the lock file is also
    the check that the folder is writable, so a bad output path fails before any work is done.
    """
    target = real_target(path)
    if target.is_dir():
        raise UserError(f"{path} is a folder, not a file; {fix}")
    lock = target.parent / f".{target.name}.lock"
    if create_folder:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(f"cannot write {path}: {e.strerror or e}; {fix}") from None
    fd = _take_lock(lock, path, fix)
    try:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield target
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)


def _take_lock(lock: Path, path: str | os.PathLike, fix: str) -> int:
    """An open, flock-ed descriptor of `lock` (-1 on a filesystem without locks)."""
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as e:
            raise UserError(f"cannot write {path}: {e.strerror or e}; {fix}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            holder = _holder(fd)
            os.close(fd)
            if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise UserError(f"{path} is being written by another command{holder}; wait for it to finish, "
                                f"or {fix}") from None
            return -1
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # the holder before us removed that lock file as it finished: take the new one
