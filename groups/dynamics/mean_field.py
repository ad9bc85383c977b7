"""Symmetry of mean-field gradient flow for two-layer ReLU nets without bias (Hajjar & Chizat 2022), numerically.

Network :math:`f(x) = \\frac1m\\sum_j a_j\\,\\mathrm{relu}(b_j\\cdot x)`, Gaussian inputs
:math:`x \\sim N(0, I_d)`, population risk :math:`R = \\tfrac12 E[(f - f^*)^2]`,
mean-field gradient flow :math:`\\dot a_j = -E[(f-f^*)\\,\\mathrm{relu}(b_j\\cdot x)]`,
:math:`\\dot b_j = -a_j E[(f-f^*)\\,1\\{b_j\\cdot x>0\\}\\,x]`. All expectations are
exact: the arc-cosine kernel for network-network terms and closed Gaussian
moments for the targets, so the only error is the time step (RK4).

- :func:`symmetry_check`: G a finite reflection group (exact versors), a
  G-invariant teacher and a G-invariant particle set; the particle set stays
  G-invariant along the flow (to rounding), a perturbed one does not.
- :func:`odd_target`: for an odd target and the initialisation invariant under
  :math:`(a, b) \\mapsto (-a, -b)`, the predictor is exactly linear,
  :math:`f(x) = w\\cdot x` with :math:`w = \\tfrac12 E[ab]`, and
  :math:`(w, S = E[bb^T], q = E[a^2])` solve the closed ODE
  :math:`\\dot w = -\\tfrac14 (S + qI)(w - w^*)`,
  :math:`\\dot S = -((w-w^*)w^T + w(w-w^*)^T)`, :math:`\\dot q = -2 w\\cdot(w - w^*)`,
  with :math:`w^* = E[x f^*(x)]`. Compared against the finite-width simulation.

>>> res = symmetry_check(2, "hyperoctahedral", particles=2, t_max=1.0, steps=20, seed=0)
>>> res.group_order, res.invariant_deviation < 1e-12, res.control_deviation > 1e-6
(8, True, True)
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from algebra.present import Derivation, Notation, Result, Table, cite, inline
from algebra.exact.encoding import exact_json
from groups.landscape.loss import cross_gradient, kernel_matrix, pairs_cost, self_interaction
from groups.limits import (MAX_DYNAMICS_D, MAX_FLOW_PARTICLES, MAX_PARTICLES, MAX_STEPS, MAX_SYMMETRY_D, MAX_TIME,
                           MAX_WIDTH, check_cost, check_k, progress)
from groups.symmetric.notation import dynamics_notation, equals, group_name_tex
from groups.symmetric.orthogonal import invariant_teacher, named_generators, reflection_group, teacher_is_invariant

__all__ = ["TeacherTarget", "OddTarget", "velocity", "risk", "rk4", "flow_cost", "SymmetryResult", "TEACHER_ROWS", "PRESERVED", "symmetry_check",
           "moment_rhs", "OddTargetRun", "OddTargetResult", "odd_target"]


# --------------------------------------------------------------------------- targets

@dataclass
class TeacherTarget:
    """:math:`f^*(x) = \\sum_l c_l\\,\\mathrm{relu}(v_l\\cdot x)`."""

    c: np.ndarray
    V: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return np.maximum(X @ self.V.T, 0) @ self.c

    def relu_corr(self, B: np.ndarray) -> np.ndarray:
        """:math:`E[f^*(x)\\,\\mathrm{relu}(b\\cdot x)]` for each row b."""
        return kernel_matrix(B, self.V) @ self.c

    def step_corr(self, B: np.ndarray) -> np.ndarray:
        """:math:`E[f^*(x)\\,1\\{b\\cdot x>0\\}\\,x]` for each row b."""
        return cross_gradient(B, self.V, self.c)

    def second_moment(self) -> float:
        return float(self.c @ kernel_matrix(self.V, self.V) @ self.c)


@dataclass
class OddTarget:
    """:math:`f^*(x) = \\beta\\cdot x + \\sum_l c_l (v_l\\cdot x)^3` (odd). Gaussian moments:
    :math:`E[(v\\cdot x)^3\\,\\mathrm{relu}(b\\cdot x)] = \\tfrac32|v|^2\\,v\\cdot b`,
    :math:`E[(v\\cdot x)^3 (u\\cdot x)^3] = 9|v|^2|u|^2(u\\cdot v) + 6(u\\cdot v)^3`."""

    beta: np.ndarray
    c: np.ndarray
    V: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return X @ self.beta + (X @ self.V.T) ** 3 @ self.c

    def w_star(self) -> np.ndarray:
        """:math:`E[x f^*(x)]`."""
        return self.beta + 1.5 * 2 * (self.c * np.sum(self.V**2, axis=1)) @ self.V

    def relu_corr(self, B: np.ndarray) -> np.ndarray:
        return 0.5 * B @ self.w_star()

    def step_corr(self, B: np.ndarray) -> np.ndarray:
        return np.tile(0.5 * self.w_star(), (B.shape[0], 1))

    def second_moment(self) -> float:
        G = self.V @ self.V.T
        n = np.diag(G)
        cubic = self.c @ (9 * np.outer(n, n) * G + 6 * G**3) @ self.c
        cross = 2 * self.c @ (3 * n * (self.V @ self.beta))
        return float(self.beta @ self.beta + cross + cubic)


# --------------------------------------------------------------------------- the flow

def velocity(a: np.ndarray, B: np.ndarray, target) -> tuple[np.ndarray, np.ndarray]:
    """Mean-field velocities :math:`(\\dot a, \\dot B)` (population, exact expectations)."""
    m = len(a)
    K, G = self_interaction(B, a / m)
    da = -(K @ a / m - target.relu_corr(B))
    dB = -a[:, None] * (G - target.step_corr(B))
    return da, dB


def risk(a: np.ndarray, B: np.ndarray, target) -> float:
    m = len(a)
    return float(0.5 * (a @ kernel_matrix(B, B) @ a / m**2 - 2 * a @ target.relu_corr(B) / m + target.second_moment()))


def rk4(state: tuple, rhs: Callable, t_max: float, steps: int, record: int = 20, show: bool = False,
        desc: str = "RK4") -> tuple[tuple, list[tuple]]:
    """Classical RK4 on a tuple of arrays; returns the final state and ``record`` snapshots ``(t, state)``
    (``show``: a progress bar on stderr)."""
    dt = t_max / steps
    every = max(1, steps // record)
    snaps = [(0.0, state)]

    def add(s, k, h):
        return tuple(x + h * y for x, y in zip(s, k))

    for n in progress(range(steps), desc=desc, show=show, unit="step"):
        k1 = rhs(state)
        k2 = rhs(add(state, k1, dt / 2))
        k3 = rhs(add(state, k2, dt / 2))
        k4 = rhs(add(state, k3, dt))
        state = tuple(x + dt / 6 * (p + 2 * q + 2 * r + s) for x, p, q, r, s in zip(state, k1, k2, k3, k4))
        if (n + 1) % every == 0 or n + 1 == steps:
            snaps.append(((n + 1) * dt, state))
    return state, snaps


def _finite_flow(t_max: float, steps: int, *arrays) -> None:
    """Refuse a result that overflowed: RK4 with too large a step ``t_max / steps`` blows up."""
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise FlowAlgebraError(f"the RK4 integration blew up (step t/steps = {t_max / steps:.3g}): raise --steps or "
                               "lower --time")


def flow_cost(particles: int, d: int, steps: int, runs: int, teacher: int = 0) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of ``runs`` RK4 integrations of the mean-field flow of ``particles`` particles
    in ``R^d`` (four velocities a step, each a pass over the particle pairs and the particle-teacher pairs).

    >>> flow_cost(6000, 10, 1, 1)[1] < 3 * 2**30
    True
    """
    seconds, nbytes = pairs_cost(particles, particles, d)
    if teacher:
        seconds += 2 * pairs_cost(particles, teacher, d)[0]
    return runs * 4 * steps * seconds + runs * 2 * seconds, nbytes


