"""Named limits on the sizes of groups problems, shared by the library's checks and the command line.

One place for each limit: the library functions refuse values outside them with a one-line
:class:`~algebra.errors.FlowAlgebraError`, and :mod:`groups.cli` builds its argument types from the
same numbers. This module imports nothing heavy, so the command line can use it at start-up.

>>> check_k(7)
7
>>> check_k(1)
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: k must be between 2 and 60, got 1
>>> check_k(3.0, "d")
Traceback (most recent call last):
...
algebra.errors.FlowAlgebraError: d must be an integer, got 3.0
"""
from __future__ import annotations

import numbers

from algebra.errors import FlowAlgebraError

__all__ = ["check_k", "MIN_K", "MAX_K", "MAX_STARTS", "MAX_FORMULA_D", "MAX_RADIUS", "MAX_DYNAMICS_D",
           "MAX_SYMMETRY_D", "MAX_STUDENTS", "MAX_WIDTH", "MAX_STEPS", "MAX_NOISE", "MAX_TIME", "MAX_PARTICLES"]

#: fewest neurons of a landscape problem (k = d)
MIN_K = 2
#: most neurons (and input dimensions) of a landscape problem: the Hessian has (k d)^2 entries
MAX_K = 60
#: most random starts of a critical-point search
MAX_STARTS = 100_000
#: largest input dimension for the symbolic check of the closed forms (sympy.diff of the kernel)
MAX_FORMULA_D = 6
#: largest radius of a tangency arc
MAX_RADIUS = 100.0
#: largest input dimension of the dynamics runs (local convergence, odd target)
MAX_DYNAMICS_D = 500
#: largest input dimension of the symmetry check (a reflection group of order up to 2^d d!)
MAX_SYMMETRY_D = 8
#: most students in the local-convergence run
MAX_STUDENTS = 2000
#: largest width of the odd-target simulation
MAX_WIDTH = 20_000
#: most gradient-descent or RK4 steps
MAX_STEPS = 1_000_000
#: largest initial perturbation of the students
MAX_NOISE = 10.0
#: longest integration time of the mean-field flow
MAX_TIME = 1000.0
#: most base particles of the symmetry check (each is replicated over the group)
MAX_PARTICLES = 50


def check_k(k: object, name: str = "k", low: int = MIN_K, high: int = MAX_K) -> int:
    """``k`` as an int in ``[low, high]``, or a one-line :class:`FlowAlgebraError` naming it ``name``."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise FlowAlgebraError(f"{name} must be an integer, got {k!r}")
    if not low <= int(k) <= high:
        raise FlowAlgebraError(f"{name} must be between {low} and {high}, got {k}")
    return int(k)
