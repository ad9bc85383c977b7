"""Table 2 of Tian 2024 (issue 12, part 4): the closed-form gradient equals the all-pairs one, the paper's
categories, the table as a result, and ``flowalgebra cogo table2``."""
from __future__ import annotations

import json

import numpy as np
import pytest

from algebra.cogo import constructions as C
from algebra.cogo.fourier_training import fastest, fourier_loss_and_grads, train_fourier
from algebra.cogo.table2 import (CATEGORIES, CRITERIA, MAX_TABLE2_SECONDS, PAPER_TABLE2, Table2, category,
                                 paper_category, table2, table2_from_runs)
from algebra.cogo.training import loss_and_grads, train
from algebra.errors import FlowAlgebraError
from groups.abelian import Zd


def _weights(rng, n, N, scale=1.0):
    return (scale * rng.normal(size=(N, n)), scale * rng.normal(size=(N, n)), scale * rng.normal(size=(n, N)))


@pytest.mark.parametrize("G", [Zd(2), Zd(3), Zd(4), Zd(7), Zd(12), Zd(23), Zd(2) * Zd(3), Zd(3) * Zd(3) * Zd(2)],
                         ids=lambda G: G.name)
@pytest.mark.parametrize("N", [1, 5, 40])
def test_fourier_loss_and_gradient_equal_the_all_pairs_ones(G, N):
    rng = np.random.default_rng(G.order * 100 + N)
    for scale in (0.1, 1.0, 3.0):
        W = _weights(rng, G.order, N, scale)
        slow, fast = loss_and_grads(G, *W), fourier_loss_and_grads(G, *W)
        assert abs(slow[0] - fast[0]) <= 1e-10 * abs(slow[0])
        for s, f in zip(slow[1:], fast[1:]):
            assert s.shape == f.shape
            assert np.max(np.abs(s - f)) <= 1e-10 * np.max(np.abs(s))


def test_fourier_loss_is_zero_at_a_global_optimizer():
    """Z_F6 over Z_7 (loss exactly 0, verified exactly elsewhere) as real weights: both losses vanish."""
    G = Zd(7)
    A, B, Cf = C.construct("F6", G, symbolic=False).to_numpy()
    X = G.character_matrix()
    W_a, W_b = (A @ X.T).real, (B @ X.T).real
    W_c = (np.conj(X) @ Cf.T).real / (2 * G.order)
    assert loss_and_grads(G, W_a, W_b, W_c)[0] < 1e-20
    assert abs(fourier_loss_and_grads(G, W_a, W_b, W_c)[0]) < 1e-12


def test_train_fourier_follows_the_same_adam_trajectory():
    slow = train(7, width=24, wd=1e-4, seed=3, epochs=300, progress=False)
    fast = train_fourier(7, width=24, wd=1e-4, seed=3, epochs=300, progress=False)
    for a, b in zip(slow.weights, fast.weights):
        assert np.max(np.abs(a - b)) <= 1e-8 * np.max(np.abs(a))
    assert np.allclose(slow.loss_history, fast.loss_history, rtol=1e-9, atol=0)


def test_fastest_picks_the_cheaper_step():
    assert fastest(23, 512) == "direct" and fastest(71, 512) == "fourier" and fastest(127, 512) == "fourier"
    assert fastest(127, 16) == "fourier" and fastest(5, 4) == "direct"


# -- categories ----------------------------------------------------------------------------------------
def test_strict_categories():
    assert [category(4, "nu_i*xi"), category(6, "nu*syn"), category(6, "nu_i*syn_ab"), category(6, "nu_i*syn")] == \
        ["nu_i*xi", "nu*syn", "nu_i*syn_ab", "nu_i*syn_ab"]
    assert category(4, "nu*syn") == "other" and category(6, "nu_i*syn_c") == "other"
    assert category(6, "unfactored") == "non-factorable"
    assert category(0, "empty") is None and category(8, "nu_i*nu_i*xi") is None


@pytest.mark.parametrize("expr,values,expected", [
    ("nu_i*xi", {"xi": np.exp(0.3j)}, "nu_i*xi"),
    ("nu*syn", {"nu": np.exp(1j)}, "nu*syn"),
    ("nu_i*syn_ab", {"alpha": np.exp(0.7j), "beta": np.exp(-1.1j)}, "nu_i*syn_ab"),
    ("nu_i*syn", {}, "nu_i*syn_ab"),
])
def test_paper_criteria_name_the_constructions(expr, values, expected):
    block = C.parse_block_expression(expr).to_numpy(values)
    assert paper_category(block) == expected
    perm = np.random.default_rng(1).permutation(len(block))
    assert paper_category(block[perm]) == expected  # node order does not matter
    assert paper_category(np.conj(block)) == expected  # nor the representative k or -k of the pair