# --------------------------------------------------------------------------- symmetry check

@dataclass(repr=False)
class SymmetryResult(Result):
    """G-invariance of the input law, the teacher and the mean-field flow from a G-invariant start."""

    d: int
    group: str
    group_order: int
    orthogonal_exact: bool
    teacher_invariant_exact: bool
    teacher_invariant_numeric: float
    particles: int
    t_max: float
    steps: int
    risk_start: float
    risk_end: float
    invariant_deviation: float
    control_deviation: float
    teacher: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"d": self.d, "group": self.group, "group_order": self.group_order,
                "orthogonal_exact": self.orthogonal_exact, "teacher_invariant_exact": self.teacher_invariant_exact,
                "teacher_invariant_numeric": self.teacher_invariant_numeric, "particles": self.particles,
                "t_max": self.t_max, "steps": self.steps, "risk_start": self.risk_start, "risk_end": self.risk_end,
                "invariant_deviation": self.invariant_deviation, "control_deviation": self.control_deviation,
                "teacher": [[exact_json(x) for x in v] for v in self.teacher], "numeric": True}

    def summary(self) -> str:
        return "\n".join([
            f"G = {self.group} on R^{self.d}, order {self.group_order}: orthogonal (exact) {self.orthogonal_exact}, "
            f"so N(0, I) is G-invariant; teacher orbit of {len(self.teacher)} neurons G-invariant (exact) "
            f"{self.teacher_invariant_exact}, numeric max |f*(gx) - f*(x)| = {self.teacher_invariant_numeric:.1e}",
            f"{self.particles} particles (G-invariant set), RK4 to t = {self.t_max} in {self.steps} steps: "
            f"risk {self.risk_start:.6g} -> {self.risk_end:.6g}",
            f"max deviation from G-invariance at t = {self.t_max}: {self.invariant_deviation:.2e} "
            f"(control, one particle perturbed by 1e-3 at t = 0: {self.control_deviation:.2e})",
        ])

    def derivation(self) -> Derivation:
        d = Derivation(f"$G$-invariance of mean-field gradient flow, {group_name_tex(self.group)}, {equals('d', self.d)}",
                       notation=dynamics_notation([
                           "$G$ is a finite group of orthogonal $d \\times d$ matrices acting on the particles by "
                           "$(a, b) \\mapsto (a, g b)$; a particle set is $G$-invariant when it is a union of such orbits",
                           "the teacher is $f^*(x) = \\sum_l \\mathrm{relu}(v_l \\cdot x)$ with neurons $v_l$"]))
        d.add("The group is generated by reflections $x \\mapsto -n x n^{-1}$ (versors); its matrices are exact and "
              "orthogonal, so the Gaussian input law $N(0, I_d)$ is invariant.", sp.Eq(Notation("|G|"), self.group_order))
        rows = [[i + 1, *(Notation(sp.latex(sp.sympify(x), fold_short_frac=True)) for x in v)]
                for i, v in enumerate(self.teacher)]
        d.add(f"The {len(self.teacher)} teacher neurons form one $G$-orbit (checked exactly: every generator permutes "
              "them), so $f^*$ is $G$-invariant:",
              Table(["$l$"] + [f"$v_{{l{j}}}$" for j in range(1, self.d + 1)], rows).truncated(TEACHER_ROWS, "teacher neurons"))
        preserved = self.invariant_deviation <= PRESERVED * max(self.control_deviation, 1.0)
        d.add(f"A $G$-invariant set of {self.particles} particles follows the flow (RK4, {self.steps} steps, up to "
              f"{equals('t', float(self.t_max))}); its largest deviation from $G$-invariance is "
              f"{inline(sp.Float(self.invariant_deviation, 2))}, against {inline(sp.Float(self.control_deviation, 2))} "
              f"for the same start with one particle moved by {inline(sp.Float(1e-3, 1))} (numeric).")
        if preserved:
            d.conclusion = (f"The symmetry is preserved by the dynamics, to rounding {cite('hajjar2022')}; the "
                            "perturbed start leaves the invariant set.")
        else:
            d.conclusion = ("The invariant set is unstable here: rounding errors in the invariant start grew to the "
                            "size of the control's deviation. The flow preserves the symmetry exactly "
                            f"{cite('hajjar2022')}, but in floating point this is seen only up to a shorter time.")
        return d


