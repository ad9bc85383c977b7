"""Local convergence of a mildly over-parameterised student (Zhou, Ge, Jin 2021), numerically.

Exact population gradient descent :math:`W \\leftarrow W - \\eta\\nabla F(W)` on
the teacher-student loss of :mod:`groups.landscape.loss` (closed form, no
sampling), with ``m`` unit teacher neurons and ``n >= m`` students started in
the local regime (each student near ``v_j / n_j`` for an assigned teacher
``j``, ``n_j`` students per teacher, plus noise). Reports the loss curve, each
student's angle to its nearest teacher, and exponential and power-law fits
of the loss decay (the Lojasiewicz-type analysis of the paper predicts that
the loss goes to 0 with every student aligned to a teacher; for ``n > m`` the
Hessian at the global minimum is degenerate, so the decay need not be
exponential).

>>> res = converge(4, 2, 3, steps=300, seed=0)
>>> res.final_loss < res.initial_loss and max(res.final_angles_deg) < max(res.initial_angles_deg)
True
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from algebra.present import Derivation, Result, Table, cite, inline, notation_paragraph
from groups.landscape.loss import gradient, hessian, hessian_cost, loss, pair_angles, pairs_cost
from groups.symmetric.notation import equals
from groups.limits import MAX_DYNAMICS_D, MAX_LR, MAX_NOISE, MAX_STEPS, MAX_STUDENTS, check_cost, check_k, progress

__all__ = ["LOSS_FLOOR", "DIVERGENCE", "Fit", "ConvergenceResult", "aligned_start", "converge_cost", "converge"]

LOSS_FLOOR = 1e-13  # below this, float64 cancellation in F dominates
#: gradient descent has diverged when the loss grows past this many times max(initial loss, 1): lower --lr
DIVERGENCE = 1e3


@dataclass
class Fit:
    """A least-squares line through the log-loss: ``rate`` is minus its slope."""

    model: str
    rate: float
    r2: float

    def to_json(self) -> dict:
        return {"model": self.model, "rate": self.rate, "r2": self.r2}


@dataclass(repr=False)
class ConvergenceResult(Result):
    """Population gradient descent from a perturbed aligned start: loss curve, angles and decay fits."""

    d: int
    teachers: int
    students: int
    lr: float
    steps: int
    steps_logged: list[int]
    losses: list[float]
    initial_angles_deg: list[float]
    final_angles_deg: list[float]
    nearest_teacher: list[int]
    fits: list[Fit]

    @property
    def initial_loss(self) -> float:
        return self.losses[0]

    @property
    def final_loss(self) -> float:
        return self.losses[-1]

    def best_fit(self) -> Fit | None:
        return max(self.fits, key=lambda f: f.r2) if self.fits else None

    def to_json(self) -> dict:
        return {"d": self.d, "teachers": self.teachers, "students": self.students, "lr": self.lr, "steps": self.steps,
                "numeric": True, "steps_logged": self.steps_logged, "losses": self.losses,
                "initial_angles_deg": self.initial_angles_deg, "final_angles_deg": self.final_angles_deg,
                "nearest_teacher": self.nearest_teacher, "fits": [f.to_json() for f in self.fits]}

    def summary(self) -> str:
        fits = "; ".join(f"{f.model}: rate {f.rate:.4g} (R^2 {f.r2:.4f})" for f in self.fits) or "loss hit the float floor"
        return "\n".join([
            f"population GD, d = {self.d}, {self.teachers} teachers, {self.students} students, lr {self.lr:.4g}, {self.steps} steps",
            f"loss {self.initial_loss:.4e} -> {self.final_loss:.4e}",
            f"angle to nearest teacher (deg): start max {max(self.initial_angles_deg):.3g}, "
            f"end {', '.join(f'{a:.2e}' for a in self.final_angles_deg)}",
            f"nearest teachers {self.nearest_teacher}",
            f"decay fits (second half of the points above 1e-13): {fits}",
        ])

    def derivation(self) -> Derivation:
        n, m, d_ = self.students, self.teachers, self.d
        d = Derivation(f"Local convergence, {n} students on {m} teachers ({equals('d', d_)})",
                       notation=notation_paragraph([
                           f"Student weights $W \\in \\mathbb{{R}}^{{{n} \\times {d_}}}$ with rows $w_1, \\dots, w_{{{n}}}$, "
                           f"teacher $V \\in \\mathbb{{R}}^{{{m} \\times {d_}}}$ with unit rows $v_1, \\dots, v_{{{m}}}$ "
                           "(row $i$ holds the input weights of hidden neuron $i$)",
                           "loss $F(W) = \\tfrac12 \\mathbb{E}_{x}\\big[(\\sum_i \\mathrm{relu}(w_i \\cdot x) - \\sum_j "
                           f"\\mathrm{{relu}}(v_j \\cdot x))^2\\big]$ with $x \\sim N(0, I_{{{d_}}})$ {cite('zhou2021')}",
                           "$t$ counts gradient steps of size $\\eta$; every student starts near a teacher (scaled by the "
                           "number of students sharing it), with noise"]))
        d.add("Exact population gradient descent $W_{t+1} = W_t - \\eta \\nabla F(W_t)$ with the closed-form "
              "gradient (no sampling), with step size", sp.Eq(sp.Symbol("eta"), sp.Float(self.lr, 6)))
        stride = max(1, len(self.losses) // 8)
        rows = [[s, sp.Float(v, 6)] for s, v in zip(self.steps_logged[::stride], self.losses[::stride])]
        if rows[-1][0] != self.steps_logged[-1]:
            rows.append([self.steps_logged[-1], sp.Float(self.losses[-1], 6)])
        d.add("The loss at logged steps (numeric):",
              Table(["step $t$", "loss $F(W_t)$"], rows,
                    note=f"Every {stride}th of {len(self.losses)} logged steps, and the last." if stride > 1 else ""))
        if self.fits:
            d.add("Straight-line fits of the loss decay over the second half of the logged points above "
                  f"$10^{{{round(math.log10(LOSS_FLOOR))}}}$: $\\log F$ against $t$ (exponential) and against $\\log t$ "
                  "(power law):",
                  Table(["model", "rate", "$R^2$"], [[f.model, sp.Float(f.rate, 4), sp.Float(f.r2, 5)] for f in self.fits]))
        best = self.best_fit()
        better = (f" The {best.model.split(' (')[0]} fits the decay better ({inline(sp.Eq(sp.Symbol('R') ** 2, sp.Float(best.r2, 4)))})"
                  + ("; for more students than teachers the Hessian at the global minimum is degenerate, so the "
                     "decay need not be exponential." if self.students > self.teachers else ".")) if best else ""
        d.conclusion = (f"Every student ends within {inline(sp.Float(max(self.final_angles_deg), 3))} degrees of a "
                        f"teacher, at loss {inline(sp.Float(self.final_loss, 3))} (numeric backend).{better}")
        return d


def _fit(x: np.ndarray, y: np.ndarray, model: str) -> Fit:
    coef = np.polyfit(x, y, 1)
    resid = y - np.polyval(coef, x)
    ss = float(np.sum((y - y.mean()) ** 2))
    return Fit(model, -float(coef[0]), 1.0 - float(resid @ resid) / ss if ss > 0 else 1.0)


def _angles_deg(W: np.ndarray, V: np.ndarray) -> tuple[list[float], list[int]]:
    theta = pair_angles(W, V)
    return [float(np.degrees(t)) for t in theta.min(axis=1)], [int(j) for j in theta.argmin(axis=1)]


def aligned_start(d: int, teachers: int, students: int, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The teachers ``V`` (``teachers`` orthonormal rows, a random rotation drawn from ``seed``) and the start ``W``
    of :func:`converge`: student ``i`` at ``v_j / n_j`` (``j = i mod m``, ``n_j`` students per teacher) plus ``noise``
    times a Gaussian row scaled by ``1 / (sqrt(d) n_j)``. ``V`` depends on ``(d, seed)`` only, and ``W`` is affine
    in ``noise`` with one direction per ``(d, teachers, students, seed)``.

    >>> V, W = aligned_start(4, 2, 3, noise=0.0)
    >>> bool(np.allclose(W[0], V[0] / 2) and np.allclose(W[1], V[1]) and np.allclose(V @ V.T, np.eye(2)))
    True
    """
    rng = generator(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    V = Q[:teachers]
    assign = np.arange(students) % teachers
    counts = np.bincount(assign, minlength=teachers)
    W = V[assign] / counts[assign][:, None] + noise * rng.standard_normal((students, d)) / (math.sqrt(d) * counts[assign][:, None])
    return V, W


def converge_cost(d: int, teachers: int, students: int, steps: int, hessian_lr: bool = True,
                  log_points: int = 60) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`converge`: the initial Hessian (``students d`` square) when the
    step size is its default, then a gradient (student-student and student-teacher pairs) every step and the
    loss at the logged steps.

    >>> converge_cost(500, 500, 2000, 1)[1] > 1e12      # the default step size needs a 10^6 x 10^6 Hessian
    True
    """
    seconds, nbytes = 0.0, 0.0
    if hessian_lr:
        seconds, nbytes = hessian_cost(students, d)
    step_s, step_b = pairs_cost(students, students, d)
    step_s += pairs_cost(students, teachers, d)[0]
    return seconds + steps * step_s + log_points * 2 * step_s, max(nbytes, step_b)


def converge(d: int, teachers: int, students: int, steps: int = 4000, lr: float | None = None, noise: float = 0.3,
             seed: int = 0, log_points: int = 60) -> ConvergenceResult:
    """Run exact population GD from a perturbation of an aligned configuration and fit the decay.

    ``m = teachers <= d`` orthonormal teachers and ``n = students >= m`` students (the paper's regime); ``lr``
    0 or None: ``1/lambda_max`` of the initial Hessian (``n d`` square, so large runs must give ``lr``). The cost
    is estimated first and refused over the limits of :mod:`groups.limits`; long runs show a progress bar;
    a run whose loss overflows stops with a one-line error at the step where it diverged."""
    d = check_k(d, "d", 1, MAX_DYNAMICS_D)
    teachers = check_k(teachers, "teachers", 1, d)
    students = check_k(students, "students", teachers, MAX_STUDENTS)
    steps = check_k(steps, "steps", 1, MAX_STEPS)
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise <= MAX_NOISE:
        raise FlowAlgebraError(f"noise must be in [0, {MAX_NOISE:g}], got {noise}")
    if lr is not None and not (isinstance(lr, numbers.Real) and 0 <= lr <= MAX_LR):
        raise FlowAlgebraError(f"lr must be in [0, {MAX_LR:g}] (0: 1/lambda_max of the initial Hessian), got {lr}")
    log_points = check_k(log_points, "log_points", 2, 10_000)
    hessian_lr = lr is None or lr == 0
    seconds, nbytes = converge_cost(d, teachers, students, steps, hessian_lr, log_points)
    show = check_cost(f"local convergence ({students} students in R^{d}, {steps} steps"
                      + (", the initial Hessian for the step size)" if hessian_lr else ")"), seconds, nbytes,
                      hint="lower --steps, --students or --d" + (", or give --lr" if hessian_lr else ""))
    V, W = aligned_start(d, teachers, students, noise, seed)
    if hessian_lr:
        lr = 1.0 / float(np.linalg.eigvalsh(hessian(W, V))[-1])
    start_angles, _ = _angles_deg(W, V)
    log_at = sorted(set(np.unique(np.geomspace(1, steps, log_points).astype(int)).tolist()) | {0, steps})
    logged_steps, losses = [], []
    nxt = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), \
            progress(total=steps, desc="gradient descent", show=show, unit="step") as bar:
        for t in range(steps + 1):
            if t == log_at[nxt]:
                logged_steps.append(t)
                losses.append(loss(W, V))
                nxt += 1
                if not np.isfinite(losses[-1]) or losses[-1] > DIVERGENCE * max(losses[0], 1.0):
                    raise FlowAlgebraError(f"gradient descent diverged at step {t} (loss {losses[0]:.3g} -> "
                                           f"{losses[-1]:.3g}): lower --lr (was {lr:.3g})")
            if t < steps:
                W = W - lr * gradient(W, V)
                if not np.all(np.isfinite(W)):
                    raise FlowAlgebraError(f"gradient descent diverged at step {t + 1}: lower --lr (was {lr:.3g})")
                bar.update(1)
    end_angles, nearest = _angles_deg(W, V)
    x = np.array(logged_steps, dtype=float)
    y = np.array(losses)
    valid = np.flatnonzero((y > LOSS_FLOOR) & (x > 0))
    keep = valid[len(valid) // 2:]  # the second half of the logged points above the float floor
    fits = []
    if len(keep) >= 3:
        fits = [_fit(x[keep], np.log(y[keep]), "exponential (per step)"),
                _fit(np.log(x[keep]), np.log(y[keep]), "power law (exponent)")]
    return ConvergenceResult(d, teachers, students, lr, steps, logged_steps, losses, start_angles, end_angles,
                             nearest, fits)
