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

from algebra.commandline import add_output_flags, fail, positive, real, seed
from algebra.commandline import between as _between  # an integer in [low, high], the bounds named in its error
from groups.limits import (GROUP_LIMIT, MAX_BLOCK_K, MAX_BLOCKS, MAX_BYTES, MAX_DYNAMICS_D, MAX_FLOW_PARTICLES, MAX_FORMULA_D, MAX_GENERATORS, MAX_K,
                           MAX_LR, MAX_NOISE, MAX_NORMALS, MAX_PARTICLES, MAX_RADIUS, MAX_SECONDS, MAX_STARTS, MAX_STEPS,
                           MAX_STUDENTS, MAX_SYMMETRY_D, MAX_TIME, MAX_WIDTH, MIN_K, PROGRESS_SECONDS, format_bytes, single_blas,
                           format_seconds)

from groups.limits import MAX_CONVERGE_SEEDS, MAX_START_LOSS, MAX_START_LOSSES, MAX_STUDENT_COUNTS
from groups.limits import MAX_QUADRATURE_NODES

__all__ = ["register"]


#: the number of neurons k (= input dimension d) of a landscape problem
K = _between(MIN_K, MAX_K)
#: k of the commands whose Delta S_k and Delta(S_(k-1) x S_1) points take the isotypic blocks (critical, hessian)
BLOCK_K = _between(MIN_K, MAX_BLOCK_K)
#: the values of groups.landscape.isotypic_blocks.SPECTRUM_METHODS and groups.landscape.hessian.HESSIAN_METHODS
#: (not imported at start-up; tests/groups/test_landscape_scale.py checks that they agree)
SPECTRUM_METHODS = ("auto", "blocks", "full")
HESSIAN_METHODS = SPECTRUM_METHODS + ("projectors", "characters")
STARTS = _between(1, MAX_STARTS)
STEPS = _between(1, MAX_STEPS)
DYNAMICS_D = _between(1, MAX_DYNAMICS_D)
RADIUS = real(0.0, MAX_RADIUS, f"a radius in (0, {MAX_RADIUS:g}]")
TIME = real(0.0, MAX_TIME, f"a time in [0, {MAX_TIME:g}]")
NOISE = real(0.0, MAX_NOISE, f"a noise level in [0, {MAX_NOISE:g}]")
LR = real(0.0, MAX_LR, f"a step size in [0, {MAX_LR:g}]")

#: the cost rule, at the end of the help of every command that does heavy work
COST_NOTE = (f"The cost is estimated before any work: over {format_seconds(MAX_SECONDS)} (MAX_SECONDS) or "
             f"{format_bytes(MAX_BYTES)} of memory (MAX_BYTES) the command is refused in one line; over "
             f"{format_seconds(PROGRESS_SECONDS)} it shows a progress bar on stderr (Ctrl-C stops it, exit status 130).")
ISOTROPY = f"block sizes summing to k, e.g. 6,1 for Delta(S_6 x S_1) (at most {MAX_BLOCKS} blocks)"


def _search_flags(p: argparse.ArgumentParser) -> None:
    """``--starts`` and ``--seed`` of the critical-point search."""
    p.add_argument("--starts", type=STARTS, default=60, help=f"random Newton starts (default 60, at most {MAX_STARTS})")
    p.add_argument("--seed", type=seed, default=0)