#: teacher neurons listed in a derivation (the table says when more were cut)
TEACHER_ROWS = 8
#: a deviation at most this times the control's (or 1) counts as rounding
PRESERVED = 1e-8


def _check_flow(t_max: float, steps: int) -> None:
    """The integration time and the number of RK4 steps, within their limits."""
    if isinstance(t_max, bool) or not isinstance(t_max, numbers.Real) or not 0 <= t_max <= MAX_TIME:
        raise FlowAlgebraError(f"time must be in [0, {MAX_TIME:g}], got {t_max}")
    check_k(steps, "steps", 1, MAX_STEPS)


def _invariance_deviation(a, B, base, mats):
    """max over particles (o, g) of |a_(o,g) - a_(o,e)| + |b_(o,g) - g b_(o,e)| (particles ordered o-major)."""
    order = len(mats)
    A = a.reshape(base, order)
    Bs = B.reshape(base, order, -1)
    ref = np.einsum("gij,oj->ogi", mats, Bs[:, 0, :])
    return float(max(np.max(np.abs(A - A[:, :1])), np.max(np.abs(Bs - ref))))


def symmetry_check(d: int, group: str = "hyperoctahedral", particles: int = 3, t_max: float = 3.0,
                   steps: int = 60, seed: int = 0) -> SymmetryResult:
    """Check G-invariance of the target, the input law and the flow from a G-invariant start.

    Refused before the flow runs: a group of more than ``GROUP_LIMIT`` elements, more than
    ``MAX_FLOW_PARTICLES`` particles in all (``particles x |G|``) and a flow over the cost limits."""
    d = check_k(d, "d", 1, MAX_SYMMETRY_D)
    particles = check_k(particles, "particles", 1, MAX_PARTICLES)
    _check_flow(t_max, steps)
    G = reflection_group(named_generators(group, d), d=d)
    total = particles * G.order
    if total > MAX_FLOW_PARTICLES:
        raise FlowAlgebraError(f"{particles} particles x {G.order} group elements = {total} particles, more than the "
                               f"limit {MAX_FLOW_PARTICLES} (MAX_FLOW_PARTICLES): lower --particles or --d")
    seconds, nbytes = flow_cost(total, d, steps, runs=2, teacher=G.order)
    show = check_cost(f"the symmetry check ({total} particles in R^{d}, {steps} RK4 steps, twice)", seconds, nbytes,
                      hint="lower --steps, --particles or --d")
    mats = G.float_elements()
    rng = generator(seed)
    base = sp.Matrix([sp.Rational(int(rng.integers(1, 6)), 4) * (1 if j == 0 else 0) + sp.Rational(int(rng.integers(-3, 4)), 8)
                      for j in range(d)])
    teacher = invariant_teacher(G, base)
    V = np.array([[float(x) for x in v] for v in teacher])
    target = TeacherTarget(np.ones(len(V)), V)
    X = rng.standard_normal((200, d))
    numeric_inv = max(float(np.max(np.abs(target(X @ g.T) - target(X)))) for g in mats)
    a0 = rng.standard_normal(particles)
    b0 = rng.standard_normal((particles, d)) / math.sqrt(d)
    a = np.repeat(a0, G.order)
    B = np.einsum("gij,oj->ogi", mats, b0).reshape(-1, d)

    def rhs(s):
        return velocity(s[0], s[1], target)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        (a1, B1), _ = rk4((a, B), rhs, t_max, steps, record=1, show=show, desc="RK4, invariant start")
        Bc = B.copy()
        Bc[0] += 1e-3
        (a2, B2), _ = rk4((a, Bc), rhs, t_max, steps, record=1, show=show, desc="RK4, perturbed start")
        risks = risk(a, B, target), risk(a1, B1, target)
        deviations = _invariance_deviation(a1, B1, particles, mats), _invariance_deviation(a2, B2, particles, mats)
    _finite_flow(t_max, steps, a1, B1, a2, B2, risks, deviations)
    return SymmetryResult(
        d, group, G.order, G.is_orthogonal(), teacher_is_invariant(G, teacher), numeric_inv, len(a), t_max, steps,
        *risks, *deviations, [list(v) for v in teacher])


