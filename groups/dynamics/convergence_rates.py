r"""Local convergence rates by number of students, and the loss threshold of the local regime, measured.

**What the paper claims.** Zhou, Ge and Jin, *A local convergence theory for mildly over-parameterized
two-layer neural network* (COLT 2021) [@zhou2021], abstract: for data labelled by a teacher network with
:math:`m` neurons and a student with any number :math:`n \ge m` of neurons, (1) "as long as the loss is
already lower than a threshold (polynomial in relevant parameters), all student neurons ... will converge
to one of teacher neurons, and the loss will go to 0"; (2) "our convergence rate is independent of the
number of student neurons"; (3) the proof rests on "a special case of Lojasiewicz property", not local
strong convexity or a PL condition. Claims (1) and (2) are guarantees: a sufficient condition (below the
threshold) and a bound on the loss after :math:`T` steps that does not grow with :math:`n`. The paper's
exact assumptions (parameterisation, threshold, step size) are the paper's; this module measures the
project's model (:mod:`groups.landscape.loss`, MATH.md section 3: output weights fixed at 1, exact
population loss for :math:`x \sim N(0, I_d)`, orthonormal teachers), which may differ from it.

**What is measured.**

- :func:`rates_by_students` runs exact population gradient descent
  (:func:`~groups.dynamics.local_convergence.converge`) for every :math:`n` of a list, from the same
  teachers (one ``seed``) and one step size :math:`\eta` for all (the smallest :math:`1/\lambda_{\max}` of
  the initial Hessians), then fits the tail of the loss curve (from the last logged step with loss above
  ``threshold`` on, above :data:`FIT_FLOOR`, and of it the lower half in decades, :func:`fit_decay`) by least
  squares in two models: :math:`\log F \approx a - r t`
  (exponential, rate :math:`r` per step) and :math:`\log F \approx a - p \log t` (power law, exponent
  :math:`p`). Each fit reports its slope's standard error (ordinary least squares); whether the rates are
  independent of :math:`n` within these errors is decided by the chi-square test of homogeneity
  (:func:`homogeneity`, level :data:`ALPHA`). The standard errors of fits to a deterministic curve measure
  how far the curve is from the model over the window (no noise is involved), so the test is strict.
  It also gives the rate the Hessian at a global minimum predicts, :math:`r^* = -2\log\max_\lambda|1 - \eta
  \lambda|`: positive when :math:`n = m` (the minimum is non-degenerate), 0 when :math:`n > m` (students
  that share a teacher can trade norm, so the minima form a continuum and the Hessian is singular).
- :func:`threshold_experiment` starts gradient descent at prescribed losses :math:`F(W_0)` (for each seed
  the noise of the aligned start, :func:`~groups.dynamics.local_convergence.aligned_start`, is set by
  bisection to within relative :data:`START_RTOL` of the target) and records which runs end below the
  tolerance ``tol`` within the step budget.

**What it shows** (measured on 2 December 2026; seeds, step sizes and tolerances as stated).
Rates, :math:`d = 10`, 3 teachers, :math:`n = 3, 6, 12`, seed 0, noise 0.3, :math:`\eta = 0.2104` for all,
4000 steps, tail below :math:`10^{-6}`: :math:`n = m = 3` converges exponentially at
:math:`r = 0.03859 \pm 1.1\cdot 10^{-7}` per step, the Hessian's :math:`r^* = 0.03859`; :math:`n = 6, 12` decay
like power laws, :math:`p = 2.902 \pm 0.0024` and :math:`2.914 \pm 0.0019` (:math:`R^2 > 0.9999`; the
exponential model fits worse, :math:`R^2 = 0.988, 0.983`). The exponents differ by 0.4%, yet the chi-square test at
the fits' errors rejects one value (:math:`p = 6\cdot 10^{-5}`); with 40000 steps they are 2.981 and 2.975
(0.2% apart, still rejected): the effective exponent drifts towards 3 (the :math:`T^{-3}` that Xu and Du prove
for one teacher [@xu2023]) by more than the fits' errors. Across :math:`n = m` and :math:`n > m` the decay is not
of one kind at all. So in this model the rate is independent of :math:`n` among the over-parameterised
:math:`n` to 0.4% (and it is the slow, polynomial one), but not within the fits' errors, and :math:`n = m` is
exponentially faster; the paper's claim, a bound uniform in :math:`n`, is consistent with this.
Threshold, 4 seeds per start loss, 3000 steps, :math:`\eta = 1/\lambda_{\max}` at each start, converged if the
final loss is at most :math:`10^{-6}`: with 3 teachers (:math:`d = 10`, :math:`n = 3, 6, 12`) all 48 runs from
start losses 0.1 to 50 converged; with 10 teachers (:math:`d = 10`), :math:`n = 10` converged in every run from
start losses 0.1, 1 and 10 but in only 1, 2 and 1 of 4 runs from 50, 200 and 500 (the others stalled, flat over
the last quarter of the steps, at loss :math:`0.0187`, near a non-global critical point, as Safran and Shamir found for :math:`n = m \ge 6`
[@safran2018]; not certified here), and :math:`n = 12` converged in all 24 runs up to 500. The threshold is
sufficient, not necessary, and its value here is measured, not the paper's bound.

>>> res = rates_by_students(4, 1, [1, 2], steps=300)
>>> res.runs[0].exponential.rate > 10 * res.runs[1].exponential.rate   # n = m: exponential; n > m: slow
True
>>> abs(res.runs[0].exponential.rate / res.runs[0].predicted_rate - 1) < 0.02  # the Hessian's rate
True
"""
from __future__ import annotations

import argparse
import math
import numbers
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.commandline import real
from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Notation, Result, Table, cite, inline, notation_paragraph
from groups.dynamics.local_convergence import LOSS_FLOOR, ConvergenceResult, aligned_start, converge, converge_cost
from groups.landscape.loss import hessian, hessian_cost, loss, pairs_cost
from groups.limits import (MAX_CONVERGE_SEEDS, MAX_DYNAMICS_D, MAX_LR, MAX_NOISE, MAX_START_LOSS, MAX_START_LOSSES,
                           MAX_STEPS, MAX_STUDENT_COUNTS, MAX_STUDENTS, check_cost, check_k, parse_integers, progress,
                           shorten)

