"""The fast path of the polynomial-law search against direct exact computations.

The search decides monomials alone in their block together, proves laws with one tagged product per coordinate
(:class:`laws.polynomial.GeneratorPairing`), refutes at a random point, and reads the balance entries through the
span of the laws. Each of these is compared here with a computation that uses none of them: the whole linear
system over Q (every monomial, every generator, exact coefficients) and the generator-by-generator proof
:meth:`laws.system.PolynomialSystem.prove`.
"""
import flint
import numpy as np
import pytest

from laws.flows.extended import flow_system
from laws.matrix_form import balance_matrices, span_rank
from laws.models.model import Model, linear, relu
from laws.models.model import parity_mask
from laws.polynomial import GeneratorPairing, _blocks, find_polynomial_laws, monomial_table

SMALL = [relu([2, 3, 2]), relu([2, 2, 2, 2], bias=True), relu([3, 2, 2]), linear([2, 3, 2]), linear([1, 2, 2], bias=True),
         Model.from_polynomials(["a*b + c**2", "a*c*d"], params=["a", "b", "c", "d"])]


def direct_laws(system, degree: int, homogeneous: bool = True) -> list:
    """A basis of the conserved polynomials spanned by the monomials of ``monomial_table``: the exact kernel over Q of
    the full system (coefficient of each output monomial of X_i(m), for every generator i and monomial m)."""
    table = monomial_table(system.D, degree, homogeneous)
    gens = system.ctx.gens()
    monomials = []
    for row in table.tolist():
        m = system.ctx.constant(1)
        for v in row:
            if v < system.D:
                m = m * gens[v]
        monomials.append(m)
    equations: dict = {}
    for col, m in enumerate(monomials):
        grad = [m.derivative(v) for v in range(system.D)]
        for i in range(system.N):
            for exps, c in zip(*(lambda q: (q.monoms(), q.coeffs()))(system.pairing(grad, i))):
                equations.setdefault((i, exps), {})[col] = c
    A = flint.fmpq_mat(max(1, len(equations)), len(monomials))
    for r, eq in enumerate(equations.values()):
        for col, c in eq.items():
            A[r, col] = c
    R, rank = A.rref()
    pivots = {}
    for r in range(rank):
        pivots[next(c for c in range(A.ncols()) if R[r, c] != 0)] = r
    laws = []
    for free in (c for c in range(A.ncols()) if c not in pivots):   # one kernel vector per free column
        h = monomials[free]
        for c, r in pivots.items():
            if R[r, free] != 0:
                h = h - R[r, free] * monomials[c]
        laws.append(h)
    return laws


def same_span(a: list, b: list) -> bool:
    return span_rank(a) == span_rank(b) == span_rank(a + b)


@pytest.mark.parametrize("model", SMALL, ids=lambda m: m.name)
def test_laws_span_the_exact_kernel_of_the_whole_system(model):
    result = find_polynomial_laws(model, degree=2)
    found = [model.parse(str(h)) for h in result.laws]
    direct = direct_laws(model, 2)
    assert result.kernel_dim == len(direct) and same_span(found, direct)


def test_laws_of_a_non_gradient_flow_and_of_all_degrees_match_the_direct_kernel():
    system = flow_system(linear([1, 2, 1]), "mirror")
    for degree, homogeneous in ((2, True), (2, False)):
        result = find_polynomial_laws(system, degree=degree, homogeneous=homogeneous)
        direct = direct_laws(system, degree, homogeneous)
        assert result.kernel_dim == len(direct)
        assert same_span([system.parse(str(h)) for h in result.laws], direct)


@pytest.mark.parametrize("system", SMALL + [flow_system(relu([2, 2, 1]), "mirror"),
                                            flow_system(linear([2, 2, 1]), "momentum")], ids=lambda s: s.name)
def test_tagged_proof_and_refutation_agree_with_the_proof_generator_by_generator(system):
    """Laws, laws plus a perturbation, balance entries (conserved or not), single monomials: same verdicts."""
    pairing = GeneratorPairing(system, 2, seed=3)
    laws = direct_laws(system, 2)
    gens = system.ctx.gens()
    candidates = list(laws) + [h + gens[0] * gens[-1] for h in laws] + [g * g for g in gens]
    candidates += [gens[0] * gens[1], gens[0] ** 2 - gens[-1] ** 2]
    if getattr(system, "structure", None) is not None:
        candidates += [e for info in balance_matrices(system) for _, e in info["entries"]]
    verdicts = [system.prove(h) for h in candidates]
    assert any(verdicts) and not all(verdicts)
    assert [pairing.prove(h) for h in candidates] == verdicts
    assert not any(pairing.refutes(h) for h, holds in zip(candidates, verdicts) if holds)
    # refutation is the cheap path: it catches (nearly) every non-law here
    assert sum(pairing.refutes(h) for h, holds in zip(candidates, verdicts) if not holds) >= verdicts.count(False) - 1


def test_tagged_proof_of_a_higher_degree_falls_back_and_agrees():
    m = Model.from_polynomials(["a*b"], params=["a", "b"])
    a, b = m.ctx.gens()
    pairing = GeneratorPairing(m, 2)
    for h in ((a**2 - b**2) ** 2, (a**2 - b**2) ** 2 + a * b**3, a**3 * b):
        assert pairing.prove(h) == m.prove(h)


@pytest.mark.parametrize("model", [relu([2, 3, 2], bias=True), linear([2, 2, 2]), flow_system(linear([1, 2, 1]), "momentum")],
                         ids=lambda m: m.name)
def test_blocks_are_the_classes_of_the_sign_character(model):
    """Singles and blocks partition the monomials; two monomials share a block iff their characters agree."""
    for degree, homogeneous in ((2, True), (3, False)):
        table = monomial_table(model.D, degree, homogeneous)
        singles, blocks = _blocks(table, model.sign_symmetries(), model.D)
        symmetries = model.sign_symmetries()

        def character(row):
            mask = parity_mask(np.bincount([v for v in row if v < model.D], minlength=model.D))
            return tuple(bin(mask & s).count("1") % 2 for s in symmetries)

        chars = [character(row) for row in table.tolist()]
        seen = sorted(singles.tolist() + [i for b in blocks for i in b.tolist()])
        assert seen == list(range(len(table)))
        for b in blocks:
            assert len(b) > 1 and list(b) == sorted(b) and len({chars[i] for i in b}) == 1
        keys = [chars[b[0]] for b in blocks] + [chars[i] for i in singles]
        assert len(set(keys)) == len(keys)
