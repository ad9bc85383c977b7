"""The Lie-closure engine: known counts, modes agree, brackets are right, certificates replay."""
import flint
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.exact.modular import COUNT_PRIME, PRIME
from laws import closure
from laws.engine import brackets
from laws.closure import LawCount, LieLawCount, PointRun, count_laws, evaluate_brackets, random_point, replay
from laws.models.model import Model, linear, relu
from laws.polynomial import find_polynomial_laws
from laws.strategies import architectures, polynomial_models


@settings(max_examples=12, deadline=None)
@given(architectures(kind="relu", max_depth=3, max_width=4))
def test_relu_networks_have_one_law_per_hidden_neuron(model):
    """Marcotte et al. 2023 (Thm. for ReLU nets): the laws are ||in_k||^2 - ||out_k||^2, one per
    hidden neuron, and there are no others; the engine must find exactly that many, with or without bias."""
    assert count_laws(model).laws == sum(model.structure.dims[1:-1])


@pytest.mark.parametrize("n, r, m", [(2, 2, 2), (3, 2, 3), (3, 3, 3), (4, 2, 1), (2, 2, 3)])
def test_two_layer_linear_with_r_at_most_min_nm_has_r_r_plus_1_over_2_laws(n, r, m):
    """phi = U V^T with r <= min(n, m) (Marcotte et al. 2023): the r(r+1)/2 entries of U^T U - V^T V
    are independent laws and there are no others. (r > min(n, m) behaves differently: see below.)"""
    assert count_laws(linear([n, r, m])).laws == r * (r + 1) // 2


def test_scalar_two_layer_linear_has_fewer_laws_than_matrix_entries():
    """phi = sum_k u_k v_k (n = m = 1, r = 3): W is one field, Lie(W) = W, so K = 1 and D - K = 5,
    although U^T U - V^T V has 6 entries: they are not functionally independent here."""
    result = count_laws(linear([1, 3, 1]))
    assert (result.D, result.trace_dim, result.laws) == (6, 1, 5)


def test_deep_linear_laws_are_one_symmetric_matrix_per_hidden_layer():
    """For U3 U2 U1 with square layers the count is sum over hidden layers of n_l(n_l+1)/2."""
    assert count_laws(linear([3, 4, 3, 2])).laws == 10 + 6


@pytest.mark.parametrize("model", [linear([2, 3, 2]), linear([3, 3, 2, 2]), relu([2, 3, 2], bias=True),
                                   Model.from_polynomials(["a*b*c", "a**2 + b*c", "c**3"], params=["a", "b", "c"])],
                         ids=lambda m: m.name)
def test_basis_and_random_modes_agree(model):
    assert count_laws(model, mode="basis").trace_dim == count_laws(model, mode="random").trace_dim


@settings(max_examples=15, deadline=None)
@given(polynomial_models(), st.integers(0, 10))
def test_count_is_invariant_under_renaming_and_reordering_parameters(model, seed):
    rng = np.random.default_rng(seed)
    order = rng.permutation(model.D)
    names = [f"w{int(i)}" for i in order]
    renamed = model.renamed(names)
    assert count_laws(renamed, seed=seed).trace_dim == count_laws(model, seed=seed + 1).trace_dim


def _random_fields(ctx, rng, count):
    gens = ctx.gens()
    fields = []
    for _ in range(count):
        poly = ctx.constant(0)
        for _ in range(4):
            term = ctx.constant(int(rng.integers(-3, 4)))
            for v in rng.integers(0, len(gens), size=int(rng.integers(1, 4))):
                term *= gens[int(v)]
            poly += term
        fields.append(brackets.gradient(poly, ctx))
    return fields


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_brackets_are_antisymmetric_and_satisfy_jacobi(seed):
    rng = np.random.default_rng(seed)
    ctx = flint.fmpq_mpoly_ctx.get(("x", "y", "z"), "deglex")
    X, Y, Z = _random_fields(ctx, rng, 3)
    assert brackets.bracket(X, Y, ctx) == tuple(-c for c in brackets.bracket(Y, X, ctx))
    jacobi = [a + b + c for a, b, c in zip(brackets.bracket(X, brackets.bracket(Y, Z, ctx), ctx),
                                             brackets.bracket(Y, brackets.bracket(Z, X, ctx), ctx),
                                             brackets.bracket(Z, brackets.bracket(X, Y, ctx), ctx))]
    assert all(c.is_zero() for c in jacobi)