__all__ = ["FIT_FLOOR", "MIN_FIT_POINTS", "ALPHA", "START_RTOL", "HESSIAN_SIZE", "EXPONENTIAL", "POWER", "RateFit", "fit_decay",
           "HomogeneityTest", "homogeneity", "RateRun", "RatesResult", "rates_by_students", "noise_for_start_loss",
           "STALL_RATIO", "CONVERGED", "DECREASING", "STALLED",
           "ThresholdRun", "ThresholdResult", "threshold_experiment", "converge_experiment", "parse_losses"]

#: fits use only logged losses above this (ten times the float floor of the loss, where rounding is < 1%)
FIT_FLOOR = 10 * LOSS_FLOOR
#: fewest logged points in a fit window (fewer: no fit, say why)
MIN_FIT_POINTS = 5
#: level of the chi-square test of homogeneity of the rates
ALPHA = 0.05
#: the start of a threshold run has loss within this relative distance of its target
START_RTOL = 1e-3
#: a Hessian eigenvalue below this times the largest counts as zero
ZERO_EIGENVALUE = 1e-9
#: the Hessian at the minimum (``n d`` square) is diagonalised only up to this ``n d``; above, no predicted rate
HESSIAN_SIZE = 1500
#: halvings of the noise interval when a start loss is sought (2^-100 of MAX_NOISE: far below START_RTOL)
BISECTION_STEPS = 100
#: the two models of the loss decay: log F linear in t, and log F linear in log t
EXPONENTIAL, POWER = "exponential", "power law"
#: a run that has not converged has stalled if its loss over the last quarter of the steps fell by less than 10%
STALL_RATIO = 0.9
#: the outcomes of a threshold run
CONVERGED, DECREASING, STALLED = "converged", "decreasing", "stalled"
#: defaults: loss below which the tail is fitted, and final loss counted as converged
DEFAULT_THRESHOLD, DEFAULT_TOL, DEFAULT_SEEDS = 1e-6, 1e-6, 4


@dataclass
class RateFit:
    """A least-squares line through the logged log-loss over a window: ``rate`` is minus its slope (per step for
    the exponential model, the exponent for the power law), ``stderr`` the slope's standard error."""

    model: str
    rate: float
    stderr: float
    r2: float
    points: int
    first_step: int
    last_step: int

    def to_json(self) -> dict:
        return {"model": self.model, "rate": self.rate, "stderr": self.stderr, "r2": self.r2, "points": self.points,
                "first_step": self.first_step, "last_step": self.last_step}

    def cell(self) -> Notation:
        """``rate \\pm stderr`` for a table."""
        return Notation(f"{_tex_number(self.rate, 4)} \\pm {_tex_number(self.stderr, 2)}")


def _tex_number(x: float, digits: int) -> str:
    return sp.latex(sp.Float(x, digits)) if x != 0 else "0"


def fit_decay(steps: Sequence[int], losses: Sequence[float], threshold: float, model: str) -> RateFit | None:
    """Fit the tail of a loss curve: of the logged points after the last one above ``threshold`` (and after step 0,
    above :data:`FIT_FLOOR`), the lower half in decades (loss at most the geometric mean of ``threshold`` and the
    smallest loss), which leaves out the transient of the faster modes; None if fewer than :data:`MIN_FIT_POINTS`
    remain.

    >>> t = np.arange(0, 200, 5)
    >>> fit = fit_decay(t, 1e-3 * np.exp(-0.05 * t), 1e-2, EXPONENTIAL)
    >>> round(fit.rate, 12), fit.stderr < 1e-9
    (0.05, True)
    >>> round(fit_decay(t[1:], (t[1:] + 0.0) ** -3, 1.0, POWER).rate, 12)
    3.0
    """
    if model not in (EXPONENTIAL, POWER):
        raise ValueError(f"model is {EXPONENTIAL!r} or {POWER!r}, got {model!r}")
    x, y = np.asarray(steps, dtype=float), np.asarray(losses, dtype=float)
    above = np.flatnonzero(~(y <= threshold))     # a nan counts as above
    tail = np.arange(above[-1] + 1 if above.size else 0, len(y))
    keep = tail[(y[tail] > FIT_FLOOR) & (x[tail] >= 1)]
    if len(keep):
        keep = keep[y[keep] <= math.sqrt(threshold * float(y[keep].min()))]
    if len(keep) < MIN_FIT_POINTS:
        return None
    from scipy import stats  # 0.6 s to import: loaded by the fits, not by every start of the command line

    t, log_loss = x[keep], np.log(y[keep])
    line = stats.linregress(t if model == EXPONENTIAL else np.log(t), log_loss)
    return RateFit(model, -float(line.slope), float(line.stderr), float(line.rvalue ** 2), len(keep), int(t[0]),
                   int(t[-1]))


@dataclass
class HomogeneityTest:
    """The chi-square test that rates with standard errors ``s_i`` share one value: ``chi2 = sum ((r_i - rbar) /
    s_i)^2`` about the weighted mean ``rbar``, ``n - 1`` degrees of freedom; ``consistent`` if ``p >= alpha``."""

    model: str
    students: list[int]
    rates: list[float]
    stderrs: list[float]
    mean: float
    chi2: float
    dof: int
    p_value: float
    alpha: float
    min_r2: float

    @property
    def consistent(self) -> bool:
        return self.p_value >= self.alpha

    @property
    def spread(self) -> float:
        """``(max - min) / |weighted mean|`` of the rates: how far apart they are, relatively."""
        return (max(self.rates) - min(self.rates)) / abs(self.mean) if self.mean else math.inf

    def to_json(self) -> dict:
        return {"model": self.model, "students": self.students, "rates": self.rates, "stderrs": self.stderrs,
                "weighted_mean": self.mean, "chi2": self.chi2, "dof": self.dof, "p_value": self.p_value,
                "alpha": self.alpha, "consistent": self.consistent, "relative_spread": self.spread,
                "min_r2": self.min_r2}


