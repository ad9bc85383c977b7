"""The boundary inside the CoGO library (issue 10): the block-expression parser and the argument types
never fail with anything but one-line errors, deep recorded networks are walked without recursion, and
every cost is estimated before the work."""
from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from algebra.cogo import cli
from algebra.cogo.constructions import (BLOCKS, MAX_EXPRESSION_LENGTH, block_expression_size, block_terms, construct,
                                        parse_block_expression, uniform)
from algebra.cogo.decomposition import MAX_PROOF_COST, loss, proof_cost, prove_decomposition
from algebra.cogo.ring import MAX_BLOCK_NODES, MAX_LABEL_PARTS, MAX_RECORDED_NODES, Block, Network, SumNetwork
from algebra.cogo.training import (MAX_TRAIN_BYTES, RUN_FORMAT, load_run, loss_and_grads, train, training_bytes)
from algebra.cogo.verification import verify
from algebra.errors import FlowAlgebraError
from groups import Zd

SET = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
G5 = Zd(5)
NAMES = sorted(BLOCKS)


def _one_line(err: Exception) -> None:
    message = str(err)
    assert message and "\n" not in message and len(message) < 400, message


# -- block expressions ---------------------------------------------------------------------------------
@SET
@given(st.text(max_size=300))
def test_block_terms_on_any_text_is_a_value_or_one_line(text):
    try:
        terms = block_terms(text)
    except FlowAlgebraError as err:
        _one_line(err)
    else:
        assert terms and all(name in BLOCKS for term in terms for name in term)
        assert block_expression_size(terms) <= MAX_BLOCK_NODES


@SET
@given(st.lists(st.sampled_from(NAMES + ["*", "+", " ", "2", "(", ")", "**", "nu xi", ""]), max_size=40))
def test_block_terms_on_near_miss_token_soups(tokens):
    text = "".join(tokens)
    try:
        block_terms(text)
    except FlowAlgebraError as err:
        _one_line(err)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3), min_size=1, max_size=3))
def test_the_size_estimate_is_the_size_built(terms):
    text = " + ".join("*".join(term) for term in terms)
    assert block_terms(text) == terms
    assert parse_block_expression(text).num_nodes == block_expression_size(terms)


def test_the_estimate_refuses_before_building():
    start = time.perf_counter()
    with pytest.raises(FlowAlgebraError, match="about 10\\^19 nodes"):
        parse_block_expression("*".join(["nu"] * 66))
    assert time.perf_counter() - start < 0.1
    with pytest.raises(FlowAlgebraError, match="limit"):
        Block.one() * Block.from_nodes([(1, 1, 1)] * 64) * Block.from_nodes([(1, 1, 1)] * 65)
    with pytest.raises(FlowAlgebraError, match="too long"):
        block_terms("nu" * (MAX_EXPRESSION_LENGTH // 2 + 1))
    with pytest.raises(FlowAlgebraError, match="is text"):
        block_terms(7)


def test_a_block_at_every_pair_is_estimated_before_its_potentials():
    big = parse_block_expression("nu_i*xi*syn*syn*syn*nu_i")
    start = time.perf_counter()
    with pytest.raises(FlowAlgebraError, match="200016 nodes"):
        uniform(Zd(1853), big)
    assert time.perf_counter() - start < 1


# -- argument types -------------------------------------------------------------------------------------
@SET
@given(st.text(max_size=80))
def test_argument_types_on_any_text(text):
    for parse in (cli.check_group, cli.training_group, cli.construction, cli.block_expression, cli.check_order,
                  cli.proof_order, cli.proof_width, cli.checkpoint_every):
        try:
            parse(text)
        except argparse.ArgumentTypeError as err:
            _one_line(err)


def test_group_types_apply_the_order_limit_to_the_product():
    assert cli.check_group("3x23x29").order == 2001
    assert cli.check_group("73x137").order == cli.MAX_CHECK_ORDER == 10001
    with pytest.raises(argparse.ArgumentTypeError, match="order 10003"):
        cli.check_group("10003")
    assert cli.training_group("20x20").order == 400
    with pytest.raises(argparse.ArgumentTypeError, match="limited to \\|G\\| <= 400"):
        cli.training_group("3x7x21")


# -- deep and shared recorded networks --------------------------------------------------------------------
def _leaf(v: int = 2) -> Network:
    return Network.from_nodes(G5, [({1: v, 4: v}, {1: 3, 4: 3}, {1: 5, 4: 5})])


def test_a_long_chain_of_sums_is_walked_without_recursion():
    x = _leaf()
    z = x
    for v in range(2500):
        z = z + _leaf(v % 7 + 1)
    assert z.num_nodes == 2501 and len(z.leaves()) == 2501 and len(z.nodes()) == 2501
    flat = Network.from_nodes(G5, z.nodes())
    assert z.potential_table() == flat.potential_table() and loss(z) == loss(flat)
    assert z.is_real() and z.params() == set()
    assert str(z.label).endswith("\\dots") and len(z.label.args) == MAX_LABEL_PARTS + 1


def test_a_shared_sum_counts_each_summand_with_its_multiplicity():
    x = _leaf()
    s = x
    for _ in range(60):  # 2^60 summands, one object
        s = s + s
    assert s.num_nodes == 2 ** 60
    assert s.multiplicities() == [(x, 2 ** 60)]
    start = time.perf_counter()
    table = s.potential_table()
    assert table == {k: v * 2 ** 60 for k, v in x.potential_table().items()}
    assert time.perf_counter() - start < 1
    with pytest.raises(FlowAlgebraError, match="too many to list"):
        s.nodes()


def test_sum_networks_flatten_to_their_summands():
    x, y = _leaf(1), _leaf(2)
    z = (x + y) + (y + (x + x))
    assert isinstance(z, SumNetwork) and z.summands() == [x, y, y, x, x]
    assert sorted(m for _, m in z.multiplicities()) == [2, 3]


def test_a_product_beyond_any_count_is_refused():
    x = Network.from_nodes(G5, [({1: 1}, {1: 1}, {1: 1})] * 1000)
    p = x
    with pytest.raises(FlowAlgebraError, match="limit about 10\\^30"):
        for _ in range(20):
            p = p * x
    assert p.num_nodes <= MAX_RECORDED_NODES


def test_a_long_chain_of_scalar_products():
    x = _leaf()
    y = x
    for _ in range(2000):
        y = y * Network.scalar(G5, 1)
    assert y.potential_table() == x.potential_table() and len(y.nodes()) == 1 and y == x
    assert len(y.label.args) == MAX_LABEL_PARTS + 1  # the label ends in an ellipsis


def test_verify_at_a_large_order_lists_its_free_parameters_without_the_root_nodes():
    v = verify(construct("F6", Zd(601)), "F6")
    assert v.global_optimizer and v.num_nodes == 1800 and len(v.free_parameters) == 300 and v.real


# -- proof and training costs ------------------------------------------------------------------------------
@pytest.mark.parametrize("order,width", [(3, 11), (4, 3), (5, 2), (6, 1), (9, 3)])
def test_proofs_over_the_cost_are_refused_at_once(order, width):
    assert proof_cost(order, width) > MAX_PROOF_COST
    start = time.perf_counter()
    with pytest.raises(FlowAlgebraError, match="tiny instances") as err:
        prove_decomposition(Zd(order), width)
    _one_line(err.value)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("width", [0, -1, 1.5, True])
def test_proof_widths_are_positive_integers(width):
    with pytest.raises(FlowAlgebraError, match="positive integer"):
        prove_decomposition(Zd(3), width)


def test_the_training_estimate_bounds_the_working_arrays():
    """The arrays of one step (H, S and their products: |G|^2 x width; outputs, residuals, targets: |G|^3)
    stay within the estimate."""
    G = Zd(23)
    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=(64, 23)), rng.normal(size=(64, 23)), rng.normal(size=(23, 64))]
    loss_value, *grads = loss_and_grads(G, *Ws)
    assert math.isfinite(loss_value)
    assert 5 * 8 * (23 ** 2 * 64 + 23 ** 3) == training_bytes(23, 64, 10)
    assert training_bytes(23, 64, 100, 10) > training_bytes(23, 64, 100)
    assert training_bytes(400, 103, 1) <= MAX_TRAIN_BYTES < training_bytes(400, 104, 1)


