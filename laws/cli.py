"""``flowalgebra laws models|count|poly|sweep|verify``: thin shell over :mod:`laws`.

Numbers are checked where they enter, by the shared argument types of :mod:`algebra.commandline`; the
friction ``--tau`` is an exact rational, :func:`friction` (built from the shared ``integer`` and ``real``),
``--flow`` one of :data:`~laws.flows.extended.FLOWS`. The model (``family:DIMS`` or a model file) is checked by
:func:`~laws.models.specs.parse_model`, the law by the safe parser, and the cost of the work is estimated
before it starts (refused beyond the limits named in ``--help``; a long accepted run shows a progress bar).

>>> friction("1/2"), friction("0.25"), friction("3")
(Fraction(1, 2), Fraction(1, 4), Fraction(3, 1))
>>> friction("-1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected an exact friction >= 0 like 0, 1/2 or 0.5 (numerator and denominator at most 1,000,000,000), got '-1'
"""
from __future__ import annotations

import argparse
from fractions import Fraction

from algebra.errors import FlowAlgebraError
from algebra.commandline import add_output_flags, integer, real, seed
from algebra.exact.parsing import MAX_LENGTH, shorten
from laws.flows.extended import FLOWS
from laws.limits import (MAX_COUNT_WORK, MAX_FRICTION_PART, MAX_LAW_TERMS, MAX_MODEL_FILE_BYTES, MAX_POLY_WORK,
                         MAX_UNKNOWNS)

__all__ = ["register", "friction", "MAX_DEGREE"]

#: ``laws poly --degree`` is at most this
MAX_DEGREE = 8

_degree = integer(1, MAX_DEGREE, f"a degree between 1 and {MAX_DEGREE}")
_numerator = integer(0, MAX_FRICTION_PART, "a non-negative integer numerator")
_denominator = integer(1, MAX_FRICTION_PART, "a positive integer denominator")
_decimal = real(0.0, None, "a finite non-negative number")


def friction(text: str) -> Fraction:
    """An argparse type: an exact non-negative rational, ``p/q`` or a decimal (``0``, ``1/2``, ``0.5``, ``1e-3``),
    numerator and denominator at most ``MAX_FRICTION_PART`` (so the denominator is invertible mod every prime)."""
    numerator, slash, denominator = text.strip().partition("/")
    try:
        if slash:
            return Fraction(_numerator(numerator), _denominator(denominator))
        _decimal(text)
        value = Fraction(text.strip())
        if value.numerator > MAX_FRICTION_PART or value.denominator > MAX_FRICTION_PART:
            raise argparse.ArgumentTypeError()
        return value
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected an exact friction >= 0 like 0, 1/2 or 0.5 (numerator and "
                                         f"denominator at most {MAX_FRICTION_PART:,}), got {shorten(text)!r}") from None


def _flow(text: str) -> str:
    """An argparse type: one of the flows' names."""
    if text not in FLOWS:
        raise argparse.ArgumentTypeError(f"unknown flow {shorten(text)!r} (known: {', '.join(FLOWS)})")
    return text


def _law(text: str) -> str:
    """An argparse type: a law's text, at most MAX_LENGTH characters (it is parsed once the model is known)."""
    if len(text) > MAX_LENGTH:
        raise argparse.ArgumentTypeError(f"expected a law of at most {MAX_LENGTH:,} characters, got {len(text):,}")
    return text


