"""Factorisation and classification of learned blocks (numeric): robust to node order, rescaling and
conjugation; whole trained runs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algebra.cogo import constructions as C
from algebra.cogo.classify import (Factorisation, RunClassification, classify_block, classify_runs, normalise,
                                   order2_type, peel, peel_all)
from algebra.cogo.training import train
from algebra.exact.random import generator


@pytest.fixture(scope="module")
def small_run():
    return train(5, width=24, wd=5e-5, seed=0, epochs=600, lr=1e-2, checkpoint_every=200, progress=False)


def test_classification_of_a_trained_run(small_run):
    run = small_run
    result = classify_runs([run], progress=False)
    j = result.to_json()
    assert j["runs"][0]["group"] == "Z_5"
    assert sum(j["sizes"].values()) == 2  # two frequency pairs at d = 5
    assert result.summary().startswith("1 run(s)")


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
    rng = generator(seed)
    got = classify_block(_perturb(_sample(name, rng), rng)).label
    assert got == name


def test_random_blocks_are_not_named():
    rng = generator(1)
    labels = [classify_block(rng.normal(size=(q, 3)) + 1j * rng.normal(size=(q, 3))).label for q in (4, 6, 6, 4)]
    assert all(label in ("unfactored",) or "?" in label for label in labels)


def test_larger_blocks_factor_recursively():
    F = (C.nu_i() * C.xi() * C.nu_i()).to_numpy({"xi": np.exp(0.3j)})  # order 8
    bc = classify_block(_perturb(F, generator(2), noise=0.0))
    # factorisations of degenerate products are not unique; every factor must still be named
    assert bc.size == 8 and "?" not in bc.label and len(bc.factors) == 3 and "nu_i" in bc.factors


def test_order2_names():
    assert order2_type(np.array([1j, -1j, 1]))[0] == "nu_i"
    assert order2_type(np.array([np.exp(0.5j), -np.exp(0.5j), -np.exp(-1j)]))[0] == "nu"
    x = np.exp(0.4j)
    assert order2_type(np.array([x, 1j * np.conj(x), -1j]))[0] == "xi"
    assert np.allclose(np.abs(normalise(np.array([[2, 8, 1]]))[0, :2]).prod(), 1)


def test_details_are_left_out_on_request(small_run):
    full = classify_runs([small_run], progress=False)
    short = classify_runs([small_run], progress=False, details=False)
    assert isinstance(short, RunClassification) and short.blocks == full.blocks
    assert "block_details" in full.to_json() and "block_details" not in short.to_json()
    assert {k: v for k, v in full.to_json().items() if k != "block_details"} == short.to_json()
    assert short.summary() == full.summary()


def test_factorisations_are_named_records():
    block = (C.nu_i() * C.xi()).to_numpy({"xi": np.exp(0.7j)})
    found = peel_all(block, 2)
    assert found and all(isinstance(f, Factorisation) for f in found)
    best = peel(block, 2)
    assert best.error == min(f.error for f in found) < 1e-9
    assert len(best.ratios) == 1 and len(best.bases) == 2
    assert peel(block, 3) is None  # 4 nodes do not split into a factor of order 3
