"""Named limits and the one integer check (groups/limits.py), and exact values in JSON
(algebra/exact/encoding.py)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from groups.limits import MAX_K, check_k


def test_check_k():
    assert check_k(np.int64(5)) == 5 and check_k(MAX_K) == MAX_K
    for bad, fragment in [(True, "integer"), (2.5, "integer"), ("3", "integer"), (MAX_K + 1, "between 2 and 60"),
                          (0, "between")]:
        with pytest.raises(FlowAlgebraError, match=fragment):
            check_k(bad)
    assert check_k(1, "d", 1, 8) == 1


def test_exact_json():
    assert exact_json(3) == 3 and exact_json(Fraction(4, 2)) == 2 and exact_json(Fraction(-1, 3)) == {"p": -1, "q": 3}
    assert exact_json(sp.Rational(6, 4)) == {"p": 3, "q": 2} and exact_json(sp.sqrt(2) / 2) == "sqrt(2)/2"
    with pytest.raises(TypeError):
        exact_json(True)
