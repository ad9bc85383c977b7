"""Numeric backend: gradients, training, run files, factorisation and classification of blocks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algebra.cogo import constructions as C
from algebra.cogo.training import fourier_arrays, load_run, loss_and_grads, train
from algebra.errors import FlowAlgebraError
from algebra.cogo.classify import classify_block, classify_runs, normalise, order2_type
from groups import Zd


def test_gradients_match_finite_differences():
    G = Zd(5)
    rng = np.random.default_rng(3)
    Ws = [rng.normal(size=(4, 5)), rng.normal(size=(4, 5)), rng.normal(size=(5, 4))]
    loss, *grads = loss_and_grads(G, *Ws)
    eps = 1e-6
    for i, W in enumerate(Ws):
        for idx in [(0, 0), (1, 2), (3, 1)]:
            Wp = [w.copy() for w in Ws]
            Wp[i][idx] += eps
            fd = (loss_and_grads(G, *Wp)[0] - loss) / eps
            assert grads[i][idx] == pytest.approx(fd, rel=1e-4, abs=1e-6)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run = train(5, width=24, wd=5e-5, seed=0, epochs=600, lr=1e-2, checkpoint_every=200, progress=False)
    path = run.save(str(tmp_path_factory.mktemp("runs") / "run.npz"))
    return run, path


def test_training_fits_d5(small_run):
    run, _ = small_run
    assert run.loss_history[0] > 0.5
    assert run.final_loss < 1e-2
    assert sorted(run.checkpoints) == [0, 200, 400, 600]


def test_run_file_round_trip(small_run):
    run, path = small_run
    back = load_run(path)
    assert back.moduli == (5,) and back.width == 24 and back.seed == 0
    assert np.array_equal(back.W_a, run.W_a) and np.array_equal(back.W_c, run.W_c)
    assert sorted(back.checkpoints) == [0, 200, 400, 600]
    assert back.final_loss == pytest.approx(run.final_loss)


def test_checkpoints(small_run):
    run, _ = small_run
    early = run.at_checkpoint(200)
    assert early.epochs == 200 and not np.array_equal(early.W_a, run.W_a)
    assert run.at_checkpoint(0).final_loss > 100 * run.final_loss
    with pytest.raises(FlowAlgebraError, match="no checkpoint"):
        run.at_checkpoint(123)


def test_classification_of_a_trained_run(small_run):
    run, _ = small_run
    result = classify_runs([run], progress=False)
    j = result.to_json()
    assert j["runs"][0]["group"] == "Z_5"
    assert sum(j["sizes"].values()) == 2  # two frequency pairs at d = 5
    assert result.summary().startswith("1 run(s)")


def test_load_run_errors(tmp_path):
    with pytest.raises(FlowAlgebraError, match="no such run"):
        load_run(str(tmp_path / "missing.npz"))
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(FlowAlgebraError, match="not a readable"):
        load_run(str(bad))
    other = tmp_path / "other.npz"
    np.savez(other, x=np.zeros(3))
    with pytest.raises(FlowAlgebraError, match="missing"):
        load_run(str(other))
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, format="flowalgebra-cogo-run-1", moduli=np.array([5]), width=2,
             W_a=np.zeros((2, 5)), W_b=np.zeros((2, 4)), W_c=np.zeros((5, 2)))
    with pytest.raises(FlowAlgebraError, match="shapes"):
        load_run(str(wrong))


@pytest.mark.parametrize("kwargs", [dict(d=1), dict(d=5, width=0), dict(d=5, epochs=0), dict(d=5, wd=-1.0),
                                    dict(d=5, lr=5.0), dict(d=100000)])
def test_training_rejects_bad_input(kwargs):
    with pytest.raises(FlowAlgebraError):
        train(progress=False, **kwargs)


# -- factorisation -----------------------------------------------------------
def _perturb(F, rng, noise=0.01):
    F = F.copy()
    q = len(F)
    t = rng.uniform(0.3, 3, q) * rng.choice([-1, 1], q)
    F[:, 0] *= t
    F[:, 1] *= t
    F[:, 2] /= t ** 2
    F = F[rng.permutation(q)]
    if rng.random() < 0.5:
        F = np.conj(F)
    return F * (1 + noise * rng.normal(size=F.shape))


def _sample(name, rng):
    # z_nu * z_syn = z_{nu w3} * z_syn up to node order, so nu is defined modulo w3: keep every
    # nu w3^j away from +-i (angles pi/6 and pi/2 modulo 2 pi/3), where the block is also z_{nu=i} * z_syn
    ang = lambda: np.exp(1j * rng.uniform(0.8, 1.3))  # noqa: E731
    if name == "nu*syn":
        return (C.nu() * C.syn()).to_numpy({"nu": ang()})
    if name == "nu_i*xi":
        return (C.nu_i() * C.xi()).to_numpy({"xi": np.exp(1j * rng.uniform(-np.pi, np.pi))})
    if name == "nu_i*syn_ab":
        return (C.nu_i() * C.syn_ab()).to_numpy({"alpha": ang(), "beta": ang() ** 2})
    return (C.nu_i() * C.syn()).to_numpy()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["nu*syn", "nu_i*xi", "nu_i*syn_ab", "nu_i*syn"]), st.integers(0, 2 ** 32 - 1))
def test_classification_is_robust_to_order_rescaling_and_conjugation(name, seed):
    rng = np.random.default_rng(seed)
    got = classify_block(_perturb(_sample(name, rng), rng)).label
    assert got == name


def test_random_blocks_are_not_named():
    rng = np.random.default_rng(1)
    labels = [classify_block(rng.normal(size=(q, 3)) + 1j * rng.normal(size=(q, 3))).label for q in (4, 6, 6, 4)]
    assert all(label in ("unfactored",) or "?" in label for label in labels)


def test_larger_blocks_factor_recursively():
    F = (C.nu_i() * C.xi() * C.nu_i()).to_numpy({"xi": np.exp(0.3j)})  # order 8
    bc = classify_block(_perturb(F, np.random.default_rng(2), noise=0.0))
    # factorisations of degenerate products are not unique; every factor must still be named
    assert bc.size == 8 and "?" not in bc.label and len(bc.factors) == 3 and "nu_i" in bc.factors


def test_order2_names():
    assert order2_type(np.array([1j, -1j, 1]))[0] == "nu_i"
    assert order2_type(np.array([np.exp(0.5j), -np.exp(0.5j), -np.exp(-1j)]))[0] == "nu"
    x = np.exp(0.4j)
    assert order2_type(np.array([x, 1j * np.conj(x), -1j]))[0] == "xi"
    assert np.allclose(np.abs(normalise(np.array([[2, 8, 1]]))[0, :2]).prod(), 1)


def test_fourier_arrays_match_exact_ring():
    z = C.construct("F6", Zd(5), symbolic=False)
    W = [np.array([[complex(x.constant()) for x in row] for row in M]).real for M in z.to_weights()]
    A, B, Cn = fourier_arrays(Zd(5), *W)
    Ae, Be, Ce = z.to_numpy()
    assert np.allclose(A, Ae) and np.allclose(B, Be) and np.allclose(Cn, Ce)
