"""``flowalgebra landscape ...`` and ``flowalgebra dynamics ...``: thin shells over :mod:`groups`.

Every number is parsed by an argument type of :mod:`algebra.commandline` with the limits of
:mod:`groups.limits` (the library checks the same limits), so a value out of range is refused at the
boundary with one line.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="flowalgebra")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["landscape", "fixdim", "--k", "4", "--isotropy", "3,1"])
>>> args.handler(args).dim
5
"""
from __future__ import annotations

import argparse
from typing import Callable

from algebra.commandline import add_output_flags, integer, nonneg_real, positive, real, seed
from groups.limits import (MAX_DYNAMICS_D, MAX_FORMULA_D, MAX_K, MAX_NOISE, MAX_PARTICLES, MAX_RADIUS, MAX_STARTS,
                           MAX_STEPS, MAX_STUDENTS, MAX_SYMMETRY_D, MAX_TIME, MAX_WIDTH, MIN_K)

__all__ = ["register"]


def _between(low: int, high: int) -> Callable[[str], int]:
    """An integer in ``[low, high]``."""
    return integer(low, high, f"an integer between {low} and {high}")


#: the number of neurons k (= input dimension d) of a landscape problem
K = _between(MIN_K, MAX_K)
STARTS = _between(1, MAX_STARTS)
STEPS = _between(1, MAX_STEPS)
DYNAMICS_D = _between(1, MAX_DYNAMICS_D)
RADIUS = real(0.0, MAX_RADIUS, f"a radius in (0, {MAX_RADIUS:g}]")
TIME = real(0.0, MAX_TIME, f"a time in [0, {MAX_TIME:g}]")
NOISE = real(0.0, MAX_NOISE, f"a noise level in [0, {MAX_NOISE:g}]")


def _search_flags(p: argparse.ArgumentParser) -> None:
    """``--starts`` and ``--seed`` of the critical-point search."""
    p.add_argument("--starts", type=STARTS, default=60, help="random Newton starts (default 60)")
    p.add_argument("--seed", type=seed, default=0)


