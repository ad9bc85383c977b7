"""The start of the command line stays light (issue 13): ``flowalgebra laws count``, ``flowalgebra --help``, the
help of the CoGO, landscape and dynamics commands and their one-line refusals of bad arguments import none of the
heavy libraries, and what the start-up work made lazy still behaves as before. These are
structural checks (what is imported), not timings: benchmarks/cold_start.py prints the times."""
from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGES = ("algebra", "laws", "groups")
#: never imported by the commands below (sympy brings mpmath; Dask brings distributed)
HEAVY = ("sympy", "mpmath", "scipy", "networkx", "matplotlib", "dask", "distributed", "galgebra", "jsonschema")

_PROBE = """
import contextlib, io, json, sys
from algebra.app.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main({argv!r})
print(json.dumps({{"code": code, "out": out.getvalue(), "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def _run_in_fresh_interpreter(argv: list[str]) -> dict:
    code = _PROBE.format(argv=argv, heavy=HEAVY)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("argv", [["laws", "count", "relu:2,3,2", "--json"],
                                  ["laws", "count", "linear:2,2,2", "--json"],
                                  ["laws", "count", "relu:2,3,2"],
                                  ["--help"], ["laws", "--help"], ["laws", "count", "--help"]])
def test_the_command_imports_no_heavy_library(argv):
    result = _run_in_fresh_interpreter(argv)
    assert result["code"] == 0
    assert result["heavy"] == [], f"flowalgebra {' '.join(argv)} imported {result['heavy']}"


#: the argument checking and registration of the CoGO and groups commands (help, one-line mistakes) are light too
LIGHT_HELP = [["cogo", "--help"], ["cogo", "check", "--help"], ["cogo", "train", "--help"], ["cogo", "list", "--json"],
              ["landscape", "--help"], ["landscape", "fixdim", "--help"], ["dynamics", "--help"],
              ["dynamics", "converge", "--help"]]
LIGHT_MISTAKES = [["cogo", "check", "F7", "--d", "23"], ["cogo", "check", "F6", "--d", "1"],
                  ["cogo", "check", "2*nu", "--d", "5"], ["cogo", "potentials", "nu**2"],
                  ["cogo", "train", "--d", "5", "--out", "x.txt"], ["cogo"],
                  ["landscape", "fixdim", "--k", "1"], ["dynamics", "converge", "--d", "0", "--teachers", "2", "--students", "3"]]


@pytest.mark.parametrize("argv", LIGHT_HELP)
def test_the_help_of_the_other_areas_imports_no_heavy_library(argv):
    result = _run_in_fresh_interpreter(argv)
    assert result["code"] == 0 and result["out"]
    assert result["heavy"] == [], f"flowalgebra {' '.join(argv)} imported {result['heavy']}"


@pytest.mark.parametrize("argv", LIGHT_MISTAKES)
def test_a_bad_argument_is_refused_before_any_heavy_import(argv):
    result = _run_in_fresh_interpreter(argv)
    assert result["code"] == 2
    assert result["heavy"] == [], f"flowalgebra {' '.join(argv)} imported {result['heavy']}"


@pytest.mark.parametrize("module", ["algebra.cogo.cli", "algebra.cogo.notation", "algebra.cogo.constructions",
                                    "algebra.cogo.decomposition", "algebra.cogo.table2", "groups.cli",
                                    "groups.symmetric.notation", "groups.symmetric.young"])
def test_the_notation_modules_import_without_sympy(module):
    """Their sympy symbols (``NOTATION``'s atoms, ``MASS``, the labels of the named blocks) are made on first use."""
    code = f"import sys, {module}; print([m for m in {HEAVY!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.stdout.strip() == "[]", proc.stderr[-2000:] or proc.stdout


def test_a_cogo_check_is_the_same_as_in_a_full_process(capsys):
    """``cogo check`` loads sympy when it runs (its labels are sympy expressions) and answers as before."""
    from algebra.app.main import main

    assert main(["cogo", "check", "F6", "--d", "23", "--json"]) == 0
    full = json.loads(capsys.readouterr().out)
    run = _run_in_fresh_interpreter(["cogo", "check", "F6", "--d", "23", "--json"])
    light = json.loads(run["out"])
    full.pop("seconds"), light.pop("seconds")
    assert light == full and light["loss"] == 0 and "sympy" in run["heavy"]


def test_the_lazy_notation_names_are_the_symbols_they_were():
    """``MASS``, ``DELTA`` and the shared named blocks, made on first use, are what the eager modules held."""
    import sympy as sp

    import groups.symmetric
    from algebra.cogo import constructions
    from algebra.cogo.constructions import BLOCK_SIZES, BLOCKS, nu_i, syn
    from algebra.present.symbols import Notation
    from groups.symmetric import young

    assert isinstance(constructions.MASS, Notation) and sp.latex(constructions.MASS) == r"\sum_j |a_j|^2+|b_j|^2"
    assert young.DELTA is young.delta_symbol() is groups.symmetric.DELTA and sp.latex(young.DELTA) == r"\Delta"
    assert nu_i() is nu_i() and syn() is syn() and str(syn().label) == "z_{syn}"
    assert BLOCK_SIZES == {name: make().num_nodes for name, make in BLOCKS.items()}
    namespace: dict = {}
    exec("from algebra.cogo.constructions import *", namespace)
    assert namespace["MASS"] is constructions.MASS
    with pytest.raises(AttributeError):
        constructions.NO_SUCH_NAME


def test_the_count_is_the_same_as_in_a_full_process(capsys):
    """The light start gives the answer of a process that has imported everything (this one)."""
    from algebra.app.main import main

    assert main(["laws", "count", "relu:2,3,2", "--json"]) == 0
    full = json.loads(capsys.readouterr().out)
    light = json.loads(_run_in_fresh_interpreter(["laws", "count", "relu:2,3,2", "--json"])["out"])
    full.pop("seconds"), light.pop("seconds")
    assert light == full and light["laws"] == 3


def test_the_help_lists_every_area_and_the_full_parser_agrees(capsys):
    """``--help`` lists the commands from the areas' sources (no area imported); the full parser has the same."""
    from algebra.app.main import build_parser, command_index

    light = _run_in_fresh_interpreter(["--help"])["out"]
    full_parser = build_parser()
    commands = full_parser._subparsers._group_actions[0].choices
    assert list(commands) == list(command_index()) == ["laws", "report", "landscape", "dynamics", "cogo"]
    assert light == full_parser.format_help()


def test_an_unknown_command_is_still_one_line(capsys):
    from algebra.app.main import main

    assert main(["lwas", "count"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("flowalgebra: error: argument command: invalid choice: 'lwas'") and "\n" not in err


def test_bracket_latex_without_sympy_is_what_sympy_writes():
    """laws.closure.word_latex writes brackets as strings; they are the LaTeX the sympy notation gives."""
    import sympy as sp

    from algebra.present.notation import lie_bracket
    from algebra.present.symbols import Notation
    from laws.closure import word_latex

    def by_sympy(word):
        head = sp.Symbol(f"chi_{word[0] + 1}")
        return sp.latex(head) if len(word) == 1 else sp.latex(lie_bracket(head, Notation(by_sympy(word[1:]))))

    for word in [(0,), (11,), (0, 1), (2, 0, 13), (9, 10, 11, 12)]:
        assert word_latex(word) == by_sympy(word)


def test_the_bracket_tree_is_the_networkx_graph():
    from laws.closure import count_laws
    from laws.models.model import linear

    tree = count_laws(linear([2, 2, 2]), mode="basis").tree
    graph = tree.to_networkx()
    assert list(graph.nodes(data=True)) == tree.nodes(data=True) and list(graph.edges) == tree.edges
    assert any(len(n) > 1 for n in tree.nodes) and all(graph.has_edge(u, v) and tree.has_edge(u, v) for u, v in tree.edges)


def _lazy_project_modules(tree: ast.Module) -> list[str]:
    """Project modules named by ``lazy_module("...")`` at the top level of a module."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if (isinstance(call.func, ast.Name) and call.func.id == "lazy_module" and call.args
                    and isinstance(call.args[0], ast.Constant) and call.args[0].value.split(".")[0] in PACKAGES):
                found.append(call.args[0].value)
    return found


def _type_checking_imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for line in node.body:
                if isinstance(line, ast.Import):
                    names |= {a.name for a in line.names}
                elif isinstance(line, ast.ImportFrom):
                    names |= {line.module} | {f"{line.module}.{a.name}" for a in line.names}
    return names


def test_every_lazy_project_module_is_named_under_type_checking():
    """A project module imported on first use (``lazy_module``) is also imported under ``if TYPE_CHECKING:``,
    so the import graph (import-linter, tests/integration/test_architecture.py) sees the edge."""
    missing = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            seen = _type_checking_imports(tree)
            missing += [f"{path.relative_to(ROOT)}: {m}" for m in _lazy_project_modules(tree) if m not in seen]
    assert missing == []


def _lazy_packages() -> list[str]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("__init__.py")):
            if "lazy_exports(__name__, __file__)" in path.read_text(encoding="utf-8"):
                out.append(".".join(path.relative_to(ROOT).parent.parts))
    return out


@pytest.mark.parametrize("name", _lazy_packages())
def test_a_lazy_package_exports_what_it_lists(name):
    """Each name of ``__all__`` is in the package's ``TYPE_CHECKING`` table (or is a module of the package),
    resolves to the object of the module that defines it, and ``from package import *`` gives them all."""
    import importlib

    from algebra.lazy import exported_modules

    package = importlib.import_module(name)
    table = exported_modules(package.__file__)
    for export in package.__all__:
        source = table.get(export, name)
        value = getattr(package, export)
        expected = getattr(importlib.import_module(source), export) if source != name else value
        assert value is expected, f"{name}.{export}"
    assert set(package.__all__) <= set(dir(package))
    namespace: dict = {}
    exec(f"from {name} import *", namespace)
    assert set(package.__all__) <= set(namespace)


def test_a_name_shared_with_a_module_keeps_the_exported_object():
    """``algebra.present.table`` is a function of notation and the name of a module: importing the module
    leaves the package's name as an eager ``__init__`` left it."""
    code = ("import algebra.present.table, algebra.present; from algebra.present import table; "
            "print(callable(table), callable(algebra.present.table), algebra.present.table is table)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.stdout.split() == ["True"] * 3, proc.stderr[-2000:]


def test_the_lazy_list_covers_the_packages():
    assert {"algebra", "algebra.present", "algebra.exact", "algebra.cogo", "laws", "laws.models", "laws.flows",
            "laws.engine", "groups", "groups.landscape", "groups.symmetric", "groups.dynamics"} <= set(_lazy_packages())
