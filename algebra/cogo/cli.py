"""``flowalgebra cogo ...``: check constructions exactly, train, classify.

A thin shell: every number is checked by an argument type with named limits (exit status 2 with one
line), each handler calls the library and returns its :class:`~algebra.present.result.Result`.

>>> parser = argparse.ArgumentParser(prog="flowalgebra")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["cogo", "check", "F6", "--d", "7"])
>>> print(args.handler(args).summary().splitlines()[0])
F6 over Z_7: 18 hidden nodes, loss = 0 exactly
>>> group_order("1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a group order d >= 2, got 1
>>> run_file("run.txt")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a file name ending in .npz, got 'run.txt'
"""
from __future__ import annotations

import argparse
import math

from algebra.cogo.training import MAX_EPOCHS, MAX_ORDER, MAX_WIDTH
from algebra.commandline import add_output_flags, integer, nonneg, output_file, positive, real, seed
from algebra.errors import FlowAlgebraError

__all__ = ["register", "MAX_CHECK_ORDER", "group_order", "training_order", "width", "epochs", "weight_decay",
           "learning_rate", "run_file"]

#: largest group order for ``cogo check`` (the exact check is linear in |G| but this keeps typos cheap)
MAX_CHECK_ORDER = 2001

#: argument types built from :func:`algebra.commandline.integer` / :func:`~algebra.commandline.real`
group_order = integer(2, None, "a group order d >= 2")
training_order = integer(2, MAX_ORDER, f"a group order d >= 2 and <= {MAX_ORDER} (training)")
width = integer(1, MAX_WIDTH, f"a width between 1 and {MAX_WIDTH}")
epochs = integer(1, MAX_EPOCHS, f"a number of epochs between 1 and {MAX_EPOCHS}")
weight_decay = real(0.0, math.nextafter(1.0, 0.0), "a weight decay in [0, 1)")
learning_rate = real(math.nextafter(0.0, 1.0), math.nextafter(1.0, 0.0), "a learning rate in (0, 1)")
_writable = output_file()


def run_file(text: str) -> str:
    """An argparse type: the ``.npz`` file ``cogo train`` writes (its folder must exist and be writable)."""
    if not text.endswith(".npz"):
        raise argparse.ArgumentTypeError(f"expected a file name ending in .npz, got {text!r}")
    return _writable(text)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cogo", help="CoGO: compose global optimizers exactly; train and classify networks")
    cs = p.add_subparsers(dest="cogo_command", required=True, parser_class=type(p))

    q = cs.add_parser("list", help="the named partial solutions and constructions")
    add_output_flags(q)
    q.set_defaults(handler=_list)

    q = cs.add_parser("check", help="verify a construction exactly over Z_d (or a product group)")
    q.add_argument("name", help="F6, F4_6, F4_6_naive, M, or a block expression such as nu_i*xi")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=group_order, help="the group Z_d")
    g.add_argument("--group", help="a product group such as 3x5")
    q.add_argument("--values", action="store_true", help="fix free parameters (nu_k = 1, xi_k = 1) instead of symbols")
    add_output_flags(q)
    q.set_defaults(handler=_check)

    q = cs.add_parser("potentials", help="local potentials of a single-frequency block expression, e.g. nu_i*xi")
    q.add_argument("expression")
    add_output_flags(q)
    q.set_defaults(handler=_potentials)

    q = cs.add_parser("proof", help="prove the loss decomposition symbolically for a tiny group")
    q.add_argument("--d", type=group_order, default=3)
    q.add_argument("--width", type=positive, default=1)
    add_output_flags(q)
    q.set_defaults(handler=_proof)

    q = cs.add_parser("train", help="train the real network (numpy, full-batch Adam with weight decay)")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=training_order)
    g.add_argument("--group")
    q.add_argument("--width", type=width, default=512)
    q.add_argument("--wd", type=weight_decay, default=5e-5, help="weight decay (default 5e-5)")
    q.add_argument("--seed", type=seed, default=1)
    q.add_argument("--epochs", type=epochs, default=10_000)
    q.add_argument("--lr", type=learning_rate, default=1e-3)
    q.add_argument("--checkpoint-every", type=nonneg, default=1000, help="save weights every N epochs (0: only the end)")
    q.add_argument("--out", required=True, type=run_file, help="output .npz")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_train)

    q = cs.add_parser("classify", help="factor and classify the per-frequency blocks of trained runs")
    q.add_argument("runs", nargs="+", help=".npz files written by `cogo train`")
    q.add_argument("--details", action="store_true", help="include every block in the JSON")
    q.add_argument("--at", type=nonneg, metavar="EPOCH", help="classify the checkpoint saved at EPOCH instead of the end")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_classify)


def _group(args):
    from groups.abelian import Zd, parse_group

    return Zd(args.d) if args.d is not None else parse_group(args.group)


def _list(args):
    from algebra.cogo.constructions import catalog

    return catalog()


def _check(args):
    from algebra.cogo.constructions import construct
    from algebra.cogo.verification import verify

    G = _group(args)
    if G.order > MAX_CHECK_ORDER:
        raise FlowAlgebraError(f"cogo check is limited to |G| <= {MAX_CHECK_ORDER}, got {G.order}")
    z = construct(args.name, G, symbolic=not args.values)
    return verify(z, args.name)


def _potentials(args):
    from algebra.cogo.constructions import parse_block_expression
    from algebra.cogo.verification import verify_block

    return verify_block(parse_block_expression(args.expression))


def _proof(args):
    from algebra.cogo.decomposition import prove_decomposition
    from groups.abelian import Zd

    return prove_decomposition(Zd(args.d), args.width)


def _train(args):
    from algebra.cogo.training import train

    G = _group(args)
    run = train(width=args.width, wd=args.wd, seed=args.seed, epochs=args.epochs, lr=args.lr, group=G,
                checkpoint_every=args.checkpoint_every or None, progress=not args.quiet)
    run.save(args.out)
    return run


def _classify(args):
    from algebra.cogo.classify import classify_runs
    from algebra.cogo.training import load_run

    runs = [load_run(p) for p in args.runs]
    if args.at is not None:
        runs = [r.at_checkpoint(args.at) for r in runs]
    return classify_runs(runs, progress=not args.quiet, details=args.details)