def homogeneity(model: str, students: Sequence[int], fits: Sequence[RateFit | None],
                alpha: float = ALPHA) -> HomogeneityTest | None:
    """The chi-square test of homogeneity over the ``n`` that have a fit (None with fewer than two). A zero
    standard error is raised to ``1e-12`` of its rate (an exact fit would divide by zero).

    >>> f = lambda r, s: RateFit(EXPONENTIAL, r, s, 1.0, 10, 1, 10)
    >>> homogeneity(EXPONENTIAL, [3, 6], [f(1.0, 0.1), f(1.1, 0.1)]).consistent      # chi2 = 0.5
    True
    >>> homogeneity(EXPONENTIAL, [3, 6], [f(1.0, 0.01), f(1.1, 0.01)]).consistent    # chi2 = 50
    False
    """
    from scipy import stats  # 0.6 s to import: loaded by the test, not by every start of the command line

    pairs = [(int(n), f) for n, f in zip(students, fits) if f is not None]
    if len(pairs) < 2:
        return None
    r = np.array([f.rate for _, f in pairs])
    s = np.array([max(f.stderr, 1e-12 * abs(f.rate), 1e-300) for _, f in pairs])
    w = 1.0 / s ** 2
    mean = float(w @ r / w.sum())
    chi2 = float(w @ (r - mean) ** 2)
    dof = len(pairs) - 1
    return HomogeneityTest(model, [n for n, _ in pairs], r.tolist(), [f.stderr for _, f in pairs], mean, chi2, dof,
                           float(stats.chi2.sf(chi2, dof)), alpha, min(f.r2 for _, f in pairs))


@dataclass
class RateRun:
    """One ``n`` of :func:`rates_by_students`: the run, its two fits, and the Hessian at the aligned global minimum
    (``W^* = V[assign] / n_j``): its extreme eigenvalues, how many are zero, and the rate it predicts."""

    students: int
    run: ConvergenceResult
    exponential: RateFit | None
    power: RateFit | None
    hessian_min: float | None
    hessian_max: float | None
    hessian_zeros: int | None
    predicted_rate: float | None

    def better(self) -> str | None:
        """The model with the larger R^2 (None without fits)."""
        fits = [f for f in (self.exponential, self.power) if f is not None]
        return max(fits, key=lambda f: f.r2).model if fits else None

    def to_json(self) -> dict:
        r = self.run
        return {"students": self.students, "start_loss": r.initial_loss, "final_loss": r.final_loss,
                "max_final_angle_deg": max(r.final_angles_deg), "nearest_teacher": r.nearest_teacher,
                "exponential": self.exponential.to_json() if self.exponential else None,
                "power_law": self.power.to_json() if self.power else None, "better_model": self.better(),
                "hessian_at_minimum": {"min": self.hessian_min, "max": self.hessian_max, "zeros": self.hessian_zeros},
                "predicted_rate": self.predicted_rate, "steps_logged": r.steps_logged, "losses": r.losses}


def _loss_number(x: float) -> sp.Basic:
    """A loss for a table: an integer as an integer, else three digits."""
    return sp.Integer(int(x)) if float(x).is_integer() and abs(x) < 1e15 else sp.Float(x, 3)


def _p_tex(p: float) -> str:
    """A p-value in LaTeX (one that underflowed to 0 as a bound)."""
    return sp.latex(sp.Float(p, 3)) if p > 0 else "< 10^{-300}"


def _n_list(students: Sequence[int]) -> str:
    return inline(f"n \\in \\{{{', '.join(str(n) for n in students)}\\}}")


