"""Numeric backend (floats, numpy): train the real CoGO network and save runs.

The network of MATH.md section 2 (quadratic activation, loss
(1/|G|^2) sum ||P o - P e_{g1+g2}||^2 over all pairs) trained full batch with
Adam and L2 weight decay added to the gradient (``torch.optim.Adam(weight_decay=...)``,
the paper's optimizer), initialised like ``torch.nn.Linear`` (uniform in
+-1/sqrt(fan_in)). numpy is enough: one step at |G| = 23, width 512 is three
(529 x 512) x (512 x 23) matrix products; no autodiff library is needed since
the gradient is written out below. The initial weights are drawn from
:func:`algebra.exact.random.generator` of the run's seed, so a seed replays its run.

:meth:`TrainRun.to_json` holds numbers as numbers: counts and epochs are integers, the
hyper-parameters and losses floats (a loss that is not finite is ``null``).

>>> run = train(5, width=16, wd=1e-4, seed=0, epochs=200, progress=False)
>>> bool(run.loss_history[-1] < run.loss_history[0])
True
>>> run.to_json()["epochs"], type(run.to_json()["final_loss"]).__name__
(200, 'float')
"""
from __future__ import annotations

import math
import time
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from tqdm import tqdm

from algebra.cogo.notation import TRAINING_NOTATION, group_symbol
from algebra.errors import FlowAlgebraError
from algebra.files import regular_file
from algebra.exact.random import MAX_SEED, generator
from algebra.lazy import lazy_callable, lazy_module
from algebra.present import Derivation, Result, inline, table
from groups.abelian import AbelianGroup, Zd

sp = lazy_module("sympy")  # sympy and its Notation symbols are imported on first use, not when the command line starts
Notation = lazy_callable("algebra.present.symbols", "Notation")

__all__ = ["TrainRun", "Weights", "train", "load_run", "check_run_file", "training_bytes", "loss_and_grads",
           "fourier_arrays", "scientific", "train_pairs", "check_fraction", "RUN_FORMAT", "MAX_WIDTH", "MAX_EPOCHS", "MAX_ORDER", "MAX_TRAIN_BYTES",
           "MAX_RUN_FILE_BYTES", "GIB"]

RUN_FORMAT = "flowalgebra-cogo-run-1"
#: most hidden nodes of a trained network
MAX_WIDTH = 16384
#: most epochs of one run
MAX_EPOCHS = 2_000_000
#: largest group order trained (and classified: a run file over a larger group is refused)
MAX_ORDER = 400
GIB = 2 ** 30
#: most memory a run may need by :func:`training_bytes` (the working arrays of one full-batch step and the
#: checkpoints kept in memory and stacked for saving); the estimate is within about 20% of the measured peak
MAX_TRAIN_BYTES = 3 * GIB
#: largest run file ``cogo classify`` reads (on disk, and its arrays once decompressed)
MAX_RUN_FILE_BYTES = 2 * GIB


class Weights(NamedTuple):
    """The three weight matrices of the network: W_a, W_b (N x |G|) and W_c (|G| x N)."""

    W_a: np.ndarray
    W_b: np.ndarray
    W_c: np.ndarray