def register(sub: argparse._SubParsersAction) -> None:
    land = sub.add_parser("landscape", help="teacher-student landscapes: fixed-point subspaces, symmetric critical points, Hessians")
    lsub = land.add_subparsers(dest="landscape_command", required=True, parser_class=type(land))

    p = lsub.add_parser("critical", help="critical points of F in Fix(H), H = Delta(S_p1 x ... x S_pr) or given by generators; k = d, V = I")
    p.add_argument("--k", type=K, required=True, help="number of student = teacher neurons (k = d)")
    p.add_argument("--isotropy", default=None, help="block sizes, e.g. 6,1 for Delta(S_6 x S_1)")
    p.add_argument("--gen", action="append", default=[], metavar="ROWS:COLS",
                   help="or a subgroup of S_k x S_k by generators, e.g. 1,2,0,3:1,2,0,3 (repeatable)")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=_critical)

    p = lsub.add_parser("hessian", help="Hessian eigenvalues by isotypic component of the isotropy group")
    p.add_argument("--k", type=K, required=True)
    p.add_argument("--at", default="identity", help="'identity' (W = I) or an isotropy type such as 6,1 (its spurious minimum)")
    p.add_argument("--method", choices=["projectors", "characters"], default=None)
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=_hessian)

    p = lsub.add_parser("fixdim", help="dimension, exact basis and parametrisation of Fix(H)")
    p.add_argument("--k", type=K, required=True)
    p.add_argument("--d", type=K, default=None, help="input dimension (default k)")
    p.add_argument("--isotropy", default=None, help="diagonal Young type, e.g. 5,1,1")
    p.add_argument("--gen", action="append", default=[], metavar="ROWS:COLS",
                   help="generator as image lists, e.g. 1,0,2:1,0,2 (repeatable; ROWS alone = diagonal)")
    add_output_flags(p)
    p.set_defaults(handler=_fixdim)

    p = lsub.add_parser("reduced", help="exact loss on Fix(Delta(S_p1 x ... x S_pr)) for symbolic k, e.g. --shape k-1,1")
    p.add_argument("--shape", required=True, help="block sizes in k: k, k-<int> or integers, summing to k")
    add_output_flags(p)
    p.set_defaults(handler=_reduced)

    p = lsub.add_parser("formulas", help="closed forms of f, its gradient and Hessian blocks, checked against sympy.diff")
    p.add_argument("--d", type=_between(1, MAX_FORMULA_D), default=3)
    add_output_flags(p)
    p.set_defaults(handler=_formulas)

    p = lsub.add_parser("arcs", help="tangency arcs from a critical point inside Fix of a subgroup")
    p.add_argument("--k", type=K, required=True)
    p.add_argument("--at", required=True, help="isotropy type of the start point (its lowest-loss non-global critical point), or 'identity'")
    p.add_argument("--sub", required=True, help="subgroup H' as block sizes refining the isotropy, e.g. 5,1,1")
    p.add_argument("--radius", type=RADIUS, default=1.5, help="largest radius to trace (default 1.5)")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=_arcs)

    dyn = sub.add_parser("dynamics", help="symmetry of gradient-flow dynamics and local convergence (numeric)")
    dsub = dyn.add_subparsers(dest="dynamics_command", required=True, parser_class=type(dyn))

    p = dsub.add_parser("converge", help="exact population gradient descent, over-parameterised student (Zhou, Ge, Jin)")
    p.add_argument("--d", type=DYNAMICS_D, required=True)
    p.add_argument("--teachers", type=positive, required=True, help="teacher neurons (at most d)")
    p.add_argument("--students", type=_between(1, MAX_STUDENTS), required=True, help="student neurons (at least teachers)")
    p.add_argument("--steps", type=STEPS, default=4000)
    p.add_argument("--lr", type=nonneg_real, default=0.0, help="step size; 0 (default) = 1/lambda_max of the initial Hessian")
    p.add_argument("--noise", type=NOISE, default=0.3, help="initial perturbation of the students")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=_converge)

    p = dsub.add_parser("odd-target", help="odd target: the predictor is linear, w = E[ab]/2 (Hajjar & Chizat)")
    p.add_argument("--d", type=DYNAMICS_D, required=True)
    p.add_argument("--width", type=_between(2, MAX_WIDTH), required=True, help="particles (even)")
    p.add_argument("--time", type=TIME, default=8.0)
    p.add_argument("--steps", type=STEPS, default=24, help="RK4 steps (default 24)")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=_odd_target)

    p = dsub.add_parser("symmetry", help="a G-invariant initialisation stays G-invariant under gradient flow")
    p.add_argument("--d", type=_between(1, MAX_SYMMETRY_D), default=3)
    p.add_argument("--group", default="hyperoctahedral",
                   help="sign-flips | permutations | hyperoctahedral | reflections:1,-1,0;0,1,-1 (rational normal vectors)")
    p.add_argument("--particles", type=_between(1, MAX_PARTICLES), default=3, help="base particles (each replicated over G)")
    p.add_argument("--time", type=TIME, default=3.0)
    p.add_argument("--steps", type=STEPS, default=60)
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=_symmetry)


def _critical(args):
    from groups.landscape.critical_points import find_critical_points

    return find_critical_points(args.k, args.isotropy, starts=args.starts, seed=args.seed, generators=args.gen)


def _hessian(args):
    from groups.landscape.hessian import hessian_at

    return hessian_at(args.k, args.at, starts=args.starts, seed=args.seed, method=args.method)


def _fixdim(args):
    from groups.symmetric.fixed_space import fixdim

    return fixdim(args.k, args.isotropy, generators=args.gen, d=args.d)


def _reduced(args):
    from groups.landscape.reduced import reduced_loss

    return reduced_loss(args.shape)


def _formulas(args):
    from groups.landscape.symbolic import closed_forms

    return closed_forms(args.d)


def _arcs(args):
    from groups.landscape.tangency import trace_arcs

    return trace_arcs(args.k, args.at, args.sub, max_radius=args.radius, starts=args.starts, seed=args.seed)


def _converge(args):
    from groups.dynamics.local_convergence import converge

    return converge(args.d, args.teachers, args.students, steps=args.steps, lr=args.lr, noise=args.noise, seed=args.seed)


def _odd_target(args):
    from groups.dynamics.mean_field import odd_target

    return odd_target(args.d, args.width, t_max=args.time, steps=args.steps, seed=args.seed)


def _symmetry(args):
    from groups.dynamics.mean_field import symmetry_check

    return symmetry_check(args.d, args.group, particles=args.particles, t_max=args.time, steps=args.steps, seed=args.seed)
