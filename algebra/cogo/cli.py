"""``flowalgebra cogo ...``: check constructions exactly, train, classify.

>>> parser = argparse.ArgumentParser(prog="flowalgebra")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["cogo", "check", "F6", "--d", "7"])
>>> print(args.handler(args).summary().splitlines()[0])
F6 over Z_7: 18 hidden nodes, loss = 0 exactly
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass

from algebra.commandline import add_output_flags
from algebra.present import Derivation, Result
from algebra.errors import FlowAlgebraError

#: largest group order for ``cogo check`` (the exact check is linear in |G| but this keeps typos cheap)
MAX_CHECK_ORDER = 2001


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cogo", help="CoGO: compose global optimizers exactly; train and classify networks")
    cs = p.add_subparsers(dest="cogo_command", required=True, parser_class=type(p))

    q = cs.add_parser("list", help="the named partial solutions and constructions")
    add_output_flags(q)
    q.set_defaults(handler=_list)

    q = cs.add_parser("check", help="verify a construction exactly over Z_d (or a product group)")
    q.add_argument("name", help="F6, F4_6, F4_6_naive, M, or a block expression such as nu_i*xi")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=int, help="the group Z_d")
    g.add_argument("--group", help="a product group such as 3x5")
    q.add_argument("--values", action="store_true", help="fix free parameters (nu_k = 1, xi_k = 1) instead of symbols")
    add_output_flags(q)
    q.set_defaults(handler=_check)

    q = cs.add_parser("potentials", help="local potentials of a single-frequency block expression, e.g. nu_i*xi")
    q.add_argument("expression")
    add_output_flags(q)
    q.set_defaults(handler=_potentials)

    q = cs.add_parser("proof", help="prove the loss decomposition symbolically for a tiny group")
    q.add_argument("--d", type=int, default=3)
    q.add_argument("--width", type=int, default=1)
    add_output_flags(q)
    q.set_defaults(handler=_proof)

    q = cs.add_parser("train", help="train the real network (numpy, full-batch Adam with weight decay)")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=int)
    g.add_argument("--group")
    q.add_argument("--width", type=int, default=512)
    q.add_argument("--wd", type=float, default=5e-5, help="weight decay (default 5e-5)")
    q.add_argument("--seed", type=int, default=1)
    q.add_argument("--epochs", type=int, default=10_000)
    q.add_argument("--lr", type=float, default=1e-3)
    q.add_argument("--checkpoint-every", type=int, default=1000, help="save weights every N epochs (0: only the end)")
    q.add_argument("--out", required=True, help="output .npz")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_train)

    q = cs.add_parser("classify", help="factor and classify the per-frequency blocks of trained runs")
    q.add_argument("runs", nargs="+", help=".npz files written by `cogo train`")
    q.add_argument("--details", action="store_true", help="include every block in the JSON")
    q.add_argument("--at", type=int, metavar="EPOCH", help="classify the checkpoint saved at EPOCH instead of the end")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_classify)


def _group(args):
    from groups.abelian import Zd, parse_group

    G = Zd(args.d) if args.d is not None else parse_group(args.group)
    return G


@dataclass(repr=False)
class Catalog(Result):
    entries: dict

    def to_json(self) -> dict:
        return self.entries

    def summary(self) -> str:
        return "\n".join(f"{k:12s} {v}" for k, v in self.entries.items())

    def derivation(self) -> Derivation:
        d = Derivation("CoGO constructions")
        for k, v in self.entries.items():
            d.add(f"{k}: {v}")
        return d


def _list(args):
    from algebra.cogo.constructions import DESCRIPTIONS

    return Catalog(dict(DESCRIPTIONS))


def _check(args):
    from algebra.cogo.constructions import construct
    from algebra.cogo.verify import verify

    G = _group(args)
    if G.order > MAX_CHECK_ORDER:
        raise FlowAlgebraError(f"cogo check is limited to |G| <= {MAX_CHECK_ORDER}, got {G.order}")
    z = construct(args.name, G, symbolic=not args.values)
    return verify(z, args.name)


def _potentials(args):
    from algebra.cogo.constructions import parse_block_expression
    from algebra.cogo.verify import verify_block

    return verify_block(parse_block_expression(args.expression))


def _proof(args):
    from algebra.cogo.loss import prove_decomposition
    from groups.abelian import Zd

    return prove_decomposition(Zd(args.d), args.width)


def _train(args):
    from algebra.cogo.training import train

    if not args.out.endswith(".npz"):
        raise FlowAlgebraError(f"--out must end in .npz, got {args.out}")
    G = _group(args)
    run = train(width=args.width, wd=args.wd, seed=args.seed, epochs=args.epochs, lr=args.lr, group=G,
                checkpoint_every=args.checkpoint_every or None, progress=not args.quiet)
    run.save(args.out)
    return run


@dataclass(repr=False)
class _Classified(Result):
    inner: object
    details: bool

    def to_json(self) -> dict:
        out = self.inner.to_json()
        if not self.details:
            out.pop("block_details", None)
        return out

    def summary(self) -> str:
        return self.inner.summary()

    def derivation(self) -> Derivation:
        return self.inner.derivation()


def _classify(args):
    from algebra.cogo.training import load_run
    from algebra.cogo.classify import classify_runs

    runs = [load_run(p) for p in args.runs]
    if args.at is not None:
        runs = [r.at_checkpoint(args.at) for r in runs]
    return _Classified(classify_runs(runs, progress=not args.quiet), args.details)