@dataclass(repr=False)
class TrainRun(Result):
    """A trained network and how it was trained."""

    moduli: tuple
    width: int
    wd: float
    seed: int
    epochs: int
    lr: float
    W_a: np.ndarray
    W_b: np.ndarray
    W_c: np.ndarray
    loss_epochs: np.ndarray
    loss_history: np.ndarray
    seconds: float = 0.0
    checkpoints: dict[int, Weights] = field(default_factory=dict)  # epoch -> the weights then
    path: str | None = None
    train_fraction: float = 1.0  # the share of the |G|^2 pairs trained on (:func:`train_pairs` of the seed)

    @property
    def group(self) -> AbelianGroup:
        return AbelianGroup(self.moduli)

    @property
    def weights(self) -> Weights:
        """The final weights."""
        return Weights(self.W_a, self.W_b, self.W_c)

    @property
    def final_loss(self) -> float:
        return float(self.loss_history[-1])

    def at_checkpoint(self, epoch: int) -> "TrainRun":
        """The run as it was at a saved checkpoint (loss history cut there)."""
        if epoch not in self.checkpoints:
            saved = sorted(self.checkpoints)
            listed = ", ".join(map(str, saved[:8])) + (f", ... ({len(saved)} in all)" if len(saved) > 8 else "")
            raise FlowAlgebraError(f"no checkpoint at epoch {epoch}; saved: [{listed or 'none'}]")
        keep = self.loss_epochs <= epoch
        return TrainRun(self.moduli, self.width, self.wd, self.seed, epoch, self.lr, *self.checkpoints[epoch],
                        self.loss_epochs[keep], self.loss_history[keep], self.seconds, {}, self.path,
                        self.train_fraction)

    def save(self, path: str) -> str:
        ck = sorted(self.checkpoints)
        np.savez_compressed(
            path, format=RUN_FORMAT, moduli=np.array(self.moduli), width=self.width, wd=self.wd, seed=self.seed,
            epochs=self.epochs, lr=self.lr, train_fraction=self.train_fraction, W_a=self.W_a, W_b=self.W_b, W_c=self.W_c,
            loss_epochs=self.loss_epochs, loss_history=self.loss_history, seconds=self.seconds,
            ckpt_epochs=np.array(ck, dtype=np.int64),
            ckpt_W_a=np.array([self.checkpoints[e].W_a for e in ck]).reshape(len(ck), *self.W_a.shape),
            ckpt_W_b=np.array([self.checkpoints[e].W_b for e in ck]).reshape(len(ck), *self.W_b.shape),
            ckpt_W_c=np.array([self.checkpoints[e].W_c for e in ck]).reshape(len(ck), *self.W_c.shape),
        )
        self.path = path if path.endswith(".npz") else path + ".npz"
        return self.path

    def to_json(self) -> dict:
        final = self.final_loss
        return {"group": self.group.name, "width": self.width, "wd": self.wd, "seed": self.seed,
                "epochs": self.epochs, "lr": self.lr, "train_fraction": self.train_fraction, "final_loss": final if math.isfinite(final) else None,
                "seconds": round(self.seconds, 2), "checkpoints": sorted(int(e) for e in self.checkpoints),
                "path": self.path}

    def summary(self) -> str:
        share = "" if self.train_fraction == 1 else f" on {self.train_fraction:g} of the pairs"
        return (f"trained {self.group.name}, width {self.width}, wd {self.wd:g}, seed {self.seed}: "
                f"{self.epochs} epochs of full-batch Adam (lr {self.lr:g}){share} in {self.seconds:.1f} s, "
                f"final loss {self.final_loss:.3e}" + (f"; saved {self.path}" if self.path else ""))

    def derivation(self) -> Derivation:
        d = Derivation("Training run (numeric, float64)", notation=TRAINING_NOTATION)
        pairs = (f"all {inline(sp.Symbol('d') ** 2)} input pairs" if self.train_fraction == 1 else
                 f"a random share {inline(scientific(self.train_fraction))} of the {inline(sp.Symbol('d') ** 2)} input pairs "
                 "(drawn from the seed)")
        d.add(f"Full-batch Adam with coupled weight decay on {pairs} ({self.seconds:.1f} s):",
              table(["group", "width", "weight decay", "learning rate", "seed", "epochs", "final loss"],
                    [[inline(group_symbol(self.group)), self.width, scientific(self.wd), scientific(self.lr), self.seed,
                      self.epochs, scientific(self.final_loss)]]))
        return d


def scientific(x: float, digits: int = 3):
    """A float as math with ``digits`` significant digits: ``2.73``, or ``5 \\cdot 10^{-4}`` below 0.01.

    >>> print(scientific(0.0005), scientific(2.7345), scientific(0), scientific(1e-3))
    5 \\cdot 10^{-4} 2.73 0 10^{-3}
    """
    x = float(x)
    if not math.isfinite(x):
        return Notation(r"\infty" if x > 0 else (r"-\infty" if x < 0 else r"\mathrm{NaN}"))
    if x == 0:
        return sp.Integer(0)
    if 0.01 <= abs(x) < 10 ** digits:
        return Notation(f"{x:.{digits}g}")
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10^{{{int(exponent)}}}"
    return Notation(power if mantissa == "1" else f"-{power}" if mantissa == "-1" else f"{mantissa} \\cdot {power}")


def _targets(G) -> np.ndarray:
    n = G.order
    E = np.full((n, n, n), -1.0 / n)
    E[np.arange(n)[:, None], np.arange(n)[None, :], G._add_table] += 1.0
    return E


