"""The package's shape: short functions, small modules, and imports that run one way.

House rules (CONTRIBUTING.md): no function over 80 lines, no module over 700 lines, and no import
loop inside the package except Mesa's model ↔ agents (imports under ``TYPE_CHECKING`` aside). The
module import graph is built with ``ast`` (every ``import`` / ``from … import`` anywhere in a
module, also inside functions, since a lazy import closes a loop just the same) and its cycles
found with networkx.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "deterrence_sim"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 700

#: Known offenders in files other work in progress owns; the lead empties these at merge.
ALLOWED_LONG_FUNCTIONS: set[str] = set()
ALLOWED_LONG_MODULES: set[str] = set()
#: Import loops allowed for good: Mesa's model ↔ agents (the model builds agents that call it).
ALLOWED_LOOP_MODULES = {"deterrence_sim.model", "deterrence_sim.agents"}
#: Known loops being removed by other work in progress; the lead empties this at merge.
ALLOWED_LOOPS: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``module`` imports (outside ``if TYPE_CHECKING:`` blocks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {_owner(name, known) for name in found if _owner(name, known)} - {module}


def _owner(name: str, known: set[str]) -> str:
    """The package module a dotted import name refers to ("" outside the package)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def _graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        for target in _imports(module, path, set(modules)):
            # a module importing its own package's __init__ is not a loop worth naming
            if not module.startswith(target + "."):
                graph.add_edge(module, target)
    return graph


def _allowed_loop(cycle: list[str]) -> bool:
    top = {".".join(m.split(".")[:2]) for m in cycle}
    return top <= ALLOWED_LOOP_MODULES or frozenset(cycle) in ALLOWED_LOOPS


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _function_lengths() -> dict[str, int]:
    """``path:function`` → its length in lines (decorators included; the longest of a name)."""
    lengths: dict[str, int] = {}
    for path in _modules().values():
        for fn in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            first = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
            name = f"{path.relative_to(PACKAGE).as_posix()}:{fn.name}"
            lengths[name] = max(lengths.get(name, 0), fn.end_lineno - first + 1)
    return lengths


def test_no_function_is_longer_than_80_lines():
    long = [
        f"{name} ({n} lines)"
        for name, n in _function_lengths().items()
        if n > MAX_FUNCTION_LINES and name not in ALLOWED_LONG_FUNCTIONS
    ]
    assert not long, f"split these into named steps (at most {MAX_FUNCTION_LINES} lines): {long}"


def test_allow_lists_name_only_real_offenders():
    """An allowed offender that was fixed must leave the list (so the list only shrinks)."""
    lengths = _function_lengths()
    fixed = [n for n in ALLOWED_LONG_FUNCTIONS if lengths.get(n, 0) <= MAX_FUNCTION_LINES]
    assert not fixed, f"remove from ALLOWED_LONG_FUNCTIONS: {fixed}"
    loops = {frozenset(c) for c in nx.simple_cycles(_graph())}
    gone = [sorted(loop) for loop in ALLOWED_LOOPS if loop not in loops]
    assert not gone, f"remove from ALLOWED_LOOPS: {gone}"


def test_no_module_is_longer_than_700_lines():
    long = []
    for path in _modules().values():
        n = len(path.read_text(encoding="utf-8").splitlines())
        name = path.relative_to(PACKAGE).as_posix()
        if n > MAX_MODULE_LINES and name not in ALLOWED_LONG_MODULES:
            long.append(f"{name} ({n} lines)")
    assert not long, f"split these modules (at most {MAX_MODULE_LINES} lines): {long}"


def test_imports_run_one_way():
    graph = _graph()
    assert graph.number_of_edges() > 50  # the walk found the package's imports
    loops = [sorted(c) for c in nx.simple_cycles(graph) if not _allowed_loop(c)]
    assert not loops, f"import loops (only model <-> agents is allowed): {loops[:10]}"


def test_the_graph_sees_the_known_imports():
    graph = _graph()
    assert graph.has_edge("deterrence_sim.dashboard.views", "deterrence_sim.dashboard.state")
    assert graph.has_edge("deterrence_sim.model", "deterrence_sim.events")
    assert not graph.has_edge("deterrence_sim.model", "deterrence_sim.dashboard")


def test_mechanisms_are_pure_mathematics():
    """The mechanisms import no Mesa and no other part of the package: numbers in, numbers out."""
    modules = _modules()
    for module, path in modules.items():
        if not module.startswith("deterrence_sim.mechanisms"):
            continue
        inside = _imports(module, path, set(modules))
        outside = {n for n in inside if not n.startswith("deterrence_sim.mechanisms")}
        assert not outside, f"{module} imports {sorted(outside)}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        roots = {
            a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import)
            for a in n.names
        }
        roots |= {
            n.module.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module and not n.level
        }
        assert roots <= {"__future__", "math", "collections", "numpy", "scipy"}, (module, roots)
    assert "deterrence_sim.mechanisms.contest" in modules  # the walk saw the package
