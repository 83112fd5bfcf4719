"""One writer per results folder: an operating-system lock held from the first check to the end.

Two sweeps (or a sweep and a ``--resume``, or two ``optimize`` searches) writing one folder at the
same time would mix their manifests, run tables and parts. Each writer therefore takes an
exclusive lock (``filelock``: ``flock`` on POSIX, ``LockFileEx`` on Windows) on a file beside the
folder, ``<parent>/.<name>.lock``, *before* it looks at the folder, and holds it until it is done.
The lock file sits beside the folder, not in it, so the folder's own checks (empty? a stopped
sweep?) see only what the experiment wrote, and removing a generation's folder keeps its lock.

A second writer does not wait: it stops at once with :class:`FolderBusyError` (exit 2 on the CLI)
naming the holder -- its process id, host and start time, which the holder writes to
``<parent>/.<name>.lock.json`` once it has the lock. The operating system releases the lock of a
process that dies (even by SIGKILL), so a lock left by a killed sweep is simply taken over: the
next writer finds the old holder's note, says that it takes over from a process no longer
running, and writes its own.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from filelock import FileLock, Timeout

from .store import StoreError

__all__ = ["FolderBusyError", "holder", "lock_paths", "one_writer", "writer_lock"]

F = TypeVar("F", bound=Callable[..., Any])


class FolderBusyError(StoreError):
    """Another process is writing this results folder (the message names it)."""


def lock_paths(out_dir: str | Path) -> tuple[Path, Path]:
    """(lock file, holder note) of a results folder: hidden files beside it."""
    folder = Path(out_dir).absolute()
    if not folder.name:
        raise StoreError(f"{out_dir}: give a folder below the file system's root")
    lock = folder.with_name(f".{folder.name}.lock")
    return lock, lock.with_name(lock.name + ".json")


def holder(out_dir: str | Path) -> dict[str, Any] | None:
    """The note of the process that holds (or last held) the folder's lock, or None."""
    _, note = lock_paths(out_dir)
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: Any) -> bool:
    """Whether process ``pid`` runs on this host (a pid that cannot be checked counts as alive)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, owned by someone else
        return True
    return True


def _current(note: dict[str, Any] | None) -> bool:
    """Whether a note is from a process that may still hold the lock."""
    return bool(note) and (note.get("host") != socket.gethostname() or _alive(note.get("pid")))


def _describe(note: dict[str, Any] | None) -> str:
    if not note:
        return "a process that left no note"
    pid, host, since = note.get("pid", "?"), note.get("host", "?"), note.get("started", "?")
    text = f"process {pid} on host {host}, since {since}"
    command = note.get("command")
    return text + (f" ({command})" if isinstance(command, str) and command else "")


def _busy(out_dir: Path) -> FolderBusyError:
    # The holder writes its note just after it takes the lock: give it a moment to appear.
    deadline = time.monotonic() + 1.0
    note = holder(out_dir)
    while not _current(note) and time.monotonic() < deadline:
        time.sleep(0.02)
        note = holder(out_dir)
    return FolderBusyError(
        f"{out_dir}: another writer is using this results folder: {_describe(note)}; "
        "one folder takes one writer at a time: wait for it to finish (or stop it), then "
        "continue with --resume, or write to another --out folder"
    )


def _write_note(note_path: Path) -> None:
    note = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[
            :200
        ],
    }
    tmp = note_path.with_name(f"{note_path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    tmp.write_text(json.dumps(note), encoding="utf-8")
    os.replace(tmp, note_path)


def _stale_note(out_dir: Path) -> None:
    """Say so when the last holder's note is left by a process that no longer runs."""
    old = holder(out_dir)
    if old and not _current(old):
        print(
            f"note: {out_dir}: taking over the lock left by {_describe(old)}, which no longer runs",
            file=sys.stderr,
        )


@contextlib.contextmanager
def writer_lock(out_dir: str | Path) -> Iterator[None]:
    """Hold the folder's exclusive writer lock for the ``with`` block; FolderBusyError at once
    when another process holds it."""
    out_dir = Path(out_dir)
    lock_path, note_path = lock_paths(out_dir)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(lock_path), timeout=0)
        lock.acquire()
    except Timeout:
        raise _busy(out_dir) from None
    except OSError as exc:
        raise StoreError(f"{out_dir}: cannot write there ({exc.strerror or exc})") from None
    try:
        _stale_note(out_dir)
        _write_note(note_path)
        yield
    finally:
        with contextlib.suppress(OSError):
            note_path.unlink()
        lock.release()


def one_writer(fn: F) -> F:
    """Decorate a function taking ``out_dir`` so that it runs holding that folder's writer lock
    (taken before the function checks or writes anything)."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out_dir = sig.bind(*args, **kwargs).arguments["out_dir"]
        with writer_lock(out_dir):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
