"""Checks on where a command will write, made before any work starts.

A command that would fail only when it saves (an output folder that is a file, a read-only folder,
``/proc/...``) would lose the work it did; a command that writes over a file the user did not mean
to replace loses that file. These checks turn both into one clear :class:`UsageError` up front.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError

__all__ = ["new_file", "writable_folder"]


def _given(path: str | Path, flag: str) -> Path:
    if not str(path).strip():
        raise UsageError(f"{flag} '': an empty path; give a folder or file name")
    return Path(path)


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _fail(flag: str, target: Path, exc: OSError) -> UsageError:
    return UsageError(f"{flag} {target}: cannot write there ({exc.strerror or exc})")


@contextmanager
def _made_for_a_moment(folder: Path, flag: str, target: Path):
    """Create the missing folders up to ``folder``, yield, and remove what was created: the only
    sure test that they can be made (permissions, read-only or virtual file systems, name
    lengths), without leaving anything behind if the command stops before its work."""
    missing = []
    p = folder.absolute()
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    created: list[Path] = []
    try:
        for d in reversed(missing):
            d.mkdir()
            created.append(d)
        yield
    except OSError as exc:
        raise _fail(flag, target, exc) from None
    finally:
        for d in reversed(created):
            try:
                d.rmdir()
            except OSError:  # something else wrote there meanwhile: leave it
                break


def _probe(folder: Path, flag: str, target: Path) -> None:
    """Make ``folder`` (for a moment) and create and delete a file in it (permissions alone
    say nothing to root)."""
    with _made_for_a_moment(folder, flag, target):
        fd, name = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(fd)
        os.unlink(name)


def writable_folder(
    path: str | Path,
    flag: str = "--out",
    *,
    own_files: Iterable[str] | None = None,
    force: bool = False,
) -> Path:
    """``path`` as a folder this process can create or write in.

    With ``own_files``, an existing folder may only hold those names (what an earlier run of the
    same command wrote), unless ``force``: other files would be mixed with or replaced by ours.
    """
    out = _given(path, flag)
    try:
        return _writable_folder(out, flag, own_files, force)
    except OSError as exc:  # e.g. a name too long for the file system
        raise _fail(flag, out, exc) from None


def new_file(path: str | Path, flag: str = "--out", *, force: bool = False) -> Path:
    """``path`` as a file this process can write, refusing to replace one unless ``force``."""
    out = _given(path, flag)
    try:
        return _new_file(out, flag, force)
    except OSError as exc:
        raise _fail(flag, out, exc) from None


def _writable_folder(out: Path, flag: str, own_files: Iterable[str] | None, force: bool) -> Path:
    if out.exists() and not out.is_dir():
        raise UsageError(f"{flag} {out}: is a file, not a folder; give a folder path")
    anchor = _nearest_existing(out)
    if not anchor.is_dir():
        raise UsageError(f"{flag} {out}: {anchor} is a file, so no folder can be made under it")
    if own_files is not None and out.is_dir() and not force:
        allowed = set(own_files)
        foreign = sorted(p.name for p in out.iterdir() if p.name not in allowed)
        if foreign:
            shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
            raise UsageError(
                f"{flag} {out}: the folder holds other files ({shown}); choose a new or empty "
                "folder, or pass --force to write into it anyway"
            )
    _probe(out, flag, out)
    return out


def _new_file(out: Path, flag: str, force: bool) -> Path:
    if out.is_dir():
        raise UsageError(f"{flag} {out}: is a folder; give a file path")
    existed = out.exists()
    if existed and not force:
        raise UsageError(f"{flag} {out}: the file exists; pass --force to overwrite it")
    anchor = _nearest_existing(out.parent)
    if not anchor.is_dir():
        raise UsageError(f"{flag} {out}: {anchor} is a file, so no folder can be made under it")
    with _made_for_a_moment(out.parent, flag, out):
        with open(out, "a", encoding="utf-8"):  # appends nothing; creates it if new
            pass
        if not existed:
            out.unlink()
    return out
