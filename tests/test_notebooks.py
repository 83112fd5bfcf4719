"""The tutorial notebooks: each a jupytext pair (``NN_name.py`` in percent format, the source that
reviews and ruff see, and ``NN_name.ipynb``) with the same cells, committed without outputs, and
each one executes top to bottom (with nbclient) without leaving files in the repository.

Each notebook runs in a fresh kernel of *this* interpreter (a kernel spec written to a temporary
folder), so the test does not depend on which Jupyter kernels the machine has installed. The
working directory is ``notebooks/``, as for a user who opens them in Jupyter; ``TMPDIR`` points at
the test's temporary folder, so the notebooks' result folders (and the spawned sweep workers'
files) land there.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NB_DIR = REPO / "notebooks"
#: Every notebook, found by name (NN_name.ipynb), so a new one is tested without editing this file.
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))
#: The tutorials that must always be there.
TUTORIALS = [
    "01_quickstart.ipynb",
    "02_policy_sweep.ipynb",
    "03_sensitivity.ipynb",
    "04_scenario_from_data.ipynb",
    "05_classroom_lesson.ipynb",
    "06_where_does_the_policy_fail.ipynb",
]
#: Per-cell timeout (s); each notebook is meant to run in well under 2 minutes on 2 cores.
CELL_TIMEOUT = 300
#: Whole-notebook limit (s): generous for slow CI machines, but catches a default size gone wrong.
NOTEBOOK_LIMIT = 300


@pytest.fixture(scope="session")
def kernel_manager_factory(tmp_path_factory):
    """Make KernelManagers whose ``python3`` kernel is this interpreter with ipykernel."""
    pytest.importorskip("ipykernel")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kernels = tmp_path_factory.mktemp("kernels")
    spec_dir = kernels / "python3"
    spec_dir.mkdir()
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (test)",
                "language": "python",
            }
        )
    )

    def make() -> KernelManager:
        ksm = KernelSpecManager(kernel_dirs=[str(kernels)])
        return KernelManager(kernel_name="python3", kernel_spec_manager=ksm)

    return make


def _snapshot() -> set[str]:
    """Files in notebooks/ and entries at the repository's top level (what a run could litter)."""
    found = {f"notebooks/{p.name}" for p in NB_DIR.iterdir()}
    found |= {p.name for p in REPO.iterdir()}
    return found


def _execute(
    name: str, make_km, tmp_path: Path, monkeypatch
) -> tuple[nbformat.NotebookNode, float]:
    from nbclient import NotebookClient

    work_tmp = tmp_path / "tmp"
    work_tmp.mkdir()
    # The kernel (and the sweep workers it spawns) inherit this environment.
    monkeypatch.setenv("TMPDIR", str(work_tmp))
    nb = nbformat.read(NB_DIR / name, as_version=4)
    client = NotebookClient(
        nb,
        km=make_km(),
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NB_DIR)}},
    )
    before = _snapshot()
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    assert _snapshot() == before, f"{name} left files behind: {_snapshot() ^ before}"
    print(f"{name}: {elapsed:.1f} s")
    return nb, elapsed


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for o in _outputs(nb):
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif "data" in o:
            parts.append(o["data"].get("text/plain", ""))
    return "\n".join(parts)


def test_all_tutorials_present_and_paired():
    assert set(TUTORIALS) <= set(NOTEBOOKS)
    scripts = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.py"))
    assert scripts == [n.replace(".ipynb", ".py") for n in NOTEBOOKS]
    assert not (NB_DIR / "_build.py").exists()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_py_and_ipynb_have_the_same_cells(name):
    """The .py is the source; the .ipynb must match it (``jupytext --sync notebooks/*.py``)."""
    import jupytext  # a test dependency: the pairing is checked, never skipped

    script = NB_DIR / name.replace(".ipynb", ".py")
    header = script.read_text(encoding="utf-8").split("# ---", 2)[1]
    assert "formats: ipynb,py:percent" in header, f"{script.name}: not a jupytext percent pair"
    py_nb, ipynb = jupytext.read(script), jupytext.read(NB_DIR / name)
    assert [(c.cell_type, c.source) for c in py_nb.cells] == [
        (c.cell_type, c.source) for c in ipynb.cells
    ], f"{name} and {script.name} differ: run `jupytext --sync notebooks/{script.name}`"
    assert ipynb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    nbformat.validate(nb)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{name} has no code"
    for i, cell in enumerate(code_cells):
        assert cell.get("outputs", []) == [], f"{name}: code cell {i} has outputs (strip them)"
        assert cell.get("execution_count") is None, f"{name}: code cell {i} has an execution count"
    # Every tutorial tells the reader how to run it bigger.
    assert any(c.cell_type == "markdown" and "scal" in c.source.lower() for c in nb.cells), (
        f"{name}: no markdown cell on scaling up"
    )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name, kernel_manager_factory, tmp_path, monkeypatch):
    nb, elapsed = _execute(name, kernel_manager_factory, tmp_path, monkeypatch)
    outputs = _outputs(nb)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # Plots are drawn inline (a figure that only went to a non-interactive backend shows nothing).
    assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} shows no figure"
    assert elapsed < NOTEBOOK_LIMIT, f"{name} took {elapsed:.0f} s"
    # Temporary result folders are removed by the notebooks' last cells.
    assert not list((tmp_path / "tmp").glob("dsim-*")), "a notebook left its results folder"


def test_data_notebook_without_data(kernel_manager_factory, tmp_path, monkeypatch):
    """Without the data files the data notebook says what to do and still runs (on a preset)."""
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("DETERRENCE_SIM_DATA", str(empty))
    nb, _ = _execute("04_scenario_from_data.ipynb", kernel_manager_factory, tmp_path, monkeypatch)
    text = _text(nb)
    assert "Data files not found" in text
    assert "DETERRENCE_SIM_DATA" in text
    assert "skipped: no data files" in text
