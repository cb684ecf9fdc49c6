"""Entry names, the largest entries and the recorded SGD step (nn/inspection.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nn.inspection import (
    Entry,
    blank_inputs,
    block_starts,
    colour_scale,
    decimals_that_add_up,
    entry,
    largest,
    most_changed_inputs,
    moved,
    one_step_apart,
    sgd_update,
    step_to_show,
    typical_size,
    zeros_are_blank_inputs,
)
from nn.network import Network, layer_views

SIZES = [4, 3, 2]


def test_entry_names_follow_the_flat_layout() -> None:
    net = Network(SIZES)
    flat = np.arange(net.params.size)
    weights, biases = layer_views(flat, SIZES)
    for layer, (w, b) in enumerate(zip(weights, biases), start=1):
        for (j, k), i in np.ndenumerate(w):
            assert entry(int(i), SIZES) == Entry("w", layer, j, k)
        for j, i in enumerate(b):
            assert entry(int(i), SIZES) == Entry("b", layer, j)
    assert block_starts(SIZES) == [int(weights[0][0, 0]), int(biases[0][0]), int(weights[1][0, 0]), int(biases[1][0])]
    with pytest.raises(IndexError):
        entry(net.params.size, SIZES)


def test_largest_orders_by_size_not_sign() -> None:
    assert list(largest(np.array([0.1, -3.0, 2.0, -0.5]), 3)) == [1, 2, 3]


def test_recorded_step_is_reproduced_exactly(small_run) -> None:
    steps, params, grads, lr = small_run["snap_step"], small_run["params"], small_run["grads"], small_run.config["lr"]
    k = step_to_show(steps, grads)
    assert one_step_apart(steps, k)
    np.testing.assert_array_equal(sgd_update(params[k], grads[k], lr), params[k + 1])
    assert not one_step_apart(steps, len(steps) - 1)


def test_weights_from_blank_pixels_never_move(small_run) -> None:
    first, last = small_run["params"][0], small_run["params"][-1]
    still = ~moved(first, last)
    assert 0 < still.sum() < still.size
    w1_still = layer_views(still, small_run.sizes)[0][0]
    assert np.all(w1_still == w1_still[:1])  # whole input columns: an input that never fires


def test_most_changed_inputs_and_colour_scale() -> None:
    stack = np.zeros((3, 2, 5))
    stack[1, :, 3], stack[2, 0, 1] = 5.0, 1.0
    assert list(most_changed_inputs(stack, 2)) == [1, 3]
    assert colour_scale(np.zeros(4)) == 1.0
    assert colour_scale(np.array([1.0, -2.0]), 100) == 2.0


def test_typical_size_and_blank_input_zeros(small_run) -> None:
    assert typical_size(np.array([0.0, -1.0, 2.0, 3.0])) == 2.0
    assert typical_size(np.zeros(3)) == 0.0
    grad = small_run["grads"][0]
    assert zeros_are_blank_inputs(grad, small_run.sizes)
    bad = grad.copy()
    bad[-1] = 0.0  # an output bias: not a blank input
    assert not zeros_are_blank_inputs(bad, small_run.sizes)


def test_blank_inputs_are_the_pixels_zero_in_the_whole_batch() -> None:
    rng = np.random.default_rng(1)
    net = Network([6, 4, 3], seed=rng)
    X = rng.random((5, 6))
    X[:, [1, 4]] = 0.0  # inputs 1 and 4 blank in every example of the batch
    Y = np.eye(3)[rng.integers(0, 3, 5)]
    grad = net.gradient(X, Y)
    assert list(np.flatnonzero(blank_inputs(grad, net.sizes))) == [1, 4]
    assert zeros_are_blank_inputs(grad, net.sizes)


def test_written_sums_add_up() -> None:
    before, move = np.array([1.42524, 0.26364]), np.array([-0.75756, -0.74404])
    after = before + move  # 0.66768, -0.48040: four decimals give 1.4252 - 0.7576 = 0.6676, not 0.6677
    d = decimals_that_add_up(before, move, after)
    assert d == 5
    assert decimals_that_add_up(np.array([0.5]), np.array([0.25]), np.array([0.75])) == 4
