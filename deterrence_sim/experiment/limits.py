"""How large a sweep may be before the user says so explicitly (``--max-runs``).

Planning is lazy (:mod:`.planning`): the parent holds two bytes per planned run (the run tally
and the to-do mask; a sampling design also its unit sample, 8 bytes per factor and point) and
writes the run table to disk in chunks, about 33 bytes per run in Parquet (measured: 6.7 MB for
200,000 runs of a two-factor grid). What bounds a sweep is therefore time and disk, not memory:
10^7 runs of a europe preset (~10 ms each) take about 14 hours on two workers and their run table
about 330 MB; 10^9 runs would take two months. The default limit is :data:`DEFAULT_MAX_RUNS`,
lowered on a machine an eighth of whose memory could not hold the tally; a user who means a
larger job raises it (``--max-runs``, or ``max_runs=`` in Python) and sees the time estimate
first.
"""

from __future__ import annotations

import os

from ..errors import UsageError

__all__ = ["BYTES_PER_PLANNED_RUN", "DEFAULT_MAX_RUNS", "check_job_size", "default_max_runs"]

#: Memory of the parent per planned run: the run tally and the to-do mask, one byte each.
BYTES_PER_PLANNED_RUN = 2

#: Run-table bytes on disk per planned run (Parquet, measured for a two-factor grid, rounded up).
DISK_BYTES_PER_PLANNED_RUN = 35

#: The default limit: a sweep of about half a day on two workers (see the module docstring).
DEFAULT_MAX_RUNS = 10_000_000

#: Share of the machine's memory that planning may take by default.
MEMORY_SHARE = 1 / 8

#: The default limit is never below this.
MIN_DEFAULT = 100_000


def physical_memory() -> int:
    """Bytes of physical memory (8 GiB when the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 8 * 2**30


def default_max_runs() -> int:
    """Runs a sweep may plan without ``--max-runs``: :data:`DEFAULT_MAX_RUNS`, or fewer if an
    eighth of memory could not hold their tally (to two digits, never below 100,000)."""
    raw = int(physical_memory() * MEMORY_SHARE / BYTES_PER_PLANNED_RUN)
    digits = max(0, len(str(raw)) - 2)
    return min(DEFAULT_MAX_RUNS, max(MIN_DEFAULT, raw // 10**digits * 10**digits))


def _size_text(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:,.1f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:,.0f} MB"


def check_job_size(spec, max_runs: int | None, workers: int = 1) -> int:
    """The number of runs ``spec`` plans; a :class:`UsageError` when above ``max_runs``.

    Counted from the spec alone (nothing is built); the error carries the dry-run estimate of
    the time the job would take, from a short pilot."""
    from .designs import design_size

    limit = default_max_runs() if max_runs is None else max_runs
    if limit < 1:
        raise UsageError(f"--max-runs must be at least 1, got {limit}")
    points = design_size(spec)
    runs = points * spec.experiment.replications
    if runs <= limit:
        return runs
    from .pilot import dry_run, format_duration

    est = dry_run(spec, workers=workers, pilot=3)
    sample = points * len(spec.factors) * 8 if spec.design.kind in ("lhs", "sobol", "morris") else 0
    memory = _size_text(runs * BYTES_PER_PLANNED_RUN + sample)
    disk = _size_text(runs * DISK_BYTES_PER_PLANNED_RUN)
    raise UsageError(
        f"{spec.source}: {runs:,} runs ({points:,} design points × "
        f"{spec.experiment.replications:,} replications) exceed --max-runs {limit:,}; "
        f"planning them needs ~{memory} of memory and ~{disk} of run table on disk, and the "
        "dry run estimates "
        f"{format_duration(est['estimate_s'])} on {workers} worker(s); shrink the design, or "
        f"raise the limit deliberately with --max-runs {runs}"
    )