@pytest.mark.parametrize("kwargs,needle", [
    (dict(d=400, width=104), "per step"),
    (dict(d=23, width=512, epochs=2_000_000, checkpoint_every=1), "checkpoints"),
    (dict(d=5, width=2, checkpoint_every=-3), "checkpoint_every"),
])
def test_training_refuses_over_its_limits(kwargs, needle):
    with pytest.raises(FlowAlgebraError, match=needle) as err:
        train(progress=False, **kwargs)
    _one_line(err.value)


# -- run files ----------------------------------------------------------------------------------------------
_FIELDS = ["format", "moduli", "width", "W_a", "W_b", "W_c", "wd", "seed", "epochs", "lr", "loss_epochs",
           "loss_history", "ckpt_epochs", "ckpt_W_a", "ckpt_W_b", "ckpt_W_c"]
_ARRAYS = st.one_of(
    st.just(RUN_FORMAT).map(np.array), st.text(max_size=5).map(np.array), st.integers(-3, 30).map(np.array),
    st.floats(allow_nan=True, allow_infinity=True).map(np.array),
    st.tuples(st.integers(0, 4), st.integers(0, 6)).map(lambda s: np.ones(s)),
    st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 6)).map(lambda s: np.zeros(s)),
    st.lists(st.integers(-2, 9), max_size=3).map(np.array), st.just(np.full((3, 5), np.nan)),
    st.just(np.ones((3, 5), dtype=complex)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_FIELDS), _ARRAYS, max_size=len(_FIELDS)))
def test_any_npz_is_a_run_or_one_line(tmp_path, fields):
    path = str(tmp_path / "run.npz")
    base = {"format": np.array(RUN_FORMAT), "moduli": np.array([5]), "width": np.array(3),
            "W_a": np.ones((3, 5)), "W_b": np.ones((3, 5)), "W_c": np.ones((5, 3))}
    np.savez(path, **(base | fields))
    try:
        run = load_run(path)
    except FlowAlgebraError as err:
        _one_line(err)
    else:
        assert run.W_a.shape == (run.width, run.group.order) and np.all(np.isfinite(run.W_c))
        for w in run.checkpoints.values():
            assert w.W_a.shape == run.W_a.shape and np.all(np.isfinite(w.W_b))
