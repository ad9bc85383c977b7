"""Numeric backend: integrate a gradient flow and watch a quantity (floats, on purpose).

For layered models the real network is simulated (linear or ReLU, with
biases if the model has them) on random Gaussian data with random targets,
loss 1/(2S) ||f(theta, X) - Y||^2. For other models the loss is
1/2 ||A phi(theta) - y||^2 with random A, y, whose gradient lies in W.
The flow theta' = -grad L is integrated with scipy's ``solve_ivp`` (DOP853),
except for ReLU networks, whose kinks stall adaptive solvers: fixed-step RK4. Flows other than
gradient flow give their float dynamics themselves
(:meth:`~laws.system.PolynomialSystem.float_dynamics`).

>>> from laws.models.model import relu
>>> m = relu([2, 3, 2])
>>> run = simulate_flow(m, [m.parse("u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2"), m.parse("u1_1**2")], seed=0)
>>> run.drift[0] < 1e-4 < run.drift[1]
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from algebra.exact.random import generator
from laws.system import PolynomialSystem

__all__ = ["FlowRun", "PolynomialFunction", "simulate_flow", "network_loss_and_gradient", "loss_gradient_function"]


@dataclass
class FlowRun:
    """Drift of each watched quantity along one simulated gradient flow."""

    times: np.ndarray
    values: np.ndarray          # (quantities, times)
    loss: np.ndarray
    drift: list[float]          # max_t |q(t) - q(0)| per quantity
    relative_drift: list[float]  # drift / max(1, |q(0)|, range of the control)

    def to_json(self) -> dict:
        return {"t_end": float(self.times[-1]), "steps": int(len(self.times)),
                "loss_start": float(self.loss[0]), "loss_end": float(self.loss[-1]),
                "drift": self.drift, "relative_drift": self.relative_drift}


class PolynomialFunction:
    """Float evaluation of an exact polynomial and its gradient (for the numeric backend only)."""

    def __init__(self, poly):
        terms = list(poly.terms())
        nvars = poly.context().nvars()
        self.exps = np.array([t[0] for t in terms], dtype=np.int64).reshape(len(terms), nvars)
        self.coef = np.array([float(t[1]) for t in terms], dtype=float)

    def __call__(self, theta: np.ndarray) -> float:
        if not len(self.coef):
            return 0.0
        return float(self.coef @ np.prod(theta[None, :] ** self.exps, axis=1))

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        grad = np.zeros(self.exps.shape[1])
        if not len(self.coef):
            return grad
        for v in np.flatnonzero(self.exps.any(axis=0)):
            e = self.exps.copy()
            factor = e[:, v].astype(float)
            e[:, v] = np.maximum(e[:, v] - 1, 0)
            grad[v] = (self.coef * factor) @ np.prod(theta[None, :] ** e, axis=1)
        return grad


def network_loss_and_gradient(structure, theta: np.ndarray, X: np.ndarray, Y: np.ndarray):
    """Loss 1/(2S)||f(X) - Y||^2 of a layered network and its gradient (backprop)."""
    s = structure
    q = s.depth
    Ws, bs = [], []
    for l in range(1, q + 1):
        rows, cols = s.dims[l], s.dims[l - 1]
        w0 = s.weight_offset(l)
        Ws.append(theta[w0:w0 + rows * cols].reshape(rows, cols))
        bs.append(theta[w0 + rows * cols:w0 + rows * cols + rows] if s.bias else np.zeros(rows))
    acts, pre = [X], []
    h = X
    for l in range(q):
        z = Ws[l] @ h + bs[l][:, None]
        pre.append(z)
        h = z if (l == q - 1 or s.kind == "linear") else np.maximum(z, 0.0)
        acts.append(h)
    S = X.shape[1]
    err = (h - Y) / S
    loss = 0.5 * S * float(np.sum(err * err))
    grad = np.zeros_like(theta)
    delta = err
    for l in range(q - 1, -1, -1):
        rows, cols = s.dims[l + 1], s.dims[l]
        w0 = s.weight_offset(l + 1)
        grad[w0:w0 + rows * cols] = (delta @ acts[l].T).reshape(-1)
        if s.bias:
            grad[w0 + rows * cols:w0 + rows * cols + rows] = delta.sum(axis=1)
        if l:
            delta = Ws[l].T @ delta
            if s.kind == "relu":
                delta = delta * (pre[l - 1] > 0)
    return loss, grad


def loss_gradient_function(model, rng: np.random.Generator, samples: int):
    """A random loss of the model: (theta -> (L, grad L)), real network for layered models."""
    s = model.structure
    if s is not None:
        X = rng.normal(size=(s.dims[0], samples))
        Y = rng.normal(size=(s.dims[-1], samples))
        return lambda theta: network_loss_and_gradient(s, theta, X, Y)
    phis = [PolynomialFunction(p) for p in model.phi]
    A = rng.normal(size=(samples, model.N)) / np.sqrt(model.N)
    y = rng.normal(size=samples)

    def loss_grad(theta):
        values = np.array([f(theta) for f in phis])
        jac = np.array([f.gradient(theta) for f in phis])
        r = A @ values - y
        return 0.5 * float(r @ r), jac.T @ (A.T @ r)

    return loss_grad


def simulate_flow(system: PolynomialSystem, quantities, seed: int = 0, t_end: float = 2.0,
                  samples: int = 20) -> FlowRun:
    """Integrate the system's flow from a random start for a random loss; record exact polynomials
    in the system's coordinates (for momentum flows: (s or t, theta, v) with s = e^{tau t})."""
    from scipy.integrate import solve_ivp

    rng = generator(seed)
    model = system.model
    loss_grad = loss_gradient_function(model, rng, samples)
    dynamics = system.float_dynamics(loss_grad, rng.normal(size=model.D), rng)
    field, state0, to_theta = dynamics.field, dynamics.start, dynamics.theta
    kinks = model.structure is not None and model.structure.kind == "relu"
    times = np.linspace(0.0, t_end, 41)
    if kinks:
        # ReLU kinks make adaptive solvers stall (sliding along a kink); fixed-step RK4
        trajectory = _rk4(field, state0, times, substeps=100)
    else:
        trajectory = solve_ivp(lambda t, y: field(y), (0.0, t_end), state0, rtol=1e-10, atol=1e-12,
                               t_eval=times, method="DOP853").y
    funcs = [PolynomialFunction(q) for q in quantities]
    values = np.array([[f(trajectory[:, k]) for k in range(trajectory.shape[1])] for f in funcs])
    loss = np.array([loss_grad(to_theta(trajectory[:, k]))[0] for k in range(trajectory.shape[1])])
    drift = [float(np.max(np.abs(v - v[0]))) for v in values]
    scale = [max(1.0, abs(float(v[0]))) for v in values]
    return FlowRun(times, values, loss, drift, [d / c for d, c in zip(drift, scale)])


def _rk4(field, y0: np.ndarray, times: np.ndarray, substeps: int) -> np.ndarray:
    """Classical Runge-Kutta with ``substeps`` fixed steps between consecutive output times."""
    out = np.empty((y0.size, times.size))
    out[:, 0] = y = y0.copy()
    for k in range(1, times.size):
        h = (times[k] - times[k - 1]) / substeps
        for _ in range(substeps):
            k1 = field(y)
            k2 = field(y + 0.5 * h * k1)
            k3 = field(y + 0.5 * h * k2)
            k4 = field(y + h * k3)
            y = y + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
        out[:, k] = y
    return out