def train_pairs(order: int, fraction: float, seed: int) -> np.ndarray | None:
    """The pairs (g1, g2), as indices g1 |G| + g2, trained on with ``fraction`` of the |G|^2 pairs (None:
    all of them): the split of the paper's released code (``train_test_split(X, y, test_size=0.1,
    random_state=seed)`` in ``modular_addition_simple2.py`` of facebookresearch/luckmatters, the pairs listed
    g1-major), i.e. ``ceil((1 - fraction) |G|^2)`` pairs held out from the front of
    ``numpy.random.RandomState(seed).permutation(|G|^2)``; sorted.

    >>> train_pairs(3, 1.0, 1) is None, train_pairs(3, 0.5, 1).tolist(), len(train_pairs(23, 0.9, 1))
    (True, [0, 3, 4, 5], 476)
    """
    if fraction == 1:
        return None
    m = int(order) ** 2
    held = math.ceil(round((1 - fraction) * m, 9))
    return np.sort(np.random.RandomState(seed).permutation(m)[held:])


def loss_and_grads(G, W_a: np.ndarray, W_b: np.ndarray, W_c: np.ndarray, E: np.ndarray | None = None,
                   pairs: np.ndarray | None = None):
    """Loss (1/n^2) sum ||P o - P e||^2 and its gradients with respect to W_a, W_b, W_c; with ``pairs``
    (indices g1 n + g2, :func:`train_pairs`) the mean over those pairs only, as the paper's training loss."""
    n = G.order
    if E is None:
        E = _targets(G)
    N = W_a.shape[0]
    H = (W_a.T[:, None, :] + W_b.T[None, :, :]).reshape(n * n, N)  # pair (g1, g2) x node
    S = H * H
    O = S @ W_c.T  # pair x output
    R = O - O.mean(axis=1, keepdims=True) - E.reshape(n * n, n)
    if pairs is None:
        loss = float(np.einsum("ij,ij->", R, R) / n ** 2)
        GO = (2.0 / n ** 2) * R  # R is centred, so P^T P R = R
    else:  # the pairs left out carry no loss: their rows of R weigh 0
        w = np.zeros(n * n)
        w[pairs] = 1.0 / len(pairs)
        loss = float(np.einsum("i,ij,ij->", w, R, R))
        GO = (2.0 * w)[:, None] * R
    gW_c = GO.T @ S
    GH = (H * (GO @ W_c)).reshape(n, n, N)
    gW_a = 2.0 * GH.sum(axis=1).T
    gW_b = 2.0 * GH.sum(axis=0).T
    return loss, gW_a, gW_b, gW_c


