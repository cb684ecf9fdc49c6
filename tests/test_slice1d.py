"""The 1-D descent demonstration: the rule, the step size chosen, the valleys found."""

import numpy as np

from nn.slice1d import descend, highest_start, readable_eta, rescale, starts_either_side, valleys

X = np.linspace(-10, 10, 401)
DOUBLE_WELL = 0.01 * (X**2 - 25) ** 2 / 6 + 0.05 * X  # valleys near -5 and +5, a ridge near 0


def test_rescale_spans_ten_either_side() -> None:
    x, unit = rescale(np.linspace(-108.8, 54.4, 11))
    assert np.isclose(np.abs(x).max(), 10) and np.isclose(unit, 10.88)


def test_each_step_is_minus_eta_times_the_slope() -> None:
    path = descend(X, X**2, 8.0, 0.1, 5)
    for here, there in zip(path[:-1], path[1:]):
        assert np.isclose(there, here - 0.1 * 2 * here, atol=1e-3)


def test_the_chosen_step_size_is_round_and_never_goes_uphill() -> None:
    start = highest_start(X, DOUBLE_WELL, valleys(X, DOUBLE_WELL)[0])
    eta = readable_eta(X, DOUBLE_WELL, start, 8)
    mantissa = eta / 10 ** np.floor(np.log10(eta))
    assert np.isclose(mantissa, round(mantissa)) and round(mantissa) in (1, 2, 5)
    heights = np.interp(descend(X, DOUBLE_WELL, start, eta, 8), X, DOUBLE_WELL)
    assert np.all(np.diff(heights) <= 1e-12)
    assert heights[-1] < heights[0]


def test_two_valleys_are_found_and_starts_either_side_of_the_ridge_reach_different_ones() -> None:
    found = valleys(X, DOUBLE_WELL)
    assert len(found) == 2 and X[found[0]] < -4 and X[found[1]] > 4
    left, right = starts_either_side(X, DOUBLE_WELL, *found)
    ends = [descend(X, DOUBLE_WELL, s, 0.5, 200)[-1] for s in (left, right)]
    assert ends[0] < 0 < ends[1]


def test_a_ripple_is_not_a_valley() -> None:
    bowl = X**2 + 0.01 * np.sin(40 * X)
    assert len(valleys(X, bowl)) == 1
