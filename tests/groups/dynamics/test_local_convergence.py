"""Local convergence of an over-parameterised student (groups/dynamics/local_convergence.py)."""
from __future__ import annotations

import pytest

from algebra.errors import FlowAlgebraError
from groups.dynamics.local_convergence import converge


def test_local_convergence_students_align_with_teachers():
    exact = converge(6, 2, 2, steps=1500, seed=1)
    over = converge(6, 2, 4, steps=1500, seed=1)
    assert exact.final_loss < 1e-12
    assert over.final_loss < 1e-3 * over.initial_loss
    assert max(over.final_angles_deg) < max(over.initial_angles_deg) / 10
    assert sorted(set(over.nearest_teacher)) == [0, 1]
    best = over.best_fit()
    assert best is not None and best.model.startswith("power")   # degenerate minimum: not exponential
    with pytest.raises(FlowAlgebraError):
        converge(6, 3, 2)


def test_convergence_limits():
    with pytest.raises(FlowAlgebraError, match="noise must be in"):
        converge(4, 1, 1, noise=11)
    with pytest.raises(FlowAlgebraError, match="steps must be between"):
        converge(4, 1, 1, steps=0)
