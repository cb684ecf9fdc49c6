"""How far each seed run ended from its own start, over its final size (the scale of the distances between runs)."""

from __future__ import annotations

import numpy as np
import pytest

from nn.probes import moved_from_start, relative_distances, weight_sizes


def test_moved_from_start_is_the_gap_over_the_final_size() -> None:
    rng = np.random.default_rng(5)
    starts = [rng.normal(size=50) for _ in range(3)]
    finals = [starts[0].copy(), 10 * starts[1], rng.normal(size=50)]
    moved = moved_from_start(starts, finals)
    assert moved[0] == 0
    assert moved[1] == pytest.approx(0.9)  # ||9 s|| / ||10 s||
    assert moved[2] == pytest.approx(np.linalg.norm(finals[2] - starts[2]) / np.linalg.norm(finals[2]))


def test_on_one_scale_with_the_gaps_between_runs_of_equal_size() -> None:
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=200), rng.normal(size=200)
    b *= np.linalg.norm(a) / np.linalg.norm(b)
    assert moved_from_start([a], [b])[0] == pytest.approx(relative_distances([a, b])[0, 1])


def test_weight_sizes_are_the_norms() -> None:
    assert weight_sizes([np.array([3.0, 4.0]), np.zeros(3)]).tolist() == [5.0, 0.0]
