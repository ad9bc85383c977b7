"""The layout holds: no import cycles between project modules (function-level imports included), no
imports by name through importlib, and the layer contracts in setup.cfg (import-linter) are kept."""
from __future__ import annotations

import ast
import os
import pathlib
import shutil
import subprocess
import sys

import grimp
import networkx as nx
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ("algebra", "laws", "groups")


def project_files():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def import_graph() -> nx.DiGraph:
    """Every import between project modules, as grimp sees them: module-level, inside functions, and
    under ``if TYPE_CHECKING:`` (annotations of a lower layer use protocols, not imports from above)."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)
    out = nx.DiGraph()
    for module in graph.modules:
        out.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            out.add_edge(module, imported)
    return out


def test_the_graph_sees_every_module_and_function_level_imports():
    graph = import_graph()
    assert {"algebra.app.main", "laws.closure", "groups.abelian"} <= set(graph)
    assert graph.number_of_edges() > 150
    # the CLI handlers import the library inside functions (for start-up time): those edges are seen too
    assert graph.has_edge("laws.cli", "laws.closure")


def test_no_import_cycles_between_project_modules():
    graph = import_graph()
    # a package __init__ that re-exports its children is not a cycle with them unless a child imports it back
    cycles = [c for c in nx.simple_cycles(graph)]
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:10])


def test_no_imports_by_name():
    """The entry point and the report import the areas explicitly: no importlib / __import__ anywhere but
    algebra.lazy, which imports on first use what a module names in an ``if TYPE_CHECKING:`` block (so the graph
    above sees the edge; tests/integration/test_cold_start.py checks that every project module made lazy is
    named there too)."""
    offenders = []
    for path in project_files():
        if path == ROOT / "algebra" / "lazy.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if any(n and n.split(".")[0] == "importlib" for n in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Name) and node.id == "__import__":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.skipif(shutil.which("lint-imports", path=os.path.dirname(sys.executable)) is None,
                    reason="import-linter is not installed in this environment")
def test_layer_contracts_are_kept():
    exe = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "0 broken" in proc.stdout


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", list(project_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_declares_its_public_names(path):
    """``__all__`` in every module and package: the curated API, nothing private, every name defined."""
    import importlib

    module = importlib.import_module(_module_name(path))
    assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
    assert all(isinstance(n, str) and not n.startswith("_") for n in module.__all__)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []
    assert len(set(module.__all__)) == len(module.__all__)


def test_no_test_module_shares_a_random_generator():
    """Randomness in tests comes from the ``rng`` fixture or a generator made inside the test, never from a
    module-level generator that several tests would draw from in an order that depends on scheduling."""
    makers = {"default_rng", "Random", "RandomState", "generator", "SeedSequence"}
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            if isinstance(value, ast.Call):
                func = value.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in makers:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