@dataclass(repr=False)
class RatesResult(Result):
    """Local convergence rates for several student counts ``n`` from the same teachers, with the homogeneity tests."""

    d: int
    teachers: int
    students: list[int]
    steps: int
    lr: float
    noise: float
    seed: int
    threshold: float
    runs: list[RateRun]
    tests: list[HomogeneityTest] = field(default_factory=list)

    def test(self, model: str, over_parameterised: bool = False) -> HomogeneityTest | None:
        """The homogeneity test of ``model`` over every ``n`` (or over the ``n > m`` only)."""
        want = [n for n in self.students if n > self.teachers] if over_parameterised else list(self.students)
        return next((t for t in self.tests if t.model == model and t.students == want), None)

    def to_json(self) -> dict:
        return {"d": self.d, "teachers": self.teachers, "students": self.students, "steps": self.steps, "lr": self.lr,
                "noise": self.noise, "seed": self.seed, "threshold": self.threshold, "fit_floor": FIT_FLOOR,
                "numeric": True, "runs": [r.to_json() for r in self.runs], "tests": [t.to_json() for t in self.tests],
                "test": "chi-square homogeneity of the fitted slopes, weights 1/stderr^2", "alpha": ALPHA}

    def summary(self) -> str:
        def fit(f: RateFit | None) -> str:
            return f"{f.rate:.4g} +- {f.stderr:.2g} (R^2 {f.r2:.4f})" if f else "too few points"
        lines = [f"local rates by number of students: d = {self.d}, {self.teachers} teachers, n = "
                 f"{', '.join(map(str, self.students))}; lr {self.lr:.4g} for all, {self.steps} steps, seed {self.seed}, "
                 f"noise {self.noise:g}; fits over the tail below loss {self.threshold:.3g} (its lower half in decades, above "
                 f"{FIT_FLOOR:.0e})"]
        for r in self.runs:
            lines.append(f"n = {r.students}: loss {r.run.initial_loss:.3e} -> {r.run.final_loss:.3e}; exponential rate/step "
                         f"{fit(r.exponential)}; power-law exponent {fit(r.power)}; Hessian-predicted rate "
                         + (f"{r.predicted_rate:.4g} ({r.hessian_zeros} zero eigenvalues at the minimum)"
                            if r.predicted_rate is not None else f"not computed (n d over {HESSIAN_SIZE})"))
        for t in self.tests:
            lines.append(f"chi-square homogeneity, {t.model}, n = {', '.join(map(str, t.students))}: chi2 {t.chi2:.3g}, "
                         f"df {t.dof}, p {t.p_value:.3g}, relative spread {t.spread:.2g}, smallest R^2 {t.min_r2:.4f} -> "
                         + ("consistent with independence of n" if t.consistent else f"depends on n at level {t.alpha:g}"))
        return "\n".join(lines)

    def table(self) -> Table:
        """The rates by ``n`` (booktabs in LaTeX)."""
        rows = []
        for r in self.runs:
            e, p = r.exponential, r.power
            rows.append([r.students, sp.Float(r.run.final_loss, 2),
                         e.cell() if e else "none", sp.Float(e.r2, 5) if e else "none",
                         p.cell() if p else "none", sp.Float(p.r2, 5) if p else "none",
                         "none" if r.predicted_rate is None else sp.Float(r.predicted_rate, 4) if r.predicted_rate else 0,
                         "none" if r.hessian_zeros is None else r.hessian_zeros])
        return Table(["$n$", "$F(W_T)$", "rate $r$", "$R^2$", "exponent $p$", "$R^2$", "$r^*$", "zeros of $H$"], rows,
                     note=f"$T = {self.steps}$. Rates are minus the least-squares slopes, with their standard errors "
                          "(none: fewer than " + f"{MIN_FIT_POINTS} logged points in the window); $r^*$ and the "
                          "number of zero eigenvalues from the Hessian $H$ at the aligned minimum.",
                     align="r" * 8)

    def test_table(self) -> Table:
        rows = [[t.model, _n_list(t.students), sp.Float(t.chi2, 4), t.dof, Notation(_p_tex(t.p_value)),
                 sp.Float(t.spread, 2), sp.Float(t.min_r2, 4), "consistent" if t.consistent else "rejected"]
                for t in self.tests]
        return Table(["model", "counts", "$\\chi^2$", "d.o.f.", "$p$", "spread", "least $R^2$", "one rate"], rows,
                     note="Spread: (largest minus smallest) over the weighted mean; one rate: the test's verdict at "
                          f"level {ALPHA:g}.")

    def verdict(self) -> str:
        """One sentence: what the tests say."""
        parts = []
        for model in (EXPONENTIAL, POWER):
            for over in (False, True):
                t = self.test(model, over)
                if t is not None and (not over or t.students != self.students):
                    parts.append(f"the {model} {'rates' if model == EXPONENTIAL else 'exponents'} over "
                                 f"{_n_list(t.students)} are "
                                 + ("consistent with one value" if t.consistent else "not one value")
                                 + f" ({inline('p ' + ('' if t.p_value == 0 else '= ') + _p_tex(t.p_value))})")
        return "; ".join(parts) if parts else "fewer than two fits: no test"

    def derivation(self) -> Derivation:
        m = self.teachers
        d = Derivation(f"Local convergence rates by number of students ({inline(f'd = {self.d}')}, "
                       f"{inline(f'm = {m}')})",
                       notation=notation_paragraph([
                           ("W_t", "is the student ($n$ rows) after $t$ gradient steps of size $\\eta$"),
                           ("V", f"the teacher ($m$ orthonormal rows in $\\mathbb{{R}}^{{{self.d}}}$)"),
                           ("F", "the population loss of MATH.md section 3 (output weights $1$)"),
                           ("r", "the exponential rate (slope of $-\\log F$ against $t$)"),
                           ("p", "the power-law exponent (slope of $-\\log F$ against $\\log t$)"),
                           ("r^*", "the rate the Hessian at a global minimum predicts")]))
        d.add("The claim: for any $n \\ge m$, once the loss is below a threshold polynomial in the problem's "
              "parameters, every student converges to a teacher and the loss goes to $0$, at a rate independent of "
              f"$n$, by a Lojasiewicz-type inequality rather than local strong convexity {cite('zhou2021')}. The rate "
              "there is a guarantee (an upper bound after $T$ steps); here the actual decay is measured in the "
              "project's model, whose parameterisation may differ from the paper's.")
        d.add(f"Method: the same teachers (seed ${self.seed}$) for every {_n_list(self.students)}; each student "
              f"starts at its teacher scaled by the number of students sharing it, plus noise "
              f"{inline(sp.Float(self.noise, 3))}; exact population gradient descent for "
              f"{inline(self.steps)} steps with one step size for all, the smallest inverse largest eigenvalue "
              "of the initial Hessians:", sp.Eq(sp.Symbol("eta"), sp.Float(self.lr, 6)))
        d.add("Fits: least squares through the logged points of the tail (after the last point with "
              f"{inline(f'F > {sp.latex(sp.Float(self.threshold, 3))}')}, above "
              f"{inline(sp.Float(FIT_FLOOR, 2))}, and of these the lower half in decades, which leaves out the "
              "transient of the faster modes), in two models, with the standard errors of the slopes:",
              [sp.Eq(sp.log(sp.Function("F")(sp.Symbol("W_t"))), sp.Symbol("a") - sp.Symbol("r") * sp.Symbol("t")),
               sp.Eq(sp.log(sp.Function("F")(sp.Symbol("W_t"))),
                     sp.Symbol("a") - sp.Symbol("p") * sp.log(sp.Symbol("t")))])
        d.add("The quadratic model at a global minimum $W^*$: $F(W_t) \\approx \\tfrac12 \\delta_t^T H \\delta_t$ with "
              "$\\delta_{t+1} = (I - \\eta H)\\delta_t$, so the loss decays at most like the slowest mode. For $n = m$ the "
              "minimum is isolated and $H$ is positive definite; for $n > m$ students sharing a teacher trade "
              "norm ($w_i = c_i v_j$ with $\\sum_i c_i = 1$ is a continuum of minima), so $H$ has zero eigenvalues and "
              "predicts no exponential rate; for one teacher and $n \\ge 2$ the loss decays like $T^{-3}$ "
              f"{cite('xu2023')}.",
              sp.Eq(sp.Symbol("r^*"), -2 * sp.log(sp.Function("max")(sp.Abs(1 - sp.Symbol("eta") * sp.Symbol("lambda"))))))
        d.add("Rates by number of students (numeric backend):", self.table())
        if self.tests:
            d.add("Are the rates independent of $n$? The chi-square test of homogeneity: "
                  "$\\chi^2 = \\sum_n (r_n - \\bar r)^2 / s_n^2$ about the mean $\\bar r$ weighted by $1/s_n^2$ ($s_n$ the "
                  f"standard errors), with one degree of freedom fewer than the number of fits, at level "
                  f"{inline(sp.Float(ALPHA, 2))}. The errors of fits to a deterministic curve measure its distance "
                  "from the model over the window, so the test is strict.", self.test_table())
        best = ", ".join(f"{inline(f'n = {r.students}')}: {r.better() or 'no fit'}" for r in self.runs)
        hessian = [f"for {inline(f'n = {r.students}')} the fitted rate {inline(sp.Float(r.exponential.rate, 4))} "
                   f"against {inline(f'r^* = {sp.latex(sp.Float(r.predicted_rate, 4))}')}"
                   for r in self.runs if r.predicted_rate and r.exponential is not None]
        d.conclusion = (f"The better model by $R^2$: {best}. " + (f"The Hessian's rate: {'; '.join(hessian)}. " if hessian else "")
                        + f"The tests: {self.verdict()}.")
        return d


