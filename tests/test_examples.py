"""Single-example costs and activations agree with the network and with what training recorded."""

from __future__ import annotations

import numpy as np
import pytest

from nn.data import one_hot
from nn.errors import UserError
from nn.examples import (
    example_costs,
    first_of_each_class,
    layer_activations,
    output_spread,
    probe_costs,
    run_training_set,
    training_examples,
)
from nn.recording import Recording


def test_example_costs_average_to_the_recorded_training_cost(small_run: Recording) -> None:
    x, labels = run_training_set(small_run)
    for k, epoch in ((0, 0), (-1, -1)):
        costs = example_costs(small_run.network(k), x, labels)
        np.testing.assert_allclose(costs.mean(), small_run["epoch_train_cost"][epoch], rtol=1e-10)


def test_one_example_cost_is_the_sum_of_squared_differences(small_run: Recording) -> None:
    net = small_run.network(0)
    x, label = small_run["probe_x"][:1], small_run["probe_y"][:1]
    a = layer_activations(net, x[0])
    assert [len(layer) for layer in a] == small_run.sizes
    np.testing.assert_allclose(a[-1], small_run["probe_out"][0][0], rtol=1e-12)
    expected = float(np.sum((a[-1] - one_hot(label)[0]) ** 2))
    np.testing.assert_allclose(example_costs(net, x, label), [expected], rtol=1e-12)
    np.testing.assert_allclose(probe_costs(small_run, 0)[0], expected, rtol=1e-12)


def test_training_examples_are_distinct_classes_from_the_run(small_run: Recording) -> None:
    ex = training_examples(small_run, count=5, snapshot=-1)
    assert len(set(ex.labels.tolist())) == 5
    assert ex.train_size == small_run.meta["dataset"]["train_size"]
    np.testing.assert_allclose(ex.costs, example_costs(small_run.network(-1), ex.x, ex.labels))
    assert list(first_of_each_class(np.array([3, 3, 1, 0, 1, 2]), 3)) == [0, 2, 3]


def test_other_data_than_the_run_used_is_refused(small_run: Recording) -> None:
    other = Recording({**small_run.meta, "dataset": {**small_run.meta["dataset"], "sha256": "0" * 64}},
                      small_run.arrays)
    with pytest.raises(UserError, match="not the data this run trained on"):
        run_training_set(other)


def test_output_spread_is_the_widest_range_of_any_output(small_run: Recording) -> None:
    net = small_run.network(0)
    x = small_run["probe_x"]
    out = net.forward(x)
    assert output_spread(net, x) == pytest.approx(float((out.max(0) - out.min(0)).max()))
    assert output_spread(net, x[:1].repeat(3, axis=0)) == 0.0  # the same digit three times
