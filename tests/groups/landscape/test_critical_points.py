"""Symmetric critical points (groups/landscape/critical_points.py): the published spurious minima, the
generator route, and the results' derivations."""
from __future__ import annotations

import json

import numpy as np

from groups.landscape.critical_points import distinct_eigenvalues, find_critical_points, full_gradient_norm


def test_no_spurious_minima_for_k5_and_spurious_minimum_for_k6():
    # Safran & Shamir: spurious minima appear from k = 6 on (none found for k <= 5)
    for parts in [(4, 1), (5,)]:
        assert not find_critical_points(5, parts, starts=30, seed=1).spurious_minima()
    found = find_critical_points(6, (5, 1), starts=40, seed=1)
    minima = found.spurious_minima()
    assert any(cp.isotropy == (5, 1) for cp in minima)
    for cp in found.points:
        assert full_gradient_norm(cp) < 1e-12
        assert float(cp.grad_norm) < 1e-30 or cp.grad_norm == "0"
    # the global minimum is in every Fix(Delta Young) and is reported
    assert found.points[0].loss == "0" and found.points[0].kind == "minimum"


def test_type_a_minima_decay_like_a_over_k():
    # Arjevani & Field: the Safran-Shamir minima (isotropy conjugate to Delta S_(k-1)) have loss ~ a/k, a ~ 0.3,
    # with corrections in powers of k^(-1/2); a is published to one digit, hence the tolerance
    ks = [12, 16, 20]
    losses = []
    for k in ks:
        minima = [cp for cp in find_critical_points(k, (k - 1, 1), starts=24, seed=k).spurious_minima()
                  if cp.isotropy == (k - 1, 1)]
        losses.append(minima[0].loss_float)
    assert losses == sorted(losses, reverse=True)
    slope, a = np.polyfit([k ** -0.5 for k in ks], [k * x for k, x in zip(ks, losses)], 1)
    assert 0.25 < a < 0.36


def test_generators_reproduce_the_young_search():
    # Delta(S_5 x S_1) given by a 5-cycle and a transposition on the first five indices (rows and columns)
    young = find_critical_points(6, (5, 1), starts=30, seed=3)
    generic = find_critical_points(6, generators=["1,2,3,4,0,5", "1,0,2,3,4,5"], starts=30, seed=3)
    young_losses = {round(cp.loss_float, 9) for cp in young.points if cp.kind == "minimum"}
    generic_losses = {round(cp.loss_float, 9) for cp in generic.points if cp.kind == "minimum"}
    assert young_losses == generic_losses and len(young_losses) >= 2
    for cp in generic.points[1:]:
        assert float(cp.grad_norm) < 1e-30 and full_gradient_norm(cp) < 1e-12


def test_results_explain_themselves():
    res = find_critical_points(4, (3, 1), starts=10)
    latex = res.to_latex()
    assert "\\toprule" in latex and "bmatrix" not in latex and res._repr_latex_().startswith("$")
    assert latex.count("\\\\\n") - 1 >= len(res.points)   # the header and one table row per point
    assert "critical points" in res.summary()
    data = json.loads(json.dumps(res.to_json()))
    point = data["points"][0]
    assert point["loss"] == 0 and isinstance(point["grad_norm"], float)
    assert all(isinstance(v, float) for v in point["params"].values())


def test_distinct_eigenvalues_cluster_within_the_tolerance():
    clusters = distinct_eigenvalues(np.array([2.0, 1.0, 1.0 + 1e-9, -3.0]))
    assert [m for _, m in clusters] == [1, 2, 1]
    assert np.allclose([v for v, _ in clusters], [-3.0, 1.0 + 5e-10, 2.0], rtol=0, atol=1e-15)
    assert [m for _, m in distinct_eigenvalues(np.array([1.0, 1.0 + 1e-6]))] == [1, 1]