def register(sub: argparse._SubParsersAction) -> None:
    land = sub.add_parser("landscape", help="teacher-student landscapes: fixed-point subspaces, symmetric critical points, Hessians")
    lsub = land.add_subparsers(dest="landscape_command", required=True, parser_class=type(land))

    p = lsub.add_parser("critical", help="critical points of F in Fix(H), H = Delta(S_p1 x ... x S_pr) or given by generators; k = d, V = I",
                        epilog=COST_NOTE)
    p.add_argument("--k", type=BLOCK_K, required=True,
                   help=f"number of student = teacher neurons (k = d, {MIN_K}..{MAX_BLOCK_K}; beyond {MAX_K} in practice only "
                        "isotropy types of one block and singletons, e.g. 99,1 or 100)")
    p.add_argument("--isotropy", default=None, help=ISOTROPY)
    p.add_argument("--gen", action="append", default=[], metavar="ROWS:COLS",
                   help=f"or a subgroup of S_k x S_k by generators, e.g. 1,2,0,3:1,2,0,3 (repeatable, at most "
                        f"{MAX_GENERATORS}; ROWS alone = the same permutation of rows and columns)")
    p.add_argument("--method", choices=SPECTRUM_METHODS, default="auto",
                   help="Hessian spectra of the points: per isotypic block (one block of size at least 4 and singletons), "
                        "the full k^2 x k^2 Hessian, or auto (default: the blocks where they apply, from k = 8)")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_critical))

    p = lsub.add_parser("hessian", help="Hessian eigenvalues by isotypic component of the isotropy group", epilog=COST_NOTE)
    p.add_argument("--k", type=BLOCK_K, required=True,
                   help=f"number of neurons (k = d, {MIN_K}..{MAX_BLOCK_K}; beyond {MAX_K} in practice only with the blocks)")
    p.add_argument("--at", default="identity",
                   help=f"'identity' (W = I) or an isotropy type such as 6,1 (its spurious minimum; at most {MAX_BLOCKS} blocks)")
    p.add_argument("--method", choices=HESSIAN_METHODS, default="auto",
                   help="blocks: per isotypic block (one block of size at least 4 and singletons); full: the k^2 x k^2 "
                        "Hessian split by exact projectors (groups of order at most 40320) or characters, whichever is "
                        "cheap, or named; auto (default): the blocks where they apply, from k = 8, else full")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_hessian))

    p = lsub.add_parser("asymptotics", help="the type-A and Delta S_k critical points followed in k: loss and smallest "
                        "Hessian eigenvalue fitted in powers of 1/sqrt(k), against the published leading terms", epilog=COST_NOTE)
    p.add_argument("--k-max", type=_between(6, MAX_BLOCK_K), default=MAX_BLOCK_K,
                   help=f"largest k (6..{MAX_BLOCK_K}; default {MAX_BLOCK_K}, about 10 s): k = 6..20, then 25, 30, 40, 50, 70, "
                        "100, 140, ... up to it")
    p.add_argument("--starts", type=STARTS, default=40, help="random Newton starts of the search at k = 6 (default 40)")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_asymptotics))

    p = lsub.add_parser("fixdim", help="dimension, exact basis and parametrisation of Fix(H)")
    p.add_argument("--k", type=K, required=True, help=f"rows ({MIN_K}..{MAX_K})")
    p.add_argument("--d", type=K, default=None, help=f"input dimension (default k, {MIN_K}..{MAX_K})")
    p.add_argument("--isotropy", default=None, help="diagonal Young type summing to k, e.g. 5,1,1")
    p.add_argument("--gen", action="append", default=[], metavar="ROWS:COLS",
                   help=f"generator as image lists, e.g. 1,0,2:1,0,2 (repeatable, at most {MAX_GENERATORS}; ROWS alone = "
                        "diagonal, needs k = d)")
    add_output_flags(p)
    p.set_defaults(handler=_fixdim)

    p = lsub.add_parser("reduced", help="exact loss on Fix(Delta(S_p1 x ... x S_pr)) for symbolic k, e.g. --shape k-1,1")
    p.add_argument("--shape", required=True,
                   help=f"block sizes in k: k, k-<int> or integers, summing to k (at most {MAX_BLOCKS} blocks: MAX_BLOCKS)")
    add_output_flags(p)
    p.set_defaults(handler=_reduced)

    p = lsub.add_parser("formulas", help="closed forms of f, its gradient and Hessian blocks, checked against sympy.diff")
    p.add_argument("--d", type=_between(1, MAX_FORMULA_D), default=3)
    add_output_flags(p)
    p.set_defaults(handler=_formulas)

    p = lsub.add_parser("arcs", help="tangency arcs from a critical point inside Fix of a subgroup", epilog=COST_NOTE)
    p.add_argument("--k", type=K, required=True, help=f"number of neurons (k = d, {MIN_K}..{MAX_K})")
    p.add_argument("--at", required=True, help="isotropy type of the start point (its lowest-loss non-global critical point), or 'identity'")
    p.add_argument("--sub", default=None,
                   help=f"subgroup H' as block sizes refining --at (consecutive blocks), e.g. 5,1,1 (at most {MAX_BLOCKS} blocks)")
    p.add_argument("--all", action="store_true",
                   help="instead of --sub: every admissible arc type (H', irreducible, eigenvalue) at the start point, "
                        "traced (--at one block of size at least 4 and singletons, e.g. 5,1 or 6)")
    p.add_argument("--which", type=_between(0, MAX_STARTS), default=0,
                   help="with --all: the start point's rank by loss among the spurious minima of isotropy --at (default 0)")
    p.add_argument("--radius", type=RADIUS, default=1.5, help="largest radius to trace (default 1.5)")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_arcs))

    p = lsub.add_parser("arc-types", help="arc types at the spurious minima of isotropy Delta(S_(k-1) x S_1) and "
                        "Delta S_k, side by side for a range of k", epilog=COST_NOTE)
    p.add_argument("--k", required=True, metavar="K|LOW..HIGH", help=f"k or a range of k, e.g. 6..10 ({MIN_K}..{MAX_K})")
    p.add_argument("--radius", type=RADIUS, default=1.5, help="largest radius to trace (default 1.5)")
    _search_flags(p)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_arc_families))

    dyn = sub.add_parser("dynamics", help="symmetry of gradient-flow dynamics and local convergence (numeric)")
    dsub = dyn.add_subparsers(dest="dynamics_command", required=True, parser_class=type(dyn))

    p = dsub.add_parser("converge", help="exact population gradient descent, over-parameterised student (Zhou, Ge, Jin)",
                        epilog=COST_NOTE)
    p.add_argument("--d", type=DYNAMICS_D, required=True, help=f"input dimension (1..{MAX_DYNAMICS_D})")
    p.add_argument("--teachers", type=positive, required=True, help="teacher neurons (at most d)")
    p.add_argument("--students", required=True,
                   help=f"student neurons (at least teachers, at most {MAX_STUDENTS}), or several, e.g. 3,6,12 (at most "
                        f"{MAX_STUDENT_COUNTS}: MAX_STUDENT_COUNTS), to fit the local rates and test their independence of n")
    p.add_argument("--steps", type=STEPS, default=4000, help=f"gradient steps (default 4000, at most {MAX_STEPS})")
    p.add_argument("--lr", type=LR, default=0.0,
                   help=f"step size in [0, {MAX_LR:g}]; 0 (default) = 1/lambda_max of the initial (students d)^2 Hessian "
                        "(several students: the smallest over n)")
    p.add_argument("--noise", type=NOISE, default=None, help="initial perturbation of the students (default 0.3)")
    p.add_argument("--seed", type=seed, default=0)
    p.add_argument("--threshold", type=real(0.0, MAX_START_LOSS, f"a loss in (0, {MAX_START_LOSS:g}]"), default=None,
                   help="several students: fit the tail of the loss curve below this loss (default 1e-6)")
    p.add_argument("--start-loss", default=None, metavar="L1,L2,...",
                   help=f"threshold experiment: start at these losses (at most {MAX_START_LOSSES}: MAX_START_LOSSES) and "
                        "count the runs that converge")
    p.add_argument("--seeds", type=_between(1, MAX_CONVERGE_SEEDS), default=None,
                   help=f"threshold experiment: seeds per start loss, from --seed on (default 4, at most {MAX_CONVERGE_SEEDS})")
    p.add_argument("--tol", type=real(0.0, MAX_START_LOSS, f"a loss in (0, {MAX_START_LOSS:g}]"), default=None,
                   help="threshold experiment: a run converged if its final loss is at most this (default 1e-6)")
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_converge))

    p = dsub.add_parser("odd-target", help="odd target: the predictor is linear, w = E[ab]/2 (Hajjar & Chizat)",
                        epilog=COST_NOTE)
    p.add_argument("--d", type=DYNAMICS_D, required=True, help=f"input dimension (1..{MAX_DYNAMICS_D})")
    p.add_argument("--width", type=_between(2, MAX_WIDTH), required=True, help=f"particles (even, at most {MAX_WIDTH})")
    p.add_argument("--time", type=TIME, default=8.0, help=f"integration time in (0, {MAX_TIME:g}] (default 8)")
    p.add_argument("--steps", type=STEPS, default=24, help=f"RK4 steps (default 24, at most {MAX_STEPS})")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_odd_target))

    p = dsub.add_parser("symmetry", help="a G-invariant initialisation stays G-invariant under gradient flow",
                        epilog=COST_NOTE)
    p.add_argument("--d", type=_between(1, MAX_SYMMETRY_D), default=3, help=f"input dimension (1..{MAX_SYMMETRY_D})")
    p.add_argument("--group", default="hyperoctahedral",
                   help="sign-flips | permutations | hyperoctahedral | reflections:1,-1,0;0,1,-1 (non-zero rational "
                        f"normal vectors, at most {MAX_NORMALS}); at most {GROUP_LIMIT} elements (GROUP_LIMIT)")
    p.add_argument("--particles", type=_between(1, MAX_PARTICLES), default=3,
                   help=f"base particles, each replicated over G (particles x |G| at most {MAX_FLOW_PARTICLES})")
    p.add_argument("--time", type=TIME, default=3.0, help=f"integration time in [0, {MAX_TIME:g}] (default 3)")
    p.add_argument("--steps", type=STEPS, default=60, help=f"RK4 steps (default 60, at most {MAX_STEPS})")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_symmetry))

    p = dsub.add_parser("low-dim", help="target on an r-dimensional subspace: the reduced flow against width m in R^d, "
                        "and the alignment of the neurons (Hajjar & Chizat)", epilog=COST_NOTE)
    p.add_argument("--d", type=DYNAMICS_D, required=True, help=f"input dimension (1..{MAX_DYNAMICS_D})")
    p.add_argument("--r", type=DYNAMICS_D, required=True, help="dimension of the target's subspace (1..d)")
    p.add_argument("--width", type=_between(2, MAX_WIDTH), default=200, help=f"particles (default 200, at most {MAX_WIDTH})")
    p.add_argument("--time", type=TIME, default=20.0, help=f"integration time in (0, {MAX_TIME:g}] (default 20)")
    p.add_argument("--steps", type=STEPS, default=40, help=f"RK4 steps (default 40, at most {MAX_STEPS})")
    p.add_argument("--nodes", type=_between(1, MAX_QUADRATURE_NODES), default=4,
                   help=f"Gauss-Jacobi nodes of the average over the orthogonal sphere (default 4, at most "
                        f"{MAX_QUADRATURE_NODES}: MAX_QUADRATURE_NODES)")
    p.add_argument("--seed", type=seed, default=0)
    add_output_flags(p)
    p.set_defaults(handler=single_blas(_low_dim))


