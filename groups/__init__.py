"""Finite groups, their actions and representations; teacher-student landscapes and symmetry of dynamics.

The names a user types (the rest is in the subpackages :mod:`groups.symmetric`,
:mod:`groups.landscape` and :mod:`groups.dynamics`):

>>> from groups import Zd, fixdim, find_critical_points, hessian_at, trace_arcs
>>> Zd(5).order, fixdim(7, "5,1,1").dim
(5, 10)
>>> hessian_at(4, "identity").consistent
True
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from groups.abelian import AbelianGroup, Zd, parse_group, product
    from groups.dynamics.local_convergence import converge
    from groups.dynamics.convergence_rates import rates_by_students, threshold_experiment
    from groups.dynamics.mean_field import odd_target, symmetry_check
    from groups.dynamics.low_dimensional import low_dim
    from groups.landscape.critical_points import find_critical_points
    from groups.landscape.hessian import hessian_at
    from groups.landscape.reduced import reduced_loss
    from groups.landscape.symbolic import closed_forms
    from groups.landscape.tangency import trace_arcs
    from groups.symmetric.actions import MatrixGroup
    from groups.symmetric.fixed_space import FixedSubspace, fixdim
    from groups.symmetric.young import diagonal_young

__all__ = ["AbelianGroup", "Zd", "parse_group", "product", "MatrixGroup", "diagonal_young", "FixedSubspace", "fixdim",
           "find_critical_points", "hessian_at", "trace_arcs", "reduced_loss", "closed_forms", "converge", "rates_by_students",
           "threshold_experiment",
           "symmetry_check", "odd_target", "low_dim"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
