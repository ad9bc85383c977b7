"""``flowalgebra laws models|count|poly|sweep|verify``: thin shell over :mod:`laws`.

Numbers are checked where they enter, by the shared argument types of :mod:`algebra.commandline`; the
friction ``--tau`` is an exact rational, :func:`friction` (built from the shared ``integer`` and ``real``).

>>> friction("1/2"), friction("0.25"), friction("3")
(Fraction(1, 2), Fraction(1, 4), Fraction(3, 1))
>>> friction("-1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected an exact friction >= 0 like 0, 1/2 or 0.5, got '-1'
"""
from __future__ import annotations

import argparse
from fractions import Fraction

from algebra.commandline import add_output_flags, integer, positive, real, seed

__all__ = ["register", "friction", "MAX_DEGREE"]

#: ``laws poly --degree`` is at most this
MAX_DEGREE = 8

_degree = integer(1, MAX_DEGREE, f"a degree between 1 and {MAX_DEGREE}")
_numerator = integer(0, None, "a non-negative integer numerator")
_denominator = integer(1, None, "a positive integer denominator")
_decimal = real(0.0, None, "a finite non-negative number")


def friction(text: str) -> Fraction:
    """An argparse type: an exact non-negative rational, ``p/q`` or a decimal (``0``, ``1/2``, ``0.5``, ``1e-3``)."""
    numerator, slash, denominator = text.strip().partition("/")
    try:
        if slash:
            return Fraction(_numerator(numerator), _denominator(denominator))
        _decimal(text)
        return Fraction(text.strip())
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected an exact friction >= 0 like 0, 1/2 or 0.5, got {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    laws = sub.add_parser("laws", help="conservation laws of gradient flows")
    verbs = laws.add_subparsers(dest="verb", required=True, parser_class=type(laws))

    def model_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("model", help="family:DIMS (see `flowalgebra laws models`), e.g. relu:2,3,2, or a model file")
        p.add_argument("--bias", action="store_true", help="add biases (families that have them)")
        p.add_argument("--flow", default="gradient",
                       help="gradient (default), mirror, momentum, momentum-mirror, sign")
        p.add_argument("--tau", type=friction, default=Fraction(0),
                       help="friction of momentum flows, exact (e.g. 0, 1/2, 0.5)")
        p.add_argument("--seed", type=seed, default=0, help="seed of the random points (default 0)")
        add_output_flags(p)

    models = verbs.add_parser("models", help="list the model families and flows")
    add_output_flags(models)
    models.set_defaults(handler=_models)

    count = verbs.add_parser("count", help="number of independent conservation laws (Lie closure)")
    model_args(count)
    count.add_argument("--mode", choices=["auto", "basis", "random"], default="auto",
                       help="named generator brackets (basis) or random elements of W (random)")
    count.set_defaults(handler=_count)

    poly = verbs.add_parser("poly", help="polynomial conservation laws of a given degree, proved exactly")
    model_args(poly)
    poly.add_argument("--degree", type=_degree, default=2, help=f"degree k, 1 to {MAX_DEGREE} (default 2)")
    poly.add_argument("--all-degrees", action="store_true", help="all degrees 1..k, not only homogeneous degree k")
    poly.add_argument("--no-count", action="store_true", help="skip the Lie-closure count (completeness check)")
    poly.set_defaults(handler=_poly)

    sweep = verbs.add_parser("sweep", help="counts over a grid or sample of models and flows, on Dask")
    sweep.add_argument("spec", help="a sweep spec file (.toml/.json) or models separated by ';'")
    sweep.add_argument("--out", default="sweep", help="output folder (results.csv, results.md, results.png)")
    sweep.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a local cluster)")
    sweep.add_argument("--workers", type=positive, default=2,
                       help="worker processes of the local cluster (default 2)")
    add_output_flags(sweep)
    sweep.set_defaults(handler=_sweep)

    verify = verbs.add_parser("verify", help="prove or refute that a given quantity is conserved")
    model_args(verify)
    verify.add_argument("--law", required=True, help='polynomial in the parameters, e.g. "u1_1**2 - v1_1**2"')
    verify.add_argument("--no-numeric", action="store_true", help="skip the simulated gradient flow")
    verify.set_defaults(handler=_verify)


def _model(args):
    """The generator system: the model under the requested flow."""
    from laws.flows.extended import flow_system, parse_flow
    from laws.models.specs import parse_model

    flow = parse_flow(args.flow, args.tau)
    return flow_system(parse_model(args.model, bias=args.bias), flow)


def _models(args):
    from laws.catalogue import Catalogue

    return Catalogue()


def _count(args):
    from laws.closure import count_laws

    return count_laws(_model(args), seed=args.seed, mode=args.mode)


def _poly(args):
    from laws.closure import count_laws
    from laws.polynomial import find_polynomial_laws

    model = _model(args)
    expected = None if args.no_count else count_laws(model, seed=args.seed).laws
    return find_polynomial_laws(model, degree=args.degree, homogeneous=not args.all_degrees, seed=args.seed,
                                expected_laws=expected)


def _verify(args):
    from laws.verify import verify_law

    return verify_law(_model(args), args.law, numeric=not args.no_numeric, seed=args.seed)


def _sweep(args):
    from laws.sweep import load_spec, run_sweep

    return run_sweep(load_spec(args.spec), out=args.out, scheduler=args.scheduler, workers=args.workers,
                     progress=not args.json)
