"""The safe parser at its limits: depth and size are bounded before anything is expanded, long flat sums are
fine, and malformed text of any kind is a FlowAlgebraError (never another exception), quickly."""
from __future__ import annotations

import sys
import time

import flint
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import (MAX_COEFFICIENT_BITS, MAX_DEPTH, MAX_LENGTH, MAX_LITERAL_DIGITS, MAX_TERMS,
                                   parse_expression, parse_polynomial)

NAMES = ("x", "y", "z") + tuple(f"a{i}" for i in range(100))
CTX = flint.fmpq_mpoly_ctx.get(NAMES, "deglex")
#: a malformed or oversized expression is refused within this many seconds: a guard against hangs (each
#: case takes milliseconds on a quiet machine), generous because the suite shares 2 cores
SECONDS = 20.0


def parses_or_refuses(text: str):
    """The parser's contract: an exact polynomial or a FlowAlgebraError, within SECONDS."""
    start = time.perf_counter()
    try:
        result = parse_polynomial(text, CTX)
    except FlowAlgebraError as err:
        assert "\n" not in str(err)
        result = None
    assert time.perf_counter() - start < SECONDS, text[:80]
    assert result is None or isinstance(result, flint.fmpq_mpoly)
    return result


def test_a_flat_sum_of_5000_terms_is_accepted():
    text = " + ".join(f"a{i % 100}*x" for i in range(5000)) + " - 5000*y"
    poly = parses_or_refuses(text)
    assert poly is not None and len(poly) == 101


def test_long_flat_chains_are_loops_not_recursion():
    assert str(parses_or_refuses("x" + " - x" * 30000)) == "-29999*x"
    assert str(parses_or_refuses("*".join(["x"] * 900))) == "x^900"
    assert str(parses_or_refuses("-" * 10001 + "x")) == "-x"


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_refused():
    assert str(parses_or_refuses("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH)) == "x"
    with pytest.raises(FlowAlgebraError, match="nested too deeply"):
        parse_polynomial("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), CTX)


def test_the_deepest_expression_parses_in_a_deep_call_stack():
    """The parser's own recursion is bounded by MAX_DEPTH: it leaves room for a caller's stack."""
    text = "-(" * (MAX_DEPTH - 1) + "x**2" + ")" * (MAX_DEPTH - 1)     # the power is one level more

    def nested(k):
        return nested(k - 1) if k else parse_polynomial(text, CTX)

    assert str(nested(sys.getrecursionlimit() - 500)) == "-x^2"


@pytest.mark.parametrize("text, message", [
    ("(((9**64)**64)**64)", "bits"),
    ("2**64**64", "too large"),
    ("1e1000000000", "exponent beyond"),
    ("1" * (MAX_LITERAL_DIGITS + 1), "digits"),
    ("0." + "0" * MAX_LITERAL_DIGITS + "1", "digits"),
    ("(x + y + z + a1 + a2 + a3 + a4 + a5)**40", "terms"),
    ("(x + 1)**64 * (y + 1)**64 * (z + 1)**64 * (a1 + 1)**64", "terms"),
    ("x**60 * x**60 * " * 9 + "x", "degree"),
    ("+".join(f"1/{n}" for n in range(1, 3000)), "bits"),
    ("(" * 300 + "x", "nested too deeply"),
    ("x" + ")" * 3, "unbalanced"),
    ("((x + 1)", "unbalanced"),
    ("x" * (MAX_LENGTH + 1), "too long"),
])
def test_sizes_are_refused_before_expanding(text, message):
    start = time.perf_counter()
    with pytest.raises(FlowAlgebraError, match=message):
        parse_polynomial(text, CTX)
    assert time.perf_counter() - start < SECONDS


def test_bounds_are_known_before_expanding_and_a_budget_is_honoured():
    expr = parse_expression("(x + y + z)**10")
    assert expr.names == ("x", "y", "z") and expr.degree == 10 and expr.terms == 66   # C(12, 2): exact here
    assert len(expr.polynomial(CTX)) == 66
    with pytest.raises(FlowAlgebraError, match="limit 10"):
        expr.polynomial(CTX, max_terms=10)
    assert parse_expression("U1[2,3]*x + U1[2,3]").names == ("U1_2_3", "x")
    assert parse_expression(" + ".join(["x*y"] * 12000)).terms <= 6       # capped by the monomials of degree 2


def test_the_limits_are_sane():
    assert MAX_TERMS >= 10**5 and 64 <= MAX_COEFFICIENT_BITS <= 14_000   # int -> str stays below Python's limit


# -- generated malformed input -------------------------------------------------------------------------

_ATOMS = st.sampled_from(["x", "y", "a7", "w", "U1[2,3]", "x[1]", "0", "1", "2", "0.5", "1e-3", "1e999", "9" * 200,
                          "1j", "0x1F", "'s'", "True", "None", "lambda", "x.y", "f(x)", "[x]", "{x}", "\u00b2", "\u03b8",
                          "\x00", "", " ", "1_0", "1.2.3", "1e", ".", "..."])
_OPS = st.sampled_from(["+", "-", "*", "/", "**", "//", "%", "<", "==", " if ", " and ", ",", "@", "~", ""])


def _nested(children):
    return st.one_of(
        st.tuples(children, _OPS, children).map(lambda t: "".join(t)),
        children.map(lambda c: f"({c})"),
        st.tuples(st.integers(0, 400), children).map(lambda t: "(" * t[0] + t[1] + ")" * t[0]),
        st.tuples(st.integers(0, 400), children).map(lambda t: "(" * t[0] + t[1]),          # unbalanced
        st.tuples(children, st.integers(0, 70)).map(lambda t: f"({t[0]})**" + "**".join(["2"] * t[1])),
        st.tuples(children, st.integers(1, 3000)).map(lambda t: " + ".join([t[0]] * t[1])),  # long flat sums
        st.tuples(children, st.integers(1, 70)).map(lambda t: f"({t[0]})**{t[1]}"),
    )


EXPRESSIONS = st.recursive(_ATOMS, _nested, max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_generated_expressions_parse_or_are_refused_in_one_line(text):
    parses_or_refuses(text)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_parse_or_are_refused(data):
    parses_or_refuses(data.decode("utf-8", errors="replace"))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_random_unicode_parses_or_is_refused(text):
    parses_or_refuses(text)


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.integers(), st.none(), st.lists(st.text(max_size=3), max_size=3), st.binary(max_size=5)))
def test_non_strings_are_refused(value):
    with pytest.raises(FlowAlgebraError):
        parse_polynomial(value, CTX)