def _check_positive_real(x: object, name: str, low: float, high: float) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or not low < x <= high:
        raise FlowAlgebraError(f"{name} must be a number in ({low:g}, {high:g}], got {shorten(repr(x))}")
    return float(x)


def _check_students(students: object, teachers: int, at_most: int = MAX_STUDENT_COUNTS) -> list[int]:
    """Distinct student counts, each in ``[teachers, MAX_STUDENTS]``, at most ``at_most`` of them."""
    if isinstance(students, str):
        students = parse_integers(students, "students", "positive integers")
    elif isinstance(students, numbers.Integral) and not isinstance(students, bool):
        students = [students]
    if not isinstance(students, (list, tuple)) or not students:
        raise FlowAlgebraError(f"students must be a non-empty list of integers, got {shorten(repr(students))}")
    if len(students) > at_most:
        raise FlowAlgebraError(f"students: {len(students)} values, more than the limit {at_most} (MAX_STUDENT_COUNTS)")
    out = [check_k(n, "students", teachers, MAX_STUDENTS) for n in students]
    if len(set(out)) != len(out):
        raise FlowAlgebraError(f"students: each n at most once, got {', '.join(map(str, out))}")
    return out


def _check_lr(lr: float | None) -> float | None:
    if lr is not None and (isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not 0 <= lr <= MAX_LR):
        raise FlowAlgebraError(f"lr must be in [0, {MAX_LR:g}] (0: from the initial Hessian), got {shorten(repr(lr))}")
    return None if lr is None or lr == 0 else float(lr)


def _hessian_spectrum(W: np.ndarray, V: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):   # parallel students: 0/0 in a term that sin(0) = 0 kills
        return np.linalg.eigvalsh(hessian(W, V))


def rates_by_students(d: int, teachers: int, students: Sequence[int] | str, steps: int = 4000,
                      lr: float | None = None, noise: float = 0.3, seed: int = 0,
                      threshold: float = DEFAULT_THRESHOLD, log_points: int = 200) -> RatesResult:
    """Run :func:`~groups.dynamics.local_convergence.converge` for every ``n`` in ``students`` (same teachers: one
    ``seed``; one step size ``lr``, by default the smallest ``1/lambda_max`` of the initial Hessians), fit the tail
    below ``threshold`` in both models and test the rates' homogeneity (over every ``n``, and over the ``n > m``).

    The cost (the Hessians and every run) is estimated first and refused over the limits of :mod:`groups.limits`.
    """
    d = check_k(d, "d", 1, MAX_DYNAMICS_D)
    teachers = check_k(teachers, "teachers", 1, d)
    students = _check_students(students, teachers)
    steps = check_k(steps, "steps", 1, MAX_STEPS)
    lr = _check_lr(lr)
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not 0 <= noise <= MAX_NOISE:
        raise FlowAlgebraError(f"noise must be in [0, {MAX_NOISE:g}], got {shorten(repr(noise))}")
    threshold = _check_positive_real(threshold, "threshold", FIT_FLOOR, MAX_START_LOSS)
    log_points = check_k(log_points, "log_points", MIN_FIT_POINTS, 10_000)
    seconds, nbytes = 0.0, 0.0
    for n in students:
        h_s, h_b = hessian_cost(n, d)
        run_s, run_b = converge_cost(d, teachers, n, steps, False, log_points)
        times = (lr is None) + (n * d <= HESSIAN_SIZE)
        seconds += times * h_s + run_s
        nbytes = max(nbytes, h_b if times else 0.0, run_b)
    show = check_cost(f"local rates for n = {', '.join(map(str, students))} (in R^{d}, {steps} steps each)", seconds,
                      nbytes, hint="lower --steps, --students or --d")
    starts = {n: aligned_start(d, teachers, n, noise, seed) for n in students}
    if lr is None:
        lr = min(1.0 / float(_hessian_spectrum(W, V)[-1]) for V, W in starts.values())
    runs = []
    for n in progress(students, desc="local rates", show=show, unit="run"):
        run = converge(d, teachers, n, steps=steps, lr=lr, noise=noise, seed=seed, log_points=log_points)
        low = top = zeros = predicted = None
        if n * d <= HESSIAN_SIZE:
            V, W_min = aligned_start(d, teachers, n, 0.0, seed)
            spectrum = _hessian_spectrum(W_min, V)
            low, top = float(spectrum[0]), float(spectrum[-1])
            zeros = int(np.sum(spectrum <= ZERO_EIGENVALUE * top))
            contraction = float(np.max(np.abs(1.0 - lr * np.clip(spectrum, 0.0, None))))
            predicted = max(0.0, -2.0 * math.log(max(contraction, 1e-300)))
        runs.append(RateRun(n, run, fit_decay(run.steps_logged, run.losses, threshold, EXPONENTIAL),
                            fit_decay(run.steps_logged, run.losses, threshold, POWER), low, top, zeros, predicted))
    result = RatesResult(d, teachers, students, steps, lr, float(noise), seed, threshold, runs)
    over = [r for r in runs if r.students > teachers]
    for model, pick in ((EXPONENTIAL, lambda r: r.exponential), (POWER, lambda r: r.power)):
        for group in ([runs] + ([over] if len(over) != len(runs) else [])):
            t = homogeneity(model, [r.students for r in group], [pick(r) for r in group])
            if t is not None:
                result.tests.append(t)
    return result