@settings(max_examples=10, deadline=None)
@given(polynomial_models(max_params=3, max_degree=3), st.integers(0, 1000))
def test_jet_bracket_values_equal_exact_symbolic_brackets(model, seed):
    """The engine's bracket values (jets mod p) equal the exact symbolic brackets evaluated mod p."""
    rng = np.random.default_rng(seed)
    theta = rng.integers(1, PRIME, size=model.D)
    chis = [brackets.gradient(p, model.ctx) for p in model.phi]
    N = model.N
    i, j, k = (int(v) for v in rng.integers(0, N, size=3))
    symbolic = brackets.bracket(chis[i], brackets.bracket(chis[j], chis[k], model.ctx), model.ctx)
    e = np.eye(N, dtype=np.int64)
    jet_value = evaluate_brackets(model.evaluator(), [e[[i]], e[[j]], e[[k]]], theta)[0]
    assert jet_value.tolist() == brackets.evaluate(symbolic, theta, PRIME)


def test_certificate_replays_and_records_two_points():
    model = relu([2, 3, 2])
    result = count_laws(model, seed=7)
    assert len(result.certificate.points) == 2 and result.certificate.points[0] != result.certificate.points[1]
    assert replay(model, result.certificate).trace_dim == result.trace_dim


def test_disagreeing_points_fail_loudly(monkeypatch):
    calls = iter([closure.PointRun(5, [], True, None, np.zeros(1)), closure.PointRun(6, [], True, None, np.zeros(1))])
    monkeypatch.setattr(closure, "_trace_dimension", lambda *a, **k: next(calls))
    with pytest.raises(closure.InconsistentRank, match="differs between two random points"):
        count_laws(linear([2, 2, 2]))


def test_count_agrees_with_independent_quadratic_laws_where_they_are_complete():
    """Two independent routes: the Lie-closure count and the exact degree-2 laws."""
    for model in (linear([2, 3, 2]), relu([3, 2, 2], bias=True), linear([2, 2, 2, 2])):
        assert count_laws(model).laws == find_polynomial_laws(model, 2).independent


def test_derivation_tree_has_bracket_edges_and_latex():
    result = count_laws(linear([2, 2, 2]), mode="basis")
    kept = [n for n, d in result.tree.nodes(data=True) if d.get("kind") == "bracket" and len(n) == 2]
    assert kept and all(result.tree.has_edge((n[0],), n) for n in kept)
    latex = result.to_latex()
    assert "\\begin{align*}" in latex and "D - K" in latex
    assert result.to_json()["laws"] == 3


def test_unknown_mode_is_a_user_error():
    with pytest.raises(FlowAlgebraError, match="unknown mode"):
        count_laws(linear([2, 2]), mode="fast")


def test_a_count_is_a_lie_law_count_and_a_law_count():
    result = count_laws(relu([2, 3, 2]))
    assert type(result) is LieLawCount and isinstance(result, LawCount)
    assert result.ranks == tuple(lv.rank for lv in result.levels) and result.ranks[-1] == result.trace_dim


def test_law_count_is_abstract():
    with pytest.raises(TypeError):
        LawCount()


def test_each_point_is_a_typed_run_and_the_certificate_records_it(monkeypatch):
    runs = []
    original = closure._trace_dimension
    monkeypatch.setattr(closure, "_trace_dimension", lambda *a, **k: runs.append(original(*a, **k)) or runs[-1])
    result = count_laws(linear([2, 2, 2]), seed=5, points=3)
    assert len(runs) == 3 and all(isinstance(run, PointRun) for run in runs)
    assert result.certificate.points == tuple(tuple(int(v) for v in run.point) for run in runs)
    assert all(run.rank == result.trace_dim for run in runs)


def test_random_points_are_the_seeded_generator_streams():
    """The points come from algebra.exact.random.generator(seed, index, D): numpy's default_rng([seed, index, D])."""
    point = random_point(12, seed=3, index=1, prime=PRIME)
    assert point.tolist() == np.random.default_rng([3, 1, 12]).integers(1, PRIME, size=12, dtype=np.int64).tolist()
    certificate = count_laws(relu([2, 3, 2]), seed=3).certificate
    assert certificate.prime == COUNT_PRIME
    assert certificate.points[1] == tuple(int(v) for v in random_point(12, 3, 1, COUNT_PRIME))
