"""Tangency arcs (groups/landscape/tangency.py)."""
from __future__ import annotations

import json

import pytest

from algebra.errors import FlowAlgebraError
from groups.landscape.critical_points import full_gradient_norm
from groups.landscape.tangency import trace_arcs


def test_tangency_arc_meets_a_critical_point():
    res = trace_arcs(6, "5,1", "4,1,1", max_radius=0.6, starts=30, step=0.03)
    hits = [h for arc in res.arcs for h in arc.hits]
    assert hits, res.summary()
    for h in hits:
        assert full_gradient_norm(h.point) < 1e-10
        assert abs(h.point.loss_float - res.start.loss_float) > 1e-8
        assert 0 < h.radius <= 0.6 + 1e-9
    json.dumps(res.to_json())
    with pytest.raises(FlowAlgebraError):
        trace_arcs(6, "5,1", "3,3")


def test_radius_limits():
    with pytest.raises(FlowAlgebraError, match="radius must be in"):
        trace_arcs(4, "identity", "3,1", max_radius=0)