# -- the threshold experiment ------------------------------------------------------------------------------

def noise_for_start_loss(d: int, teachers: int, students: int, target: float, seed: int = 0) -> tuple[float, float]:
    """The noise of :func:`~groups.dynamics.local_convergence.aligned_start` whose start has loss ``target`` (within
    relative :data:`START_RTOL`), by bisection on ``[0, MAX_NOISE]`` (the start is affine in the noise and its loss
    continuous, 0 at noise 0); ``(noise, loss)``. A target above the loss at ``MAX_NOISE`` is refused in one line.

    >>> noise, start = noise_for_start_loss(4, 1, 2, 0.01)
    >>> abs(start / 0.01 - 1) <= START_RTOL
    True
    """
    V, W0 = aligned_start(d, teachers, students, 0.0, seed)
    W1 = aligned_start(d, teachers, students, MAX_NOISE, seed)[1]
    step = (W1 - W0) / MAX_NOISE
    top = loss(W1, V)
    if top < target:
        raise FlowAlgebraError(f"start loss {target:g} is out of reach for n = {students}, seed {seed}: the loss at "
                               f"noise {MAX_NOISE:g} (MAX_NOISE) is {top:.3g}; lower --start-loss")
    low, high = 0.0, MAX_NOISE
    mid, value = high, top
    for _ in range(BISECTION_STEPS):
        if abs(value - target) <= START_RTOL * target:
            break
        mid = (low + high) / 2
        value = loss(W0 + mid * step, V)
        low, high = (mid, high) if value < target else (low, mid)
    return mid, float(value)


@dataclass
class ThresholdRun:
    """One start of :func:`threshold_experiment`: target and actual start loss, the noise that gives it, the end, and
    ``decrease``, the final loss over the loss at the last logged step at most three quarters of the way (1: flat, 0:
    fell to 0; a power law :math:`T^{-3}` gives at most :math:`(3/4)^3 = 0.42`)."""

    students: int
    target: float
    seed: int
    noise: float
    start_loss: float
    final_loss: float
    decrease: float
    max_final_angle_deg: float
    lr: float
    tol: float

    @property
    def converged(self) -> bool:
        return self.final_loss <= self.tol

    @property
    def outcome(self) -> str:
        """``converged`` (final loss at most ``tol``), ``stalled`` (not, and the loss fell by less than
        ``1 - STALL_RATIO`` over the last quarter of the steps) or ``decreasing`` (not yet, but still falling)."""
        if self.converged:
            return CONVERGED
        return STALLED if self.decrease > STALL_RATIO else DECREASING

    def to_json(self) -> dict:
        return {"students": self.students, "target_start_loss": self.target, "seed": self.seed, "noise": self.noise,
                "start_loss": self.start_loss, "final_loss": self.final_loss, "last_quarter_decrease": self.decrease,
                "max_final_angle_deg": self.max_final_angle_deg, "lr": self.lr, "outcome": self.outcome}


