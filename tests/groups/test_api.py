"""The public API of groups: the curated top-level names, ``__all__`` in every module and package,
imports of project modules at module level only (the CLI handlers excepted), and no import cycle with
CoGO, which imports groups.abelian."""
from __future__ import annotations

import ast
import importlib
import pathlib
import subprocess
import sys

import pytest

import groups

ROOT = pathlib.Path(groups.__file__).resolve().parent
PROJECT = ("algebra", "laws", "groups")
MODULES = sorted(ROOT.rglob("*.py"))


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_names_a_user_types():
    from groups import AbelianGroup, FixedSubspace, Zd, find_critical_points, fixdim, hessian_at, parse_group, product, trace_arcs

    assert callable(fixdim) and callable(find_critical_points) and callable(hessian_at) and callable(trace_arcs)
    assert Zd(3) == parse_group("3") and product(Zd(2), Zd(3)) == AbelianGroup((2, 3))
    assert FixedSubspace.young((2, 1)).dim == 5
    assert all(not name.startswith("_") for name in groups.__all__)


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_every_module_declares_all_and_its_names_exist(path):
    name = _module_name(path)
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == [] and len(set(module.__all__)) == len(module.__all__)


def _function_level_project_imports(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in PROJECT for n in names):
                found.append(f"{func.name}:{node.lineno}")
    return found


def test_project_modules_are_imported_at_module_level():
    # only the CLI handlers import the library inside functions (start-up time of `flowalgebra`)
    offenders = {_module_name(p): _function_level_project_imports(p) for p in MODULES if p.name != "cli.py"}
    assert {m: f for m, f in offenders.items() if f} == {}
    handlers = _function_level_project_imports(ROOT / "cli.py")
    assert handlers and all(h.startswith("_") for h in handlers)


def test_the_landscape_modules_are_not_shadowed_by_functions():
    import groups.landscape as landscape

    assert landscape.loss.__name__ == "groups.landscape.loss"
    assert landscape.hessian.__name__ == "groups.landscape.hessian"


@pytest.mark.parametrize("code", [
    "import algebra.cogo",
    "import groups.abelian; import algebra.cogo",
    "import algebra.cogo; from groups import Zd, hessian_at; print(Zd(3).order)",
    "import groups.cli; import algebra.cogo.cli",
])
def test_no_import_cycle_with_cogo_in_a_fresh_interpreter(code):
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
