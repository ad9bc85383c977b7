"""``flowalgebra cogo ...``: check constructions exactly, train, classify.

A thin shell: every number, group spec, expression and file is checked by an argument type with named
limits (exit status 2 with one line) before any work starts; each handler calls the library and returns
its :class:`~algebra.present.result.Result`. Costs that depend on several arguments together (a block at
every frequency pair, the memory of a training run, the size of a symbolic proof) are estimated by the
library before it builds anything, and refused in one line naming the estimate and the limit.

>>> parser = argparse.ArgumentParser(prog="flowalgebra")
>>> register(parser.add_subparsers())
>>> args = parser.parse_args(["cogo", "check", "F6", "--d", "7"])
>>> print(args.handler(args).summary().splitlines()[0])
F6 over Z_7: 18 hidden nodes, loss = 0 exactly
>>> group_order("1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a group order d >= 2, got 1
>>> check_group("3x5").moduli
(3, 5)
>>> check_group("101x103")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: cogo check is limited to |G| <= 10001, got 101x103 (order 10403)
>>> run_file("run.txt")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a file name ending in .npz, got 'run.txt'
"""
from __future__ import annotations

import argparse
from typing import Callable

from tqdm import tqdm

from algebra.cogo.constructions import MAX_MEMORISATION_ORDER, MAX_NETWORK_NODES, NETWORKS, block_terms, shorten
from algebra.cogo.decomposition import MAX_PROOF_COST, MAX_PROOF_ORDER, MAX_PROOF_WIDTH
from algebra.cogo.ring import MAX_BLOCK_NODES
from algebra.cogo.training import (GIB, MAX_EPOCHS, MAX_ORDER, MAX_RUN_FILE_BYTES, MAX_TRAIN_BYTES, MAX_WIDTH,
                                   check_run_file)
from algebra.commandline import add_output_flags, between, integer, interval, nonneg, output_file, seed
from algebra.errors import FlowAlgebraError
from groups.abelian import AbelianGroup, parse_group

__all__ = ["register", "MAX_CHECK_ORDER", "MAX_CLASSIFY_RUNS", "group_order", "check_order", "proof_order",
           "proof_width", "training_order", "table2_order", "width", "epochs", "checkpoint_every", "weight_decay",
           "learning_rate", "train_fraction", "run_file", "group_spec", "check_group", "training_group", "construction",
           "block_expression"]

#: largest group order for ``cogo check``: every construction over a group of odd order is evaluated at the
#: factor level (:func:`algebra.cogo.decomposition.factor_loss`), linear in |G|: at d = 10001 F6, F4_6 and
#: F4_6_naive take about 1 s of work (2 s with the start of the command); even orders admit no construction
#: but z_M, which has its own limit
MAX_CHECK_ORDER = 10_001
#: most run files one ``cogo classify`` reads (one at a time; their blocks are kept)
MAX_CLASSIFY_RUNS = 500

#: argument types built from :func:`algebra.commandline.integer`, :func:`~algebra.commandline.between` and
#: :func:`~algebra.commandline.interval`
group_order = integer(2, None, "a group order d >= 2")
check_order = integer(2, MAX_CHECK_ORDER, f"a group order d >= 2 (cogo check is limited to d <= {MAX_CHECK_ORDER})")
proof_order = integer(2, MAX_PROOF_ORDER, f"a group order d >= 2 (the symbolic proof is for tiny groups: "
                                          f"d <= {MAX_PROOF_ORDER})")
proof_width = integer(1, MAX_PROOF_WIDTH, f"a positive integer width (the symbolic proof is for tiny networks: "
                                          f"width <= {MAX_PROOF_WIDTH})")
training_order = integer(2, MAX_ORDER, f"a group order d >= 2 and <= {MAX_ORDER} (training)")
table2_order = integer(3, MAX_ORDER, f"a group order d >= 3 and <= {MAX_ORDER} (training)")
width = between(1, MAX_WIDTH, "a width")
epochs = between(1, MAX_EPOCHS, "a number of epochs")
checkpoint_every = integer(0, MAX_EPOCHS, f"a non-negative integer number of epochs (at most {MAX_EPOCHS})")
weight_decay = interval(0, 1, "a weight decay", "[)")
learning_rate = interval(0, 1, "a learning rate", "()")
train_fraction = interval(0, 1, "a train fraction", "(]")
_writable = output_file()


def run_file(text: str) -> str:
    """An argparse type: the ``.npz`` file ``cogo train`` writes (its folder must exist and be writable)."""
    if not text.endswith(".npz"):
        raise argparse.ArgumentTypeError(f"expected a file name ending in .npz, got {shorten(text)}")
    return _writable(text)