def register(sub: argparse._SubParsersAction) -> None:
    laws = sub.add_parser("laws", help="conservation laws of gradient flows")
    verbs = laws.add_subparsers(dest="verb", required=True, parser_class=type(laws))

    def model_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("model", help="family:DIMS (see `flowalgebra laws models`), e.g. relu:2,3,2, or a model file: "
                       f"a name ending in .json/.toml or a path containing / (at most {MAX_MODEL_FILE_BYTES:,} bytes)")
        p.add_argument("--bias", action="store_true", help="add biases (families that have them)")
        p.add_argument("--flow", default="gradient", type=_flow, metavar="FLOW",
                       help=f"{', '.join(FLOWS)} (default gradient)")
        p.add_argument("--tau", type=friction, default=Fraction(0),
                       help=f"friction of momentum flows, exact (e.g. 0, 1/2, 0.5; numerator and denominator at most "
                            f"{MAX_FRICTION_PART:,})")
        p.add_argument("--seed", type=seed, default=0, help="seed of the random points (default 0)")
        add_output_flags(p)

    models = verbs.add_parser("models", help="list the model families and flows")
    add_output_flags(models)
    models.set_defaults(handler=_models)

    count = verbs.add_parser("count", help="number of independent conservation laws (Lie closure)",
                             description="Refused when the estimated work exceeds MAX_COUNT_WORK = "
                                         f"{MAX_COUNT_WORK:.1e}, about five minutes (D brackets x phi's size x 8, "
                                         "a quarter of phi's size for a linear net's gradient flow, plus "
                                         "D^3/150 for the frame).")
    model_args(count)
    count.add_argument("--mode", choices=["auto", "basis", "random"], default="auto",
                       help="named generator brackets (basis) or random elements of W (random)")
    count.set_defaults(handler=_count)

    poly = verbs.add_parser("poly", help="polynomial conservation laws of a given degree, proved exactly",
                            description=f"Refused beyond MAX_UNKNOWNS = {MAX_UNKNOWNS:,} monomials or an estimated "
                                        f"work of MAX_POLY_WORK = {MAX_POLY_WORK:.0e}.")
    model_args(poly)
    poly.add_argument("--degree", type=_degree, default=2, help=f"degree k, 1 to {MAX_DEGREE} (default 2)")
    poly.add_argument("--all-degrees", action="store_true", help="all degrees 1..k, not only homogeneous degree k")
    poly.add_argument("--no-count", action="store_true", help="skip the Lie-closure count (completeness check)")
    poly.set_defaults(handler=_poly)

    sweep = verbs.add_parser("sweep", help="counts over a grid or sample of models and flows, on Dask",
                             epilog="Exit status 2 if the spec is wrong (checked before any task runs), another "
                                    "sweep holds --out, the scheduler cannot be reached, or every task failed (the "
                                    "errors are in results.csv); 130 on Ctrl-C (a rerun resumes).")
    sweep.add_argument("spec", help="a sweep spec file (.toml/.json, at most 1 MB, laws.sweep.MAX_SPEC_BYTES; at "
                                    "most 100000 tasks, MAX_TASKS) or models separated by ';'")
    sweep.add_argument("--out", default="sweep", help="output folder (results.csv, results.md, results.png); one "
                                                      "sweep at a time per folder")
    sweep.add_argument("--scheduler", help="address of an existing Dask scheduler, tcp://HOST:PORT (or tls://, "
                                           "ws://, wss://, ucx://; HOST:PORT means tcp://), reached within 5 s "
                                           "(default: a local cluster)")
    sweep.add_argument("--workers", type=integer(1, 8, "a number of worker processes from 1 to 8"), default=None,
                       help="worker processes of the local cluster, 1 to 8 (laws.sweep.MAX_WORKERS; default 2), "
                            "sharing 4 GB (MAX_CLUSTER_MEMORY)")
    add_output_flags(sweep)
    sweep.set_defaults(handler=_sweep)

    verify = verbs.add_parser("verify", help="prove or refute that a given quantity is conserved")
    model_args(verify)
    verify.add_argument("--law", required=True, type=_law,
                        help='polynomial in the parameters, e.g. "u1_1**2 - v1_1**2" (+ - * / and ** only; at most '
                             f'{MAX_LAW_TERMS:,} terms once expanded)')
    verify.add_argument("--no-numeric", action="store_true", help="skip the simulated gradient flow")
    verify.set_defaults(handler=_verify)


def _model(args):
    """The generator system: the model under the requested flow (the flow is checked first: it is cheap)."""
    from laws.flows.extended import flow_system, parse_flow
    from laws.models.specs import parse_model

    flow = parse_flow(args.flow, args.tau)
    if getattr(args, "mode", "auto") != "auto" and args.flow == "sign":
        raise FlowAlgebraError("--mode chooses brackets; the sign flow's count has none (leave --mode out)")
    return flow_system(parse_model(args.model, bias=args.bias), flow)


def _models(args):
    from laws.catalogue import Catalogue

    return Catalogue()


def _count(args):
    from laws.closure import count_laws

    return count_laws(_model(args), seed=args.seed, mode=args.mode, progress=True)


def _poly(args):
    """The laws first, then the count that says whether they are all (both costs are checked before either runs)."""
    import dataclasses

    from laws.closure import check_count_cost, count_laws
    from laws.polynomial import find_polynomial_laws

    model = _model(args)
    if not args.no_count and args.flow != "sign":
        check_count_cost(model)
    result = find_polynomial_laws(model, degree=args.degree, homogeneous=not args.all_degrees, seed=args.seed,
                                  progress=True)
    if args.no_count:
        return result
    return dataclasses.replace(result, expected_laws=count_laws(model, seed=args.seed, progress=True).laws)


def _verify(args):
    from laws.verify import verify_law

    return verify_law(_model(args), args.law, numeric=not args.no_numeric, seed=args.seed)


def _sweep(args):
    from algebra.commandline import fail, output_folder
    from laws.sweep import fail_if_all_failed, load_spec, run_sweep, scheduler_address

    scheduler = None if args.scheduler is None else scheduler_address(args.scheduler)
    if scheduler is not None and args.workers is not None:
        raise fail("--workers sets the local cluster's size: a --scheduler has its own workers")
    try:
        out = output_folder(args.out)
    except argparse.ArgumentTypeError as err:
        raise fail(f"--out: {err}") from None
    result = run_sweep(load_spec(args.spec, progress=not args.json), out=out, scheduler=scheduler,
                       workers=args.workers or 2, progress=not args.json)
    return fail_if_all_failed(result)
