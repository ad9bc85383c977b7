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
  through the ring homomorphisms without materialising large products.

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
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

import numpy as np
import sympy as sp

from algebra.present import superscript

from algebra.exact.cyclotomic import Cyc, CyclotomicField, common_field
from algebra.errors import FlowAlgebraError
from algebra.exact.parametric import PVal
from algebra.cogo.potentials import block_potentials

#: largest network (number of hidden nodes) that is materialised node by node
MAX_NODES = 2_000_000

Node = tuple  # Block: (a, b, c) PVals; Network: (a, b, c) dicts frequency -> PVal


def _unify(values: Iterable[PVal]) -> CyclotomicField:
    return common_field(*{v.field for v in values}) if values else CyclotomicField(1)


def _pv(x) -> PVal:
    return x if isinstance(x, PVal) else PVal.const(x)


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
        nodes = [tuple(_pv(x) for x in n) for n in nodes]
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
        v = _pv(lam)
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
        if self.num_nodes * other.num_nodes > MAX_NODES:
            raise FlowAlgebraError(f"product would have {self.num_nodes * other.num_nodes} nodes (limit {MAX_NODES})")
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

    def potentials(self):
        """The ten local monomial potentials, exactly (see :mod:`algebra.cogo.potentials`)."""
        return block_potentials(self)

    def at(self, group, k: int) -> "Network":
        """This block placed at frequency k of ``group`` (weights at -k are the conjugates)."""
        return Network.from_block(self, group, k)

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
class Network:
    """A network over a finite Abelian group, in Fourier coordinates.

    Built from explicit nodes (a leaf) or by ``+``/``*`` of networks (recorded,
    materialised on demand). A node is a triple of dicts ``{frequency: PVal}``
    holding the non-zero weights a_k, b_k, c_k.
    """

    def __init__(self, group, kind: str, nodes=None, operands=(), label: sp.Expr | None = None, scalar: PVal | None = None):
        self.group = group
        self.kind = kind  # "leaf", "sum", "prod" or "scalar"
        self._nodes = nodes
        self.operands = tuple(operands)
        self.label = label if label is not None else sp.Symbol("Z")
        self.scalar_value = scalar
        self._table = None
        self.source = None  # (block, k) when this leaf is a block placed at frequency k
        self.notes: list[str] = []  # statements a verification should show (e.g. how a leaf was built)

    # -- constructors ----------------------------------------------------
    @classmethod
    def from_nodes(cls, group, nodes: Sequence[tuple], label: sp.Expr | str | None = None) -> "Network":
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
                    v = _pv(v)
                    if v:
                        d[int(k)] = v
                triple.append(d)
            clean.append(tuple(triple))
        if isinstance(label, str):
            label = sp.Symbol(label)
        return cls(group, "leaf", nodes=_unify_nodes(clean), label=label)

    @classmethod
    def from_block(cls, block: Block, group, k: int) -> "Network":
        if not 0 < k < group.order:
            raise FlowAlgebraError(f"a block sits at a non-zero frequency of {group.name}, got k = {k}")
        mk = group.neg(k)
        if mk == k:
            raise FlowAlgebraError(
                f"frequency {k} of {group.name} is self-conjugate (k = -k): a complex block cannot sit there in a real network")
        nodes = [tuple({k: x, mk: x.conj()} for x in n) for n in block.nodes]
        out = cls.from_nodes(group, nodes, label=superscript(block.label, k))
        out.source = (block, k)
        return out

    @classmethod
    def zero(cls, group) -> "Network":
        return cls(group, "leaf", nodes=[], label=sp.Integer(0))

    @classmethod
    def one(cls, group) -> "Network":
        return cls.scalar(group, 1)

    @classmethod
    def scalar(cls, group, lam) -> "Network":
        """One node with every a_k = b_k = 1 and every c_k = lam (scales the output layer)."""
        v = _pv(lam)
        return cls(group, "scalar", label=v.to_sympy(), scalar=v)

    @classmethod
    def from_weights(cls, group, W_a, W_b, W_c, label: str | None = None) -> "Network":
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
    @property
    def num_nodes(self) -> int:
        if self.kind == "leaf":
            return len(self._nodes)
        if self.kind == "scalar":
            return 1
        if self.kind == "sum":
            return sum(o.num_nodes for o in self.operands)
        n = 1
        for o in self.operands:
            n *= o.num_nodes
        return n

    def nodes(self) -> list[Node]:
        """Materialise the node list."""
        if self._nodes is None:
            if self.num_nodes > MAX_NODES:
                raise FlowAlgebraError(f"network has {self.num_nodes} nodes; too many to list (limit {MAX_NODES})")
            if self.kind == "scalar":
                ones = {k: PVal.const(1) for k in range(self.group.order)}
                cs = {k: self.scalar_value for k in range(self.group.order)}
                self._nodes = [(dict(ones), dict(ones), cs)]
            elif self.kind == "sum":
                self._nodes = [n for o in self.operands for n in o.nodes()]
            else:
                left, right = self.operands
                self._nodes = [_node_mul(n1, n2) for n1 in left.nodes() for n2 in right.nodes()]
            self._nodes = _unify_nodes(self._nodes)
        return self._nodes

    @property
    def field(self) -> CyclotomicField:
        return _unify([v for n in self.nodes() for part in n for v in part.values()])

    def _check_group(self, other: "Network") -> None:
        if not isinstance(other, Network):
            raise FlowAlgebraError(f"cannot combine a network with {type(other).__name__}")
        if other.group != self.group:
            raise FlowAlgebraError(f"networks over {self.group.name} and {other.group.name} cannot be combined")

    def __add__(self, other: "Network") -> "Network":
        self._check_group(other)
        return Network(self.group, "sum", operands=(self, other), label=_label_add(self.label, other.label))

    def __mul__(self, other) -> "Network":
        if not isinstance(other, Network):
            other = Network.scalar(self.group, other)
        self._check_group(other)
        return Network(self.group, "prod", operands=(self, other), label=_label_mul(self.label, other.label))

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
        out = Network(self.group, self.kind, self._nodes, self.operands, sp.Symbol(label) if isinstance(label, str) else label, self.scalar_value)
        out._table = self._table
        out.source = self.source
        out.notes = list(self.notes)
        return out

    def leaves(self) -> list["Network"]:
        """The leaf networks of the recorded ring expression (left to right)."""
        if self.kind in ("leaf", "scalar"):
            return [self]
        return [leaf for o in self.operands for leaf in o.leaves()]

    def __repr__(self) -> str:
        return f"Network({self.label} over {self.group.name}, {self.num_nodes} nodes)"

    def params(self) -> set[str]:
        return {p for n in self.nodes() for part in n for v in part.values() for p in v.params()}

    def subs(self, values: Mapping) -> "Network":
        nodes = [tuple({k: v.subs(values) for k, v in part.items()} for part in n) for n in self.nodes()]
        return Network.from_nodes(self.group, nodes, label=self.label)

    def is_real(self) -> bool:
        """True when every node has z_{-k} = conj(z_k) (the weight matrices are real)."""
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
            if self.kind == "leaf":
                self._table = _leaf_table(self._nodes)
            elif self.kind == "sum":
                self._table = _table_add(self.operands[0].potential_table(), self.operands[1].potential_table())
            elif self.kind == "prod":
                self._table = _table_mul(self.operands[0], self.operands[1])
            else:
                raise FlowAlgebraError("the table of a scalar network is not sparse; multiply it into a network")
        return self._table

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
                out.append([_pv(x) for x in G.inverse_fourier([row])[0]])
            crow = [c.get(k, 0) for k in range(G.order)]
            cols.append([_pv(x) / 2 for x in G.fourier(crow)])
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


def _table_add(T1: dict, T2: dict) -> dict:
    out = dict(T1)
    for key, v in T2.items():
        _add_into(out, key, v)
    return {key: v for key, v in out.items() if v}


def _table_mul(left: Network, right: Network) -> dict:
    if left.kind == "scalar" and right.kind == "scalar":
        raise FlowAlgebraError("the table of a product of scalars is not sparse")
    if right.kind == "scalar":
        lam = right.scalar_value
        return {key: v * lam for key, v in left.potential_table().items() if v * lam}
    if left.kind == "scalar":
        lam = left.scalar_value
        return {key: v * lam for key, v in right.potential_table().items() if v * lam}
    T1, T2 = left.potential_table(), right.potential_table()
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