# --------------------------------------------------------------------------- odd target

def moment_rhs(w_star: np.ndarray) -> Callable:
    """The closed ODE for :math:`(w, S, q)` under an odd target and a sign-symmetric measure."""
    def rhs(s):
        w, S, q = s
        r = w - w_star
        return -0.25 * (S @ r + q * r), -(np.outer(r, w) + np.outer(w, r)), np.array(-2.0 * w @ r)
    return rhs


def _moments(a, B):
    m = len(a)
    return 0.5 * (a @ B) / m, (B.T * 1.0) @ B / m, np.array(a @ a / m)


@dataclass
class OddTargetRun:
    """One finite-width simulation of the odd-target flow, against the closed moment ODE."""

    init: str
    max_w_error: float          # max_t |w_sim(t) - w_ode(t)| / |w*|
    max_nonlinearity: float     # max_t max_x |f(x) - w(t).x| / rms f*
    final_risk: float

    def to_json(self) -> dict:
        return {"init": self.init, "max_w_error": self.max_w_error, "max_nonlinearity": self.max_nonlinearity,
                "final_risk": self.final_risk}


@dataclass(repr=False)
class OddTargetResult(Result):
    """The odd-target reduction: the moment ODE, and simulations from two initialisations."""

    d: int
    width: int
    t_max: float
    steps: int
    times: list[float]
    distance: list[float]       # |w_ode(t) - w*| / |w*|
    rate_fitted: float
    rate_predicted: float
    runs: list[OddTargetRun]

    def to_json(self) -> dict:
        return {"d": self.d, "width": self.width, "t_max": self.t_max, "steps": self.steps, "numeric": True,
                "times": self.times, "relative_distance_to_w_star": self.distance,
                "rate_fitted": self.rate_fitted, "rate_predicted_final": self.rate_predicted,
                "runs": [r.to_json() for r in self.runs]}

    def summary(self) -> str:
        lines = [f"odd target, d = {self.d}, width {self.width}, RK4 to t = {self.t_max} ({self.steps} steps):"]
        for r in self.runs:
            lines.append(f"  {r.init:<22} max |w_sim - w_ode|/|w*| = {r.max_w_error:.2e}, "
                         f"max |f(x) - w.x| / rms f* = {r.max_nonlinearity:.2e}, final risk {r.final_risk:.4g}")
        lines.append(f"  |w - w*|/|w*|: {self.distance[0]:.3g} -> {self.distance[-1]:.3g}; fitted exponential rate "
                     f"{self.rate_fitted:.4g}, predicted lambda_min(S + qI)/4 at the end {self.rate_predicted:.4g}")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        w, S, q = sp.Symbol("w"), sp.Symbol("S"), sp.Symbol("q")
        t = sp.Symbol("t")
        d = Derivation(f"Odd target: the predictor is linear ({equals('d', self.d)}, width {self.width})",
                       notation=dynamics_notation([
                           "the target $f^*$ is odd, $f^*(-x) = -f^*(x)$, and $w^* = \\mathbb{E}[x f^*(x)]$",
                           "$w = \\tfrac12 \\mathbb{E}[a b]$, $S = \\mathbb{E}[b b^T]$ and $q = \\mathbb{E}[a^2]$ are "
                           "moments of the particle measure; $m$ is the width"]))
        d.add("For odd $f^*$ and a particle measure invariant under $(a, b) \\mapsto (-a, -b)$ only the odd part "
              "$u/2$ of $\\mathrm{relu}(u)$ survives, so $f(x) = w \\cdot x$, and the moments solve the closed "
              f"system {cite('hajjar2022')}",
              [sp.Eq(sp.Derivative(w, t), Notation(r"-\tfrac14 (S + q I_d)(w - w^*)"), evaluate=False),
               sp.Eq(sp.Derivative(S, t), Notation(r"-\left((w - w^*) w^T + w (w - w^*)^T\right)"), evaluate=False),
               sp.Eq(sp.Derivative(q, t), Notation(r"-2 w \cdot (w - w^*)"), evaluate=False)])
        d.add(f"A finite-width simulation ({equals('m', self.width)} particles, RK4 with {self.steps} steps up to "
              f"{equals('t', float(self.t_max))}) against the closed system, from a sign-symmetric start (the "
              "particles in pairs $(a, b)$, $(-a, -b)$) and from an i.i.d. start; the deviation of $w$ from the "
              "closed system is relative to $|w^*|$, that of $f$ from linear to the root mean square "
              "$\\|f^*\\|$ of $f^*$:",
              Table(["start", "$\\max_t |w - w_{\\mathrm{ODE}}| / |w^*|$", "$\\max_{t,x} |f(x) - w \\cdot x| / \\|f^*\\|$",
                     "final risk $R$"],
                    [[_START.get(r.init, r.init), sp.Float(r.max_w_error, 2), sp.Float(r.max_nonlinearity, 2),
                      sp.Float(r.final_risk, 4)] for r in self.runs]))
        d.conclusion = (f"$|w - w^*|$ decays exponentially (fitted rate {inline(sp.Float(self.rate_fitted, 3))}); "
                        "the sign-symmetric start follows the closed system to rounding and step error, the i.i.d. "
                        "start only up to finite-width fluctuations (numeric backend).")
        return d


