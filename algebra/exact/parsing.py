"""Safe parsing of polynomial expressions typed by users (never ``eval``/``sympify``).

The text is read by a small tokenizer and a recursive-descent parser of its own (not Python's, whose
syntax tree of a long flat sum is too deep to walk), and only a whitelist is accepted: decimal
literals (read exactly as rationals), the model's parameter names (also written ``U1[2,3]`` for
``U1_2_3``), ``+ - *``, ``/`` by a nonzero constant and ``**`` by a small non-negative integer.
Anything else is rejected with one clear line.

Every size is bounded *before* anything is expanded, by named limits: the length of the text
(:data:`MAX_LENGTH`), the nesting of brackets and powers (:data:`MAX_DEPTH`; the parser's recursion
is bounded by it, a flat sum or product of any length is a loop), the digits and the exponent of a
literal (:data:`MAX_LITERAL_DIGITS`, :data:`MAX_LITERAL_EXPONENT`), exponents (:data:`MAX_EXPONENT`),
and, computed from the syntax tree, upper bounds on the degree (:data:`MAX_DEGREE`), on the number of
terms of the expansion (:data:`MAX_TERMS`, or the caller's budget) and on the size of its coefficients
(:data:`MAX_COEFFICIENT_BITS`). So ``(((9**64)**64)**64)``, ``1e1000000000`` or ``(x+y+z)**64**64``
are refused at once, and a sum of 5000 terms is fine.

>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("a", "b"), "deglex")
>>> parse_polynomial("a**2 - 0.5*b", ctx)
a^2 - 1/2*b
>>> parse_expression("U1[2,3] * b + a").names
('U1_2_3', 'b', 'a')
>>> parse_polynomial("__import__('os')", ctx)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: unsupported syntax in expression: function call
>>> parse_polynomial("(((9**64)**64)**64)", ctx)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: expression has coefficients of up to 12,985 bits (limit 1,024)
"""
from __future__ import annotations

import functools
import keyword
import math
import re
from dataclasses import dataclass
from fractions import Fraction

import flint

from algebra.errors import FlowAlgebraError

__all__ = ["parse_polynomial", "parse_expression", "Expression", "shorten", "MAX_LENGTH", "MAX_DEPTH",
           "MAX_EXPONENT", "MAX_TERMS", "MAX_DEGREE", "MAX_LITERAL_DIGITS", "MAX_LITERAL_EXPONENT",
           "MAX_COEFFICIENT_BITS", "SHOWN_CHARACTERS"]

