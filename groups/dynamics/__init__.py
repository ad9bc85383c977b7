"""Symmetry of gradient-flow dynamics (mean field, Hajjar & Chizat 2022) and local convergence of an
over-parameterised student (Zhou, Ge, Jin 2021), numerically.

>>> from groups.dynamics import symmetry_check
>>> symmetry_check(2, "sign-flips", particles=1, t_max=0.5, steps=5).group_order
4
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from groups.dynamics.local_convergence import LOSS_FLOOR, ConvergenceResult, Fit, converge
    from groups.dynamics.convergence_rates import RatesResult, ThresholdResult, rates_by_students, threshold_experiment
    from groups.dynamics.mean_field import (OddTarget, OddTargetResult, OddTargetRun, SymmetryResult, TeacherTarget,
                                            moment_rhs, odd_target, risk, rk4, symmetry_check, velocity)
    from groups.dynamics.low_dimensional import LowDimResult, low_dim

__all__ = ["converge", "ConvergenceResult", "Fit", "LOSS_FLOOR", "symmetry_check", "SymmetryResult", "odd_target",
           "OddTargetResult", "OddTargetRun", "TeacherTarget", "OddTarget", "velocity", "risk", "rk4", "moment_rhs",
           "low_dim", "LowDimResult", "rates_by_students", "RatesResult", "threshold_experiment", "ThresholdResult"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
