"""The safe parser: exact values, and nothing but polynomials gets through."""
import flint
import pytest
from hypothesis import given, settings, strategies as st

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import parse_polynomial

CTX = flint.fmpq_mpoly_ctx.get(("x", "y", "U1_2_3"), "deglex")


def test_decimals_are_exact_rationals():
    assert str(parse_polynomial("0.1*x + 1/3*y", CTX)) == "1/10*x + 1/3*y"


def test_powers_subscripts_and_unary_minus():
    assert str(parse_polynomial("-(x - y)**2 + U1[2,3]", CTX)) == "-x^2 + 2*x*y - y^2 + U1_2_3"


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('true')", "function call"),
    ("x.real", "attribute access"),
    ("x ** y", "must be numbers"),
    ("x ** -1", "non-negative integer"),
    ("x ** 1000", "too large"),
    ("x / y", "must be numbers"),
    ("x / 0", "division by zero"),
    ("z + 1", "unknown parameter 'z'"),
    ("x +", "cannot parse"),
    ("'abc'", "unsupported literal"),
    ("[x]", "list"),
    ("", "empty expression"),
    ("x if y else 1", "conditional"),
    ("1j * x", "unsupported literal"),
])
def test_rejections(text, message):
    with pytest.raises(FlowAlgebraError, match=message):
        parse_polynomial(text, CTX)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="xy()+-*/_.[]0123456789 ,abcdefghijklmnopqrstuvwz'\"", max_size=40))
def test_arbitrary_text_either_parses_or_raises_the_user_error(text):
    try:
        result = parse_polynomial(text, CTX)
    except FlowAlgebraError:
        return
    assert isinstance(result, flint.fmpq_mpoly)
