"""The CoGO semi-ring: two-layer quadratic networks in Fourier coordinates.

A network with hidden nodes j has, per node and per frequency k of the group,
Fourier weights (a_kj, b_kj, c_kj) (MATH.md section 2; conventions in
:meth:`Network.to_weights`). Two element types share the ring structure:

* :class:`Block`: the single-frequency ring of the paper's partial solutions.
  A node is (a, b, c), the weights at one abstract frequency k; the weights at
  -k are the conjugates (a real network). ``Block.at(G, k)`` places a block at
  frequency k of a group.
* :class:`Network`: a network over a finite Abelian group, any width, weights
  at every frequency (sparse). It can be built from real weight matrices and
  converted back; ``+`` and ``*`` are recorded, so potentials can be computed
  through the ring homomorphisms without materialising large products. One
  node type per way of building a network: :class:`LeafNetwork` (explicit
  nodes), :class:`PlacedNetwork` (a block placed at a frequency pair, its nodes
  built on demand), :class:`ScalarNetwork` (the one-node output scale),
  :class:`SumNetwork` and :class:`ProductNetwork` (recorded operations); each
  knows its node count, its nodes and its potential table.

The recorded expression may be deep (a sum built with ``+`` one leaf at a time is a chain of
thousands of sums; the constructions use the flat :meth:`Network.sum_of`): every walk over it is
iterative (:func:`postorder`), sums are
flattened into their summands (counted with multiplicity, so a shared sub-network is not walked
twice), and node counts are cached when a node is built.

``z1 + z2`` concatenates hidden nodes, ``z1 * z2`` has nodes (j1, j2) with
z_{p k (j1,j2)} = z_{p k j1} z_{p k j2}; zero is the empty network, one the
single node with every weight 1. Equality is up to permutation of the nodes.

>>> from algebra.cogo.ring import Block
>>> one = Block.one()
>>> z = Block.from_nodes([(1, 1, 1), (2, 3, 5)])
>>> (z * one == z, z + Block.zero() == z, (z * z).num_nodes)
(True, True, 4)
>>> z + one == one + z
True
>>> from groups import Zd
>>> x = Network.from_nodes(Zd(5), [({1: 2}, {1: 3}, {1: 5})])
>>> [type(n).__name__ for n in (x, x + x, x * x, Network.one(Zd(5)))]
['LeafNetwork', 'SumNetwork', 'ProductNetwork', 'ScalarNetwork']
"""
from __future__ import annotations

import abc
import copy
from collections import Counter
from typing import Iterable, Mapping, NamedTuple, Sequence

import numpy as np

from algebra.cogo.potentials import BlockPotentials, block_potentials
from algebra.errors import FlowAlgebraError
from algebra.exact.cyclotomic import Cyc, CyclotomicField, common_field
from algebra.exact.parametric import PVal, pval
from algebra.lazy import lazy_module
from algebra.present import superscript

sp = lazy_module("sympy")  # imported on first use (labels, printed values), not when the command line starts

__all__ = ["Block", "Network", "LeafNetwork", "PlacedNetwork", "ScalarNetwork", "SumNetwork", "ProductNetwork", "Placement", "Node",
           "MAX_NODES", "MAX_BLOCK_NODES", "MAX_RECORDED_NODES", "MAX_LABEL_PARTS", "postorder"]

#: largest network (number of hidden nodes) that is materialised node by node (a node of exact values takes
#: about 4 KB, so this is about a gigabyte)
MAX_NODES = 250_000
#: largest single-frequency block (its nodes are exact values; the ten potentials take about 1.5 ms per node)
MAX_BLOCK_NODES = 4096
#: largest node count a recorded product may stand for (its potentials need no node list, but the count
#: itself must stay a number: squaring a network forty times would otherwise build a gigabyte integer)
MAX_RECORDED_NODES = 10 ** 30
#: a recorded sum or product labels itself with at most this many parts (then an ellipsis)
MAX_LABEL_PARTS = 64

Node = tuple  # Block: (a, b, c) PVals; Network: (a, b, c) dicts frequency -> PVal


def _unify(values: Iterable[PVal]) -> CyclotomicField:
    return common_field(*{v.field for v in values}) if values else CyclotomicField(1)


def _label_add(l1: sp.Expr, l2: sp.Expr) -> sp.Expr:
    return sp.Add(l1, l2, evaluate=False)


def _label_mul(l1: sp.Expr, l2: sp.Expr) -> sp.Expr:
    return sp.Mul(l1, l2, evaluate=False)


