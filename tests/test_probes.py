"""Probes: noise is uniform and reproducible, confidences are the highest outputs, the run's data is
checked, and matching hidden neurons undoes a permutation without changing the function."""

from __future__ import annotations

import numpy as np
import pytest

from nn.errors import UserError
from nn.network import Network, layer_views
from nn.probes import (
    image_shape,
    is_mnist,
    labelled_examples,
    match_hidden_neurons,
    matched_distances,
    noise_images,
    probe_noise,
    relative_distances,
    run_dataset,
)

SIZES = [784, 7, 5, 10]


def test_noise_is_uniform_on_the_unit_interval_and_reproducible() -> None:
    a = noise_images(200, 784, seed=3)
    assert a.shape == (200, 784) and a.min() >= 0 and a.max() < 1
    assert abs(a.mean() - 0.5) < 0.01 and abs(a.var() - 1 / 12) < 0.005
    np.testing.assert_array_equal(a, noise_images(200, 784, seed=3))
    assert not np.array_equal(a, noise_images(200, 784, seed=4))


def test_image_shape_is_square_when_it_can_be() -> None:
    assert image_shape(784) == (28, 28)
    assert image_shape(30) == (1, 30)


def test_mnist_is_told_from_fashion_mnist() -> None:
    assert is_mnist("mnist-5k") and is_mnist("MNIST")
    assert not is_mnist("fashion-mnist") and not is_mnist("letters")


def test_confidence_is_the_highest_output_on_noise_and_on_test_digits(digits) -> None:
    net = Network([784, 16, 16, 10], seed=1)
    probe = probe_noise(net, digits.x_test, count=50, seed=0)
    np.testing.assert_array_equal(probe.noise, noise_images(50, 784, seed=0))
    np.testing.assert_allclose(probe.noise_confidence, net.forward(probe.noise).max(axis=1))
    np.testing.assert_allclose(probe.test_confidence, net.forward(digits.x_test).max(axis=1))
    edges, noise_counts, test_counts = probe.histograms(10)
    assert len(edges) == 11 and noise_counts.sum() == 50 and test_counts.sum() == len(digits.y_test)
    noise_share, test_share = probe.confident_share(0.5)
    assert noise_share == np.mean(probe.noise_confidence > 0.5)
    assert test_share == np.mean(probe.test_confidence > 0.5)
    assert probe.noise_answers().sum() == 50


def test_run_dataset_is_the_recorded_data_or_a_clear_error(small_run) -> None:
    data = run_dataset(small_run)
    assert data.sha256 == small_run.meta["dataset"]["sha256"]
    small_run.meta["dataset"]["sha256"] = "0" * 64
    try:
        with pytest.raises(UserError, match="SHA-256"):
            run_dataset(small_run)
    finally:
        small_run.meta["dataset"]["sha256"] = data.sha256


def test_shuffled_examples_are_the_same_digits_with_other_labels(small_run, digits) -> None:
    config = dict(small_run.config, train_size=500)
    x_true, y_true = labelled_examples(config, digits, 40)
    x_shuffled, y_shuffled = labelled_examples(dict(config, labels="shuffled"), digits, 40)
    np.testing.assert_array_equal(x_true, x_shuffled)
    assert len(y_true) == 40 and not np.array_equal(y_true, y_shuffled)


def _permuted(params: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The same network with its hidden neurons relabelled."""
    out = params.copy()
    ws, bs = layer_views(out, SIZES)
    for l in range(len(SIZES) - 2):
        order = rng.permutation(SIZES[l + 1])
        ws[l][:], bs[l][:] = ws[l][order], bs[l][order]
        ws[l + 1][:] = ws[l + 1][:, order]
    return out


def test_matching_undoes_a_permutation_of_hidden_neurons(digits) -> None:
    a = Network(SIZES, seed=0)
    b = Network(SIZES, seed=0)
    b.params[:] = _permuted(a.params, np.random.default_rng(1))
    assert relative_distances([a.params, b.params])[0, 1] > 0.5
    np.testing.assert_allclose(b.forward(digits.x_test[:20]), a.forward(digits.x_test[:20]))  # same function
    np.testing.assert_allclose(match_hidden_neurons(a.params, b.params, SIZES), a.params)
    assert matched_distances([a.params, b.params], SIZES)[0, 1] < 1e-12


def test_different_networks_stay_apart_after_matching() -> None:
    finals = [Network(SIZES, seed=s).params for s in range(3)]
    plain, matched = relative_distances(finals), matched_distances(finals, SIZES)
    off = ~np.eye(3, dtype=bool)
    assert np.all(np.diag(plain) == 0) and np.all(np.diag(matched) == 0)
    assert np.all(plain[off] > 0.1) and np.all(matched[off] > 0.1)


def test_relative_distance_is_symmetric_and_about_root_two_for_unrelated_vectors() -> None:
    from nn.probes import UNRELATED, relative_distance

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=100_000), 3 * rng.normal(size=100_000)
    assert relative_distance(a, b) == pytest.approx(relative_distance(b, a))
    assert relative_distance(a, b / 3) == pytest.approx(UNRELATED, rel=0.01)
    assert relative_distance(a, a) == 0