@dataclass(repr=False)
class ThresholdResult(Result):
    """Gradient descent from prescribed starting losses: which runs converge (final loss at most ``tol``), which are
    still decreasing and which stalled."""

    d: int
    teachers: int
    students: list[int]
    start_losses: list[float]
    seeds: list[int]
    steps: int
    lr: float | None
    tol: float
    runs: list[ThresholdRun]

    def cell(self, n: int, target: float) -> list[ThresholdRun]:
        return [r for r in self.runs if r.students == n and r.target == target]

    def count(self, n: int, target: float, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.cell(n, target))

    def threshold(self, n: int) -> tuple[float | None, float | None]:
        """``(largest start loss up to which every run converged, smallest start loss with a stalled run)``."""
        not_all = [t for t in self.start_losses if self.count(n, t, CONVERGED) < len(self.cell(n, t))]
        ok = [t for t in self.start_losses if not not_all or t < min(not_all)]
        stalled = [t for t in self.start_losses if self.count(n, t, STALLED)]
        return (max(ok) if ok else None), (min(stalled) if stalled else None)

    def to_json(self) -> dict:
        return {"d": self.d, "teachers": self.teachers, "students": self.students, "start_losses": self.start_losses,
                "seeds": self.seeds, "steps": self.steps, "lr": self.lr, "tol": self.tol, "start_rtol": START_RTOL,
                "stall_ratio": STALL_RATIO, "numeric": True, "runs": [r.to_json() for r in self.runs],
                "threshold": [dict(zip(("students", "all_converged_up_to", "first_stall_at"), (n, *self.threshold(n))))
                              for n in self.students]}

    def _line(self, n: int) -> str:
        ok, stall = self.threshold(n)
        runs = [r for r in self.runs if r.students == n]
        head = (f"n = {n}: every run converged for start loss <= {ok:g}" if ok is not None
                else f"n = {n}: no start loss converged in every run")
        if stall is None:
            return head + " (no run stalled)"
        return head + (f"; runs stalled from start loss {stall:g} on ({sum(r.outcome == STALLED for r in runs)} of "
                       f"{len(runs)} runs)")

    def summary(self) -> str:
        lr = f"lr {self.lr:.4g}" if self.lr is not None else "lr 1/lambda_max of each start's Hessian"
        lines = [f"threshold experiment: d = {self.d}, {self.teachers} teachers, n = {', '.join(map(str, self.students))}; "
                 f"seeds {self.seeds[0]}..{self.seeds[-1]}, {self.steps} steps, {lr}; converged: final loss <= {self.tol:g}; "
                 f"stalled: not, and the loss fell by less than {1 - STALL_RATIO:.0%} over the last quarter; start loss "
                 f"within {START_RTOL:g} (relative) of its target"]
        for n in self.students:
            for t in self.start_losses:
                cell = self.cell(n, t)
                lines.append(f"  n = {n}, start loss {t:g}: {self.count(n, t, CONVERGED)} of {len(cell)} converged, "
                             f"{self.count(n, t, DECREASING)} still decreasing, {self.count(n, t, STALLED)} stalled; "
                             f"final loss at most {max(r.final_loss for r in cell):.3g}")
        lines += [self._line(n) for n in self.students]
        return "\n".join(lines)

    def table(self) -> Table:
        rows = []
        for n in self.students:
            for t in self.start_losses:
                cell = self.cell(n, t)
                stalled = [r.seed for r in cell if r.outcome == STALLED]
                rows.append([n, _loss_number(t), len(cell), self.count(n, t, CONVERGED), self.count(n, t, DECREASING),
                             self.count(n, t, STALLED), sp.Float(max(r.final_loss for r in cell), 3),
                             inline(", ".join(map(str, stalled))) if stalled else "none"])
        return Table(["$n$", "$F(W_0)$", "runs", "converged", "decreasing", "stalled", "largest $F(W_T)$",
                      "stalled seeds"], rows,
                     note=f"$T = {self.steps}$. Converged: $F(W_T) \\le {sp.latex(sp.Float(self.tol, 2))}$; stalled: "
                          f"not, and $F(W_T) > {STALL_RATIO:g}\\, F(W_{{3T/4}})$; decreasing: neither.")

    def derivation(self) -> Derivation:
        d = Derivation(f"The local regime: gradient descent from prescribed losses ({inline(f'd = {self.d}')}, "
                       f"{inline(f'm = {self.teachers}')})",
                       notation=notation_paragraph([
                           ("W_0", "is the start: each student at its teacher scaled by the number of students sharing "
                                   "it, plus noise scaled so that $F(W_0)$ is the target"),
                           ("W_T", "the end, after $T$ steps"),
                           ("F", "the population loss of MATH.md section 3"),
                           ("n", "the number of students, $m$ of teachers")]))
        d.add("The claim: below a threshold on the loss (polynomial in the problem's parameters) gradient descent "
              f"converges to a global minimum for every $n \\ge m$ {cite('zhou2021')}. It is a sufficient condition; "
              "above the threshold runs may still converge, or stop near spurious local minima, which exist for "
              f"$m = n \\ge 6$ {cite('safran2018')}.")
        lr = (f"one step size {inline(sp.Float(self.lr, 4))}" if self.lr is not None
              else "the step size $1/\\lambda_{\\max}$ of the Hessian at each start")
        seeds = inline(f"{self.seeds[0]}, \\dots, {self.seeds[-1]}") if len(self.seeds) > 2 else inline(
            ", ".join(map(str, self.seeds)))
        d.add(f"Method: for every seed ({seeds}) and target, the noise is found by bisection so that the start loss is "
              f"within relative {inline(sp.Float(START_RTOL, 2))} of the target; then {inline(self.steps)} steps of "
              f"exact population gradient descent with {lr}. A run that has not converged is still decreasing or has "
              "stalled (within this budget: a stalled run may sit near a saddle it would leave later).")
        d.add("Runs by number of students and starting loss (numeric backend):", self.table())
        parts = []
        for n in self.students:
            ok, stall = self.threshold(n)
            le = "F(W_0) \\le " + sp.latex(_loss_number(ok)) if ok is not None else ""
            text = (f"for {inline(f'n = {n}')} every run converged from the starts with {inline(le)}"
                    if ok is not None else f"for {inline(f'n = {n}')} not every run converged at any start loss")
            if stall is not None:
                text += f", and runs stalled from {inline(f'F(W_0) = {sp.latex(_loss_number(stall))}')} on"
            else:
                text += " (no run stalled)"
            parts.append(text)
        text = "; ".join(parts)
        d.conclusion = text[:1].upper() + text[1:] + ". The measured threshold is that of these seeds and step budget."
        return d


