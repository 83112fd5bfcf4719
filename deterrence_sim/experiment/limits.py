"""How large a sweep may be before the user says so explicitly (``--max-runs``).

The parent process plans every run before the first one starts (the run table, the design, the
seeds), at about 650 bytes per planned run at its peak (measured for 0.2-0.8 million runs with
``plan(...).runs_table()`` and writing it to Parquet). A spec asking for 10^9 runs would exhaust
any machine's memory long before it ran anything, and one asking for 10^7 would run for days. The
default limit keeps planning within an eighth of this machine's memory; a user who means a larger
job raises it (``--max-runs``, or ``max_runs=`` in Python) and sees the time estimate first.
"""

from __future__ import annotations

import os

from ..errors import UsageError

__all__ = ["BYTES_PER_PLANNED_RUN", "check_job_size", "default_max_runs"]

#: Peak memory of the parent per planned run (650 B measured, rounded up), bytes.
BYTES_PER_PLANNED_RUN = 1000

#: Share of the machine's memory that planning may take by default.
MEMORY_SHARE = 1 / 8

#: The default limit is never below this (a laptop can always plan 100,000 runs: ~0.1 GB).
MIN_DEFAULT = 100_000


def physical_memory() -> int:
    """Bytes of physical memory (8 GiB when the platform does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 8 * 2**30


def default_max_runs() -> int:
    """Runs a sweep may plan without ``--max-runs``: an eighth of memory, to two digits."""
    raw = int(physical_memory() * MEMORY_SHARE / BYTES_PER_PLANNED_RUN)
    digits = max(0, len(str(raw)) - 2)
    return max(MIN_DEFAULT, raw // 10**digits * 10**digits)


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
    memory = runs * BYTES_PER_PLANNED_RUN
    memory_text = f"{memory / 1e9:,.1f} GB" if memory >= 1e9 else f"{memory / 1e6:,.0f} MB"
    raise UsageError(
        f"{spec.source}: {runs:,} runs ({points:,} design points × "
        f"{spec.experiment.replications:,} replications) exceed --max-runs {limit:,}; "
        f"planning them needs ~{memory_text} of memory and the dry run estimates "
        f"{format_duration(est['estimate_s'])} on {workers} worker(s); shrink the design, or "
        f"raise the limit deliberately with --max-runs {runs}"
    )
