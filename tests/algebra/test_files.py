"""The one reader of a user's files (algebra.files): what it accepts it returns unchanged; everything else is one
FlowAlgebraError line; generated malformed model files and sweep specs (mutations of real ones, JSON and TOML)
reach the validators as a model/tasks or one line, never another exception."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.files import MAX_NESTING, MissingFile, nesting_depth, parse_data, read_data, read_text, regular_file
from laws.models.model import Model
from laws.models.specs import load_model_file
from laws.sweep import SweepTask, load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_SWEEP = (ROOT / "laws" / "examples" / "sweep.toml").read_text()

_FINITE = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=10))
_DATA = st.recursive(_FINITE, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                         max_size=3), max_leaves=12)


def _one_line(err: FlowAlgebraError) -> None:
    assert "\n" not in str(err) and len(str(err)) < 600


@settings(max_examples=150, deadline=None)
@given(_DATA)
def test_strict_json_is_returned_unchanged(data):
    assert parse_data(json.dumps(data), "spec", "x.json") == data


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3 * MAX_NESTING), st.sampled_from(["[", '{"k": ']))
def test_nesting_is_refused_exactly_above_the_limit(depth, opening):
    closing = "]" if opening == "[" else "}"
    text = opening * depth + "1" * (opening != "[") + closing * depth
    if depth <= MAX_NESTING:
        assert nesting_depth(parse_data(text, "spec", "x.json")) == depth
    else:
        with pytest.raises(FlowAlgebraError, match="nested too deeply"):
            parse_data(text, "spec", "x.json")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=5), _FINITE, min_size=1, max_size=4), st.data())
def test_a_key_given_twice_anywhere_is_refused(table, data):
    key = data.draw(st.sampled_from(sorted(table)))
    text = json.dumps(table)[:-1] + ", " + json.dumps(key) + ": 0}"
    nested = data.draw(st.booleans())
    with pytest.raises(FlowAlgebraError, match="repeated key"):
        parse_data('{"outer": ' + text + "}" if nested else text, "spec", "x.json")


@pytest.mark.parametrize("text, toml", [("[NaN]", False), ("[-Infinity]", False), ("[1e999]", False),
                                        ("x = nan", True), ("x = -inf", True), ("x = 1e999", True)])
def test_non_finite_numbers_are_refused(text, toml):
    with pytest.raises(FlowAlgebraError, match="not a number|out of range"):
        parse_data(text, "spec", "x.toml" if toml else "x.json", toml=toml)


def test_files_that_are_not_regular_or_too_large_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path, fragment in [(fifo, "not a regular file"), (tmp_path, "is a folder"), ("/dev/zero", "not a regular")]:
        with pytest.raises(FlowAlgebraError, match=fragment):
            read_data(path, "model file")
        with pytest.raises(FlowAlgebraError, match=fragment):
            regular_file(path, "run file")
    big = tmp_path / "big.json"
    big.write_text(" " * 101)
    with pytest.raises(FlowAlgebraError, match=r"too large: 101 bytes, more than 100 \(MAX_X\)"):
        read_text(big, "spec", limit=100, limit_name="MAX_X")
    assert regular_file(big, "spec") == 101
    with pytest.raises(MissingFile, match="no such spec"):
        read_text(tmp_path / "nothing.json", "spec")
    (tmp_path / "latin.toml").write_bytes("x = '\u00e9'".encode("latin-1"))
    with pytest.raises(FlowAlgebraError, match="not UTF-8 text"):
        read_data(tmp_path / "latin.toml", "spec")


# -- generated malformed files: mutations of real ones ---------------------------------------------------------

def _mutations(text: str) -> st.SearchStrategy[str]:
    """``text`` with a few characters deleted, replaced or inserted (syntax-near misses of a real file)."""
    edit = st.tuples(st.sampled_from(["delete", "replace", "insert", "duplicate"]), st.integers(0, len(text)),
                     st.sampled_from(list('[]{}",=:#\n\\ 0-1e.aZ\x00\u00b2') + ["nan", "true", "1e999", "[" * 50]))

    def apply(edits):
        out = text
        for kind, at, piece in edits:
            at = min(at, len(out))
            if kind == "delete":
                out = out[:at] + out[at + 1:]
            elif kind == "replace":
                out = out[:at] + piece + out[at + 1:]
            elif kind == "insert":
                out = out[:at] + piece + out[at:]
            else:
                line_start = out.rfind("\n", 0, at) + 1
                line_end = out.find("\n", at)
                line_end = len(out) if line_end < 0 else line_end
                out = out[:line_end] + "\n" + out[line_start:line_end] + out[line_end:]
        return out

    return st.lists(edit, min_size=1, max_size=4).map(apply)


MODEL_JSON = json.dumps({"phi": ["a*b + c", "a**2 - b**2"], "params": ["a", "b", "c"], "name": "mine"})
MODEL_TOML = 'model = "relu:2,3,2"\nbias = true\n'
SWEEP_JSON = json.dumps({"models": ["relu:2,2,1", "linear:2,2"], "flows": ["gradient", "momentum"], "tau": ["0", "1/2"],
                         "grid": {"families": ["relu"], "depth": [2, 2], "width": [1, 2]}, "sample": 3, "seed": 1})

#: malformed model files: (file name, text)
MALFORMED_MODEL_FILES = st.one_of(st.tuples(st.just("m.json"), _mutations(MODEL_JSON)),
                                  st.tuples(st.just("m.toml"), _mutations(MODEL_TOML)))
#: malformed sweep specs: (file name, text)
MALFORMED_SWEEP_SPECS = st.one_of(st.tuples(st.just("s.json"), _mutations(SWEEP_JSON)),
                                  st.tuples(st.just("s.toml"), _mutations(EXAMPLE_SWEEP)))


def _written(name: str, text: str) -> str:
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as fh:
        fh.write(text)
    return path


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MALFORMED_MODEL_FILES)
def test_malformed_model_files_build_or_are_one_line(file):
    try:
        model = load_model_file(_written(*file))
    except FlowAlgebraError as err:
        _one_line(err)
    else:
        assert isinstance(model, Model) and model.D >= 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MALFORMED_SWEEP_SPECS)
def test_malformed_sweep_specs_load_or_are_one_line(file):
    try:
        tasks = load_spec(_written(*file))
    except FlowAlgebraError as err:
        _one_line(err)
    else:
        assert tasks and all(isinstance(t, SweepTask) for t in tasks)


def test_the_unmutated_files_are_accepted():
    assert load_model_file(_written("m.json", MODEL_JSON)).D == 3
    assert load_model_file(_written("m.toml", MODEL_TOML)).name == "relu:2,3,2+bias"
    assert len(load_spec(_written("s.json", SWEEP_JSON))) == 3
