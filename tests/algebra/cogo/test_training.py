"""Numeric backend: gradients, training, seeding, run files and checkpoints."""
import json

import numpy as np
import pytest

from algebra.cogo import constructions as C
from algebra.cogo.training import TrainRun, Weights, fourier_arrays, load_run, loss_and_grads, train
from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from groups import Zd


def test_gradients_match_finite_differences():
    G = Zd(5)
    rng = generator(3)
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


def test_fourier_arrays_match_exact_ring():
    z = C.construct("F6", Zd(5), symbolic=False)
    W = [np.array([[complex(x.constant()) for x in row] for row in M]).real for M in z.to_weights()]
    A, B, Cn = fourier_arrays(Zd(5), *W)
    Ae, Be, Ce = z.to_numpy()
    assert np.allclose(A, Ae) and np.allclose(B, Be) and np.allclose(Cn, Ce)


def test_initial_weights_come_from_the_seed():
    """The initial weights are the first draws of ``generator(seed)`` (numpy's default_rng(seed)): a seed replays its run."""
    run = train(5, width=6, seed=11, epochs=3, checkpoint_every=1, progress=False)
    rng = np.random.default_rng(11)
    expected = [rng.uniform(-1, 1, (6, 5)) / np.sqrt(5), rng.uniform(-1, 1, (6, 5)) / np.sqrt(5),
                rng.uniform(-1, 1, (5, 6)) / np.sqrt(6)]
    first = run.checkpoints[0]
    assert isinstance(first, Weights)
    assert all(np.array_equal(w, e) for w, e in zip(first, expected))
    again = train(5, width=6, seed=11, epochs=3, progress=False)
    assert np.array_equal(again.W_a, run.W_a) and np.array_equal(again.W_c, run.W_c)


@pytest.mark.parametrize("seed", [-1, 2 ** 63, 1.5, True])
def test_training_rejects_bad_seeds(seed):
    with pytest.raises(FlowAlgebraError, match="seed"):
        train(5, width=2, epochs=1, seed=seed, progress=False)


def test_checkpoints_are_named_weights(small_run, tmp_path):
    run, path = small_run
    assert all(isinstance(w, Weights) for w in run.checkpoints.values())
    assert run.checkpoints[600].W_a.shape == (24, 5) and np.array_equal(run.weights.W_c, run.W_c)
    back = load_run(path)
    assert all(isinstance(w, Weights) for w in back.checkpoints.values())
    assert np.array_equal(back.checkpoints[200].W_b, run.checkpoints[200].W_b)


def test_run_json_holds_numbers(small_run):
    run, _ = small_run
    j = json.loads(json.dumps(run.to_json()))
    assert j["width"] == 24 and j["epochs"] == 600 and j["seed"] == 0 and j["checkpoints"] == [0, 200, 400, 600]
    assert isinstance(j["final_loss"], float) and isinstance(j["wd"], float) and isinstance(j["lr"], float)
    unknown = TrainRun((5,), 1, 0.0, 0, 0, 0.0, *run.weights, np.array([0]), np.array([np.nan]))
    assert unknown.to_json()["final_loss"] is None  # not NaN, which is not JSON
