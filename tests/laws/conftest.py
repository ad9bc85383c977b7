"""Fixtures of the conservation-law tests: a count certified from both sides."""
from __future__ import annotations

import pytest

from laws.closure import count_laws
from laws.polynomial import find_polynomial_laws


def _certified(system, degree: int = 2, homogeneous: bool = False) -> int:
    """The count, checked to be fully explained by exact polynomial laws of the given degree: exact minors
    bound K from below, proved laws from above."""
    laws = count_laws(system).laws
    poly = find_polynomial_laws(system, degree=degree, homogeneous=homogeneous, expected_laws=laws)
    assert poly.complete, (system.name, laws, poly.independent)
    return laws


@pytest.fixture
def certified():
    """``certified(system, degree=2, homogeneous=False) -> laws``: a count certified by polynomial laws."""
    return _certified