def test_paper_criteria_reject_noise_and_other_orders():
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(6, 3)) + 1j * rng.normal(size=(6, 3))
    assert paper_category(noise) in ("non-factorable", "other")
    assert paper_category(rng.normal(size=(2, 3)) + 0j) is None


# -- the table ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    runs = {}
    t = table2(7, seeds=3, width=24, epochs=400, progress=False, runs=runs)
    return t, runs


def test_table_records_seeds_settings_and_counts(small):
    t, runs = small
    assert t.seeds == (1, 2, 3) and sorted(runs) == [1, 2, 3] and t.method == "direct"
    assert (t.width, t.wd, t.epochs, t.lr, t.d) == (24, 5e-5, 400, 1e-2, 7)
    for crit in CRITERIA:
        u = t.with_criteria(crit)
        assert sum(u.orders().values()) == 3 * 3  # (7 - 1)/2 frequency pairs per run
        n = u.factorable()
        shares = u.shares()
        assert set(shares) == set(CATEGORIES)
        if n:
            assert sum(shares.values()) == pytest.approx(1.0)
        assert u.counts()["nonfactorable_4"] <= u.orders()["4"] and u.counts()["nonfactorable_6"] <= u.orders()["6"]
    j = t.to_json()
    assert json.loads(json.dumps(j)) == j
    assert j["seeds"] == [1, 2, 3] and j["paper"] is None and set(j["by_criteria"]) == set(CRITERIA)


def test_runs_given_are_reused_and_checked(small):
    t, runs = small
    again = table2(7, seeds=3, width=24, epochs=400, progress=False, runs=dict(runs))
    assert again.per_run == t.per_run
    assert table2_from_runs(runs.values(), method="direct").per_run == t.per_run
    with pytest.raises(FlowAlgebraError, match="was trained with"):
        table2(7, seeds=3, width=24, epochs=500, progress=False, runs=dict(runs))


def test_table_is_a_result(small):
    t, _ = small
    tex = t.to_latex()
    assert "\\toprule" in tex and "Notation." in tex and "tian2024" in tex
    assert "Table 2" in t.summary() and len(repr(t).splitlines()) == 1
    assert t.with_criteria("strict").criteria == "strict"
    with pytest.raises(FlowAlgebraError, match="criteria"):
        t.with_criteria("lenient")


def test_paper_row_only_for_the_paper_setting():
    t = Table2((23,), 512, 5e-5, 10_000, 1e-2, "direct", (1,), [])
    assert t.paper() == PAPER_TABLE2[23]
    assert sum(v for k, v in PAPER_TABLE2[23].items() if k in CATEGORIES) == pytest.approx(100.0)
    assert Table2((23,), 256, 5e-5, 10_000, 1e-2, "direct", (1,), []).paper() is None


@pytest.mark.parametrize("kwargs,needle", [
    (dict(d=2), "d must be"), (dict(d=23, seeds=0), "seeds must be"), (dict(d=23, seeds=[1, 1]), "distinct"),
    (dict(d=23, method="slow"), "method must be"), (dict(d=127, seeds=100), "MAX_TABLE2_SECONDS"),
    (dict(d=5, width=16384, method="fourier"), "MAX_TRAIN_BYTES"), (dict(d=23, width=0), "width must be"),
])
def test_bad_arguments_are_refused_before_any_work(kwargs, needle):
    with pytest.raises(FlowAlgebraError, match=needle):
        table2(progress=False, **kwargs)
    assert MAX_TABLE2_SECONDS >= 3600


def test_cli_table2_json(run_cli):
    code, out, err = run_cli(["cogo", "table2", "--d", "5", "--seeds", "2", "--width", "12", "--epochs", "50",
                              "--quiet", "--json"])
    assert code == 0, err
    j = json.loads(out)
    assert j["group"] == "Z_5" and j["seeds"] == [1, 2] and j["epochs"] == 50 and j["criteria"] == "paper"


# training on a share of the pairs (the paper's protocol: a random 90%, test_size=0.1 in its released code)

from algebra.cogo.training import load_run, train_pairs  # noqa: E402


def test_train_fraction_one_is_the_default_run_bit_for_bit():
    default = train(5, width=8, wd=1e-4, seed=2, epochs=60, lr=1e-2, progress=False)
    one = train(5, width=8, wd=1e-4, seed=2, epochs=60, lr=1e-2, progress=False, train_fraction=1.0)
    for a, b in zip(default.weights, one.weights):
        assert np.array_equal(a, b)
    assert np.array_equal(default.loss_history, one.loss_history)
    assert one.train_fraction == 1.0 and one.to_json()["train_fraction"] == 1.0
    assert train_pairs(5, 1.0, 2) is None


