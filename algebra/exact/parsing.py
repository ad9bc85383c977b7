"""Safe parsing of polynomial expressions typed by users (never ``eval``/``sympify``).

The text is parsed by Python's ``ast`` into a syntax tree, and only a
whitelist is accepted: integer and decimal literals (read exactly as
rationals), the model's parameter names (also written ``U1[2,3]`` for
``U1_2_3``), ``+ - *``, ``/`` by a nonzero constant and ``**`` by a small
non-negative integer. Anything else is rejected with one clear line.

>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"), "deglex")
>>> parse_polynomial("a**2 - 0.5*b", ctx)
a^2 - 1/2*b
>>> parse_polynomial("__import__('os')", ctx)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: unsupported syntax in expression: function call
"""
from __future__ import annotations

import ast
import warnings
from fractions import Fraction

import flint

from algebra.errors import FlowAlgebraError

__all__ = ["parse_polynomial", "MAX_LENGTH", "MAX_EXPONENT", "MAX_TERMS"]

MAX_LENGTH = 200_000
MAX_EXPONENT = 64
MAX_TERMS = 1_000_000

_NODE_NAMES = {
    ast.Call: "function call",
    ast.Attribute: "attribute access",
    ast.Lambda: "lambda",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression",
    ast.List: "list",
    ast.Dict: "dict",
    ast.Set: "set",
}


def parse_polynomial(text: str, ctx: flint.fmpq_mpoly_ctx) -> flint.fmpq_mpoly:
    """Parse ``text`` into an exact polynomial over Q in the variables of ``ctx``."""
    if not isinstance(text, str):
        raise FlowAlgebraError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FlowAlgebraError(f"expression too long ({len(text)} characters, limit {MAX_LENGTH})")
    if not text.strip():
        raise FlowAlgebraError("empty expression")
    try:
        with warnings.catch_warnings():  # e.g. "1x" warns before it fails: the user gets one error line
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise FlowAlgebraError(f"cannot parse expression: {err.msg} at column {err.offset}") from None
    names = {name: i for i, name in enumerate(ctx.names())}
    try:
        return _Builder(text.strip(), ctx, names).build(tree.body)
    except RecursionError:
        raise FlowAlgebraError("expression nested too deeply") from None


class _Builder:
    def __init__(self, source: str, ctx: flint.fmpq_mpoly_ctx, names: dict[str, int]):
        self.source = source
        self.ctx = ctx
        self.names = names
        self.gens = ctx.gens()

    def constant(self, value: Fraction) -> flint.fmpq_mpoly:
        return self.ctx.constant(flint.fmpq(value.numerator, value.denominator))

    def build(self, node: ast.AST) -> flint.fmpq_mpoly:
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.build(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.Constant):
            return self.constant(self.literal(node))
        if isinstance(node, ast.Name):
            return self.variable(node.id)
        if isinstance(node, ast.Subscript):
            return self.variable(self.subscript_name(node))
        raise FlowAlgebraError(f"unsupported syntax in expression: {_NODE_NAMES.get(type(node), type(node).__name__)}")

    def literal(self, node: ast.Constant) -> Fraction:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FlowAlgebraError(f"unsupported literal {value!r}: only integer and decimal numbers")
        if isinstance(value, int):
            return Fraction(value)
        segment = ast.get_source_segment(self.source, node) or repr(value)
        try:
            return Fraction(segment)  # exact decimal, e.g. "0.1" -> 1/10
        except ValueError:
            raise FlowAlgebraError(f"unsupported number literal {segment!r}") from None

    def constant_value(self, node: ast.AST) -> Fraction:
        """A constant sub-expression (numbers, + - * /, unary minus) as a Fraction."""
        poly = self.build(node)
        if not poly.is_constant():
            raise FlowAlgebraError("exponents and divisors must be numbers, not expressions in the parameters")
        c = poly.leading_coefficient() if not poly.is_zero() else flint.fmpq(0)
        return Fraction(int(c.p), int(c.q))

    def binop(self, node: ast.BinOp) -> flint.fmpq_mpoly:
        op = node.op
        if isinstance(op, ast.Pow):
            base = self.build(node.left)
            exponent = self.constant_value(node.right)
            if exponent.denominator != 1 or exponent < 0:
                raise FlowAlgebraError(f"exponent must be a non-negative integer, got {exponent}")
            if exponent > MAX_EXPONENT:
                raise FlowAlgebraError(f"exponent {exponent} too large (limit {MAX_EXPONENT})")
            result = self.ctx.constant(1)
            for _ in range(int(exponent)):
                result = self.check(result * base)
            return result
        if isinstance(op, ast.Div):
            divisor = self.constant_value(node.right)
            if divisor == 0:
                raise FlowAlgebraError("division by zero")
            return self.build(node.left) * flint.fmpq(divisor.denominator, divisor.numerator)
        left, right = self.build(node.left), self.build(node.right)
        if isinstance(op, ast.Add):
            return self.check(left + right)
        if isinstance(op, ast.Sub):
            return self.check(left - right)
        if isinstance(op, ast.Mult):
            return self.check(left * right)
        raise FlowAlgebraError(f"unsupported operator {type(op).__name__}: use + - * / and ** only")

    def check(self, poly: flint.fmpq_mpoly) -> flint.fmpq_mpoly:
        if len(poly) > MAX_TERMS:
            raise FlowAlgebraError(f"expression expands to more than {MAX_TERMS} terms")
        return poly

    def subscript_name(self, node: ast.Subscript) -> str:
        if not isinstance(node.value, ast.Name):
            raise FlowAlgebraError("subscripts are allowed only on parameter names, e.g. U1[2,3]")
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        numbers = []
        for part in parts:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, int) and not isinstance(part.value, bool)):
                raise FlowAlgebraError("subscripts must be integers, e.g. U1[2,3]")
            numbers.append(str(part.value))
        return "_".join([node.value.id] + numbers)

    def variable(self, name: str) -> flint.fmpq_mpoly:
        if name not in self.names:
            known = list(self.names)
            shown = ", ".join(known[:6]) + (", ..." if len(known) > 6 else "")
            raise FlowAlgebraError(f"unknown parameter {name!r} (the model's parameters are {shown})")
        return self.gens[self.names[name]]
