"""Monomial potentials r(z) = sum_j prod_{(p,k)} z_{pkj}: ring homomorphisms.

For a :class:`~algebra.cogo.ring.Network`, :class:`MonomialPotential` is any
monomial in the Fourier weights (p in {a, b, c}, k a frequency); the loss needs
the degree-3 ones r_{k1 k2 k} = sum_j a_{k1 j} b_{k2 j} c_{kj} and
r^p_{k1 k2 k} = sum_j p_{k1 j} p_{k2 j} c_{kj}. For a single-frequency
:class:`~algebra.cogo.ring.Block` the ten local potentials are the monomials
with one c and two of a, conj(a), b, conj(b) (:data:`LOCAL_POTENTIALS`).

Every monomial potential satisfies r(z1 + z2) = r(z1) + r(z2),
r(z1 * z2) = r(z1) r(z2) and r(1) = 1.

Exact values in results: a rational value is an ``int`` or ``Fraction``, anything else a
:class:`~algebra.exact.parametric.PVal`; in :meth:`BlockPotentials.to_json` each potential follows
:mod:`algebra.exact.encoding` (an integer, ``{"p": .., "q": ..}`` for another rational, else the
string of its exact sympy form, e.g. ``"2 - 2*I"``).

>>> from algebra.cogo.ring import Block
>>> from algebra.cogo import constructions as C
>>> t = (C.nu_i() * C.xi()).potentials()
>>> t.value("r_{k,k,k}"), t.vanishing()[:2]
(4, ['r_{-k,k,k}', 'r_{k,-k,k}'])
>>> t.to_json()["potentials"]["r^a_{k,-k,k}"], t.to_json()["potentials"]["r_{k,k,k}"]
('2 - 2*I', 4)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol, Sequence

from algebra.cogo.notation import NOTATION
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.parametric import PVal, exact_number
from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, inline, inline_list

sp = lazy_module("sympy")  # imported on first use (labels, printed values), not when the command line starts



class BlockLike(Protocol):
    """What a local potential reads of a single-frequency block (:class:`algebra.cogo.ring.Block`, which
    sits above this module: the ring calls the potentials, the potentials only read these attributes)."""

    field: object
    nodes: Sequence[tuple[PVal, PVal, PVal]]
    label: sp.Expr
    num_nodes: int


class NetworkLike(Protocol):
    """What a monomial potential reads of a network (:class:`algebra.cogo.ring.Network`): its hidden nodes,
    each ``(a, b, c)`` as sparse ``{frequency: value}`` maps, and its sparse potential table."""

    def nodes(self) -> Iterable[tuple[Mapping[int, PVal], Mapping[int, PVal], Mapping[int, PVal]]]: ...

    def potential_table(self) -> dict: ...

__all__ = ["LOCAL_POTENTIALS", "LocalPotential", "BlockPotentials", "block_potentials", "MonomialPotential",
           "local_potential", "table_value"]


@dataclass(frozen=True)
class LocalPotential:
    """sum_j a^ea conj(a)^eā b^eb conj(b)^eb̄ c over the nodes of a block."""

    name: str
    exps: tuple[int, int, int, int]  # a, conj a, b, conj b
    group: str  # which loss constraint it belongs to

    def __call__(self, block: BlockLike) -> PVal:
        total = PVal.const(0, block.field)
        ea, eac, eb, ebc = self.exps
        for a, b, c in block.nodes:
            term = c
            for x, e in ((a, ea), (a.conj(), eac), (b, eb), (b.conj(), ebc)):
                if e:
                    term = term * x ** e
            total = total + term
        return total

    @property
    def symbol(self) -> sp.Symbol:
        return sp.Symbol(self.name)

    def monomial(self, j: sp.Symbol | None = None) -> sp.Expr:
        """The summand, a monomial in a_j, conj(a_j), b_j, conj(b_j), c_j."""
        if j is None:
            a, b, c = sp.symbols("a b c")
        else:
            a, b, c = (sp.IndexedBase(s)[j] for s in "abc")
        ea, eac, eb, ebc = self.exps
        return a ** ea * sp.conjugate(a) ** eac * b ** eb * sp.conjugate(b) ** ebc * c


#: the ten local potentials of a single-frequency block (target: r_{k,k,k} = 1, all others 0)
LOCAL_POTENTIALS: tuple[LocalPotential, ...] = (
    LocalPotential("r_{k,k,k}", (1, 0, 1, 0), "target"),
    LocalPotential("r_{-k,k,k}", (0, 1, 1, 0), "R_c"),
    LocalPotential("r_{k,-k,k}", (1, 0, 0, 1), "R_c"),
    LocalPotential("r_{-k,-k,k}", (0, 1, 0, 1), "R_c"),
    LocalPotential("r^a_{k,k,k}", (2, 0, 0, 0), "R_*"),
    LocalPotential("r^a_{-k,-k,k}", (0, 2, 0, 0), "R_*"),
    LocalPotential("r^b_{k,k,k}", (0, 0, 2, 0), "R_*"),
    LocalPotential("r^b_{-k,-k,k}", (0, 0, 0, 2), "R_*"),
    LocalPotential("r^a_{k,-k,k}", (1, 1, 0, 0), "R_n"),
    LocalPotential("r^b_{k,-k,k}", (0, 0, 1, 1), "R_n"),
)
_BY_NAME = {p.name: p for p in LOCAL_POTENTIALS}


def local_potential(name: str) -> LocalPotential:
    """The local potential called ``name`` (e.g. ``r^a_{k,-k,k}``)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise FlowAlgebraError(f"unknown local potential {name!r}; known: {', '.join(_BY_NAME)}") from None


