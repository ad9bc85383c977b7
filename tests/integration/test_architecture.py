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
    """Every import between project modules, as grimp sees them (module-level and inside functions;
    ``if TYPE_CHECKING:`` imports for annotations excluded)."""
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
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
    """The entry point and the report import the areas explicitly: no importlib / __import__ anywhere."""
    offenders = []
    for path in project_files():
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
