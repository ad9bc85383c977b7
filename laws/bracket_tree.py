"""The derivation tree of a Lie closure: the kept bracket words, their operands and the levels, as a small
directed graph that reads like a networkx ``DiGraph`` (``nodes``, ``nodes[n]``, ``nodes(data=True)``,
``edges``, ``has_edge``, ``in``, ``len``) without importing networkx on the way to a count;
:meth:`BracketTree.to_networkx` gives the ``DiGraph`` (same nodes, attributes and edges, in the same order).

>>> tree = BracketTree()
>>> tree.add_node((0, 1), kind="bracket", label="[chi1, chi2]")
>>> tree.add_edge((0,), (0, 1))
>>> list(tree.nodes), tree.nodes[(0, 1)]["kind"], tree.has_edge((0,), (0, 1)), list(tree.edges)
([(0, 1), (0,)], 'bracket', True, [((0,), (0, 1))])
>>> sorted(tree.to_networkx().nodes(data="kind"))
[((0,), None), ((0, 1), 'bracket')]
"""
from __future__ import annotations

from typing import Any, Hashable, Iterator

__all__ = ["BracketTree"]


class _NodeView:
    """``tree.nodes``: iterate the nodes, ``[node]`` their attributes, ``(data=True)`` both (as in networkx)."""

    def __init__(self, nodes: dict[Hashable, dict[str, Any]]):
        self._nodes = nodes

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node: object) -> bool:
        return node in self._nodes

    def __getitem__(self, node: Hashable) -> dict[str, Any]:
        return self._nodes[node]

    def __call__(self, data: bool | str = False, default: Any = None) -> list:
        if data is False:
            return list(self._nodes)
        if data is True:
            return list(self._nodes.items())
        return [(n, d.get(data, default)) for n, d in self._nodes.items()]


class BracketTree:
    """Nodes with attributes and edges from operands to brackets (and from level to level), kept in order of
    insertion; see the module docstring."""

    def __init__(self) -> None:
        self._nodes: dict[Hashable, dict[str, Any]] = {}
        self._succ: dict[Hashable, dict[Hashable, None]] = {}

    def add_node(self, node: Hashable, **attrs: Any) -> None:
        self._nodes.setdefault(node, {}).update(attrs)
        self._succ.setdefault(node, {})

    def add_edge(self, u: Hashable, v: Hashable) -> None:
        for node in (u, v):
            self.add_node(node)
        self._succ[u][v] = None

    def has_edge(self, u: Hashable, v: Hashable) -> bool:
        return v in self._succ.get(u, ())

    @property
    def nodes(self) -> _NodeView:
        return _NodeView(self._nodes)

    @property
    def edges(self) -> list[tuple[Hashable, Hashable]]:
        return [(u, v) for u, successors in self._succ.items() for v in successors]

    def __contains__(self, node: object) -> bool:
        return node in self._nodes

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __repr__(self) -> str:
        return f"BracketTree({len(self._nodes)} nodes, {len(self.edges)} edges)"

    def to_networkx(self):
        """The tree as a ``networkx.DiGraph`` (networkx is imported here, not before)."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(self._nodes.items())
        graph.add_edges_from(self.edges)
        return graph
