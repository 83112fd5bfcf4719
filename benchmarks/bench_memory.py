"""Benchmark: the sweep parent's memory does not grow with the number of planned runs.

Starts a sweep of 2,000,000 runs (the europe preset, 40 years, a 5 x 4 grid x 100,000 seeds) in a
fresh interpreter with 2 workers, reads the parent's resident memory (``VmRSS``, and the peak
``VmHWM``, from ``/proc/PID/status``) after ``--duration`` seconds (default 60), stops it with
Ctrl-C (SIGINT: the sweep commits its running batches and writes its manifest), and does the same
for a sweep of 20,000 runs (1,000 seeds). Goal: the 2M-run parent no bigger than 1.2 x the
20k-run one. It also prints how long each took to plan and start (until its first status line)
and how many runs each finished; workers are separate processes and are not counted.

Usage::

    python benchmarks/bench_memory.py                  # 2M vs 20k runs, 60 s each (~2.5 min)
    python benchmarks/bench_memory.py --duration 20 --runs 200000 2000   # quicker (CI smoke)

Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POINTS = 20  # the 5 x 4 grid of bench_sweep.py

# A process started in the background by a shell inherits SIGINT ignored (and Python then leaves
# it so): restore Ctrl-C, which is how the benchmark stops the sweep.
_CHILD = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {bench_dir!r})
from bench_sweep import _spec
from deterrence_sim.experiment import run_experiment, spec_from_dict
if __name__ == "__main__":
    try:
        run_experiment(spec_from_dict(_spec({reps})), {out!r}, workers=2, progress=False,
                       max_runs={runs})
    except KeyboardInterrupt:
        pass
"""


def _status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, MB."""
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key = line.split(":")[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(line.split()[1]) / 1024
    return out


def _lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


def measure(runs: int, duration: float) -> dict[str, float]:
    """Start a sweep of ``runs`` runs, read its parent's memory after ``duration`` s, stop it."""
    reps = runs // POINTS
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "o"
        script = Path(tmp) / "sweep.py"
        script.write_text(
            _CHILD.format(
                bench_dir=str(Path(__file__).resolve().parent), reps=reps, out=str(out), runs=runs
            )
        )
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True)
        first: float | None = None
        try:
            while time.perf_counter() - t0 < duration and proc.poll() is None:
                if first is None and _lines(out / "status.jsonl"):
                    first = time.perf_counter() - t0
                time.sleep(0.25)
            if proc.poll() is not None:
                raise RuntimeError(f"the {runs}-run sweep ended before {duration} s: lengthen it")
            mem = _status(proc.pid)
            t_stop = time.perf_counter()
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=120)
                stop = f"stopped {time.perf_counter() - t_stop:.0f} s after Ctrl-C"
            except subprocess.TimeoutExpired:
                stop = "still running 120 s after Ctrl-C: killed"
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        done = _lines(out / "status.jsonl")
    first_s = float("nan") if first is None else first
    return {"runs": POINTS * reps, "first_s": first_s, "done": done, "stop": stop, **mem}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds before measuring")
    ap.add_argument(
        "--runs", type=int, nargs=2, default=[2_000_000, 20_000], metavar=("LARGE", "SMALL")
    )
    args = ap.parse_args(argv)
    print(f"sweep parent memory after {args.duration:.0f} s (2 workers, europe, 40 years):")
    res = []
    for runs in args.runs:
        m = measure(runs, args.duration)
        res.append(m)
        print(
            f"  {m['runs']:>9,d} runs planned: RSS {m['VmRSS']:6.1f} MB, peak {m['VmHWM']:6.1f} MB; "
            f"first result after {m['first_s']:.1f} s, {m['done']:,d} runs done; {m['stop']}"
        )
    big, small = res
    print(
        f"ratio {big['runs']:,d} / {small['runs']:,d} runs: RSS {big['VmRSS'] / small['VmRSS']:.2f}x, "
        f"peak {big['VmHWM'] / small['VmHWM']:.2f}x (goal <= 1.2)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")
    print(json.dumps({"large": big, "small": small}))


if __name__ == "__main__":
    main()
