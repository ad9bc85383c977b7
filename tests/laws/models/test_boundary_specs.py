"""The one validator of model specs and of model files: generated malformed input of every kind gives a model or
a FlowAlgebraError (never another exception), quickly; and the sizes are checked by formula before building."""
from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from laws.models import architectures
from laws.models.model import MAX_PARAMETERS, Model
from laws.models.specs import FAMILIES, MAX_DIMS, is_model_file, load_model_file, parse_dims, parse_model

#: a model spec or file is built or refused within this many seconds
SECONDS = 5.0


def builds_or_refuses(call, *args, **kwargs):
    start = time.perf_counter()
    try:
        result = call(*args, **kwargs)
    except FlowAlgebraError as err:
        assert "\n" not in str(err) and len(str(err)) < 600, str(err)[:200]
        result = None
    assert time.perf_counter() - start < SECONDS, args
    assert result is None or isinstance(result, Model)
    return result


_SIZES = st.one_of(st.integers(0, 12).map(str), st.sampled_from(["", " ", "-1", "+2", "\u00b2", "\uff13", "1e3",
                                                                  "9" * 7, "9" * 5000, "0x2", "2.0", "3 4", "2+bias"]),
                   st.integers(0, 10**9).map(str))
_FAMILIES = st.one_of(st.sampled_from(list(FAMILIES)), st.sampled_from(["", "Relu", "tanh", "relu ", "../relu"]))
SPECS = st.one_of(
    st.tuples(_FAMILIES, st.sampled_from([":", "", "::", ": "]), st.lists(_SIZES, max_size=8),
              st.sampled_from([",", ", ", ",,", ";"])).map(lambda t: t[0] + t[1] + t[3].join(t[2])),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SPECS, st.booleans())
def test_generated_specs_build_or_are_refused(spec, bias):
    if is_model_file(spec.strip()):
        return            # paths are the files' test below
    builds_or_refuses(parse_model, spec, bias=bias)


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(list(FAMILIES)), st.lists(st.integers(0, 60), min_size=0, max_size=MAX_DIMS + 2),
       st.booleans())
def test_sizes_by_formula_agree_with_the_model_or_the_model_is_refused(family, dims, bias):
    model = builds_or_refuses(parse_model, f"{family}:{','.join(map(str, dims))}", bias=bias)
    if model is not None:
        assert model.D <= MAX_PARAMETERS
        if family not in ("linear", "relu"):
            D, N, _ = architectures.sizes(family, dims, bias)
            assert (D, N) == (model.D, model.N)


def test_no_zoo_model_is_built_before_its_size_is_checked():
    start = time.perf_counter()
    for spec in ["attention:5000,1,1", "conv:100000,1,1,1,1", "icnn:50,50,50,50,50", "nmf:3000,1,3000",
                 "softmax:40,40,40,40", "residual:2000,2000"]:
        with pytest.raises(FlowAlgebraError, match="too many|exact phi"):
            parse_model(spec)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text, message", [
    ("2,3,", "empty size"), (",", "empty size"), ("2;3", "comma-separated"), ("\u00b2", "comma-separated"),
    ("1234567", "too large"), (",".join(["1"] * (MAX_DIMS + 1)), "too many sizes"),
])
def test_parse_dims_refuses(text, message):
    with pytest.raises(FlowAlgebraError, match=message):
        parse_dims(text)


# -- model files -----------------------------------------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**30), st.floats(allow_nan=False),
                     st.text(max_size=30), st.sampled_from(["relu:2,3,2", "linear:2,2", "false", "true", "x.toml",
                                                            "a*b", "(" * 200, "9" * 400, "relu:2,3,2.json"]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                       max_leaves=10)
_KEYS = st.sampled_from(["model", "bias", "phi", "params", "name", "description", "extra", "Model", ""])
DOCUMENTS = st.one_of(st.dictionaries(_KEYS, _VALUES, max_size=4),
                      st.fixed_dictionaries({"phi": st.lists(st.text(alphabet="ab*+-()0123456789 ./", max_size=30),
                                                             max_size=4)},
                                            optional={"params": st.lists(st.sampled_from(["a", "b", "c", "lambda",
                                                                                          "a b", ""]), max_size=3),
                                                      "name": _SCALARS, "bias": _SCALARS}),
                      _VALUES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(DOCUMENTS, st.booleans())
def test_generated_json_model_files_build_or_are_refused(tmp_path, data, bias):
    f = tmp_path / "m.json"
    f.write_text(json.dumps(data))
    builds_or_refuses(load_model_file, str(f), bias=bias)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["m.json", "m.toml"]))
def test_random_bytes_as_model_files_are_refused_or_build(tmp_path, data, name):
    f = tmp_path / name
    f.write_bytes(data)
    builds_or_refuses(load_model_file, str(f))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["[", "{\"a\":", "x = [", "x = {a = "]), st.integers(1, 100_000))
def test_deeply_nested_model_files_are_refused(tmp_path, opening, depth):
    name = "m.toml" if opening.startswith("x") else "m.json"
    f = tmp_path / name
    f.write_text(opening * depth)
    assert builds_or_refuses(load_model_file, str(f)) is None
