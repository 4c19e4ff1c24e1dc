"""Writing files whole: temporary names, permissions, leftovers of killed runs, full disks.

Standard library only. Everything lastmile writes outside the database itself
(exports, backups, pre-upgrade copies, config.toml) is first written under a
hidden temporary name beside its target, ``.NAME.partial-PID``, and renamed
into place, so a crash or a full disk never leaves half a file under the real
name. A run that is killed cannot remove its temporary file, so the next
write into the same folder does (``sweep_partials``): only files with that
exact pattern, and only when the process that made them is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lastmile_tui.domain.patterns import lazy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_PARTIAL = lazy(r"\..+\.partial-(?P<pid>[0-9]+)(?:-journal|-wal|-shm)?")

FULL_DISK_FREE_BYTES = 1 << 20
"""Below this much free space, an SQLite "disk I/O error" is taken to mean a full disk."""


def writable(path: Path) -> bool:
    """Writable, and not marked read-only: ``chmod a-w`` is respected even when running as root."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & 0o222)


def real_path(path: Path) -> Path:
    """*path* with every link followed; ``ValueError`` naming it for a loop of links."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # RuntimeError before Python 3.13, then ELOOP
        raise ValueError("it is a loop of links that leads to no file") from exc


def partial_path(target: Path) -> Path:
    """The temporary name a write of *target* uses until it is whole."""
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's live process, or a number we cannot judge: keep it
    return True


def sweep_partials(folder: Path) -> list[Path]:
    """Remove temporary files that killed lastmile runs left in *folder*; return them.

    Only names of the form ``.NAME.partial-PID`` (and SQLite's ``-journal``,
    ``-wal``, ``-shm`` beside them) whose PID is no longer running are removed.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PARTIAL.fullmatch(entry.name)
        if match is None or _alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def create_private(path: Path, mode: int) -> int:
    """Create *path* (which must not exist) for writing; return its descriptor.

    It gets *mode* plus owner read and write (so it can be filled) before a
    byte is written: data from a 0600 database is never readable by others,
    not even for a moment. ``put_in_place`` gives it exactly *mode*.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, (mode | 0o600) & 0o777)
    except BaseException:
        os.close(fd)
        raise
    return fd


def put_in_place(partial: Path, target: Path, mode: int, *, sync: bool = True) -> None:
    """Give the finished *partial* exactly *mode* and rename it to *target*, durably (unless the
    caller renaming many files into one folder syncs the folder once, *sync* False)."""
    os.chmod(partial, mode & 0o777)
    os.replace(partial, target)
    if sync:
        with contextlib.suppress(OSError):
            sync_folder(target.parent)


def file_mode(path: Path, default: int = 0o644) -> int:
    """The permission bits of *path* (following links), or *default* when it cannot be read."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return default


def sync_folder(folder: Path) -> None:
    """Make a rename durable, so a power cut cannot take the new name away."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def written_in_place(target: Path, mode: int, *, one_of_many: bool = False) -> Iterator[Path]:
    """A new file beside *target* to fill, renamed onto *target* (with *mode*) only when the block
    ends without an error, and removed otherwise: *target* is whole or untouched, never half.

    Leftovers of killed writers in the folder are removed first, and a ``-journal`` SQLite may
    leave beside the temporary file goes with it. A caller writing many files into one folder
    (*one_of_many*) sweeps it once before and syncs it once after, instead of every time.
    """
    if not one_of_many:
        sweep_partials(target.parent)
    partial = partial_path(target)
    os.close(create_private(partial, mode))
    try:
        yield partial
        put_in_place(partial, target, mode, sync=not one_of_many)
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


@contextmanager
def text_in_place(target: Path, mode: int, *, one_of_many: bool = False) -> Iterator[TextIO]:
    """``written_in_place`` for text: the open file, flushed to the disk before the rename."""
    with (written_in_place(target, mode, one_of_many=one_of_many) as partial,
          open(partial, "w", encoding="utf-8") as out):
        yield out
        out.flush()
        os.fsync(out.fileno())


def write_text_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Write *text* to *path* whole or not at all; *mode* defaults to the replaced file's (or 0644)."""
    with text_in_place(path, file_mode(path) if mode is None else mode) as out:
        out.write(text)


def disk_is_full(folder: Path) -> bool:
    """True when the file system holding *folder* has (almost) no space left."""
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < FULL_DISK_FREE_BYTES


def is_full_disk_error(exc: BaseException, folder: Path) -> bool:
    """True when *exc* means the disk holding *folder* ran out of space.

    SQLite says "database or disk is full", but a write that fails while the
    ``-shm`` or ``-wal`` file grows comes back as a plain "disk I/O error":
    then the free space decides.
    """
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.Error):
        text = str(exc)
        return "disk is full" in text or ("disk I/O error" in text and disk_is_full(folder))
    return False


def full_disk_message(folder: Path, what: str = "nothing was changed") -> str:
    return f"the disk holding {folder} is full; {what}"
