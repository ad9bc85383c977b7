"""Models: parameters, phi, evaluators, files and bad input."""
import json

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.exact.modular import PRIME
from laws.engine.evaluators import _from_polynomials
from laws.models.model import Model, linear, relu
from laws.models.specs import load_model_file, parse_model


def test_two_layer_names_follow_the_papers():
    m = relu([2, 3, 2], bias=True)
    assert m.params[:2] == ("u1_1", "u1_2")
    assert "v3_2" in m.params and "b3" in m.params and "c2" in m.params
    assert sp.latex(m.symbols[m.params.index("v3_2")]) == "v_{32}"


def test_deep_names_are_layer_matrices_with_latex_superscripts():
    m = linear([2, 2, 2, 2], bias=True)
    assert m.params[0] == "U1_1_1" and "B3_2" in m.params
    assert sp.latex(m.symbols[0]) == "U^{(1)}_{11}"


def test_linear_phi_is_the_matrix_product():
    m = linear([1, 2, 1])
    assert [str(p) for p in m.phi] == ["u1_1*v1_1 + u2_1*v2_1"]


def test_relu_phi_counts_input_and_bias_paths():
    m = relu([2, 3, 2, 2], bias=True)
    assert m.N == len(m.phi) == 2 * 3 * 2 * 2 + 3 * 2 * 2 + 2 * 2 + 2
    assert all(len(p) == 1 for p in m.phi)  # each path product is one monomial


@pytest.mark.parametrize("model", [linear([2, 3, 2]), linear([3, 2, 2, 2], bias=True), relu([2, 3, 2]),
                                   relu([2, 2, 3, 2], bias=True)], ids=lambda m: m.name)
def test_structured_evaluators_agree_with_the_symbolic_phi_on_jets(model):
    rng = np.random.default_rng(5)
    alpha = rng.integers(0, PRIME, (3, model.N))
    x = rng.integers(0, PRIME, (4, 3, model.D))       # jets with two nilpotents
    assert np.array_equal(model.evaluator().field(alpha, x), _from_polynomials(model, PRIME).field(alpha, x))


def test_from_polynomials_accepts_strings_and_sympy():
    a, b = sp.symbols("a b")
    m1 = Model.from_polynomials(["a*b", "a**2/2"], params=["a", "b"])
    m2 = Model.from_polynomials([a * b, a**2 / 2], params=["a", "b"])
    assert [str(p) for p in m1.phi] == [str(p) for p in m2.phi] == ["a*b", "1/2*a^2"]


def test_subscript_syntax_names_parameters():
    m = Model.from_polynomials(["U1[1,2] * U2[2,1]"])
    assert m.params == ("U1_1_2", "U2_2_1")


@pytest.mark.parametrize("spec, message", [
    ("linear:0,2", "positive integers"),
    ("linear:2", "at least an input and an output"),
    ("relu:2,a,2", "comma-separated integers"),
    ("mlp:2,2", "unknown model family"),
    ("conv:2,2", "conv takes 5 sizes"),
    ("nonexistent-file.json", "unknown model"),
    ("linear:200,200,200", "too many parameters"),
])
def test_bad_specs_raise_one_clear_error(spec, message):
    with pytest.raises(FlowAlgebraError, match=message):
        parse_model(spec)


def test_model_files_json_and_toml(tmp_path):
    j = tmp_path / "m.json"
    j.write_text(json.dumps({"name": "toy", "params": ["a", "b", "c"], "phi": ["a*b", "a*c"]}))
    assert load_model_file(str(j)).N == 2
    t = tmp_path / "m.toml"
    t.write_text('model = "relu:2,3,2"\nbias = true\n')
    assert load_model_file(str(t)).name == "relu:2,3,2+bias"


@pytest.mark.parametrize("content, message", [
    ("{not json", "malformed model file"),
    ('{"phi": "a*b"}', "must be a list"),
    ('{"phi": ["a*b"], "extra": 1}', "unknown keys"),
    ('{"phi": ["open(1)"]}', "unsupported syntax"),
    ('{"phi": ["a*b"], "params": ["a"]}', "unknown parameter 'b'"),
    ('[1, 2]', "top level"),
])
def test_malformed_model_files(tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_text(content)
    with pytest.raises(FlowAlgebraError, match=message):
        load_model_file(str(f))