#: the starts of the odd-target runs, as a table names them
_START = {"symmetric (a,b),(-a,-b)": "sign-symmetric", "i.i.d.": "i.i.d."}


def odd_target(d: int, width: int, t_max: float = 8.0, steps: int = 24, seed: int = 0,
               terms: int = 3) -> OddTargetResult:
    """Odd-target reduction against a finite-width simulation (symmetric and i.i.d. initialisations).

    The cost of the two simulations (``width`` particles, ``steps`` RK4 steps) is estimated first and refused
    over the limits of :mod:`groups.limits`; long runs show a progress bar on stderr."""
    d = check_k(d, "d", 1, MAX_DYNAMICS_D)
    width = check_k(width, "width", 2, MAX_WIDTH)
    if width % 2:
        raise FlowAlgebraError(f"width must be even (particles come in pairs (a, b), (-a, -b)), got {width}")
    if not 0 < t_max <= MAX_TIME:
        raise FlowAlgebraError(f"time must be in (0, {MAX_TIME:g}], got {t_max}")
    _check_flow(t_max, steps)
    terms = check_k(terms, "terms", 1, MAX_PARTICLES)
    seconds, nbytes = flow_cost(width, d, steps, runs=2)
    show = check_cost(f"the odd-target simulation (width {width}, d = {d}, {steps} RK4 steps, twice)", seconds, nbytes,
                      hint="lower --steps, --width or --d")
    rng = generator(seed)
    V = rng.standard_normal((terms, d))
    V /= np.linalg.norm(V, axis=1)[:, None]
    target = OddTarget(rng.standard_normal(d) / math.sqrt(d), 0.3 * rng.choice([-1, 1], terms) / terms, V)
    w_star = target.w_star()
    X = rng.standard_normal((256, d))
    rms = math.sqrt(target.second_moment())
    half = width // 2
    a_half = rng.standard_normal(half)
    B_half = rng.standard_normal((half, d)) / math.sqrt(d)
    inits = {
        "symmetric (a,b),(-a,-b)": (np.concatenate([a_half, -a_half]), np.concatenate([B_half, -B_half])),
        "i.i.d.": (rng.standard_normal(width), rng.standard_normal((width, d)) / math.sqrt(d)),
    }
    record = 20
    runs, ode_snaps = [], None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for name, (a, B) in inits.items():
            _, snaps = rk4((a, B), lambda s: velocity(s[0], s[1], target), t_max, steps, record, show=show,
                           desc=f"RK4, {name.split()[0]} start")
            _, osnaps = rk4(_moments(a, B), moment_rhs(w_star), t_max, steps, record)
            _finite_flow(t_max, steps, *snaps[-1][1], *osnaps[-1][1])
            werr = max(float(np.linalg.norm(0.5 * (sa @ sB) / width - ow)) for (_, (sa, sB)), (_, (ow, _, _)) in zip(snaps, osnaps))
            nonlin = max(float(np.max(np.abs(np.maximum(X @ sB.T, 0) @ sa / width - X @ (0.5 * (sa @ sB) / width))))
                         for _, (sa, sB) in snaps)
            runs.append(OddTargetRun(name, float(werr / np.linalg.norm(w_star)), float(nonlin / rms), risk(*snaps[-1][1], target)))
            if ode_snaps is None:
                ode_snaps = osnaps
    times = [t for t, _ in ode_snaps]
    dist = [float(np.linalg.norm(w - w_star) / np.linalg.norm(w_star)) for _, (w, _, _) in ode_snaps]
    tail = slice(min(len(times) // 2, len(times) - 2), None)  # the second half, and at least two points
    rate = -float(np.polyfit(times[tail], np.log(np.maximum(dist[tail], 1e-300)), 1)[0])
    _, (wT, ST, qT) = ode_snaps[-1]
    predicted = float(np.linalg.eigvalsh(ST + qT * np.eye(d))[0] / 4)
    _finite_flow(t_max, steps, [r.max_w_error for r in runs], [r.max_nonlinearity for r in runs],
                 [r.final_risk for r in runs], rate, predicted)
    return OddTargetResult(d, width, t_max, steps, times, dist, rate, predicted, runs)
