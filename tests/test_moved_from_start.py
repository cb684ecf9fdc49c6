"""How far each seed run ended from its own start, on the scale of the distances between runs."""

from __future__ import annotations

import numpy as np
import pytest

from nn.probes import moved_from_start, relative_distances


def test_moved_from_start_is_each_runs_own_distance_on_the_runs_scale() -> None:
    rng = np.random.default_rng(5)
    starts = [rng.normal(size=50) for _ in range(3)]
    finals = [starts[0].copy(), 10 * starts[1], rng.normal(size=50)]
    moved = moved_from_start(starts, finals)
    assert moved[0] == 0
    assert moved[1] == pytest.approx(9 / np.sqrt(10))  # ||9 s|| / sqrt(||s|| ||10 s||)
    assert moved[2] == pytest.approx(relative_distances([starts[2], finals[2]])[0, 1])