def _critical(args):
    from groups.landscape.critical_points import find_critical_points

    return find_critical_points(args.k, args.isotropy, starts=args.starts, seed=args.seed, generators=args.gen,
                                method=args.method)


def _hessian(args):
    from groups.landscape.hessian import hessian_at

    return hessian_at(args.k, args.at, starts=args.starts, seed=args.seed, method=args.method)


def _asymptotics(args):
    from groups.landscape.asymptotics import asymptotics

    return asymptotics(args.k_max, starts=args.starts, seed=args.seed)


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

    if args.all == (args.sub is not None):
        raise fail("give a subgroup with --sub or every arc type with --all (one of them)")
    if args.which and not args.all:
        raise fail("--which picks the start point of --all")
    if args.all:
        from groups.landscape.arc_types import arc_types

        return arc_types(args.k, args.at, max_radius=args.radius, starts=args.starts, seed=args.seed, which=args.which)
    return trace_arcs(args.k, args.at, args.sub, max_radius=args.radius, starts=args.starts, seed=args.seed)


def _arc_families(args):
    from groups.landscape.arc_types import arc_families

    return arc_families(args.k, max_radius=args.radius, starts=args.starts, seed=args.seed)


def _converge(args):
    from groups.dynamics.convergence_rates import converge_experiment

    return converge_experiment(args.d, args.teachers, args.students, steps=args.steps, lr=args.lr, noise=args.noise,
                               seed=args.seed, threshold=args.threshold, start_losses=args.start_loss, seeds=args.seeds,
                               tol=args.tol)


def _odd_target(args):
    from groups.dynamics.mean_field import odd_target

    return odd_target(args.d, args.width, t_max=args.time, steps=args.steps, seed=args.seed)


def _symmetry(args):
    from groups.dynamics.mean_field import symmetry_check

    return symmetry_check(args.d, args.group, particles=args.particles, t_max=args.time, steps=args.steps, seed=args.seed)


def _low_dim(args):
    from groups.dynamics.low_dimensional import low_dim

    return low_dim(args.d, args.r, width=args.width, t_max=args.time, steps=args.steps, seed=args.seed, nodes=args.nodes)
