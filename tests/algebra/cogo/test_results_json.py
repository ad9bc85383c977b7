"""Every CoGO result's ``to_json()`` holds numbers as numbers: valid JSON (no NaN), and no string that
is only a number (exact rationals are {"p", "q"}, strings are kept for symbolic values and names)."""
import importlib
import inspect
import json
import re
from fractions import Fraction

import pytest

from algebra.cogo import constructions as C
from algebra.cogo.classify import classify_runs
from algebra.cogo.decomposition import prove_decomposition
from algebra.cogo.training import train
from algebra.cogo.verification import verify, verify_block
from algebra.present import Result
from groups import Zd

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/\d+)?")
#: keys whose strings are labels of ring elements (a scalar factor's label is its number, e.g. "1/6")
LABELS = {"factors", "block", "expression", "element"}
MODULES = ("potentials", "decomposition", "constructions", "verification", "training", "classify")


def strings_that_are_numbers(obj, path="$"):
    if isinstance(obj, str):
        return [path] if NUMBER.fullmatch(obj.strip()) else []
    if isinstance(obj, dict):
        return [p for k, v in obj.items() if k not in LABELS for p in strings_that_are_numbers(v, f"{path}.{k}")]
    if isinstance(obj, (list, tuple)):
        return [p for i, v in enumerate(obj) for p in strings_that_are_numbers(v, f"{path}[{i}]")]
    return []


@pytest.fixture(scope="module")
def results():
    run = train(5, width=12, epochs=100, seed=0, checkpoint_every=50, progress=False)
    return [verify(C.construct("F6", Zd(5))), verify(C.construct("F4_6_naive", Zd(7))),
            verify(C.construct("M", Zd(3))), verify_block(C.nu_i() * C.xi()), verify_block(C.syn() * C.scalar(Fraction(1, 2))),
            (C.nu() * C.syn()).potentials(), C.xi().potentials(), prove_decomposition(Zd(3), 1), run,
            classify_runs([run], progress=False), classify_runs([run], progress=False, details=False), C.catalog()]


def test_json_numbers_are_numbers(results):
    for result in results:
        j = result.to_json()
        text = json.dumps(j, allow_nan=False)
        assert json.loads(text) == j, type(result).__name__
        assert strings_that_are_numbers(j) == [], (type(result).__name__, strings_that_are_numbers(j))


def test_every_result_type_of_cogo_is_covered(results):
    defined = {obj for m in MODULES for _, obj in inspect.getmembers(importlib.import_module(f"algebra.cogo.{m}"), inspect.isclass)
               if issubclass(obj, Result) and obj.__module__.startswith("algebra.cogo.")}
    assert defined == {type(r) for r in results}
