"""One notation in every laws document: the Notation paragraph, and matrices that match the parameter names."""
from __future__ import annotations

import shutil

import pytest
import sympy as sp

from algebra.present import compile_latex, escape_text, latex_document
from algebra.present.audit import audit
from laws.catalogue import FAMILY_LATEX, Catalogue
from laws.closure import count_laws
from laws.flows.extended import flow_system
from laws.matrix_form import balance_matrices
from laws.models.model import Model, linear, relu
from laws.models.specs import FAMILIES
from laws.naming import latex_name, notation
from laws.polynomial import find_polynomial_laws
from laws.verify import verify_law


@pytest.mark.parametrize("bias", [False, True])
def test_the_balance_matrix_is_written_in_the_notation_of_the_parameters(bias):
    """Notation: U holds u_{ki} at row k, column i; V holds v_{kj} at row k, column j; so M_1 = U U^T (+ b b^T) - V V^T
    entry by entry, computed here from the names alone."""
    m = relu([2, 3, 2], bias=bias)
    g = dict(zip(m.params, m.ctx.gens()))
    U = [[g[f"u{k}_{i}"] for i in (1, 2)] for k in (1, 2, 3)]
    V = [[g[f"v{k}_{j}"] for j in (1, 2)] for k in (1, 2, 3)]
    (info,) = balance_matrices(m)
    for (k, l), entry in info["entries"]:
        expected = sum(U[k][i] * U[l][i] for i in range(2)) - sum(V[k][j] * V[l][j] for j in range(2))
        if bias:
            expected += g[f"b{k + 1}"] * g[f"b{l + 1}"]
        assert entry == expected
    assert sp.latex(info["expression"]) == ("U U^{T} - V V^{T} + b b^{T}" if bias else "U U^{T} - V V^{T}")


def test_deep_networks_use_the_layer_matrices_of_the_names():
    m = linear([2, 3, 2, 2])
    assert latex_name(m.params[0]) == "U^{(1)}_{11}" and "U^{(l)}_{ij}$ (row $i$, column $j$)" in m.notation
    assert sp.latex(balance_matrices(m)[1]["expression"]) == \
        "U^{(2)} \\left(U^{(2)}\\right)^{T} - \\left(U^{(3)}\\right)^{T} U^{(3)}"


def test_every_laws_document_opens_with_its_notation():
    m = relu([2, 3, 2])
    docs = [count_laws(m).to_latex(), find_polynomial_laws(m, degree=2).to_latex(),
            verify_law(m, "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2", numeric=False).to_latex(), Catalogue().to_latex()]
    for doc in docs:
        assert doc.splitlines()[1].startswith("\\noindent\\textbf{Notation.} ")
    assert "$U \\in \\mathbb{R}^{3 \\times 2}$" in docs[0] and "$p = 10^{9} + 7$" in docs[0]
    assert "$p = " not in docs[1]   # no modular rank is reported there


def test_a_momentum_flow_names_its_state_and_friction():
    text = notation(flow_system(linear([2, 2, 2]), "momentum", "1/2"))
    assert "$(s, \\theta, \\dot\\theta)$" in text and "$\\dot{u}_{11}$ is the velocity of $u_{11}$" in text
    assert "$\\tau = \\frac{1}{2}$" in text
    assert "(t, \\theta" in notation(flow_system(linear([2, 2, 2]), "momentum", "0"))


def test_a_custom_model_lists_its_parameters():
    m = Model.from_polynomials(["a*b", "a*c1", "a*c2", "a*c3"], params=["a", "b", "c1", "c2", "c3"])
    assert notation(m).startswith("The parameters are $a$, $b$, $c_{1}, \\dots, c_{3}$ (in this order).")


def test_every_family_has_its_description_in_latex():
    assert set(FAMILY_LATEX) == set(FAMILIES)
    for text in FAMILY_LATEX.values():
        assert audit(f"\\begin{{document}}{escape_text(text)}\\end{{document}}", "") == [], text


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH (.ci/install-tex)")
def test_a_flow_document_reads_clean(tmp_path):
    """The title names the flow in math (not momentum(tau=1/2)); the generators are the flow's, not grad phi."""
    system = flow_system(linear([2, 2, 2]), "momentum", "1/2")
    d = verify_law(system, "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2").derivation()
    assert d.title.endswith("momentum flow with $\\tau = 1/2$") and "\\nabla\\phi_i" not in d.to_latex()
    tex = tmp_path / "flow.tex"
    tex.write_text(latex_document([d], title=d.title))
    assert compile_latex(str(tex))
    assert audit(tex.read_text(), tex.with_suffix(".log").read_text(errors="replace")) == []