def group_spec(limit: int, what: str) -> Callable[[str], AbelianGroup]:
    """An argparse type: a product group such as ``3x5`` (:func:`groups.abelian.parse_group`) of order at
    most ``limit``."""

    def parse(text: str) -> AbelianGroup:
        try:
            G = parse_group(text)
        except FlowAlgebraError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
        if G.order > limit:
            raise argparse.ArgumentTypeError(f"{what} is limited to |G| <= {limit}, got {text.strip()} "
                                             f"(order {G.order})")
        return G

    parse.__name__ = "group"
    return parse


check_group = group_spec(MAX_CHECK_ORDER, "cogo check")
training_group = group_spec(MAX_ORDER, "training")


def construction(text: str) -> str:
    """An argparse type: a whole-network name (F6, F4_6, F4_6_naive, M) or a block expression
    (:func:`~algebra.cogo.constructions.block_terms`: names, ``*`` and ``+``, at most
    :data:`~algebra.cogo.ring.MAX_BLOCK_NODES` nodes)."""
    if text in NETWORKS:
        return text
    try:
        block_terms(text)
    except FlowAlgebraError as err:
        if text.isidentifier() and text.isascii() and "unknown block" in str(err):
            raise argparse.ArgumentTypeError(f"unknown construction {shorten(text)}; whole networks: "
                                             f"{', '.join(NETWORKS)}; or a product/sum of blocks (e.g. nu_i*xi)") from None
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def block_expression(text: str) -> str:
    """An argparse type: a block expression (see :func:`construction`)."""
    try:
        block_terms(text)
    except FlowAlgebraError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cogo", help="CoGO: compose global optimizers exactly; train and classify networks")
    cs = p.add_subparsers(dest="cogo_command", required=True, parser_class=type(p))

    q = cs.add_parser("list", help="the named partial solutions and constructions")
    add_output_flags(q)
    q.set_defaults(handler=_list)

    q = cs.add_parser("check", help="verify a construction exactly over Z_d (or a product group)")
    q.add_argument("name", type=construction,
                   help=f"F6, F4_6, F4_6_naive, M (|G| <= {MAX_MEMORISATION_ORDER}), or a block expression such as "
                        "nu_i*xi (names, * and +; at most "
                        f"{MAX_BLOCK_NODES} nodes per block, {MAX_NETWORK_NODES} in the network)")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=check_order, help=f"the group Z_d (2 <= d <= {MAX_CHECK_ORDER})")
    g.add_argument("--group", type=check_group, help=f"a product group such as 3x5 (order <= {MAX_CHECK_ORDER})")
    q.add_argument("--values", action="store_true", help="fix free parameters (nu_k = 1, xi_k = 1) instead of symbols")
    add_output_flags(q)
    q.set_defaults(handler=_check)

    q = cs.add_parser("potentials", help="local potentials of a single-frequency block expression, e.g. nu_i*xi")
    q.add_argument("expression", type=block_expression,
                   help=f"names, * and +, e.g. nu_i*xi or nu*syn + one (at most {MAX_BLOCK_NODES} nodes)")
    add_output_flags(q)
    q.set_defaults(handler=_potentials)

    q = cs.add_parser("proof", help="prove the loss decomposition symbolically for a tiny group")
    q.add_argument("--d", type=proof_order, default=3, help=f"the group Z_d (2 <= d <= {MAX_PROOF_ORDER}; default 3)")
    q.add_argument("--width", type=proof_width, default=1,
                   help=f"hidden nodes (1 to {MAX_PROOF_WIDTH}; width^2 d^9 <= {MAX_PROOF_COST}, about a minute)")
    add_output_flags(q)
    q.set_defaults(handler=_proof)

    q = cs.add_parser("train", help="train the real network (numpy, full-batch Adam with weight decay)")
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--d", type=training_order, help=f"the group Z_d (2 <= d <= {MAX_ORDER})")
    g.add_argument("--group", type=training_group, help=f"a product group such as 3x5 (order <= {MAX_ORDER})")
    q.add_argument("--width", type=width, default=512,
                   help=f"hidden nodes (1 to {MAX_WIDTH}; the run may need at most {MAX_TRAIN_BYTES // GIB} GB, "
                        "about 40 (|G|^2 width + |G|^3) bytes plus the checkpoints)")
    q.add_argument("--wd", type=weight_decay, default=5e-5, help="weight decay (default 5e-5)")
    q.add_argument("--seed", type=seed, default=1)
    q.add_argument("--epochs", type=epochs, default=10_000, help=f"1 to {MAX_EPOCHS} (default 10000)")
    q.add_argument("--lr", type=learning_rate, default=1e-3)
    q.add_argument("--train-fraction", type=train_fraction, default=1.0,
                   help="train on this share of the |G|^2 pairs, drawn from the seed (default 1: all; the paper: 0.9)")
    q.add_argument("--checkpoint-every", type=checkpoint_every, default=1000,
                   help="save weights every N epochs (0: only the end)")
    q.add_argument("--out", required=True, type=run_file, help="output .npz")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_train)

    from algebra.cogo.table2 import MAX_TABLE2_SECONDS, MAX_TABLE2_SEEDS, METHODS

    q = cs.add_parser("table2", help="train over Z_d for several seeds and count solution types as in Table 2 of "
                                     "Tian 2024")
    q.add_argument("--d", type=table2_order, required=True, help=f"the group Z_d (3 <= d <= {MAX_ORDER})")
    q.add_argument("--seeds", type=between(1, MAX_TABLE2_SEEDS, "a number of seeds"), default=5,
                   help=f"train seeds 1..S (1 to {MAX_TABLE2_SEEDS}; default 5, as in the paper)")
    q.add_argument("--width", type=width, default=512, help=f"hidden nodes (1 to {MAX_WIDTH}; default 512)")
    q.add_argument("--wd", type=weight_decay, default=5e-5, help="weight decay (default 5e-5)")
    q.add_argument("--epochs", type=epochs, default=10_000, help=f"1 to {MAX_EPOCHS} (default 10000)")
    q.add_argument("--lr", type=learning_rate, default=1e-2, help="Adam's step (default 0.01, the paper's)")
    q.add_argument("--train-fraction", type=train_fraction, default=1.0,
                   help="train each run on this share of the |G|^2 pairs, drawn from its seed as in the paper's code "
                        "(default 1: all pairs; the paper: 0.9, with the all-pairs gradient)")
    q.add_argument("--method", choices=METHODS, default="auto",
                   help="exact gradient: all |G|^2 pairs (direct), the closed-form sum over pairs (fourier), or the "
                        f"cheaper (auto); the estimated training time must be at most {MAX_TABLE2_SECONDS // 3600} h")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_table2)

    q = cs.add_parser("classify", help="factor and classify the per-frequency blocks of trained runs")
    q.add_argument("runs", nargs="+",
                   help=f".npz files written by `cogo train` (at most {MAX_CLASSIFY_RUNS} files of at most "
                        f"{MAX_RUN_FILE_BYTES // GIB} GB each)")
    q.add_argument("--details", action="store_true", help="include every block in the JSON")
    q.add_argument("--at", type=nonneg, metavar="EPOCH", help="classify the checkpoint saved at EPOCH instead of the end")
    q.add_argument("--quiet", action="store_true", help="no progress bar")
    add_output_flags(q)
    q.set_defaults(handler=_classify)


