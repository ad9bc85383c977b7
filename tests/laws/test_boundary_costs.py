"""Heavy work is estimated before it starts: refused in one line naming the estimate and the limit, or run with
a progress bar on stderr; the library refuses the same inputs as the CLI."""
from __future__ import annotations

import time
from fractions import Fraction

import pytest

import laws.closure as closure
import laws.polynomial as polynomial
from algebra.errors import FlowAlgebraError
from laws.closure import MAX_COUNT_WORK, check_count_cost, count_laws, count_work
from laws.flows.extended import MAX_FRICTION_PART, flow_system, parse_flow, parse_friction
from laws.models.model import MAX_SYMBOLIC_ENTRIES, Model, linear, relu
from laws.polynomial import find_polynomial_laws
from laws.verify import MAX_LAW_TERMS, verify_law


def test_the_count_estimate_is_cheap_and_refuses_with_the_limit():
    start = time.perf_counter()
    model = linear([141, 141])                       # D = 19,881: a full-rank square frame, over the limit
    assert count_work(model) > MAX_COUNT_WORK
    with pytest.raises(FlowAlgebraError, match="MAX_COUNT_WORK"):
        count_laws(model)
    with pytest.raises(FlowAlgebraError, match="MAX_COUNT_WORK"):
        count_laws(flow_system(linear([70, 70, 70]), "momentum"))   # the state doubles D
    assert time.perf_counter() - start < 2.0


def test_accepted_counts_are_within_the_limit():
    assert check_count_cost(relu([2, 3, 2]), "random") == count_work(relu([2, 3, 2])) < MAX_COUNT_WORK


@pytest.mark.parametrize("points", [0, -1, 100, 2.5, True])
def test_points_are_checked(points):
    with pytest.raises(FlowAlgebraError, match="points"):
        count_laws(relu([2, 2, 1]), points=points)


def test_a_long_count_shows_a_bar_on_stderr(capsys, monkeypatch):
    monkeypatch.setattr(closure, "PROGRESS_WORK", 0)
    assert count_laws(relu([2, 3, 2]), progress=True).laws == 3
    assert "rank" in capsys.readouterr().err
    count_laws(relu([2, 3, 2]))                       # no bar unless asked
    assert capsys.readouterr().err == ""


def test_a_long_search_shows_a_bar_on_stderr(capsys, monkeypatch):
    monkeypatch.setattr(polynomial, "POLY_PROGRESS_WORK", 0)
    assert find_polynomial_laws(linear([2, 2, 2]), degree=2, progress=True).kernel_dim == 3
    assert "unknown" in capsys.readouterr().err


def test_the_search_is_refused_before_it_samples(monkeypatch):
    monkeypatch.setattr(polynomial, "MAX_POLY_WORK", 10)
    with pytest.raises(FlowAlgebraError, match="MAX_POLY_WORK"):
        find_polynomial_laws(linear([2, 2, 2]), degree=2)
    monkeypatch.setattr(polynomial, "MAX_POLY_MEMORY", 10)
    with pytest.raises(FlowAlgebraError, match="MAX_POLY_MEMORY"):
        find_polynomial_laws(linear([2, 2, 2]), degree=2)


def test_chunked_rows_give_the_same_laws_as_before():
    """The rows are sampled block by block (bounded memory): the proved laws are those of the whole system."""
    result = find_polynomial_laws(relu([2, 3, 2]), degree=4)
    assert result.kernel_dim >= 6 and result.independent == 3


def test_exact_phi_of_a_huge_network_is_refused_but_counting_it_needs_no_phi():
    model = relu([10, 10, 10, 10, 20])               # 200,000 paths of length 4
    assert model.N == 200_000 and model.evaluation_entries == 800_000
    big = relu([10, 10, 10, 10, 10, 20])
    with pytest.raises(FlowAlgebraError, match="exact phi"):
        big.phi
    assert big.structure.path_entries > MAX_SYMBOLIC_ENTRIES


def test_verify_bounds_the_law_and_the_numeric_check():
    m = relu([2, 3, 2])
    with pytest.raises(FlowAlgebraError, match=f"limit {MAX_LAW_TERMS:,}"):
        verify_law(m, "(" + " + ".join(m.params) + ")**8", numeric=False)
    names = [f"a{i}" for i in range(3000)]
    wide = Model.from_polynomials([f"a{i}*a{(i + 1) % 3000}" for i in range(3000)], params=names)
    with pytest.raises(FlowAlgebraError, match="--no-numeric"):
        verify_law(wide, "a1**2 - a2**2")
    assert verify_law(wide, "a1**2 - a2**2", numeric=False).conserved is False


@pytest.mark.parametrize("tau, message", [
    ("1e-400", "at most"), ("1e300", "at most"), ("1/2147483647", "at most"), ("1e1000000000", "number like"),
    ("nan", "number like"), ("-1", ">= 0"), ("1/0", "number like"), (True, "number like"), ([1], "number like"),
    (Fraction(1, 10**12), "at most"), (" 1_0 ", "number like"),
])
def test_frictions_are_exact_and_bounded(tau, message):
    with pytest.raises(FlowAlgebraError, match=message):
        parse_friction(tau)


def test_frictions_accepted():
    assert parse_friction(" 1/2 ") == Fraction(1, 2) and parse_friction(0.1) == Fraction(1, 10)
    assert parse_friction(str(MAX_FRICTION_PART)) == MAX_FRICTION_PART
    assert parse_flow("momentum-mirror", "3/4").tau == Fraction(3, 4)
    with pytest.raises(FlowAlgebraError, match="unknown flow"):
        parse_flow(" mirror")