def training_bytes(order: int, width: int, epochs: int, checkpoint_every: int | None = None) -> int:
    """Memory a run needs, estimated before it starts: a full-batch step holds about five arrays of
    |G|^2 x width floats (hidden activations, their squares, the back-propagated products) and five of
    |G|^3 (outputs, residuals, targets); every checkpoint holds the three weight matrices, twice when
    the run is saved.

    >>> round(training_bytes(23, 512, 10_000) / 2**20)
    11
    """
    n, N = int(order), int(width)
    step = 8 * 5 * (n * n * N + n ** 3)
    saved = (epochs // checkpoint_every + 2) if checkpoint_every else 0
    return step + 2 * saved * 8 * 3 * N * n


def _gigabytes(b: int) -> str:
    """A size for an error line: MB below a gigabyte, GB above (a power of ten when absurd)."""
    if b < GIB:
        return f"{b / 2 ** 20:.0f} MB"
    return f"{b / GIB:.2f} GB" if b < 10 ** 6 * GIB else f"about 10^{len(str(b // GIB)) - 1} GB"


def train(*args, threads: int = 1, **kwargs) -> "TrainRun":
    """Full-batch Adam with coupled weight decay on all |G|^2 pairs (or, with ``train_fraction`` f < 1, on
    the pairs of :func:`train_pairs` of the seed, as the paper's runs, which took f = 0.9); returns a
    :class:`TrainRun`.

    BLAS is limited to ``threads`` threads while training: the matrices are small, and one
    thread is about five times faster than an oversubscribed pool on two cores."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads):
        return _train(*args, **kwargs)


def _train(d: int | None = None, width: int = 512, wd: float = 5e-5, seed: int = 1, epochs: int = 10_000,
          lr: float = 1e-3, group=None, checkpoint_every: int | None = None, progress: bool = True,
          log_every: int = 100, loss_fn=None, step_bytes=None, train_fraction: float = 1.0) -> TrainRun:
    # loss_fn: another exact (loss, gradients) of the same signature as loss_and_grads (the Fourier one of
    # algebra.cogo.fourier_training); the Adam steps, seeds and checks stay these
    grads_of = loss_and_grads if loss_fn is None else loss_fn
    G = group if group is not None else Zd(_check_int(d, "d", 2, MAX_ORDER))
    if G.order > MAX_ORDER:
        raise FlowAlgebraError(f"training is limited to |G| <= {MAX_ORDER}, got {G.order}")
    width = _check_int(width, "width", 1, MAX_WIDTH)
    epochs = _check_int(epochs, "epochs", 1, MAX_EPOCHS)
    if not (isinstance(wd, (int, float)) and 0 <= wd < 1 and math.isfinite(wd)):
        raise FlowAlgebraError(f"weight decay must be in [0, 1), got {wd}")
    if not (isinstance(lr, (int, float)) and 0 < lr < 1):
        raise FlowAlgebraError(f"learning rate must be in (0, 1), got {lr}")
    seed = _check_int(seed, "seed", 0, MAX_SEED)
    check_fraction(train_fraction)
    if checkpoint_every is not None:
        checkpoint_every = _check_int(checkpoint_every, "checkpoint_every", 0, MAX_EPOCHS) or None
    n = G.order
    need = training_bytes(n, width, epochs, checkpoint_every)
    if step_bytes is not None:  # the loss_fn's own working memory replaces that of the full-batch step
        need += step_bytes(n, width) - training_bytes(n, width, epochs)
    if need > MAX_TRAIN_BYTES:
        step = training_bytes(n, width, epochs) if step_bytes is None else step_bytes(n, width)
        raise FlowAlgebraError(
            f"training {G.name} at width {width} needs about {_gigabytes(need)} ({_gigabytes(step)} per step"
            + (f", {_gigabytes(need - step)} of checkpoints" if need > step else "")
            + f"); the limit is {_gigabytes(MAX_TRAIN_BYTES)}: lower the width"
            + (" or save fewer checkpoints" if need > step else ""))
    rng = generator(seed)
    params = [rng.uniform(-1, 1, (width, n)) / math.sqrt(n), rng.uniform(-1, 1, (width, n)) / math.sqrt(n),
              rng.uniform(-1, 1, (n, width)) / math.sqrt(width)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    E = _targets(G)
    pairs = train_pairs(n, train_fraction, seed)
    if pairs is not None:
        if loss_fn is not None:
            raise FlowAlgebraError("a train fraction below 1 needs the all-pairs gradient (loss_and_grads)")
        grads_of = lambda G, *W, E: loss_and_grads(G, *W, E=E, pairs=pairs)  # noqa: E731
    hist_e, hist_l, checkpoints = [], [], {}
    start = time.perf_counter()
    bar = tqdm(total=epochs, desc=f"train {G.name} w{width}", unit="ep", disable=not progress, mininterval=1.0)
    shown = time.perf_counter()
    try:  # Ctrl-C stops the run between steps; the bar is closed either way
        for t in range(1, epochs + 1):
            loss, *grads = grads_of(G, *params, E=E)
            if not math.isfinite(loss):
                raise FlowAlgebraError(f"training diverged at epoch {t} (loss {loss}); lower the learning rate")
            if t == 1 or t % log_every == 0:
                hist_e.append(t - 1)
                hist_l.append(loss)
            if checkpoint_every and (t - 1) % checkpoint_every == 0:
                checkpoints[t - 1] = Weights(*(p.copy() for p in params))
            for i, (p, g) in enumerate(zip(params, grads)):
                g = g + wd * p
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                mhat = m[i] / (1 - b1 ** t)
                vhat = v[i] / (1 - b2 ** t)
                p -= lr * mhat / (np.sqrt(vhat) + eps)
            if t % 100 == 0 or t == epochs or (progress and time.perf_counter() - shown > 1.0):  # slow epochs: every second
                bar.update(t - bar.n)
                bar.set_postfix(loss=f"{loss:.2e}", refresh=False)
                shown = time.perf_counter()
    finally:
        bar.close()
    final, *_ = grads_of(G, *params, E=E)
    hist_e.append(epochs)
    hist_l.append(final)
    if checkpoint_every:
        checkpoints[epochs] = Weights(*(p.copy() for p in params))
    return TrainRun(G.moduli, width, float(wd), int(seed), epochs, float(lr), *params,
                    np.array(hist_e), np.array(hist_l), time.perf_counter() - start, checkpoints,
                    train_fraction=float(train_fraction))


def check_fraction(f) -> float:
    """``f`` if it is a share of the pairs to train on, in (0, 1]; else one :class:`FlowAlgebraError` line."""
    if isinstance(f, bool) or not isinstance(f, (int, float)) or not (0 < f <= 1):
        raise FlowAlgebraError(f"train fraction must be in (0, 1], got {f!r}")
    return float(f)


def _check_int(x, name: str, lo: int, hi: int) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not lo <= x <= hi:
        raise FlowAlgebraError(f"{name} must be an integer in {lo}..{hi}, got {x!r}")
    return int(x)


_REQUIRED = ("format", "moduli", "width", "W_a", "W_b", "W_c")
#: a run file holds 16 arrays; more is not a run file
_MAX_MEMBERS = 64
#: the optional scalar fields of a run file, with their type and the value when absent
_SCALARS = {"wd": (float, 0.0), "seed": (int, 0), "epochs": (int, 0), "lr": (float, 0.0), "seconds": (float, 0.0),
            "train_fraction": (float, 1.0)}


def _shown(path: str) -> str:
    return path if len(path) <= 80 else "..." + path[-77:]


def check_run_file(path: str) -> str:
    """``path`` if it can be a run file: it exists, is a regular file, and holds at most
    :data:`MAX_RUN_FILE_BYTES`; else one :class:`FlowAlgebraError` line (before anything is read), by the
    shared reader :func:`algebra.files.regular_file`."""
    regular_file(path, "run file", MAX_RUN_FILE_BYTES, "MAX_RUN_FILE_BYTES")
    return path


def _read_npz(path: str) -> dict:
    """The arrays of an .npz file (no pickles; the decompressed size is checked before reading)."""
    try:
        with zipfile.ZipFile(path) as zf:  # the arrays' own headers give their sizes (a zip entry may lie)
            members = zf.infolist()
            if len(members) > _MAX_MEMBERS:
                raise FlowAlgebraError(f"{_shown(path)} holds {len(members)} arrays; a run file has at most "
                                       f"{_MAX_MEMBERS}")
            unpacked = sum(max(i.file_size, _npy_bytes(zf, i.filename)) for i in members)
        if unpacked > MAX_RUN_FILE_BYTES:
            raise FlowAlgebraError(f"{_shown(path)} unpacks to {_gigabytes(unpacked)}; run files are limited to "
                                   f"{_gigabytes(MAX_RUN_FILE_BYTES)}")
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    except FlowAlgebraError:
        raise
    except Exception as err:  # zipfile/format errors of every kind, object arrays (pickles)
        raise FlowAlgebraError(f"{_shown(path)} is not a readable .npz run ({type(err).__name__})") from None


def _npy_bytes(zf: zipfile.ZipFile, name: str) -> int:
    """Size of the array stored as ``name`` in an .npz, from its .npy header (before reading it)."""
    with zf.open(name) as f:
        version = np.lib.format.read_magic(f)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(f)
    return math.prod(shape) * dtype.itemsize


def _scalar(data: dict, key: str, path: str):
    kind, default = _SCALARS[key]
    if key not in data:
        return default
    x = data[key]
    if x.shape != () or x.dtype.kind not in ("iuf" if kind is float else "iu"):
        raise FlowAlgebraError(f"{_shown(path)}: {key} must be a single {kind.__name__}, got an array of "
                               f"shape {x.shape} and type {x.dtype}")
    value = kind(x.item())
    if kind is float and not math.isfinite(value):
        raise FlowAlgebraError(f"{_shown(path)}: {key} is {value}")
    return value


def _weights(arrays, path: str, what: str) -> list[np.ndarray]:
    out = []
    for x in arrays:
        if x.dtype.kind not in "iuf":
            raise FlowAlgebraError(f"{_shown(path)}: {what} must be real numbers, got type {x.dtype}")
        x = np.asarray(x, dtype=float)
        if not np.all(np.isfinite(x)):
            raise FlowAlgebraError(f"{_shown(path)}: {what} contain NaN or infinity")
        out.append(x)
    return out


def load_run(path: str) -> TrainRun:
    """Load a run saved by :meth:`TrainRun.save`; a missing, corrupt, oversized or inconsistent file is one
    :class:`FlowAlgebraError` line (shapes, types and values are checked: no pickles, no NaN weights, a
    group of order at most :data:`MAX_ORDER`, a width of at most :data:`MAX_WIDTH`)."""
    data = _read_npz(check_run_file(path))
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise FlowAlgebraError(f"{_shown(path)} is not a flowalgebra CoGO run (missing {', '.join(missing)})")
    fmt = data["format"]
    if fmt.shape != () or fmt.dtype.kind != "U" or str(fmt) != RUN_FORMAT:
        shown = repr(str(fmt)[:40]) if fmt.dtype.kind == "U" and fmt.shape == () else f"an array of type {fmt.dtype}"
        raise FlowAlgebraError(f"{_shown(path)} has format {shown}, expected {RUN_FORMAT}")
    moduli = np.atleast_1d(data["moduli"])
    if moduli.ndim != 1 or moduli.dtype.kind not in "iu" or not 1 <= len(moduli) <= 64:
        raise FlowAlgebraError(f"{_shown(path)}: moduli must be a short list of integers, got shape {moduli.shape} "
                               f"and type {moduli.dtype}")
    G = AbelianGroup(tuple(int(x) for x in moduli))
    if G.order > MAX_ORDER:
        raise FlowAlgebraError(f"{_shown(path)} is a run over {G.name} (order {G.order}); runs are limited to "
                               f"|G| <= {MAX_ORDER}")
    moduli, n = G.moduli, G.order
    shapes = tuple(data[k].shape for k in ("W_a", "W_b", "W_c"))
    N = shapes[0][0] if len(shapes[0]) == 2 else -1
    if shapes != ((N, n), (N, n), (n, N)) or N < 1:
        raise FlowAlgebraError(f"{_shown(path)}: weight shapes {shapes[0]}, {shapes[1]}, {shapes[2]} do not fit "
                               f"|G| = {n}")
    if N > MAX_WIDTH:
        raise FlowAlgebraError(f"{_shown(path)} has width {N}; runs are limited to {MAX_WIDTH}")
    W_a, W_b, W_c = _weights((data["W_a"], data["W_b"], data["W_c"]), path, "weights")
    scalars = {k: _scalar(data, k, path) for k in _SCALARS}
    loss_epochs = data.get("loss_epochs", np.array([0]))
    loss_history = data.get("loss_history", np.array([np.nan]))
    if (loss_epochs.ndim != 1 or loss_history.shape != loss_epochs.shape or not len(loss_epochs)
            or loss_epochs.dtype.kind not in "iu" or loss_history.dtype.kind not in "iuf"):
        raise FlowAlgebraError(f"{_shown(path)}: the loss history must be two lists of one length (epochs, losses)")
    loss_history = np.asarray(loss_history, dtype=float)
    ck = {}
    if "ckpt_epochs" in data:
        epochs = data["ckpt_epochs"]
        parts = [data.get(k) for k in ("ckpt_W_a", "ckpt_W_b", "ckpt_W_c")]
        C = len(epochs) if epochs.ndim == 1 else -1
        if (C < 0 or epochs.dtype.kind not in "iu" and C or any(p is None for p in parts)
                or tuple(p.shape for p in parts) != ((C, N, n), (C, N, n), (C, n, N))):
            raise FlowAlgebraError(f"{_shown(path)}: the checkpoints do not fit the weights (epochs {epochs.shape}, "
                                   f"weights {[None if p is None else p.shape for p in parts]})")
        parts = _weights(parts, path, "checkpoint weights")
        for i, e in enumerate(epochs):
            ck[int(e)] = Weights(parts[0][i], parts[1][i], parts[2][i])
    return TrainRun(moduli, int(N), scalars["wd"], scalars["seed"], scalars["epochs"], scalars["lr"], W_a, W_b, W_c,
                    loss_epochs, loss_history, scalars["seconds"], ck, path, scalars["train_fraction"])


def fourier_arrays(G, W_a: np.ndarray, W_b: np.ndarray, W_c: np.ndarray):
    """Fourier coordinates A, B, C (N x |G|, complex) with the conventions of the exact ring."""
    X = G.character_matrix()  # X[g, k] = chi_k(g)
    A = W_a @ np.conj(X) / G.order
    B = W_b @ np.conj(X) / G.order
    C = 2.0 * (W_c.T @ X)
    return A, B, C
