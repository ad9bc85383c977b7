"""Landscapes at any size (issue 13, part 4): critical points classified by their isotypic blocks agree with the
full eigendecomposition, the isotropy read off the searched blocks is that of the full test, the large-k
commands refuse what does not scale by its cost, and the fits in powers of k^(-1/2) (groups/landscape/
critical_points.py, hessian.py, isotypic_blocks.py, asymptotics.py)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from algebra.errors import FlowAlgebraError
from groups import cli
from groups.landscape.asymptotics import PUBLISHED, asymptotics, default_ks, fit_powers
from groups.landscape.critical_points import find_critical_points, hessian_spectrum, isotropy_within
from groups.landscape.hessian import HESSIAN_METHODS, hessian_at
from groups.landscape.isotypic_blocks import SPECTRUM_METHODS
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.young import diagonal_young, isotropy_blocks


@pytest.mark.parametrize("k", [6, 9, 13, 20])
@pytest.mark.parametrize("shape", ["type A", "Delta S_k"])
def test_block_classification_equals_the_full_one(k, shape):
    # the benchmark checks every k = 6..20 (benchmarks/landscape_bench.py --table-check)
    parts = (k - 1, 1) if shape == "type A" else (k,)
    blocks = find_critical_points(k, parts, starts=12, seed=k, method="blocks")
    full = find_critical_points(k, parts, starts=12, seed=k, method="full")
    assert [cp.loss for cp in blocks.points] == [cp.loss for cp in full.points]
    for a, b in zip(blocks.points, full.points):
        assert a.isotropy == b.isotropy and a.kind == b.kind and a.index == b.index
        assert [m for _, m in a.spectrum] == [m for _, m in b.spectrum]
        assert np.allclose([v for v, _ in a.spectrum], [v for v, _ in b.spectrum], rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("parts", [(4, 1, 1), (3, 2, 1), (2, 2, 2), (5,), (1, 1, 1, 1)])
def test_isotropy_from_the_searched_blocks_is_the_full_test(parts, rng):
    fix = FixedSubspace.young(parts)
    for trial in range(6):
        p = rng.standard_normal(fix.dim)
        if trial % 2:       # join blocks: equal coordinates make a larger isotropy
            names = list(fix.names)
            for n, name in enumerate(names):
                if name.startswith("x_"):
                    p[n] = 1.0
                elif name.startswith(("y_", "z_")):
                    p[n] = 0.25
        W = fix.embed(p)
        assert isotropy_within(W, parts) == isotropy_blocks(W)


def test_young_orbits_in_closed_form_are_the_group_orbits():
    for parts in [(3, 1), (2, 2), (1, 2, 1), (4,), (1, 1, 1), (3, 2, 1)]:
        assert sorted(FixedSubspace.young(parts).orbits) == diagonal_young(sum(parts), parts).entry_orbits()


def test_the_command_line_methods_are_the_library_ones():
    assert cli.SPECTRUM_METHODS == SPECTRUM_METHODS and cli.HESSIAN_METHODS == HESSIAN_METHODS


def test_hessian_methods_agree_and_blocks_are_refused_where_they_do_not_apply():
    a, b = hessian_at(9, "8,1", starts=12, method="blocks"), hessian_at(9, "8,1", starts=12, method="full")
    values = lambda dec: sorted(v for blk in dec.blocks for v in blk.eigenvalues for _ in range(blk.dim))
    assert a.method == "isotypic blocks" and b.method != a.method
    assert np.allclose(values(a), values(b), atol=1e-10)
    with pytest.raises(FlowAlgebraError, match="one block of size at least 4"):
        hessian_at(9, "7,2", method="blocks")
    with pytest.raises(FlowAlgebraError, match="method must be one of"):
        hessian_spectrum(np.eye(8), (8,), "guess")


def test_the_type_a_minimum_at_k_100():
    # the reduced search at k = 100 (block spectra, no 10^4 x 10^4 Hessian); loss as in benchmarks/landscape_bench.py
    found = find_critical_points(100, (99, 1), starts=6, seed=0)
    minima = [cp for cp in found.spurious_minima() if cp.isotropy == (99, 1)]
    assert minima and abs(minima[0].loss_float - 0.0027416717) < 1e-9
    assert sum(m for _, m in minima[0].spectrum) == 100 ** 2


@pytest.mark.parametrize("argv, fragment", [
    (["landscape", "critical", "--k", "1000", "--isotropy", "500,500"], "MAX_BYTES"),
    (["landscape", "critical", "--k", "1000", "--gen", "1,0"], "MAX_BYTES"),
    (["landscape", "critical", "--k", "100", "--isotropy", "98,2", "--method", "blocks"], "use --method full"),
    (["landscape", "critical", "--k", "100", "--isotropy", "99,1", "--method", "full"], "MAX_"),
    (["landscape", "hessian", "--k", "1000", "--method", "full"], "MAX_BYTES"),
    (["landscape", "critical", "--k", "1001", "--isotropy", "1001"], "between 2 and 1000"),
    (["landscape", "fixdim", "--k", "61", "--isotropy", "61"], "between 2 and 60"),
    (["landscape", "asymptotics", "--k-max", "5"], "between 6 and 1000"),
])
def test_large_k_refusals_are_one_line(argv, fragment, run_cli):
    code, out, err = run_cli(argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and fragment in err, err


def test_fit_recovers_a_series_and_the_default_ks():
    ks = default_ks(1000)
    assert ks[:15] == list(range(6, 21)) and ks[-1] == 1000
    values = [0.3 - 0.5 / math.sqrt(k) + 0.2 / k for k in ks]
    fit = fit_powers(ks, values, terms=3)
    assert np.allclose(fit.coefficients, [0.3, -0.5, 0.2]) and max(fit.errors) < 1e-10


def test_asymptotics_approach_the_published_terms():
    res = asymptotics(40, starts=20)
    type_a, delta = res.families
    assert [r.k for r in type_a.rows] == res.ks and all(r.index == 0 for r in type_a.rows)
    # small k only here: the limits within 1e-2 (k up to 1000 in the benchmark: 2e-4 and 5e-6)
    assert abs(type_a.loss_fit.coefficients[0] - float(PUBLISHED["type A"])) < 1e-2
    assert abs(delta.loss_fit.coefficients[0] - float(PUBLISHED["Delta S_k"])) < 1e-2
    assert res.to_json()["families"][0]["fitted_quantity"] == "k*loss"
    assert "\\toprule" in res.to_latex()
