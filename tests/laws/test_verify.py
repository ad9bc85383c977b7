"""Verification of a given law: exact proofs and counterexamples, the numeric check along a simulated flow."""
import json

import pytest

from laws.models.model import Model, linear, relu
from laws.verify import GeneratorLawVerification, LawVerification, verify_law


def test_verify_proves_and_refutes_with_counterexample():
    m = relu([2, 3, 2])
    good = verify_law(m, "u2_1**2 + u2_2**2 - v2_1**2 - v2_2**2", numeric=False)
    assert good.conserved and good.counterexample is None
    bad = verify_law(m, "u1_1*u2_1 + u1_2*u2_2 - v1_1*v2_1 - v1_2*v2_2", numeric=False)
    assert not bad.conserved and bad.counterexample[1] != 0
    assert "counterexample" in json.dumps(bad.to_json())


def test_numeric_flow_conserves_the_law_and_moves_the_control():
    m = linear([2, 3, 2])
    result = verify_law(m, "u1_1*u2_1 + u1_2*u2_2 - v1_1*v2_1 - v1_2*v2_2", seed=3)
    drift_law, drift_control = result.numeric["drift"]
    assert drift_law < 1e-8 < 1e-3 < drift_control
    assert result.numeric["loss_end"] < result.numeric["loss_start"]


def test_a_law_may_be_given_as_an_exact_polynomial():
    m = relu([2, 2, 1])
    h = m.parse("u1_1**2 + u1_2**2 - v1_1**2")
    result = verify_law(m, h, numeric=False)
    assert type(result) is GeneratorLawVerification and isinstance(result, LawVerification) and result.conserved


def test_the_derivation_shows_the_identities_and_the_conclusion():
    latex = verify_law(relu([2, 3, 2]), "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2", numeric=False).to_latex()
    assert "\\langle \\nabla h, \\chi_{1} \\rangle" in latex and "\\langle \\nabla h, \\chi_{8} \\rangle" in latex
    assert latex.count("\\begin{align*}") == 3   # the law, the criterion, the identities in one block
    assert "$h$ is conserved by the gradient flow of every loss of this model (exact, 4 generators)" in latex
    assert "\\textbf{Notation.} The network is $x \\mapsto V^{T} \\sigma(U x)$" in latex


@pytest.mark.parametrize("law", ["a**2 - b**2", "a*b"])
def test_the_numeric_drift_separates_a_law_from_a_control(law):
    m = Model.from_polynomials(["a*b"], params=["a", "b"])
    result = verify_law(m, law, seed=1)
    assert result.conserved == (law == "a**2 - b**2")
    assert set(result.numeric) >= {"t_end", "steps", "loss_start", "loss_end", "drift", "relative_drift", "control"}