# ---------------------------------------------------------------------------
# single-frequency blocks
# ---------------------------------------------------------------------------
class Block:
    """An element of the single-frequency ring: a list of nodes (a, b, c)."""

    __slots__ = ("nodes", "field", "label", "factors")

    def __init__(self, nodes: Sequence[tuple], label: sp.Expr | None = None, factors: tuple = ()):
        nodes = [tuple(pval(x) for x in n) for n in nodes]
        for n in nodes:
            if len(n) != 3:
                raise FlowAlgebraError(f"a block node is a triple (a, b, c), got {len(n)} entries")
        field = _unify([x for n in nodes for x in n])
        self.nodes = [tuple(x.to_field(field) for x in n) for n in nodes]
        self.field = field
        self.label = label if label is not None else sp.Symbol("z")
        self.factors = tuple(factors)  # the blocks this one is the ring product of (if built by *)

    # -- constructors ----------------------------------------------------
    @classmethod
    def from_nodes(cls, nodes: Sequence[tuple], label: sp.Expr | str | None = None) -> "Block":
        """A block from (a, b, c) triples of exact numbers, Cyc or PVal."""
        if isinstance(label, str):
            label = sp.Symbol(label)
        return cls(nodes, label)

    @classmethod
    def one(cls) -> "Block":
        return cls([(1, 1, 1)], sp.Integer(1))

    @classmethod
    def zero(cls) -> "Block":
        return cls([], sp.Integer(0))

    @classmethod
    def scalar(cls, lam) -> "Block":
        """The one-node element (1, 1, lam): multiplying by it scales the output layer by lam."""
        v = pval(lam)
        return cls([(1, 1, v)], v.to_sympy())

    # -- ring operations -------------------------------------------------
    @property
    def num_nodes(self) -> int:
        return len(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __add__(self, other: "Block") -> "Block":
        other = _as_block(other)
        return Block(self.nodes + other.nodes, _label_add(self.label, other.label))

    def __mul__(self, other) -> "Block":
        other = _as_block(other)
        if self.num_nodes * other.num_nodes > MAX_BLOCK_NODES:
            raise FlowAlgebraError(f"the block product would have {self.num_nodes * other.num_nodes} nodes "
                                   f"(limit {MAX_BLOCK_NODES})")
        nodes = [tuple(x * y for x, y in zip(n1, n2)) for n1 in self.nodes for n2 in other.nodes]
        factors = (self.factors or (self,)) + (other.factors or (other,))
        return Block(nodes, _label_mul(self.label, other.label), factors)

    __rmul__ = __mul__
    __radd__ = __add__

    def __pow__(self, e: int) -> "Block":
        if not isinstance(e, int) or e < 0:
            raise FlowAlgebraError("ring powers need a non-negative integer exponent")
        out = Block.one()
        for _ in range(e):
            out = out * self
        out.label = sp.Pow(self.label, e, evaluate=False)
        return out

    def __eq__(self, other) -> bool:
        if not isinstance(other, Block):
            return NotImplemented
        if self.num_nodes != other.num_nodes:
            return False
        field = common_field(self.field, other.field)
        return _multiset(self.nodes, field) == _multiset(other.nodes, field)

    def __hash__(self) -> int:
        return hash(self.num_nodes)

    def named(self, label: str | sp.Expr) -> "Block":
        """The same element with a display label."""
        return Block(self.nodes, sp.Symbol(label) if isinstance(label, str) else label, self.factors)

    # -- other views -----------------------------------------------------
    def conj(self) -> "Block":
        """The block seen from frequency -k (every weight conjugated)."""
        return Block([tuple(x.conj() for x in n) for n in self.nodes], sp.conjugate(self.label))

    def params(self) -> set[str]:
        return {p for n in self.nodes for x in n for p in x.params()}

    def subs(self, values: Mapping) -> "Block":
        """Substitute exact values for free parameters."""
        return Block([tuple(x.subs(values) for x in n) for n in self.nodes], self.label)

    def to_numpy(self, values: Mapping[str, complex] | None = None) -> np.ndarray:
        """Numeric (q, 3) complex array of the nodes (floats: display and numeric checks only)."""
        return np.array([[x.evaluate(values) for x in n] for n in self.nodes], dtype=complex).reshape(-1, 3)

    def potentials(self) -> BlockPotentials:
        """The ten local monomial potentials, exactly (see :mod:`algebra.cogo.potentials`)."""
        return block_potentials(self)

    def at(self, group, k: int, rename: Mapping | None = None, outputs: Mapping | None = None) -> "Network":
        """This block placed at frequency k of ``group`` (weights at -k are the conjugates; see
        :class:`PlacedNetwork` for ``rename`` and ``outputs``)."""
        return Network.from_block(self, group, k, rename, outputs)

    def __repr__(self) -> str:
        return f"Block({self.label}, {self.num_nodes} nodes)"

    def table(self) -> list[list[str]]:
        """Node list as strings (a, b, c)."""
        return [[str(x.to_sympy()) for x in n] for n in self.nodes]


def _as_block(x) -> Block:
    if isinstance(x, Block):
        return x
    if isinstance(x, (int, PVal, Cyc)) or hasattr(x, "numerator"):
        return Block.scalar(x)
    raise FlowAlgebraError(f"cannot combine a block with {type(x).__name__}")


def _multiset(nodes, field) -> Counter:
    return Counter(tuple(_key(x, field) for x in n) for n in nodes)


def _key(x, field):
    if isinstance(x, dict):
        return tuple(sorted((k, v.to_field(field).key()) for k, v in x.items() if v))
    return x.to_field(field).key()


# ---------------------------------------------------------------------------
# whole networks over a group
# ---------------------------------------------------------------------------
class Placement(NamedTuple):
    """Where a leaf network came from: a single-frequency block placed at frequency ``k`` (its free
    parameters renamed by ``rename``, name -> :class:`~algebra.exact.parametric.Param`, when given)."""

    block: Block
    k: int
    rename: Mapping | None = None


class Network(abc.ABC):
    """A network over a finite Abelian group, in Fourier coordinates.

    Built from explicit nodes (a :class:`LeafNetwork`), as the scalar one-node network
    (:class:`ScalarNetwork`), or by ``+``/``*`` of networks (:class:`SumNetwork`,
    :class:`ProductNetwork`: recorded, materialised on demand). Each node type knows its node
    count, its nodes and its potential table. A node is a triple of dicts ``{frequency: PVal}``
    holding the non-zero weights a_k, b_k, c_k.
    """

    #: the node type, for display (``leaf``, ``scalar``, ``sum``, ``prod``)
    kind: str = ""

    def __init__(self, group, label: sp.Expr | None = None, operands: tuple = (), scalar: PVal | None = None,
                 nodes: list | None = None):
        self.group = group
        self.operands: tuple[Network, ...] = tuple(operands)
        self._label = label  # None: built on first use (a recorded sum or product labels itself from its parts)
        self.scalar_value = scalar  # the output scale of a ScalarNetwork, None for every other node type
        self._nodes = nodes
        self._table: dict | None = None
        self.source: Placement | None = None  # set when this leaf is a block placed at frequency k
        self.notes: list[str] = []  # statements a verification should show (e.g. how a leaf was built)

    @property
    def label(self) -> sp.Expr:
        """The display label (a recorded sum or product: the flat sum or product of its parts' labels)."""
        if self._label is None:
            self._label = self._default_label()
        return self._label

    @label.setter
    def label(self, value: sp.Expr) -> None:
        self._label = value

    def _default_label(self) -> sp.Expr:
        return sp.Symbol("Z")

    # -- what each node type provides ------------------------------------
    @property
    @abc.abstractmethod
    def num_nodes(self) -> int:
        """Number of hidden nodes (without materialising them)."""

    @abc.abstractmethod
    def _build_nodes(self) -> list[Node]:
        """The node list (before the fields of its values are unified)."""

    @abc.abstractmethod
    def _build_table(self) -> dict:
        """The sparse potential table (see :meth:`potential_table`)."""

    def leaves(self) -> list["Network"]:
        """The leaf (and scalar) networks of the recorded ring expression, left to right, with repetition."""
        out, stack = [], [self]
        while stack:
            net = stack.pop()
            if net.operands:
                stack.extend(reversed(net.operands))
            else:
                out.append(net)
        return out

    def _product_table(self, right: "Network") -> dict:
        """The table of ``self * right`` (double dispatch: a scalar on either side scales the other's table)."""
        return right._product_table_with(self.potential_table())

    def _product_table_with(self, left_table: dict) -> dict:
        """The table of ``left * self`` given the table of ``left`` (a network that is not a scalar)."""
        return _table_mul(left_table, self.potential_table())

    def _scaled_table(self, lam: PVal) -> dict:
        """The table of ``lam * self``."""
        return _table_scale(self.potential_table(), lam)

    # -- constructors ----------------------------------------------------
    @classmethod
    def from_nodes(cls, group, nodes: Sequence[tuple], label: sp.Expr | str | None = None) -> "LeafNetwork":
        """A leaf network from nodes ``(a, b, c)``, each a dict frequency -> exact value."""
        clean = []
        for n in nodes:
            if len(n) != 3:
                raise FlowAlgebraError("a network node is a triple of dicts (a, b, c)")
            triple = []
            for part in n:
                d = {}
                for k, v in dict(part).items():
                    if not 0 <= int(k) < group.order:
                        raise FlowAlgebraError(f"frequency {k} is not in {group.name}")
                    v = pval(v)
                    if v:
                        d[int(k)] = v
                triple.append(d)
            clean.append(tuple(triple))
        if isinstance(label, str):
            label = sp.Symbol(label)
        return LeafNetwork(group, _unify_nodes(clean), label)

    @classmethod
    def from_block(cls, block: Block, group, k: int, rename: Mapping | None = None,
                   outputs: Mapping | None = None) -> "PlacedNetwork":
        """``block`` placed at the pair {k, -k} (see :class:`PlacedNetwork`; its nodes are built on demand)."""
        return PlacedNetwork(group, block, k, rename, outputs)

    @classmethod
    def sum_of(cls, group, parts: Sequence["Network"], label: sp.Expr | None = None) -> "Network":
        """The sum of ``parts`` as one flat recorded sum (the empty network when there are none)."""
        parts = list(parts)
        if not parts:
            return cls.zero(group)
        for p in parts:
            if not isinstance(p, Network) or p.group != group:
                raise FlowAlgebraError(f"a sum over {group.name} needs networks over {group.name}")
        if len(parts) == 1:
            return parts[0] if label is None else parts[0].named(label)
        return SumNetwork(group, tuple(parts), label)

    @classmethod
    def zero(cls, group) -> "LeafNetwork":
        return LeafNetwork(group, [], sp.Integer(0))

    @classmethod
    def one(cls, group) -> "ScalarNetwork":
        return cls.scalar(group, 1)

    @classmethod
    def scalar(cls, group, lam) -> "ScalarNetwork":
        """One node with every a_k = b_k = 1 and every c_k = lam (scales the output layer)."""
        return ScalarNetwork(group, pval(lam))

    @classmethod
    def from_weights(cls, group, W_a, W_b, W_c, label: str | None = None) -> "LeafNetwork":
        """Exact Fourier coordinates of real weight matrices W_a, W_b (N x |G|), W_c (|G| x N).

        Entries must be exact (int, Fraction, Cyc, PVal); float arrays belong to the
        numeric backend (:mod:`algebra.cogo.training`).
        """
        W_a, W_b, W_c = (_exact_matrix(W, name) for W, name in ((W_a, "W_a"), (W_b, "W_b"), (W_c, "W_c")))
        N = len(W_a)
        if len(W_b) != N or any(len(r) != group.order for r in W_a + W_b):
            raise FlowAlgebraError(f"W_a and W_b must both be N x {group.order}")
        if len(W_c) != group.order or any(len(r) != N for r in W_c):
            raise FlowAlgebraError(f"W_c must be {group.order} x N with N = {N}")
        nodes = []
        for j in range(N):
            a = group.fourier(W_a[j])
            b = group.fourier(W_b[j])
            c = [2 * x for x in group.inverse_fourier([[W_c[l][j] for l in range(group.order)]])[0]]
            nodes.append(tuple({k: v for k, v in enumerate(vec)} for vec in (a, b, c)))
        return cls.from_nodes(group, nodes, label=label or "Z")

    # -- structure -------------------------------------------------------
    def nodes(self) -> list[Node]:
        """Materialise the node list."""
        if self._nodes is None:
            if self.num_nodes > MAX_NODES:
                raise FlowAlgebraError(f"network has {self.num_nodes} nodes; too many to list (limit {MAX_NODES})")
            for net in postorder(self):  # children first: each _build_nodes reads only finished lists
                if net._nodes is None:
                    net._nodes = _unify_nodes(net._build_nodes())
        return self._nodes

    @property
    def field(self) -> CyclotomicField:
        return _unify([v for n in self.nodes() for part in n for v in part.values()])

    def _check_group(self, other: "Network") -> None:
        if not isinstance(other, Network):
            raise FlowAlgebraError(f"cannot combine a network with {type(other).__name__}")
        if other.group != self.group:
            raise FlowAlgebraError(f"networks over {self.group.name} and {other.group.name} cannot be combined")

    def __add__(self, other: "Network") -> "SumNetwork":
        self._check_group(other)
        return SumNetwork(self.group, (self, other))

    def __mul__(self, other) -> "ProductNetwork":
        if not isinstance(other, Network):
            other = Network.scalar(self.group, other)
        self._check_group(other)
        return ProductNetwork(self.group, (self, other))

    __rmul__ = __mul__

    def __eq__(self, other) -> bool:
        if not isinstance(other, Network):
            return NotImplemented
        if other.group != self.group or other.num_nodes != self.num_nodes:
            return False
        field = common_field(self.field, other.field)
        return _multiset(self.nodes(), field) == _multiset(other.nodes(), field)

    def __hash__(self) -> int:
        return hash((self.group, self.num_nodes))

    def named(self, label: str | sp.Expr) -> "Network":
        """The same network (same node type, nodes and table) with a display label."""
        out = copy.copy(self)
        out.label = sp.Symbol(label) if isinstance(label, str) else label
        out.notes = list(self.notes)
        return out

    def __repr__(self) -> str:
        return f"Network({self.label} over {self.group.name}, {self.num_nodes} nodes)"

    def params(self) -> set[str]:
        """The free parameters of the weights (a sum: those of its summands, without listing its nodes)."""
        return set().union(*(net._own_params() for net in self._node_parts()))

    def _own_params(self) -> set[str]:
        """:meth:`params` of this node's own node list."""
        return {p for n in self.nodes() for part in n for v in part.values() for p in v.params()}

    def _node_parts(self) -> list["Network"]:
        """Networks whose node lists together are this one's, up to order and repetition."""
        return [self]

    def subs(self, values: Mapping) -> "LeafNetwork":
        nodes = [tuple({k: v.subs(values) for k, v in part.items()} for part in n) for n in self.nodes()]
        return Network.from_nodes(self.group, nodes, label=self.label)

    def is_real(self) -> bool:
        """True when every node has z_{-k} = conj(z_k) (the weight matrices are real)."""
        return all(net._nodes_real() for net in self._node_parts())

    def _nodes_real(self) -> bool:
        """:meth:`is_real` of this node's own node list."""
        G = self.group
        for n in self.nodes():
            for part in n:
                for k, v in part.items():
                    w = part.get(G.neg(k))
                    if w is None or not (w == v.conj()):
                        return False
        return True

    # -- potentials ------------------------------------------------------
    def potential_table(self) -> dict:
        """Sparse table {(kind, k1, k2, k): value} of the degree-3 monomial potentials
        r_{k1 k2 k} (kind ``ab``), r^a_{k1 k2 k} (``aa``), r^b_{k1 k2 k} (``bb``), k != 0.

        Sums and products are evaluated through the homomorphisms
        r(z1 + z2) = r(z1) + r(z2) and r(z1 * z2) = r(z1) r(z2).
        """
        if self._table is None:
            for net in postorder(self):  # children first: each _build_table reads only finished tables
                if net._table is None and (net is self or not isinstance(net, ScalarNetwork)):
                    net._table = net._build_table()
        return self._table

    def _children(self) -> list["Network"]:
        """What this node's nodes and table are built from (a sum: its flattened summands)."""
        return list(self.operands)

    # -- real weights ----------------------------------------------------
    def to_weights(self) -> tuple[list, list, list]:
        """Exact real-space weights (W_a, W_b, W_c): W_a[j][g] = sum_k a_kj chi_k(g),
        W_c[l][j] = (1/(2|G|)) sum_k c_kj conj(chi_k(l)). Entries are PVals."""
        G = self.group
        nodes = self.nodes()
        W_a, W_b, cols = [], [], []
        for a, b, c in nodes:
            for part, out in ((a, W_a), (b, W_b)):
                row = [part.get(k, 0) for k in range(G.order)]
                out.append([pval(x) for x in G.inverse_fourier([row])[0]])
            crow = [c.get(k, 0) for k in range(G.order)]
            cols.append([pval(x) / 2 for x in G.fourier(crow)])
        W_c = [[cols[j][l] for j in range(len(nodes))] for l in range(G.order)]
        return W_a, W_b, W_c

    def to_numpy(self, values: Mapping[str, complex] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Numeric Fourier arrays A, B, C of shape (N, |G|) (floats: numeric checks only)."""
        nodes = self.nodes()
        out = [np.zeros((len(nodes), self.group.order), dtype=complex) for _ in range(3)]
        for j, n in enumerate(nodes):
            for p, part in enumerate(n):
                for k, v in part.items():
                    out[p][j, k] = v.evaluate(values)
        return tuple(out)


class LeafNetwork(Network):
    """Explicit nodes (built by :meth:`Network.from_nodes` and the other constructors)."""

    kind = "leaf"

    def __init__(self, group, nodes: list, label: sp.Expr | None = None):
        super().__init__(group, label, nodes=nodes)

    @property
    def num_nodes(self) -> int:
        return len(self._nodes)

    def _build_nodes(self) -> list[Node]:
        return self._nodes

    def _build_table(self) -> dict:
        return _leaf_table(self._nodes)

    def leaves(self) -> list[Network]:
        return [self]


class PlacedNetwork(Network):
    """A single-frequency block placed at the pair {k, -k} of a group: node j has a_k = a_j, a_{-k} =
    conj(a_j) (the same for b and c), the block's free parameters renamed by ``rename`` (name ->
    :class:`~algebra.exact.parametric.Param`, e.g. nu -> nu_3), and, when ``outputs`` = {f: gamma_f}
    is given, the extra output weights c_f = gamma_f, c_{-f} = conj(gamma_f) on every node at the
    other pairs {f, -f}.

    Recorded, like a sum: the node list is built on demand (its potential table from those nodes),
    so a network of thousands of placed blocks costs nothing until a direct computation asks for its
    nodes; :func:`algebra.cogo.decomposition.factor_loss` reads the block and the placement instead.
    Real by construction: every weight at -f is the conjugate of the weight at f.

    >>> from groups import Zd
    >>> from algebra.exact.parametric import Param
    >>> from algebra.exact.parametric import PVal
    >>> b = Block.from_nodes([(1, 1, 1), (PVal.param(Param("nu")), 1, 1)], "b")
    >>> z = b.at(Zd(7), 2, rename={"nu": Param("nu_2")})
    >>> z.kind, z.num_nodes, sorted(z.params()), z._nodes is None
    ('placed', 2, ['nu_2'], True)
    >>> z.nodes()[1][0], z.is_real()
    ({2: PVal(nu_2), 5: PVal(1/nu_2)}, True)
    """

    kind = "placed"

    def __init__(self, group, block: Block, k: int, rename: Mapping | None = None, outputs: Mapping | None = None,
                 label: sp.Expr | None = None):
        if not isinstance(k, int) or not 0 < k < group.order:
            raise FlowAlgebraError(f"a block sits at a non-zero frequency of {group.name}, got k = {k}")
        mk = group.neg(k)
        if mk == k:
            raise FlowAlgebraError(
                f"frequency {k} of {group.name} is self-conjugate (k = -k): a complex block cannot sit there in a real network")
        clean = {}
        for f, g in dict(outputs or {}).items():
            if not isinstance(f, int) or not 0 < f < group.order or group.neg(f) == f or f in (k, mk):
                raise FlowAlgebraError(f"extra output weights sit at other non-self-conjugate frequencies of "
                                       f"{group.name}, got f = {f} for a block at {k}")
            if group.neg(f) in clean:
                raise FlowAlgebraError(f"extra output weights at both {f} and {group.neg(f)}: give one of each pair")
            clean[f] = pval(g)
        super().__init__(group, label)
        self.block, self.k, self.rename, self.outputs = block, k, dict(rename or {}), clean
        self._subs = {name: PVal.param(p) for name, p in self.rename.items()}
        self.source = Placement(block, k, self.rename or None)

    @property
    def num_nodes(self) -> int:
        return self.block.num_nodes

    def _default_label(self) -> sp.Expr:
        return superscript(self.block.label, self.k)

    def value(self, v: PVal) -> PVal:
        """A value of the block with the parameters renamed as at this placement."""
        if self._subs and not v.is_constant() and v.params() & self._subs.keys():
            return v.subs(self._subs)
        return v

    def _build_nodes(self) -> list[Node]:
        G, k = self.group, self.k
        mk = G.neg(k)
        extra = {}
        for f, g in self.outputs.items():
            if g:
                extra[f], extra[G.neg(f)] = g, g.conj()
        nodes = []
        for n in self.block.nodes:
            a, b, c = (self.value(x) for x in n)
            parts = [{k: x, mk: x.conj()} if x else {} for x in (a, b, c)]
            parts[2].update(extra)
            nodes.append(tuple(parts))
        return nodes

    def _build_table(self) -> dict:
        return _leaf_table(self.nodes())

    def leaves(self) -> list[Network]:
        return [self]

    def _own_params(self) -> set[str]:
        names = {self.rename[p].name if p in self.rename else p for p in self.block.params()}
        return names.union(*(g.params() for g in self.outputs.values()))

    def _nodes_real(self) -> bool:
        return True  # by construction (see the class docstring)


class ScalarNetwork(Network):
    """One node with every a_k = b_k = 1 and every c_k = lam: multiplying by it scales the output layer.

    Its own table is not sparse (it has every frequency), so it only enters tables as a factor."""

    kind = "scalar"

    def __init__(self, group, lam: PVal):
        super().__init__(group, lam.to_sympy(), scalar=lam)

    @property
    def num_nodes(self) -> int:
        return 1

    def _build_nodes(self) -> list[Node]:
        ones = {k: PVal.const(1) for k in range(self.group.order)}
        cs = {k: self.scalar_value for k in range(self.group.order)}
        return [(dict(ones), dict(ones), cs)]

    def _build_table(self) -> dict:
        raise FlowAlgebraError("the table of a scalar network is not sparse; multiply it into a network")

    def leaves(self) -> list[Network]:
        return [self]

    def _product_table(self, right: Network) -> dict:
        return right._scaled_table(self.scalar_value)

    def _product_table_with(self, left_table: dict) -> dict:
        return _table_scale(left_table, self.scalar_value)

    def _scaled_table(self, lam: PVal) -> dict:
        raise FlowAlgebraError("the table of a product of scalars is not sparse")


class SumNetwork(Network):
    """``left + right``: the hidden nodes of both (recorded; r(z1 + z2) = r(z1) + r(z2))."""

    kind = "sum"

    def __init__(self, group, operands: tuple[Network, Network], label: sp.Expr | None = None):
        super().__init__(group, label, operands=operands)
        self._count = sum(o.num_nodes for o in self.operands)  # the operands' counts are cached too

    @property
    def num_nodes(self) -> int:
        return self._count

    def summands(self) -> list[Network]:
        """The non-sum networks this nested sum adds up, left to right, with repetition (empty ones left out)."""
        out, stack = [], [self]
        while stack:
            net = stack.pop()
            if isinstance(net, SumNetwork):
                stack.extend(o for o in reversed(net.operands) if o.num_nodes)
            else:
                out.append(net)
        return out

    def multiplicities(self) -> list[tuple[Network, int]]:
        """The distinct non-sum summands with how often each occurs (a shared sub-sum is walked once)."""
        sums = [n for n in postorder(self, _sum_operands) if isinstance(n, SumNetwork)]
        count: dict[int, int] = {id(self): 1}
        found: dict[int, tuple[Network, int]] = {}
        for net in reversed(sums):  # parents before children
            m = count.pop(id(net), 0)
            for o in net.operands:
                if isinstance(o, SumNetwork):
                    count[id(o)] = count.get(id(o), 0) + m
                else:
                    prev = found.get(id(o))
                    found[id(o)] = (o, m + (prev[1] if prev else 0))
        return list(found.values())

    def _children(self) -> list[Network]:
        return [net for net, _ in self.multiplicities()]

    _node_parts = _children

    def _default_label(self) -> sp.Expr:
        return sp.Add(*_unlabelled_parts(self, SumNetwork), evaluate=False)

    def _build_nodes(self) -> list[Node]:
        return [n for o in self.summands() for n in o.nodes()]

    def _build_table(self) -> dict:
        T: dict = {}
        for net, m in self.multiplicities():
            for key, v in net.potential_table().items():
                _add_into(T, key, v if m == 1 else v * m)
        return {key: v for key, v in T.items() if v}


class ProductNetwork(Network):
    """``left * right``: nodes (j1, j2) with z_{pk(j1,j2)} = z_{pkj1} z_{pkj2} (recorded; r(z1 z2) = r(z1) r(z2))."""

    kind = "prod"

    def __init__(self, group, operands: tuple[Network, Network], label: sp.Expr | None = None):
        super().__init__(group, label, operands=operands)
        n = 1
        for o in self.operands:
            n *= o.num_nodes
        if n > MAX_RECORDED_NODES:
            raise FlowAlgebraError(f"the product would have {_magnitude(n)} nodes (limit {_magnitude(MAX_RECORDED_NODES)})")
        self._count = n

    @property
    def num_nodes(self) -> int:
        return self._count

    def _default_label(self) -> sp.Expr:
        return sp.Mul(*_unlabelled_parts(self, ProductNetwork), evaluate=False)

    def _build_nodes(self) -> list[Node]:
        left, right = self.operands
        return [_node_mul(n1, n2) for n1 in left.nodes() for n2 in right.nodes()]

    def _build_table(self) -> dict:
        left, right = self.operands
        return left._product_table(right)


def postorder(root: Network, children=None) -> list[Network]:
    """Every network ``root`` is built from, each once, children before parents, without recursion
    (``children(net)``: what to walk into; by default what a node's nodes and table are built from)."""
    children = children or (lambda net: net._children())
    out, seen, stack = [], set(), [(root, False)]
    while stack:
        net, finished = stack.pop()
        if finished:
            out.append(net)
            continue
        if id(net) in seen:
            continue
        seen.add(id(net))
        stack.append((net, True))
        stack.extend((c, False) for c in reversed(children(net)))
    return out


def _unlabelled_parts(root: Network, kind: type) -> list:
    """The operands of a nest of ``kind`` (sums or products) without labels of their own, left to right;
    after :data:`MAX_LABEL_PARTS` of them the label ends in an ellipsis (a shared sub-sum may repeat
    exponentially often)."""
    out, stack = [], list(reversed(root.operands))
    while stack:
        net = stack.pop()
        if isinstance(net, kind) and net._label is None:
            stack.extend(reversed(net.operands))
        elif len(out) == MAX_LABEL_PARTS:
            return [o.label for o in out] + [sp.Symbol(r"\dots")]
        else:
            out.append(net)
    return [o.label for o in out]


def _sum_operands(net: Network) -> tuple:
    return net.operands if isinstance(net, SumNetwork) else ()


def _magnitude(n: int) -> str:
    """A node count for an error line: exact when short, else its power of ten."""
    return str(n) if n < 10 ** 15 else f"about 10^{len(str(n)) - 1}"


def _exact_matrix(W, name: str) -> list[list]:
    if isinstance(W, np.ndarray):
        if W.dtype.kind in "fc":
            raise FlowAlgebraError(f"{name} holds floats; exact conversion needs ints, Fractions or cyclotomic numbers "
                                   "(use algebra.cogo.training for float weights)")
        W = W.tolist()
    rows = [list(r) for r in W]
    for r in rows:
        for x in r:
            if isinstance(x, float) or isinstance(x, complex):
                raise FlowAlgebraError(f"{name} holds floats; exact conversion needs ints, Fractions or cyclotomic numbers")
    return rows


def _unify_nodes(nodes: list) -> list:
    field = _unify([v for n in nodes for part in n for v in part.values()])
    return [tuple({k: v.to_field(field) for k, v in part.items()} for part in n) for n in nodes]


def _node_mul(n1: Node, n2: Node) -> Node:
    return tuple({k: v * p2[k] for k, v in p1.items() if k in p2 and (v * p2[k])} for p1, p2 in zip(n1, n2))


def _add_into(T: dict, key, v: PVal) -> None:
    s = T.get(key)
    T[key] = v if s is None else s + v


def _leaf_table(nodes) -> dict:
    T: dict = {}
    for a, b, c in nodes:
        for k, ck in c.items():
            if k == 0:
                continue
            for k1, a1 in a.items():
                ac = a1 * ck
                for k2, b2 in b.items():
                    _add_into(T, ("ab", k1, k2, k), ac * b2)
                for k2, a2 in a.items():
                    _add_into(T, ("aa", k1, k2, k), ac * a2)
            for k1, b1 in b.items():
                bc = b1 * ck
                for k2, b2 in b.items():
                    _add_into(T, ("bb", k1, k2, k), bc * b2)
    return {key: v for key, v in T.items() if v}


def _table_scale(T: dict, lam: PVal) -> dict:
    return {key: v * lam for key, v in T.items() if v * lam}


def _table_mul(T1: dict, T2: dict) -> dict:
    if len(T2) < len(T1):
        T1, T2 = T2, T1
    out = {}
    for key, v in T1.items():
        w = T2.get(key)
        if w is not None:
            p = v * w
            if p:
                out[key] = p
    return out
