"""Every result value of groups is a :class:`~algebra.present.result.Result`, and its ``to_json()`` holds
typed values: numbers as numbers (never a numeral in a string), exact rationals as ``{"p", "q"}``,
strings only for names and exact symbolic expressions."""
from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re

import pytest

import groups
from algebra.present import Result
from groups.dynamics.local_convergence import converge
from groups.dynamics.convergence_rates import rates_by_students, threshold_experiment
from groups.dynamics.mean_field import odd_target, symmetry_check
from groups.dynamics.low_dimensional import low_dim
from groups.landscape.arc_types import arc_families, arc_types
from groups.landscape.asymptotics import asymptotics
from groups.landscape.critical_points import find_critical_points
from groups.landscape.hessian import hessian_at
from groups.landscape.reduced import reduced_loss
from groups.landscape.symbolic import closed_forms
from groups.landscape.tangency import trace_arcs
from groups.symmetric.fixed_space import fixdim

#: small instances of every Result class of groups, by class name
FACTORIES = {
    "FixDimResult": lambda: [fixdim(4, "3,1"), fixdim(3, generators=["1,2,0:1,0,3,2"], d=4)],
    "HessianDecomposition": lambda: [hessian_at(3, "identity"), hessian_at(4, "identity", method="characters")],
    "ClosedForms": lambda: [closed_forms(2, points=1)],
    "ReducedLoss": lambda: [reduced_loss("k-1,1"), reduced_loss("k-2,1,1")],
    "CriticalPointSet": lambda: [find_critical_points(4, (3, 1), starts=10, seed=2)],
    "CriticalPoint": lambda: find_critical_points(4, (3, 1), starts=10, seed=2).points,
    "AsymptoticsResult": lambda: [asymptotics(8, ks=[6, 7, 8], starts=20)],
    "ArcsResult": lambda: [trace_arcs(4, "3,1", "3,1", max_radius=0.3, starts=20, step=0.05)],
    "ArcTypesResult": lambda: [arc_types(5, "5", max_radius=0.1, step=0.05, starts=20)],
    "ArcFamiliesResult": lambda: [arc_families("6", max_radius=0.1, step=0.05, starts=20)],
    "ConvergenceResult": lambda: [converge(4, 2, 3, steps=100, seed=0)],
    "RatesResult": lambda: [rates_by_students(4, 1, [1, 2], steps=100)],
    "ThresholdResult": lambda: [threshold_experiment(4, 1, [1, 2], [0.01, 0.1], seeds=2, steps=50)],
    "SymmetryResult": lambda: [symmetry_check(2, "hyperoctahedral", particles=1, t_max=0.5, steps=5)],
    "OddTargetResult": lambda: [odd_target(4, 8, t_max=1.0, steps=4)],
    "LowDimResult": lambda: [low_dim(4, 2, width=10, t_max=1.0, steps=4), low_dim(3, 3, width=6, t_max=1.0, steps=2)],
}

NUMERAL = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$|^\s*[+-]?\d+\s*/\s*\d+\s*$")


def _classes():
    """Every class defined in a groups module."""
    out = []
    for info in pkgutil.walk_packages(groups.__path__, "groups."):
        if info.name in ("groups.strategies", "groups.figures"):
            continue  # hypothesis strategies and matplotlib figures hold no result values
        module = importlib.import_module(info.name)
        out += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == info.name]
    return out


def test_every_value_that_explains_itself_is_a_result():
    explaining = [c for c in _classes() if all(hasattr(c, m) for m in ("to_json", "summary", "derivation"))]
    assert explaining, "no result classes found"
    assert [c.__name__ for c in explaining if not issubclass(c, Result)] == []
    results = {c.__name__ for c in _classes() if issubclass(c, Result) and not inspect.isabstract(c)}
    assert results == set(FACTORIES), "every Result class of groups needs a small instance in FACTORIES"


def _typed(value, path="$"):
    """Offending paths: numerals in strings, and values that are not plain JSON types."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in ([f"{path}: key {k!r}"] if not isinstance(k, str) else [])
                + _typed(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _typed(v, f"{path}[{i}]")]
    if isinstance(value, str):
        return [f"{path}: number as a string {value!r}"] if NUMERAL.match(value) else []
    if value is None or type(value) in (bool, int, float):
        return []
    return [f"{path}: {type(value).__name__} {value!r}"]


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_to_json_holds_numbers_as_numbers(name):
    for result in FACTORIES[name]():
        assert isinstance(result, Result) and type(result).__name__ == name
        data = result.to_json()
        assert _typed(data) == []
        assert json.loads(json.dumps(data)) == data
        assert result.summary() and repr(result).startswith(f"<{name}: ")
