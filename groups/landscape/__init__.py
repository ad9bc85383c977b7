"""Teacher-student landscapes of two-layer ReLU networks with Gaussian inputs: the population loss in
closed form (float64, sympy and mpmath), its restriction to fixed-point subspaces, symmetric critical
points, Hessian spectra by isotypic component and tangency arcs.

The loss :math:`F`, its gradient and its Hessian are ``loss``, ``gradient`` and ``hessian`` of
:mod:`groups.landscape.loss`; ``groups.landscape.loss`` and ``groups.landscape.hessian`` name the
modules, so import those two functions from the module
(``from groups.landscape.loss import loss, gradient, hessian``); every other name is exported here.

>>> from groups.landscape import find_critical_points, hessian_at
>>> hessian_at(4, "identity").consistent
True
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from groups.landscape.critical_points import (EIG_TOL, MP_DPS, CriticalPoint, CriticalPointSet, classify,
                                                  critical_point_table, distinct_eigenvalues, find_critical_points,
                                                  full_gradient_norm, global_minimum, merge_orbits, newton_float, polish_mp)
    from groups.landscape.hessian import (EXACT_IDENTITY_MAX_K, critical_point_hessian, exact_identity_hessian,
                                          exact_identity_spectrum, hessian_at)
    from groups.landscape.loss import (TWO_PI, PairAngles, angles, cross_gradient, gradient, h1_blocks, h2_blocks, kernel,
                                       kernel_matrix, monte_carlo_loss, pair_angles, self_interaction)
    from groups.landscape.mpmath_loss import mp_loss_and_gradient
    from groups.landscape.reduced import (K_SYMBOL, ReducedFunctions, ReducedLoss, compiled_young, parse_symbolic_shape,
                                          reduced_loss, reduced_young_derivatives, reduced_young_loss)
    from groups.landscape.restricted import GenericProblem, ReducedProblem, RestrictedProblem, generic_problem, reduced_problem
    from groups.landscape.symbolic import ClosedForms, closed_forms, symbolic_kernel, symbolic_loss, weight_symbols
    from groups.landscape.tangency import Arc, ArcHit, ArcsResult, trace_arcs

__all__ = [
    # the loss in float64 (loss and hessian: import them from groups.landscape.loss)
    "TWO_PI", "PairAngles", "kernel", "angles", "pair_angles", "kernel_matrix", "cross_gradient", "self_interaction",
    "gradient", "h1_blocks", "h2_blocks", "monte_carlo_loss",
    # in mpmath, and in sympy
    "mp_loss_and_gradient", "symbolic_kernel", "symbolic_loss", "weight_symbols", "ClosedForms", "closed_forms",
    # on a fixed-point subspace
    "K_SYMBOL", "reduced_young_loss", "reduced_young_derivatives", "ReducedFunctions", "compiled_young",
    "parse_symbolic_shape", "ReducedLoss", "reduced_loss", "RestrictedProblem", "ReducedProblem", "reduced_problem",
    "GenericProblem", "generic_problem",
    # critical points, Hessians, tangency arcs
    "MP_DPS", "EIG_TOL", "distinct_eigenvalues", "CriticalPoint", "CriticalPointSet", "critical_point_table",
    "newton_float", "polish_mp", "classify", "global_minimum", "find_critical_points", "merge_orbits",
    "full_gradient_norm", "EXACT_IDENTITY_MAX_K", "exact_identity_hessian", "exact_identity_spectrum",
    "critical_point_hessian", "hessian_at", "ArcHit", "Arc", "ArcsResult", "trace_arcs",
]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
