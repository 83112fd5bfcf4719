"""A results folder's manifest sessions, shared by ``sweep`` and ``optimize``.

Both commands write into an ``--out`` folder that ``--resume`` continues. :func:`check_folder`
decides, before anything is planned or written, whether the folder is new, resumable (same spec
SHA-256) or refused (another job's folder without ``--resume``, a changed spec, files of someone
else), with the same words for both; :class:`FolderKind` holds what differs (the noun, the
manifest's hash key, what the hash covers).

Every call of either command is one *session*: :class:`Session` appends an entry to the
manifest's ``sessions`` list when the work starts (status ``running``) and closes it last, whatever
happened: ``finished`` time, what the caller tallies (a sweep's ``ran`` and counts, a search's
``generations`` and ``evaluated``) and the folder's status -- ``complete``, ``interrupted``
(Ctrl-C) or ``incomplete`` (stopped by an error, or work missing). A process killed outright
leaves ``running``; the next ``--resume`` opens a new entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..output_paths import writable_folder
from . import store

__all__ = ["FolderKind", "Session", "check_folder", "now"]


def now() -> str:
    """The time a manifest records: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class FolderKind:
    """What a command's folder holds, for the checks' messages and the manifest's hash key."""

    noun: str  # "experiment", "search": "... already holds <noun> 'name'"
    job: str  # "sweep", "search": "holds a <job> that was stopped before it started"
    sha_key: str  # the manifest key holding the spec's SHA-256
    inputs: str  # what the hash covers, e.g. "the spec (or its base scenario)"
    before_manifest: tuple[str, ...]  # the files written before the manifest
    read: Callable[[Path], dict[str, Any]]  # the manifest, checked (a StoreError if damaged)


def check_folder(kind: FolderKind, out_dir: Path, sha: str, resume: bool) -> dict[str, Any] | None:
    """Before anything is planned: the folder's manifest when resuming, None for a new folder.

    Refuses a folder that is a file or cannot be written, one holding another job (without
    ``--resume``) or a changed spec, and one holding anything else. A folder left by a job killed
    before its manifest was written holds nothing that ran: with ``--resume`` it is cleared and
    started again."""
    writable_folder(out_dir, "--out")
    if (out_dir / store.MANIFEST).exists():
        manifest = kind.read(out_dir)
        _check_resumable(kind, out_dir, manifest, sha, resume)
        return manifest
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return None
    if _never_started(kind, out_dir):
        if not resume:
            raise UsageError(
                f"{out_dir} holds a {kind.job} that was stopped before it started (no manifest, "
                "no results): pass --resume to start it again, or choose another --out"
            )
        for p in out_dir.iterdir():
            p.unlink()
        return None
    raise UsageError(
        f"{out_dir} exists and is not empty (and holds no {kind.noun}): choose another --out"
    )


def _check_resumable(
    kind: FolderKind, out_dir: Path, manifest: dict[str, Any], sha: str, resume: bool
) -> None:
    if not resume:
        raise UsageError(
            f"{out_dir} already holds {kind.noun} '{manifest.get('name')}': "
            "use --resume to continue it, or another --out folder"
        )
    there = str(manifest.get(kind.sha_key, "?"))
    if there != sha:
        raise UsageError(
            f"cannot resume {out_dir}: {kind.inputs} changed since the folder was made "
            f"(SHA-256 {there[:12]}… there, {sha[:12]}… now); run the changed spec into a new "
            "--out folder"
        )


def _never_started(kind: FolderKind, out_dir: Path) -> bool:
    """Only files written before the manifest (and temporary files): killed while planning."""
    return all(
        p.is_file()
        and (p.name in kind.before_manifest or (p.name.startswith(".") and p.name.endswith(".tmp")))
        for p in out_dir.iterdir()
    )


class Session:
    """One call's entry in the folder's manifest: opened once the folder is ready, closed last
    (push :meth:`close` on an ``ExitStack`` first, so it runs after everything else stopped).

    ``outcome(session)``, given to :meth:`open`, is called at close: it adds what the call did to
    ``session.record`` (and the folder's totals to ``session.manifest``) and says whether the
    folder's job is complete."""

    def __init__(self, out_dir: Path, resume: bool):
        self.out_dir, self.resume = Path(out_dir), resume
        self.manifest: dict[str, Any] | None = None
        self.record: dict[str, Any] = {}
        self._outcome: Callable[[Session], bool] | None = None

    def open(
        self, manifest: dict[str, Any], outcome: Callable[[Session], bool], **entry: Any
    ) -> dict[str, Any]:
        """Status ``running`` and a new ``sessions`` entry (``entry`` fields), written now."""
        self.manifest, self._outcome = manifest, outcome
        self.record = {"started": now(), "resume": self.resume, **entry}
        manifest["status"] = "running"
        manifest.setdefault("sessions", []).append(self.record)
        store.write_manifest(self.out_dir, manifest)
        return self.record

    def close(self, exc_type=None, _exc=None, _tb=None) -> None:
        """ExitStack callback: the entry's finish and the folder's status (never suppresses)."""
        if self.manifest is None or self._outcome is None:
            return  # stopped before the session opened: the folder says "created"
        complete = self._outcome(self)
        self.record["finished"] = now()
        interrupted = exc_type is not None and issubclass(exc_type, KeyboardInterrupt)
        self.manifest["status"] = (
            "interrupted" if interrupted else ("complete" if complete else "incomplete")
        )
        if complete:
            self.manifest["finished"] = self.record["finished"]
        store.write_manifest(self.out_dir, self.manifest)