def _direct_loss(G, W_a, W_b, W_c, pairs):
    n = G.order
    total = 0.0
    for i in pairs:
        g1, g2 = divmod(int(i), n)
        o = W_c @ (W_a[:, g1] + W_b[:, g2]) ** 2
        e = np.zeros(n)
        e[G._add_table[g1, g2]] = 1.0
        r = (o - o.mean()) - (e - e.mean())
        total += r @ r
    return total / len(pairs)


@pytest.mark.parametrize("G", [Zd(7), Zd(2) * Zd(3)], ids=lambda G: G.name)
def test_masked_loss_is_the_mean_over_the_chosen_pairs(G):
    rng = np.random.default_rng(G.order)
    W = _weights(rng, G.order, 5, 0.7)
    pairs = train_pairs(G.order, 0.6, 4)
    loss, *grads = loss_and_grads(G, *W, pairs=pairs)
    assert abs(loss - _direct_loss(G, *W, pairs)) <= 1e-12 * loss
    h = 1e-6  # the gradient is that of the same masked loss (central differences)
    for k, g in enumerate(grads):
        for idx in [(0, 0), (1, 2), (g.shape[0] - 1, g.shape[1] - 1)]:
            up = [w.copy() for w in W]
            dn = [w.copy() for w in W]
            up[k][idx] += h
            dn[k][idx] -= h
            fd = (_direct_loss(G, *up, pairs) - _direct_loss(G, *dn, pairs)) / (2 * h)
            assert abs(fd - g[idx]) <= 1e-6 * max(1.0, abs(g[idx]))
    every = loss_and_grads(G, *W, pairs=np.arange(G.order ** 2))
    for a, b in zip(every, loss_and_grads(G, *W)):
        assert np.allclose(a, b, rtol=1e-12, atol=0)


def test_split_is_reproducible_from_the_seed(tmp_path):
    a, b, c = train_pairs(23, 0.9, 1), train_pairs(23, 0.9, 1), train_pairs(23, 0.9, 2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert len(a) == 529 - 53 and len(np.unique(a)) == len(a) and a.min() >= 0 and a.max() < 529
    r1 = train(7, width=8, seed=3, epochs=40, lr=1e-2, progress=False, train_fraction=0.9)
    r2 = train(7, width=8, seed=3, epochs=40, lr=1e-2, progress=False, train_fraction=0.9)
    for x, y in zip(r1.weights, r2.weights):
        assert np.array_equal(x, y)
    full = train(7, width=8, seed=3, epochs=40, lr=1e-2, progress=False)
    assert not np.array_equal(full.W_a, r1.W_a)
    back = load_run(r1.save(str(tmp_path / "run.npz")))
    assert back.train_fraction == 0.9 and r1.to_json()["train_fraction"] == 0.9
    assert "0.9 of the pairs" in r1.summary()


def test_split_is_the_papers_train_test_split():
    sklearn = pytest.importorskip("sklearn.model_selection")
    X = np.arange(23 * 23)  # the pairs (g1, g2) listed g1-major, as generate_dataset does
    for seed in (1, 5):
        train_X, _ = sklearn.train_test_split(X, test_size=0.1, random_state=seed)
        assert np.array_equal(np.sort(train_X), train_pairs(23, 0.9, seed))


def test_train_fraction_is_checked_and_picks_the_all_pairs_gradient():
    for bad in (0, -0.1, 1.5, float("nan"), True):
        with pytest.raises(FlowAlgebraError, match="train fraction"):
            train(5, width=4, epochs=2, progress=False, train_fraction=bad)
    fast = train_fourier(5, width=6, seed=1, epochs=30, progress=False, train_fraction=0.8)
    slow = train(5, width=6, seed=1, epochs=30, progress=False, train_fraction=0.8)
    assert np.array_equal(fast.W_a, slow.W_a)
    t = table2(71, seeds=1, width=8, epochs=3, progress=False, train_fraction=0.9)
    assert t.method == "direct" and t.train_fraction == 0.9 and t.to_json()["train_fraction"] == 0.9
    assert "0.9 of the pairs" in t.summary()
    with pytest.raises(FlowAlgebraError, match="sums over all pairs"):
        table2(23, seeds=1, width=8, epochs=3, progress=False, train_fraction=0.9, method="fourier")
    with pytest.raises(FlowAlgebraError, match="train fraction"):
        table2(23, seeds=1, width=8, epochs=3, progress=False, train_fraction=1.2)
    with pytest.raises(FlowAlgebraError, match="one setting"):
        table2_from_runs([train(5, width=4, epochs=2, seed=1, progress=False),
                          train(5, width=4, epochs=2, seed=2, progress=False, train_fraction=0.5)])
