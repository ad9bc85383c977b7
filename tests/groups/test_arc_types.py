"""Admissible tangency-arc types (groups/landscape/arc_types.py): the isotypic bookkeeping against closed forms
(Kostka numbers times multiplicities), the eigenvalues against the isotypic blocks, the result protocol, the CLI."""
from __future__ import annotations

import json

import numpy as np
import pytest

from algebra.app.main import main
from algebra.errors import FlowAlgebraError
from groups.landscape.arc_types import (ArcFamiliesResult, ArcTypesResult, _project, _splits, _transposition_sum,
                                        arc_families, arc_types, content_sum, parse_k_range)
from groups.landscape.isotypic_blocks import isotypic_block_spectrum
from groups.symmetric.young import young_fix_dimension

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.fixture(scope="module")
def delta_s5():
    """The arc types at the lowest critical point of isotropy Delta S_5 (k = 5), short arcs."""
    return arc_types(5, "5", max_radius=0.1, step=0.05, starts=20)


def test_the_transposition_sum_separates_and_projects_the_four_irreducibles():
    rng = np.random.default_rng(0)
    k, block = 6, list(range(5))
    lams = [(5,), (4, 1), (3, 2), (3, 1, 1)]
    X = rng.standard_normal((1, k, k))
    parts = [_project(X, block, lam, lams) for lam in lams]
    assert np.allclose(sum(parts), X)
    for lam, P in zip(lams, parts):
        assert np.allclose(_transposition_sum(P, block), content_sum(lam) * P)   # an eigenvector of T
        assert np.allclose(_project(P, block, lam, lams), P)                     # idempotent
    assert len({content_sum(lam) for lam in lams}) == 4


def test_splits_are_the_partitions_with_two_or_three_parts():
    assert _splits(5) == [(4, 1), (3, 2), (3, 1, 1), (2, 2, 1)]
    assert len(_splits(9)) == 4 + 7


def test_new_directions_are_kostka_numbers_times_multiplicities(delta_s5):
    res = delta_s5
    assert res.consistent
    assert [(s.split, s.irrep[0], s.copies * s.multiplicity) for s in res.subgroups] == [
        ((4, 1), (4, 1), 3), ((3, 2), (4, 1), 3), ((3, 2), (3, 2), 1), ((3, 1, 1), (3, 1, 1), 1),
        ((2, 2, 1), (3, 1, 1), 1)]
    # a two-part split: all of Fix(H') beyond Fix(H) is new (K = 1 for [4,1], and for [3,2] when both parts >= 2)
    for split in ((4, 1), (3, 2)):
        new = sum(s.copies * s.multiplicity for s in res.subgroups if s.split == split)
        assert young_fix_dimension(split) - young_fix_dimension((5,)) == new


def test_each_type_eigenvalue_is_one_of_its_isotypic_block(delta_s5):
    res = delta_s5
    blocks = {b.irrep: b.eigenvalues for b in isotypic_block_spectrum(res.start.W, (5,)).blocks}
    for t in res.types:
        assert min(abs(t.eigenvalue - b) for b in blocks[t.irrep]) < 1e-6
        assert len(t.arcs) == 2 and {a.sign for a in t.arcs} == {1, -1}
        assert t.sign == (1 if t.eigenvalue > 1e-7 else -1 if t.eigenvalue < -1e-7 else 0)
    # the standard component: the same m = 3 eigenvalues in every two-part split
    std = sorted(round(t.eigenvalue, 8) for t in res.types if t.irrep == ((4, 1),) and t.split == (4, 1))
    assert std == sorted(round(t.eigenvalue, 8) for t in res.types if t.irrep == ((4, 1),) and t.split == (3, 2))
    assert len(std) == 3


def test_result_protocol(delta_s5):
    res = delta_s5
    assert isinstance(res, ArcTypesResult)
    data = json.loads(json.dumps(res.to_json()))
    assert data["numeric"] and data["dim_fix_h"] == 2 and len(data["types"]) == len(res.types)
    assert "arc types at the" in res.summary()
    tex = res.to_latex()
    assert "\\toprule" in tex and "N_\\chi(H')" in tex


def test_families_side_by_side_for_one_k():
    fam = arc_families("6", max_radius=0.1, step=0.05, starts=20)
    assert isinstance(fam, ArcFamiliesResult)
    assert {r.parts for r in fam.results} == {(5, 1), (6,)}
    assert all(r.start.spurious and r.consistent for r in fam.results)
    assert set(fam.families()) == {("k-1,1", 0), ("k", 0)}
    assert len(fam.comparison()) == 2 and "\\toprule" in fam.to_latex()
    json.dumps(fam.to_json())


@pytest.mark.parametrize("call, fragment", [
    (lambda: arc_types(6, "3,3"), "one block of size at least 4"),
    (lambda: arc_types(6, "5,1", max_radius=0), "radius must be in"),
    (lambda: arc_types(6, "5,1", which=5, max_radius=0.1, starts=20), "which must be in"),
    (lambda: arc_types(60, "59,1", max_radius=100, starts=100000), "MAX_SECONDS"),
    (lambda: parse_k_range("8..6"), "low <= high"),
    (lambda: parse_k_range("6..x"), "k"),
    (lambda: parse_k_range("6..7..8"), "range"),
])
def test_bad_input_is_refused(call, fragment):
    with pytest.raises(FlowAlgebraError, match=None) as info:
        call()
    assert fragment in str(info.value)


def test_cli_all_and_arc_types(capsys):
    argv = ["landscape", "arcs", "--k", "5", "--at", "5", "--all", "--radius", "0.1", "--starts", "20", "--json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["start"]["isotropy"] == [5] and data["types"]
    assert main(["landscape", "arc-types", "--k", "6", "--radius", "0.1", "--starts", "20"]) == 0
    assert "comparison:" in capsys.readouterr().out


def test_report_section_uses_the_parts_notation():
    from groups.report import SEE_ABOVE, _arc_types

    d = _arc_types(False)
    assert d.notation.startswith(SEE_ABOVE) and "N_\\chi(H')" in d.notation
    assert "$k = 6$" in d.title and d.conclusion.endswith("(numeric backend).")
