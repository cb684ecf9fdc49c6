"""The 95% interval of a measured accuracy (nn/uncertainty.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nn.uncertainty import enough_for_normal, half_width


def test_914_of_1000_is_give_or_take_1_7_percent() -> None:
    assert half_width(0.914, 1000) == pytest.approx(1.96 * np.sqrt(0.914 * 0.086 / 1000), rel=1e-3)
    assert round(100 * half_width(0.914, 1000), 1) == 1.7


def test_the_interval_holds_about_95_percent_of_simulated_accuracies() -> None:
    rng = np.random.default_rng(0)
    p, n = 0.9, 1000
    measured = rng.binomial(n, p, size=20_000) / n
    inside = np.abs(measured - p) <= half_width(p, n)
    assert 0.94 < inside.mean() < 0.96


def test_more_items_narrow_the_interval_as_one_over_root_n() -> None:
    assert half_width(0.8, 4000) == pytest.approx(half_width(0.8, 1000) / 2)
    assert half_width(1.0, 50) == 0.0


def test_the_normal_approximation_needs_enough_right_and_wrong_answers() -> None:
    assert enough_for_normal(0.914, 1000)
    assert not enough_for_normal(1.0, 1000)
    assert not enough_for_normal(0.9, 30)


@pytest.mark.parametrize("accuracy, n", [(1.2, 10), (0.5, 0)])
def test_bad_input_is_refused(accuracy, n) -> None:
    with pytest.raises(ValueError):
        half_width(accuracy, n)
