"""The cost at every snapshot agrees with the recorded epoch costs; the weights that never moved
are the ones from pixels blank in every training digit."""

from __future__ import annotations

import numpy as np

from nn.examples import run_training_set
from nn.recording import Recording
from nn.snapshots import blank_pixels, still_blank_inputs, training_costs


def test_snapshot_costs_start_and_end_at_the_recorded_training_cost(small_run: Recording) -> None:
    costs = training_costs(small_run)
    assert costs.shape == small_run["snap_step"].shape
    np.testing.assert_allclose(costs[[0, -1]], small_run["epoch_train_cost"][[0, -1]], rtol=1e-10)
    assert costs[-1] < costs[0]


def test_blank_pixels_are_zero_in_every_example() -> None:
    x = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.2]])
    assert blank_pixels(x).tolist() == [True, False, False]


def test_the_weights_that_never_moved_come_from_blank_pixels(small_run: Recording) -> None:
    x, _ = run_training_set(small_run)
    blank = blank_pixels(x)
    before, after = small_run["params"][0], small_run["params"][-1]
    assert blank.any() and still_blank_inputs(before, after, blank, small_run.sizes)
    assert not still_blank_inputs(before, after, ~blank, small_run.sizes)
    nudged = after.copy()
    nudged[-1] = before[-1]  # a bias that did not move: no longer only blank pixels' weights
    assert not still_blank_inputs(before, nudged, blank, small_run.sizes)