def _group(args):
    from groups.abelian import Zd

    return Zd(args.d) if args.d is not None else args.group


def _list(args):
    from algebra.cogo.constructions import catalog

    return catalog()


def _check(args):
    from algebra.cogo.constructions import construct
    from algebra.cogo.verification import verify

    z = construct(args.name, _group(args), symbolic=not args.values)
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

    run = train(width=args.width, wd=args.wd, seed=args.seed, epochs=args.epochs, lr=args.lr, group=_group(args),
                checkpoint_every=args.checkpoint_every or None, progress=not args.quiet,
                train_fraction=args.train_fraction)
    run.save(args.out)
    return run


def _table2(args):
    from algebra.cogo.table2 import table2

    return table2(args.d, seeds=args.seeds, width=args.width, wd=args.wd, epochs=args.epochs, lr=args.lr,
                  method=args.method, progress=not args.quiet, train_fraction=args.train_fraction)


def _classify(args):
    from algebra.cogo.classify import classify_runs
    from algebra.cogo.training import load_run

    if len(args.runs) > MAX_CLASSIFY_RUNS:
        raise FlowAlgebraError(f"cogo classify reads at most {MAX_CLASSIFY_RUNS} run files, got {len(args.runs)}")
    for path in args.runs:  # every file is a regular file of a sensible size before any is read
        check_run_file(path)

    def runs():  # one file at a time: only the chosen weights of each are kept while its blocks are cut out
        for path in tqdm(args.runs, desc="read", unit="run", disable=args.quiet or len(args.runs) < 10):
            run = load_run(path)
            yield run.at_checkpoint(args.at) if args.at is not None else run

    return classify_runs(runs(), progress=not args.quiet, details=args.details)
