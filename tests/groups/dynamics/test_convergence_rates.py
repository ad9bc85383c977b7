"""Local rates by number of students and the threshold experiment (groups/dynamics/convergence_rates.py).

The known answers: a fit recovers the rate of an exact exponential or power law, and leaves out a faster
transient; for n = m the minimum is non-degenerate and gradient descent converges at the rate the Hessian there
predicts, -2 log max |1 - eta lambda|; for n > m the Hessian is singular and the decay is a power law (Xu & Du
prove T^-3 for one teacher); with m = n = 10 a start at loss 1 converges and starts at loss 50 stop near loss
0.019 (spurious critical points, Safran & Shamir)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from algebra.errors import FlowAlgebraError
from groups.dynamics.convergence_rates import (CONVERGED, DECREASING, EXPONENTIAL, FIT_FLOOR, POWER, START_RTOL, STALLED,
                                               RateFit, ThresholdResult,
                                               ThresholdRun, converge_experiment, fit_decay, homogeneity,
                                               noise_for_start_loss, parse_losses, rates_by_students,
                                               threshold_experiment)
from groups.dynamics.local_convergence import ConvergenceResult, aligned_start
from groups.landscape.loss import loss
from groups.limits import MAX_CONVERGE_SEEDS, MAX_START_LOSSES, MAX_STUDENT_COUNTS


def test_fit_recovers_exponential_and_power_law_and_skips_the_transient(rng):
    t = np.unique(np.geomspace(1, 2000, 150).astype(int))
    exact = fit_decay(t, 1e-2 * np.exp(-0.01 * t), 1e-3, EXPONENTIAL)
    assert exact.rate == pytest.approx(0.01, rel=1e-10) and exact.stderr < 1e-10 and exact.r2 > 1 - 1e-12
    assert exact.first_step > 230              # the tail: below 1e-3 (t > 230), its lower half in decades
    power = fit_decay(t, 5.0 * t ** -3.0, 1e-2, POWER)
    assert power.rate == pytest.approx(3.0, rel=1e-10)
    # a fast mode on top of the slow one: the lower half of the tail sees only the slow rate
    two_modes = 1e-3 * np.exp(-0.01 * t) + 1.0 * np.exp(-0.05 * t)
    assert fit_decay(t, two_modes, 1e-2, EXPONENTIAL).rate == pytest.approx(0.01, rel=1e-3)
    # noise: the slope's standard error is the one scipy's regression reports, and covers the truth
    noisy = 1e-2 * np.exp(-0.01 * t + 0.05 * rng.standard_normal(len(t)))
    fit = fit_decay(t, noisy, 1e-3, EXPONENTIAL)
    assert 0 < fit.stderr < 1e-3 and abs(fit.rate - 0.01) < 4 * fit.stderr
    # too few points in the window, the float floor, and a bad model name
    assert fit_decay(t, 1e-2 * np.exp(-0.01 * t), 1e-30, EXPONENTIAL) is None
    assert fit_decay([1, 2, 3, 4, 5, 6], [FIT_FLOOR / 2] * 6, 1.0, EXPONENTIAL) is None
    with pytest.raises(ValueError, match="model is"):
        fit_decay(t, t, 1.0, "linear")


def test_homogeneity_is_the_chi_square_test():
    fit = lambda r, s: RateFit(EXPONENTIAL, r, s, 0.99, 10, 1, 10)
    t = homogeneity(EXPONENTIAL, [3, 6, 12], [fit(1.0, 0.1), fit(1.1, 0.1), None])
    assert t.students == [3, 6] and t.dof == 1 and t.mean == pytest.approx(1.05)
    assert t.chi2 == pytest.approx(0.5) and t.p_value == pytest.approx(stats.chi2.sf(0.5, 1)) and t.consistent
    assert t.spread == pytest.approx(0.1 / 1.05) and t.min_r2 == 0.99
    weighted = homogeneity(EXPONENTIAL, [3, 6], [fit(1.0, 0.1), fit(2.0, 0.2)])   # weights 100 and 25
    assert weighted.mean == pytest.approx(1.2) and not weighted.consistent           # chi2 = 4 + 16 / 4 = 8
    assert homogeneity(EXPONENTIAL, [3], [fit(1.0, 0.1)]) is None
    assert homogeneity(EXPONENTIAL, [3, 6], [fit(1.0, 0.0), fit(1.0, 0.0)]).chi2 == 0.0   # exact fits, one value


@pytest.fixture(scope="module")
def rates():
    return rates_by_students(6, 2, [2, 4], steps=1500, seed=1)


def test_rates_exact_parameterisation_matches_the_hessian(rates):
    exact, over = rates.runs
    assert exact.students == 2 and exact.hessian_zeros == 0 and exact.hessian_min > 0
    assert exact.better() == EXPONENTIAL
    assert exact.exponential.rate == pytest.approx(exact.predicted_rate, rel=0.01)
    assert exact.predicted_rate == pytest.approx(-2 * math.log(max(abs(1 - rates.lr * exact.hessian_min),
                                                                   abs(1 - rates.lr * exact.hessian_max))))
    # the same teachers for every n, one step size: at most the inverse largest eigenvalue of each start
    V2, _ = aligned_start(6, 2, 2, 0.3, 1)
    V4, _ = aligned_start(6, 2, 4, 0.3, 1)
    assert np.array_equal(V2, V4) and 0 < rates.lr <= 1 / exact.hessian_max + 1e-12


def test_rates_over_parameterised_decay_like_a_power_law(rates):
    exact, over = rates.runs
    assert over.hessian_zeros > 0 and over.predicted_rate == 0.0        # a continuum of minima: H is singular
    assert over.better() == POWER and 2.0 < over.power.rate < 3.5         # Xu & Du: T^-3 for one teacher
    assert over.run.final_loss < 1e-6 and max(over.run.final_angles_deg) < max(over.run.initial_angles_deg)
    # n = m is far faster than n > m: the exponential rates are not one value
    test = rates.test(EXPONENTIAL)
    assert test.students == [2, 4] and not test.consistent and test.rates[0] > 10 * test.rates[1]
    assert rates.test(EXPONENTIAL, over_parameterised=True) is None      # one n > m: nothing to compare


def test_rates_result_is_typed_and_tabulated(rates):
    data = json.loads(json.dumps(rates.to_json()))
    assert data["students"] == [2, 4] and isinstance(data["lr"], float) and data["alpha"] == 0.05
    run = data["runs"][0]
    assert isinstance(run["exponential"]["rate"], float) and isinstance(run["hessian_at_minimum"]["zeros"], int)
    assert isinstance(data["tests"][0]["consistent"], bool) and isinstance(data["tests"][0]["dof"], int)
    assert rates.table().shape == (3, 8) and "\\toprule" in rates.table().to_latex()
    assert "chi-square" in rates.summary() and "p" in rates.derivation().conclusion
    assert repr(rates).startswith("<RatesResult: local rates by number of students") and "\n" not in repr(rates)


def test_start_loss_bisection_hits_the_target():
    for target in (0.05, 2.0):
        noise, value = noise_for_start_loss(5, 2, 3, target, seed=4)
        assert abs(value / target - 1) <= START_RTOL
        V, W = aligned_start(5, 2, 3, noise, 4)                # the start converge will use
        assert abs(loss(W, V) / target - 1) <= 2 * START_RTOL
    with pytest.raises(FlowAlgebraError, match="out of reach"):
        noise_for_start_loss(5, 2, 3, 1e4, seed=4)


def test_threshold_experiment_converges_below_and_stalls_above():
    res = threshold_experiment(10, 10, [10], "1,50", seeds=2, steps=2000)
    assert [r.target for r in res.runs] == [1.0, 1.0, 50.0, 50.0] and [r.seed for r in res.runs] == [0, 1, 0, 1]
    assert all(abs(r.start_loss / r.target - 1) <= 2 * START_RTOL for r in res.runs)
    assert all(r.converged == (r.final_loss <= res.tol) for r in res.runs)
    low, high = res.cell(10, 1.0), res.cell(10, 50.0)
    assert all(r.outcome == CONVERGED for r in low)
    # from loss 50 both seeds stop near loss 0.019, flat over the last quarter of the steps
    assert all(r.outcome == STALLED and 0.01 < r.final_loss < 0.03 and r.decrease > 0.95 for r in high)
    assert res.threshold(10) == (1.0, 50.0)
    assert res.table().shape == (3, 8) and "runs stalled from start loss 50" in res.summary()
    assert json.loads(json.dumps(res.to_json()))["threshold"] == [{"students": 10, "all_converged_up_to": 1.0,
                                                                   "first_stall_at": 50.0}]


def test_threshold_bookkeeping():
    def run(t, s, final, decrease):
        return ThresholdRun(3, t, s, 0.1, t, final, decrease, 0.0, 0.5, 1e-6)

    assert [run(1.0, 0, 1e-7, 0.1).outcome, run(1.0, 0, 1e-3, 0.5).outcome, run(1.0, 0, 1e-3, 0.95).outcome] == \
        [CONVERGED, DECREASING, STALLED]
    res = ThresholdResult(4, 3, [3], [0.1, 1.0, 10.0, 100.0], [0, 1], 100, None, 1e-6,
                          [run(0.1, 0, 0.0, 0.0), run(0.1, 1, 0.0, 0.0), run(1.0, 0, 0.0, 0.0), run(1.0, 1, 1e-4, 0.2),
                           run(10.0, 0, 0.0, 0.0), run(10.0, 1, 0.0, 0.0), run(100.0, 0, 0.1, 1.0),
                           run(100.0, 1, 0.0, 0.0)])
    # every run converged up to 0.1 (at 1 one is still decreasing); the first stall is at 100
    assert res.threshold(3) == (0.1, 100.0)
    assert [res.count(3, 1.0, o) for o in (CONVERGED, DECREASING, STALLED)] == [1, 1, 0]
    none_ok = ThresholdResult(4, 3, [3], [0.1], [0], 100, None, 1e-6, [run(0.1, 0, 0.1, 1.0)])
    assert none_ok.threshold(3) == (None, 0.1) and "no start loss converged in every run" in none_ok.summary()


def test_dispatch_and_flags():
    assert isinstance(converge_experiment(4, 1, 2, steps=20), ConvergenceResult)
    assert isinstance(converge_experiment(4, 1, "2", steps=20), ConvergenceResult)
    with pytest.raises(FlowAlgebraError, match="--threshold"):
        converge_experiment(4, 1, 2, steps=20, threshold=1e-3)
    with pytest.raises(FlowAlgebraError, match="--seeds and --tol"):
        converge_experiment(4, 1, "2,3", steps=20, seeds=2)
    with pytest.raises(FlowAlgebraError, match="--noise is set by --start-loss"):
        converge_experiment(4, 1, "2", steps=20, start_losses="0.1", noise=0.5)
    assert parse_losses("10, 0.1") == [0.1, 10.0] and parse_losses([0.5]) == [0.5]


@pytest.mark.parametrize("argv, fragment", [
    (["--students", "3,,6"], "entry 2 is empty"),
    (["--students", "3,x"], "entry 2 is 'x'"),
    (["--students", "2,6"], "students must be between 3"),
    (["--students", "3,3"], "each n at most once"),
    (["--students", ",".join(str(3 + i) for i in range(MAX_STUDENT_COUNTS + 1))], "MAX_STUDENT_COUNTS"),
    (["--students", "3,6", "--threshold", "0"], "threshold must be a number in"),
    (["--students", "3,6", "--threshold", "nan"], "--threshold: expected a loss"),
    (["--students", "3", "--threshold", "1e-3"], "applies to several --students"),
    (["--students", "3,6", "--seeds", "2"], "apply to the threshold experiment"),
    (["--students", "3", "--start-loss", "0.1,abc"], "entry 2 must be a loss"),
    (["--students", "3", "--start-loss", "-1"], "entry 1 must be a loss"),
    (["--students", "3", "--start-loss", "0"], "entry 1 must be a loss"),
    (["--students", "3", "--start-loss", "inf"], "entry 1 must be a loss"),
    (["--students", "3", "--start-loss", "0.1,0.1"], "each value at most once"),
    (["--students", "3", "--start-loss", ",".join(str(i + 1) for i in range(MAX_START_LOSSES + 1))], "MAX_START_LOSSES"),
    (["--students", "3", "--start-loss", "1e-7"], "not above tol"),
    (["--students", "3", "--start-loss", "5000"], "out of reach"),
    (["--students", "3", "--start-loss", "0.1", "--seeds", str(MAX_CONVERGE_SEEDS + 1)], "--seeds: expected"),
    (["--students", "3", "--start-loss", "0.1", "--noise", "1"], "--noise is set by --start-loss"),
    (["--students", "3", "--start-loss", "0.1", "--threshold", "1e-3"], "not to --start-loss"),
    (["--students", "3", "--start-loss", "0.1", "--tol", "0"], "tol must be a number in"),
])
def test_bad_input_is_one_line_exit_2(argv, fragment, run_cli):
    code, out, err = run_cli(["dynamics", "converge", "--d", "4", "--teachers", "3", "--steps", "20"] + argv)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and err.startswith("flowalgebra") and fragment in err, err


@pytest.mark.parametrize("argv, fragment", [
    (["--d", "500", "--teachers", "1", "--students", "1000,2000"], "MAX_BYTES"),
    (["--d", "100", "--teachers", "1", "--students", "1000,2000", "--lr", "0.1", "--steps", "1000000"], "MAX_SECONDS"),
    (["--d", "100", "--teachers", "1", "--students", "1000", "--start-loss", "1,2,3", "--seeds", "64", "--lr", "0.1",
      "--steps", "100000"], "MAX_SECONDS"),
])
def test_cost_is_refused_before_the_work(argv, fragment, run_cli):
    code, _, err = run_cli(["dynamics", "converge"] + argv)
    assert code == 2 and err.count("\n") == 1 and fragment in err, err


def test_cli_rates_and_threshold(run_cli):
    code, out, _ = run_cli(["dynamics", "converge", "--d", "4", "--teachers", "1", "--students", "1,2", "--steps", "300",
                            "--json"])
    data = json.loads(out)
    assert code == 0 and data["students"] == [1, 2] and data["runs"][0]["exponential"]["rate"] > 0
    code, out, _ = run_cli(["dynamics", "converge", "--d", "4", "--teachers", "1", "--students", "2",
                            "--start-loss", "0.01", "--seeds", "2", "--steps", "200"])
    assert code == 0 and "2 of 2 converged" in out