@dataclass(repr=False)
class BlockPotentials(Result):
    """The ten local potentials of a block, exactly, with which ones vanish."""

    label: sp.Expr
    num_nodes: int
    values: dict[str, PVal] = field(default_factory=dict)

    def value(self, name: str):
        """The potential ``name``: an int or Fraction when it is rational, else its PVal."""
        return exact_number(self.values[local_potential(name).name])

    def vanishing(self) -> list[str]:
        """Names of the potentials that are identically zero (for every value of the free parameters)."""
        return [n for n, v in self.values.items() if v.is_zero()]

    def remaining(self) -> dict[str, PVal]:
        return {n: v for n, v in self.values.items() if not v.is_zero()}

    def to_json(self) -> dict:
        return {
            "element": str(self.label),
            "nodes": self.num_nodes,
            "potentials": {n: exact_json(v) for n, v in self.values.items()},
            "vanishing": self.vanishing(),
        }

    def summary(self) -> str:
        lines = [f"{self.label}: {self.num_nodes} nodes"]
        for n, v in self.values.items():
            lines.append(f"  {n:15s} = {sp.sstr(v.to_sympy())}{'   (vanishes)' if v.is_zero() else ''}")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        d = Derivation(f"Local potentials of {inline(self.label)}", notation=NOTATION)
        j = sp.Symbol("j", integer=True)
        d.add("Each local potential is a monomial summed over the nodes $(a_j, b_j, c_j)$ of the block; "
              "weights at -k are the conjugates.",
              [sp.Eq(p.symbol, sp.Sum(p.monomial(j), (j, 1, self.num_nodes))) for p in LOCAL_POTENTIALS])
        d.add("Exact values (free parameters kept symbolic; unit-circle parameters satisfy $\\bar\\nu = \\nu^{-1}$):",
              [sp.Eq(sp.Symbol(n), v.to_sympy()) for n, v in self.values.items()])
        van = self.vanishing()
        d.conclusion = (f"{len(van)} of {len(self.values)} potentials vanish identically: " + inline_list(van)
                        if van else "No potential vanishes identically.")
        return d


def block_potentials(block: BlockLike) -> BlockPotentials:
    """The ten local potentials of ``block``, exactly (what :meth:`Block.potentials` returns)."""
    return BlockPotentials(block.label, block.num_nodes, {p.name: p(block) for p in LOCAL_POTENTIALS})


# ---------------------------------------------------------------------------
# monomial potentials of whole networks
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MonomialPotential:
    """r(z) = sum_j prod z_{p k j}^e over ``factors`` = ((p, k, e), ...), p in {a, b, c}.

    >>> from groups import Zd
    >>> from algebra.cogo.ring import Network
    >>> G = Zd(5)
    >>> z = Network.from_nodes(G, [({1: 2}, {1: 3}, {1: 5})])
    >>> r = MonomialPotential.r(1, 1, 1)
    >>> r(z), r(z * z), r(z + z)
    (30, 900, 60)
    """

    factors: tuple[tuple[str, int, int], ...]

    def __post_init__(self) -> None:
        for p, k, e in self.factors:
            if p not in ("a", "b", "c") or e < 1:
                raise FlowAlgebraError(f"monomial factors are (p in a/b/c, k, exponent >= 1), got {(p, k, e)}")

    @staticmethod
    def r(k1: int, k2: int, k: int) -> "MonomialPotential":
        return MonomialPotential((("a", k1, 1), ("b", k2, 1), ("c", k, 1)))

    @staticmethod
    def rp(p: str, k1: int, k2: int, k: int) -> "MonomialPotential":
        if k1 == k2:
            return MonomialPotential(((p, k1, 2), ("c", k, 1)))
        return MonomialPotential(((p, k1, 1), (p, k2, 1), ("c", k, 1)))

    def __call__(self, z: NetworkLike):
        total = PVal.const(0)
        for node in z.nodes():
            parts = dict(zip("abc", node))
            term = PVal.const(1)
            for p, k, e in self.factors:
                v = parts[p].get(k)
                if v is None:
                    term = None
                    break
                term = term * v ** e
            if term is not None:
                total = total + term
        return exact_number(total)

    def symbol(self) -> sp.Expr:
        return sp.Mul(*[sp.Symbol(f"{p}_{{{k}}}") ** e for p, k, e in self.factors])


def table_value(z: NetworkLike, kind: str, k1: int, k2: int, k: int) -> PVal:
    """Entry of :meth:`Network.potential_table` (zero when absent)."""
    return z.potential_table().get((kind, k1, k2, k), PVal.const(0))