def parse_losses(text: object, what: str = "start-loss") -> list[float]:
    """A comma-separated list of losses in ``(0, MAX_START_LOSS]`` (decimal numbers, no nan or inf), at most
    :data:`~groups.limits.MAX_START_LOSSES`, each once, in increasing order.

    >>> parse_losses("1e-2, 0.1,10")
    [0.01, 0.1, 10.0]
    >>> parse_losses("0.1,x")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: start-loss: entry 2 must be a loss in (0, 10000], got 'x'
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = [text]
    if isinstance(text, str):
        entries = text.split(",")
        if len(entries) > MAX_START_LOSSES:
            raise FlowAlgebraError(f"{what}: {len(entries)} values, more than the limit {MAX_START_LOSSES} (MAX_START_LOSSES)")
        parse = real(0.0, MAX_START_LOSS)
        values = []
        for i, entry in enumerate(entries, start=1):
            try:
                values.append(parse(entry))
            except argparse.ArgumentTypeError:
                values.append(None)
            if values[-1] is None or values[-1] <= 0:
                raise FlowAlgebraError(f"{what}: entry {i} must be a loss in (0, {MAX_START_LOSS:g}], got {shorten(entry.strip(), 20)!r}")
    elif isinstance(text, (list, tuple)) and text:
        if len(text) > MAX_START_LOSSES:
            raise FlowAlgebraError(f"{what}: {len(text)} values, more than the limit {MAX_START_LOSSES} (MAX_START_LOSSES)")
        values = [_check_positive_real(v, what, 0.0, MAX_START_LOSS) for v in text]
    else:
        raise FlowAlgebraError(f"{what} must be comma-separated losses, got {shorten(repr(text))}")
    if len(set(values)) != len(values):
        raise FlowAlgebraError(f"{what}: each value at most once")
    return sorted(values)


def threshold_experiment(d: int, teachers: int, students: Sequence[int] | str, start_losses: Sequence[float] | str,
                         seeds: int = DEFAULT_SEEDS, steps: int = 4000, lr: float | None = None,
                         tol: float = DEFAULT_TOL, seed: int = 0, log_points: int = 20) -> ThresholdResult:
    """For every ``n`` in ``students``, every target in ``start_losses`` and seeds ``seed, ..., seed + seeds - 1``:
    start at that loss (:func:`noise_for_start_loss`), run ``steps`` of gradient descent (``lr`` None or 0: ``1 /
    lambda_max`` of each start's Hessian) and count the runs whose final loss is at most ``tol``.

    The cost is estimated first (the bisections and every run) and refused over the limits of :mod:`groups.limits`;
    a target out of reach is refused before any run.

    >>> res = threshold_experiment(4, 1, [2], [0.01], seeds=1, steps=200)
    >>> res.runs[0].converged, res.threshold(2)
    (True, (0.01, None))
    """
    d = check_k(d, "d", 1, MAX_DYNAMICS_D)
    teachers = check_k(teachers, "teachers", 1, d)
    students = _check_students(students, teachers)
    targets = parse_losses(start_losses)
    seeds = check_k(seeds, "seeds", 1, MAX_CONVERGE_SEEDS)
    steps = check_k(steps, "steps", 1, MAX_STEPS)
    lr = _check_lr(lr)
    tol = _check_positive_real(tol, "tol", 0.0, MAX_START_LOSS)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise FlowAlgebraError(f"seed must be a non-negative integer, got {shorten(repr(seed))}")
    if targets[0] <= tol:
        raise FlowAlgebraError(f"start-loss {targets[0]:g} is not above tol {tol:g}: such a run has converged at step 0")
    log_points = check_k(log_points, "log_points", 2, 10_000)
    seeds_list = [int(seed) + i for i in range(seeds)]
    seconds, nbytes = 0.0, 0.0
    for n in students:
        eval_s = pairs_cost(n, n, d)[0] + pairs_cost(n, teachers, d)[0]
        run_s, run_b = converge_cost(d, teachers, n, steps, lr is None, log_points)
        seconds += len(targets) * seeds * (run_s + BISECTION_STEPS * eval_s)
        nbytes = max(nbytes, run_b)
    show = check_cost(f"threshold experiment ({len(students) * len(targets) * seeds} runs in R^{d}, {steps} steps each)",
                      seconds, nbytes, hint="lower --steps, --seeds, --start-loss values, --students or --d")
    plan = [(n, t, s) for n in students for t in targets for s in seeds_list]
    noises = {(n, t, s): noise_for_start_loss(d, teachers, n, t, s)[0] for n, t, s in plan}  # refuses before any run
    runs = []
    for n, t, s in progress(plan, desc="threshold runs", show=show, unit="run"):
        run = converge(d, teachers, n, steps=steps, lr=lr, noise=noises[(n, t, s)], seed=s, log_points=log_points)
        late = max(i for i, step in enumerate(run.steps_logged) if step <= 0.75 * steps)
        decrease = run.final_loss / run.losses[late] if run.losses[late] > 0 else 0.0
        runs.append(ThresholdRun(n, t, s, noises[(n, t, s)], run.initial_loss, run.final_loss, float(decrease),
                                 max(run.final_angles_deg), run.lr, tol))
    return ThresholdResult(d, teachers, students, targets, seeds_list, steps, lr, tol, runs)


def converge_experiment(d: int, teachers: int, students: Sequence[int] | int | str, steps: int = 4000,
                        lr: float | None = None, noise: float | None = None, seed: int = 0, threshold: float | None = None,
                        start_losses: Sequence[float] | str | None = None, seeds: int | None = None,
                        tol: float | None = None) -> Result:
    """What ``flowalgebra dynamics converge`` runs: with ``start_losses``, :func:`threshold_experiment`; else with
    several ``students``, :func:`rates_by_students`; else one :func:`~groups.dynamics.local_convergence.converge` run.
    A flag that the chosen experiment does not use (``threshold``, ``seeds``, ``tol``, ``noise``: None when not
    given; ``noise`` defaults to 0.3) is refused.

    >>> type(converge_experiment(4, 1, "1", steps=20)).__name__
    'ConvergenceResult'
    """
    teachers_ok = check_k(teachers, "teachers", 1, check_k(d, "d", 1, MAX_DYNAMICS_D))
    counts = _check_students(students, teachers_ok)
    if start_losses is not None:
        if threshold is not None:
            raise FlowAlgebraError("--threshold (the fit window) applies to the rates by --students, not to --start-loss")
        if noise is not None:
            raise FlowAlgebraError("--noise is set by --start-loss in the threshold experiment: drop one")
        return threshold_experiment(d, teachers, counts, start_losses, seeds=DEFAULT_SEEDS if seeds is None else seeds,
                                    steps=steps, lr=lr, tol=DEFAULT_TOL if tol is None else tol, seed=seed)
    if seeds is not None or tol is not None:
        raise FlowAlgebraError("--seeds and --tol apply to the threshold experiment: give --start-loss")
    noise = 0.3 if noise is None else noise
    if len(counts) > 1:
        return rates_by_students(d, teachers, counts, steps=steps, lr=lr, noise=noise, seed=seed,
                                 threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    if threshold is not None:
        raise FlowAlgebraError("--threshold (the fit window) applies to several --students, e.g. --students 3,6,12")
    return converge(d, teachers, counts[0], steps=steps, lr=lr, noise=noise, seed=seed)
