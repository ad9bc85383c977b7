"""Every result of the conservation-law engines is a Result value whose JSON holds typed values: numbers as
numbers, exact rationals as integers or {"p", "q"} (:mod:`algebra.exact.encoding`), strings only for names,
text and exact symbolic expressions (a constant polynomial is a number)."""
import csv
import json
import re

import pytest

from algebra.present import Result
from laws.catalogue import Catalogue
from laws.closure import count_laws
from laws.flows.extended import flow_system
from laws.models.architectures import softmax
from laws.models.model import linear, relu
from laws.polynomial import find_polynomial_laws
from laws.sweep import COLUMNS, SweepResult, SweepTask, read_results, run_task
from laws.verify import verify_law

#: a string that reads as a number (integer, decimal, fraction)
NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(\s*/\s*\d+)?\s*$")


def numeric_strings(value, path=""):
    """Paths of the strings in a JSON value that read as numbers."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in numeric_strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in numeric_strings(v, f"{path}[{i}]")]
    return [path] if isinstance(value, str) and NUMBER.match(value) else []


def _sweep_result(tmp_path):
    """A sweep's result with its rows read back from results.csv (all text there), as a resumed sweep has them."""
    tasks = [SweepTask("relu:2,2,1"), SweepTask("linear:2,2,2", "momentum", "1/2", 2), SweepTask("softmax:2,2", "sign"),
             SweepTask("relu:0,2")]
    path = tmp_path / "results.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for task in tasks:
            writer.writerow(run_task(task))
    done = read_results(str(path))
    return SweepResult(str(tmp_path), [done[t.key] for t in tasks], 0, len(tasks), 0.5, {"csv": str(path)})


def _results(tmp_path):
    sign_softmax = flow_system(softmax([2, 2]), "sign")
    momentum = flow_system(linear([2, 2, 2]), "momentum", "1/2")
    return {
        "count": count_laws(relu([2, 3, 2])),
        "count momentum": count_laws(momentum, mode="random"),
        "count sign": count_laws(sign_softmax),
        "poly": find_polynomial_laws(linear([2, 3, 2]), degree=2, expected_laws=6),
        "poly momentum": find_polynomial_laws(momentum, degree=2, homogeneous=False),
        "verify": verify_law(relu([2, 3, 2]), "u1_1**2 - v1_1**2", seed=1),
        "verify momentum": verify_law(flow_system(linear([1, 1, 1]), "momentum"), "u1_1", seed=1),
        "verify sign": verify_law(sign_softmax, "U1_1_1 - U1_2_1"),
        "sweep": _sweep_result(tmp_path),
        "catalogue": Catalogue(),
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return _results(tmp_path_factory.mktemp("sweep"))


@pytest.mark.parametrize("name", ["count", "count momentum", "count sign", "poly", "poly momentum", "verify",
                                  "verify momentum", "verify sign", "sweep", "catalogue"])
def test_json_holds_numbers_as_numbers(results, name):
    result = results[name]
    assert isinstance(result, Result)
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data
    assert numeric_strings(data) == []


def test_counts_give_their_sizes_as_integers(results):
    for name in ("count", "count momentum", "count sign"):
        data = results[name].to_json()
        assert all(type(data[k]) is int for k in ("D", "trace_dim", "laws"))
        assert type(data["seconds"]) is float and type(data["certificate"]["seed"]) is int


def test_sweep_rows_read_back_from_csv_are_typed_like_fresh_rows(results):
    rows = results["sweep"].to_json()["rows"]
    fresh = run_task(SweepTask("linear:2,2,2", "momentum", "1/2", 2))
    assert type(rows[1]["laws"]) is int and rows[1]["laws"] == fresh["laws"] == 1
    assert rows[1]["closed"] is True and rows[1]["complete"] is False and type(rows[1]["poly_independent"]) is int
    assert rows[1]["tau"] == {"p": 1, "q": 2} and rows[0]["tau"] == 0   # exact: an integer, or {"p", "q"}
    assert type(rows[0]["seconds"]) is float and rows[0]["error"] is None and rows[0]["poly_independent"] is None
    assert rows[2]["laws"] == 2 and rows[2]["levels"] == [] and rows[2]["poly_independent"] is None   # sign: no levels, no poly laws
    assert rows[0]["levels"] == [int(r) for r in results["sweep"].rows[0]["levels"].split("-")]
    assert rows[3]["laws"] is None and "positive integers" in rows[3]["error"]


def test_sweep_markdown_shows_blank_cells_not_none(results):
    table = results["sweep"].summary()
    assert "None" not in table and "| relu:2,2,1 | gradient | 0 | 6 | 4 | 2 | True |  |" in table