#: an expression has at most this many characters
MAX_LENGTH = 200_000
#: brackets and ``**`` nest at most this deep
MAX_DEPTH = 60
#: ``p ** e`` needs 0 <= e <= this
MAX_EXPONENT = 64
#: an expression expands to at most this many terms (an upper bound computed before expanding)
MAX_TERMS = 1_000_000
#: an expression has total degree at most this (bound computed before expanding)
MAX_DEGREE = 1_000
#: a number literal has at most this many digits
MAX_LITERAL_DIGITS = 100
#: the exponent of a literal (``1e-3``) is at most this in absolute value
MAX_LITERAL_EXPONENT = 100
#: numerators and the common denominator of the expansion have at most this many bits (bound before expanding)
MAX_COEFFICIENT_BITS = 1_024
#: an error message shows at most this many characters of the user's text
SHOWN_CHARACTERS = 60

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>'[^'\n]*'?|"[^"\n]*"?)
  | (?P<op>\*\*|//|==|!=|<=|>=|<<|>>|:=|[-+*/()\[\],%@.<>=!&|^~{}:;])
""", re.VERBOSE)
_NUMBER = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")

_KEYWORD_SYNTAX = {"lambda": "lambda", "if": "conditional expression", "else": "conditional expression",
                   "and": "boolean operator", "or": "boolean operator", "not": "boolean operator",
                   "in": "comparison", "is": "comparison", "for": "comprehension", "await": "await",
                   "yield": "yield"}
_OPERATORS = {"//", "%", "@", "<<", ">>", "&", "|", "^", "~"}
_COMPARISONS = {"==", "!=", "<=", ">=", "<", ">"}


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """At most ``limit`` characters of a user's text, for an error message.

    >>> shorten("x" * 100, 12)
    'xxxxxxxx ...'
    """
    text = str(text)
    return text if len(text) <= limit else text[: limit - 4] + " ..."


@dataclass(frozen=True)
class _Token:
    kind: str      # "number", "name", "op", "end"
    text: str
    column: int    # 1-based


@dataclass
class _Node:
    """A syntax tree node: ``num`` (value), ``var`` (name), ``sum`` (signed terms), ``prod`` (factors
    with ``*``/``/``), ``neg``, ``pow`` (base, exponent node). Bounds are filled in by the parser."""

    kind: str
    value: object = None
    children: tuple = ()
    degree: int = 0
    terms: int = 1
    names: frozenset = frozenset()
    bits: float = 0.0          # log2 bound of the numerators' absolute values over the denominator below
    denominator: int = 1       # a common denominator of the expansion (exact)


def _tokens(text: str) -> list[_Token]:
    out = []
    pos, n = 0, len(text)
    while pos < n:
        match = _TOKEN.match(text, pos)
        if match is None:
            raise FlowAlgebraError(f"unsupported character {text[pos]!r} in expression at column {pos + 1}")
        kind = match.lastgroup
        token = match.group()
        if kind == "number":
            end = match.end()
            if end < n and (text[end].isalnum() or text[end] == "_"):
                tail = _TOKEN.match(text, end)
                word = token + (tail.group() if tail else text[end])
                if text[end] in "jJ":
                    raise FlowAlgebraError(f"unsupported literal {shorten(word)}: only integer and decimal numbers")
                raise FlowAlgebraError(f"unsupported number literal {shorten(word)!r} at column {pos + 1}: "
                                       "use decimal numbers like 3, 0.5 or 1e-3")
        if kind != "space":
            out.append(_Token(kind, token, pos + 1))
        pos = match.end()
    out.append(_Token("end", "", n + 1))
    return out


def _literal(text: str) -> Fraction:
    """A decimal literal as an exact rational, its size checked before it is converted."""
    whole, frac, exp = _NUMBER.fullmatch(text).groups()
    digits = (whole or "") + (frac or "")
    if len((whole or "").lstrip("0")) + len(frac or "") > MAX_LITERAL_DIGITS:
        raise FlowAlgebraError(f"number literal {shorten(text)} has more than {MAX_LITERAL_DIGITS} digits")
    shift = 0
    if exp is not None:
        if len(exp.lstrip("+-").lstrip("0")) > 4 or abs(int(exp)) > MAX_LITERAL_EXPONENT:
            raise FlowAlgebraError(f"number literal {shorten(text)}: exponent beyond +-{MAX_LITERAL_EXPONENT}")
        shift = int(exp)
    shift -= len(frac or "")
    mantissa = int(digits.lstrip("0") or "0")
    return Fraction(mantissa * 10**shift) if shift >= 0 else Fraction(mantissa, 10**-shift)


def _log2(value: int) -> float:
    value = abs(value)
    return math.log2(value) if value > 1 else 0.0


class _Parser:
    """Recursive descent over the tokens; recursion only for brackets and ``**`` (bounded by MAX_DEPTH)."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.pos = 0
        self.names: dict[str, None] = {}

    # -- tokens --------------------------------------------------------------------------------------
    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def fail(self, what: str = "invalid syntax") -> FlowAlgebraError:
        token = self.token
        if token.kind == "end":
            return FlowAlgebraError(f"cannot parse expression: unexpected end of expression at column {token.column}")
        return FlowAlgebraError(f"cannot parse expression: {what} at column {token.column} "
                                f"(near {shorten(token.text, 20)!r})")

    def unsupported(self, token: _Token) -> FlowAlgebraError:
        """The error for a token that is valid Python but not a polynomial."""
        text = token.text
        if token.kind == "name" and text in ("True", "False", "None"):
            return FlowAlgebraError(f"unsupported literal {text}: only integer and decimal numbers")
        if token.kind == "name" and text in _KEYWORD_SYNTAX:
            return FlowAlgebraError(f"unsupported syntax in expression: {_KEYWORD_SYNTAX[text]}")
        if text in _COMPARISONS:
            return FlowAlgebraError("unsupported syntax in expression: comparison")
        if text in _OPERATORS:
            return FlowAlgebraError(f"unsupported operator {text!r}: use + - * / and ** only")
        if text == "[":
            return FlowAlgebraError("unsupported syntax in expression: list")
        if text == "{":
            return FlowAlgebraError("unsupported syntax in expression: dict or set")
        if text == ".":
            return FlowAlgebraError("unsupported syntax in expression: attribute access")
        if text == ",":
            return FlowAlgebraError("unsupported syntax in expression: tuple")
        if text == ":=":
            return FlowAlgebraError("unsupported syntax in expression: assignment")
        if token.kind == "name" and keyword.iskeyword(text):
            return FlowAlgebraError(f"unsupported syntax in expression: keyword {text!r}")
        return self.fail()

    # -- grammar -------------------------------------------------------------------------------------
    def parse(self) -> _Node:
        node = self.sum(0)
        if self.token.kind != "end":
            token = self.token
            if token.kind == "name" and (keyword.iskeyword(token.text) or token.text in ("True", "False", "None")):
                raise self.unsupported(token)
            if token.text == ")" or token.text == "]":
                raise FlowAlgebraError(f"cannot parse expression: unbalanced {token.text!r} at column {token.column}")
            if token.kind in ("number", "name") or token.text == "(":
                raise self.fail("missing operator")
            raise self.unsupported(token)
        return node

    def sum(self, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise FlowAlgebraError(f"expression nested too deeply (more than {MAX_DEPTH} levels of brackets "
                                   "and powers)")
        terms = [(1, self.term(depth))]
        while self.token.text in ("+", "-"):
            sign = 1 if self.advance().text == "+" else -1
            terms.append((sign, self.term(depth)))
        if len(terms) == 1:
            return terms[0][1]
        return _sum_node(terms)

    def term(self, depth: int) -> _Node:
        factors = [("*", self.factor(depth))]
        while self.token.text in ("*", "/"):
            op = self.advance().text
            factors.append((op, self.factor(depth)))
        if len(factors) == 1:
            return factors[0][1]
        return _product_node(factors)

    def factor(self, depth: int) -> _Node:
        negative = False
        while self.token.text in ("+", "-"):   # a run of signs is a loop, not a recursion
            negative ^= self.advance().text == "-"
        if self.token.text in _OPERATORS:
            raise self.unsupported(self.token)
        node = self.power(depth)
        return _neg_node(node) if negative else node

    def power(self, depth: int) -> _Node:
        base = self.primary(depth)
        if self.token.text != "**":
            return base
        self.advance()
        if depth + 1 > MAX_DEPTH:
            raise FlowAlgebraError(f"expression nested too deeply (more than {MAX_DEPTH} levels of brackets "
                                   "and powers)")
        exponent = self.factor(depth + 1)   # right-associative: 2**3**2 = 2**9
        return _pow_node(base, exponent)

    def primary(self, depth: int) -> _Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            node = _number_node(_literal(token.text))
        elif token.kind == "name" and not keyword.iskeyword(token.text) and token.text not in ("True", "False", "None"):
            self.advance()
            name = token.text
            if self.token.text == "[":
                name = self.subscript(name)
            self.names.setdefault(name, None)
            node = _Node("var", name, names=frozenset([name]), degree=1)
        elif token.text == "(":
            self.advance()
            if self.token.text == ")":
                raise FlowAlgebraError("unsupported syntax in expression: tuple")
            node = self.sum(depth + 1)
            if self.token.text == ",":
                raise self.unsupported(self.token)
            if self.token.text != ")":
                if self.token.kind == "end":
                    raise FlowAlgebraError(f"cannot parse expression: unbalanced '(' at column {token.column}")
                raise self.fail("missing operator" if self.token.kind in ("number", "name") else "invalid syntax")
            self.advance()
        elif token.kind == "string":
            raise FlowAlgebraError(f"unsupported literal {shorten(token.text, 20)}: only integer and decimal numbers")
        elif token.kind == "end":
            raise self.fail()
        elif token.text in (")", "]"):
            raise FlowAlgebraError(f"cannot parse expression: unbalanced {token.text!r} at column {token.column}")
        else:
            raise self.unsupported(token)
        # trailers Python would accept: a call, an attribute, a subscript of something else
        if self.token.text == "(":
            raise FlowAlgebraError("unsupported syntax in expression: function call")
        if self.token.text == ".":
            raise FlowAlgebraError("unsupported syntax in expression: attribute access")
        if self.token.text == "[":
            raise FlowAlgebraError("subscripts are allowed only on parameter names, e.g. U1[2,3]")
        return node

    def subscript(self, name: str) -> str:
        self.advance()  # "["
        parts = [name]
        while True:
            token = self.advance()
            if token.kind != "number" or not token.text.isdigit() or not token.text.isascii():
                raise FlowAlgebraError("subscripts must be integers, e.g. U1[2,3]")
            if len(token.text) > MAX_LITERAL_DIGITS:
                raise FlowAlgebraError(f"subscript {shorten(token.text)} has more than {MAX_LITERAL_DIGITS} digits")
            parts.append(str(int(token.text)))
            separator = self.advance()
            if separator.text == "]":
                return "_".join(parts)
            if separator.text != ",":
                raise FlowAlgebraError("subscripts must be integers, e.g. U1[2,3]")


# -- nodes with their bounds (computed as the tree is built, before anything is expanded) -----------

def _monomials(variables: int, degree: int) -> int:
    """The number of monomials of degree <= ``degree`` in ``variables`` variables."""
    return math.comb(variables + degree, degree)


#: term bounds above this are capped by the number of monomials of the degree in the variables
_CAP_FROM = 1_000


def _bounded(degree: int, terms: int, names: frozenset, bits: float, denominator_bits: float) -> int:
    """Refuse a (sub)expression whose bounds exceed the limits; return its term bound (capped by the number of
    monomials of its degree in its variables)."""
    if degree > MAX_DEGREE:
        raise FlowAlgebraError(f"expression has degree up to {degree:,} (limit {MAX_DEGREE:,})")
    if max(bits, denominator_bits) > MAX_COEFFICIENT_BITS:
        raise FlowAlgebraError(f"expression has coefficients of up to {math.ceil(max(bits, denominator_bits)):,} "
                               f"bits (limit {MAX_COEFFICIENT_BITS:,})")
    if terms > _CAP_FROM:
        terms = min(terms, _monomials(len(names), degree))
        if terms > MAX_TERMS:
            raise FlowAlgebraError(f"expression would expand to up to {terms:,} terms (limit {MAX_TERMS:,})")
    return terms


def _number_node(value: Fraction) -> _Node:
    bits, den = _log2(value.numerator), value.denominator
    _bounded(0, 1, frozenset(), bits, _log2(den))
    return _Node("num", value, bits=bits, denominator=den, terms=1 if value else 0)


def _constant(node: _Node, what: str) -> Fraction:
    if node.names:
        raise FlowAlgebraError("exponents and divisors must be numbers, not expressions in the parameters")
    value = _evaluate_constant(node)
    if what == "divisor" and value == 0:
        raise FlowAlgebraError("division by zero")
    return value


def _sum_node(terms: list[tuple[int, _Node]]) -> _Node:
    denominator = 1
    for _, node in terms:
        denominator = math.lcm(denominator, node.denominator)
        _bounded(0, 1, frozenset(), 0.0, _log2(denominator))
    bits = max(node.bits + _log2(denominator // node.denominator) for _, node in terms) + math.log2(len(terms))
    names = frozenset().union(*(node.names for _, node in terms))
    degree = max(node.degree for _, node in terms)
    count = _bounded(degree, sum(node.terms for _, node in terms), names, bits, _log2(denominator))
    return _Node("sum", None, tuple(terms), degree=degree, terms=count, names=names, bits=bits,
                 denominator=denominator)


def _product_node(factors: list[tuple[str, _Node]]) -> _Node:
    degree, terms, bits, denominator, names = 0, 1, 0.0, 1, frozenset()
    divisors = []
    for op, node in factors:
        if op == "/":
            divisor = _constant(node, "divisor")
            divisors.append(divisor)
            bits += _log2(divisor.denominator)
            denominator *= abs(divisor.numerator)
        else:
            divisors.append(None)
            bits += node.bits + (math.log2(min(terms, node.terms)) if terms and node.terms else 0.0)
            degree += node.degree
            terms *= node.terms
            denominator *= node.denominator
            names |= node.names
        terms = _bounded(degree, terms, names, bits, _log2(denominator))   # checked factor by factor
    return _Node("prod", tuple(divisors), tuple(factors), degree=degree, terms=terms, names=names, bits=bits,
                 denominator=denominator)


def _neg_node(node: _Node) -> _Node:
    return _Node("neg", None, (node,), degree=node.degree, terms=node.terms, names=node.names, bits=node.bits,
                 denominator=node.denominator)


def _pow_node(base: _Node, exponent_node: _Node) -> _Node:
    exponent = _constant(exponent_node, "exponent")
    if exponent.denominator != 1 or exponent < 0:
        raise FlowAlgebraError(f"exponent must be a non-negative integer, got {shorten(str(exponent))}")
    if exponent > MAX_EXPONENT:
        raise FlowAlgebraError(f"exponent {shorten(str(exponent))} too large (limit {MAX_EXPONENT})")
    e = int(exponent)
    if base.terms == 0:
        terms = 1 if e == 0 else 0
    else:
        terms = math.comb(base.terms + e - 1, e)   # products of e of the base's terms, as multisets
    bits = e * (base.bits + (math.log2(base.terms) if base.terms else 0.0))
    terms = _bounded(base.degree * e, terms, base.names, bits, _log2(base.denominator) * e)
    return _Node("pow", e, (base,), degree=base.degree * e, terms=terms, names=base.names, bits=bits,
                 denominator=base.denominator ** e)


def _evaluate_constant(node: _Node) -> Fraction:
    """The exact value of a constant node (its bounds are already checked, so this is cheap)."""
    if node.kind == "num":
        return node.value
    if node.kind == "neg":
        return -_evaluate_constant(node.children[0])
    if node.kind == "pow":
        return _evaluate_constant(node.children[0]) ** node.value
    if node.kind == "sum":
        return sum((sign * _evaluate_constant(child) for sign, child in node.children), Fraction(0))
    value = Fraction(1)
    for (op, child), divisor in zip(node.children, node.value):
        value = value / divisor if op == "/" else value * _evaluate_constant(child)
    return value


# -- the parsed expression ------------------------------------------------------------------------

class Expression:
    """A parsed and size-checked expression, not yet expanded: its parameter ``names`` (in order of first
    appearance) and upper bounds on its ``degree`` and on the ``terms`` of its expansion."""

    def __init__(self, text: str, root: _Node, names: tuple[str, ...]):
        self.text = text
        self._root = root
        self.names = names
        self.degree = root.degree
        self.terms = root.terms

    def __repr__(self) -> str:
        return f"Expression({shorten(self.text)!r}, degree <= {self.degree}, terms <= {self.terms})"

    def polynomial(self, ctx: flint.fmpq_mpoly_ctx, max_terms: int = MAX_TERMS) -> flint.fmpq_mpoly:
        """The expansion in the variables of ``ctx`` (refused before expanding if it could have more than
        ``max_terms`` terms)."""
        index = _index(ctx)
        for name in self.names:
            if name not in index:
                known = ctx.names()
                shown = ", ".join(known[:6]) + (", ..." if len(known) > 6 else "")
                raise FlowAlgebraError(f"unknown parameter {shorten(name)!r} (the model's parameters are {shown})")
        if self.terms > max_terms:
            raise FlowAlgebraError(f"expression would expand to up to {self.terms:,} terms (limit {max_terms:,})")
        return _Evaluator(ctx, index).evaluate(self._root)


@functools.lru_cache(maxsize=8)
def _index(ctx: flint.fmpq_mpoly_ctx) -> dict[str, int]:
    """The name -> index map of a context (cached: a model's polynomials are parsed one after another)."""
    return {name: i for i, name in enumerate(ctx.names())}


class _Evaluator:
    def __init__(self, ctx: flint.fmpq_mpoly_ctx, index: dict[str, int]):
        self.ctx = ctx
        self.index = index

    def constant(self, value: Fraction) -> flint.fmpq_mpoly:
        return self.ctx.constant(flint.fmpq(value.numerator, value.denominator))

    def evaluate(self, node: _Node) -> flint.fmpq_mpoly:
        if not node.names:
            return self.constant(_evaluate_constant(node))
        kind = node.kind
        if kind == "var":
            return self.ctx.gen(self.index[node.value])
        if kind == "neg":
            return -self.evaluate(node.children[0])
        if kind == "pow":
            base = self.evaluate(node.children[0])
            return base ** node.value
        if kind == "sum":
            return _balanced([self.evaluate(child) if sign > 0 else -self.evaluate(child)
                              for sign, child in node.children], lambda a, b: a + b)
        scale = Fraction(1)
        factors = []
        for (op, child), divisor in zip(node.children, node.value):
            if op == "/":
                scale /= divisor
            elif child.names:
                factors.append(self.evaluate(child))
            else:
                scale *= _evaluate_constant(child)
        product = _balanced(factors, lambda a, b: a * b)
        return product * flint.fmpq(scale.numerator, scale.denominator) if scale != 1 else product


def _balanced(items: list, combine):
    """Combine a list pairwise (a balanced tree: n log n work for long sums, no deep recursion)."""
    while len(items) > 1:
        items = [combine(items[i], items[i + 1]) if i + 1 < len(items) else items[i] for i in range(0, len(items), 2)]
    return items[0]


def parse_expression(text: str) -> Expression:
    """Parse and size-check ``text`` (see the module docstring) without expanding it."""
    if not isinstance(text, str):
        raise FlowAlgebraError(f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FlowAlgebraError(f"expression too long ({len(text):,} characters, limit {MAX_LENGTH:,})")
    stripped = text.strip()
    if not stripped:
        raise FlowAlgebraError("empty expression")
    parser = _Parser(stripped)
    root = parser.parse()
    return Expression(stripped, root, tuple(parser.names))


def parse_polynomial(text: str, ctx: flint.fmpq_mpoly_ctx, max_terms: int = MAX_TERMS) -> flint.fmpq_mpoly:
    """Parse ``text`` into an exact polynomial over Q in the variables of ``ctx`` (at most ``max_terms`` terms,
    bounded before expanding)."""
    return parse_expression(text).polynomial(ctx, max_terms)
