"""The package's shape: every module declares its public names, imports project modules at the top (except the
CLI handlers and report steps), and the curated namespace of ``laws`` keeps working."""
import ast
import importlib
import pathlib

import pytest

import laws

ROOT = pathlib.Path(laws.__file__).parent
MODULES = sorted(".".join(("laws",) + p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for p in ROOT.rglob("*.py"))
#: the only modules allowed to import project modules inside functions (start-up time of ``flowalgebra``)
LAZY = {"laws.cli", "laws.report"}
PROJECT = ("algebra", "laws", "groups")


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_all_and_its_names_exist(name):
    module = importlib.import_module(name)
    assert isinstance(module.__all__, list) and module.__all__, name
    assert len(set(module.__all__)) == len(module.__all__)
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
    assert module.__doc__ and ">>>" in module.__doc__, f"{name} needs a docstring with a doctest example"


def _function_level_project_imports(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and inner.module.split(".")[0] in PROJECT:
                    found.append(f"{path.name}:{inner.lineno} {inner.module}")
                elif isinstance(inner, ast.Import):
                    found += [f"{path.name}:{inner.lineno} {a.name}" for a in inner.names if a.name.split(".")[0] in PROJECT]
    return found


@pytest.mark.parametrize("name", sorted(set(MODULES) - LAZY))
def test_project_modules_are_imported_at_the_top(name):
    path = ROOT.joinpath(*name.split(".")[1:])
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    assert _function_level_project_imports(path) == []


def test_the_curated_namespace():
    from laws import count_laws, find_polynomial_laws, flow_system, linear, parse_model, relu, verify_law

    assert count_laws(relu([2, 3, 2])).laws == 3
    assert len(find_polynomial_laws(linear([2, 2, 2])).laws) == 3
    assert verify_law(parse_model("relu:2,2,1"), "u1_1**2 + u1_2**2 - v1_1**2", numeric=False).conserved
    assert count_laws(flow_system(linear([2, 2, 2]), "momentum")).laws == 1
    assert {"GeneratorSystem", "PolynomialSystem", "LawCount", "LawVerification"} <= set(laws.__all__)
