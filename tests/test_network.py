"""The network: forward and cost by hand, and backprop against central finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn.network import Network, parameter_count


def test_default_shape_has_13002_parameters_in_flat_layout() -> None:
    net = Network([784, 16, 16, 10], seed=0)
    assert net.params.size == 13_002 == parameter_count([784, 16, 16, 10])
    assert [w.shape for w in net.weights] == [(16, 784), (16, 16), (10, 16)]
    # the per-layer arrays are views: writing the flat buffer changes W1[j, k] at j*784 + k
    net.params[3 * 784 + 5] = 42.0
    assert net.weights[0][3, 5] == 42.0
    net.params[16 * 784 + 2] = -7.0  # b1[2] follows W1
    assert net.biases[0][2] == -7.0


def test_forward_and_cost_match_a_hand_computed_example() -> None:
    net = Network([2, 2, 1], seed=0)
    # W1 = [[1, -1], [0.5, 2]], b1 = [0, -1], W2 = [[2, -3]], b2 = [0.5]
    net.params[:] = [1, -1, 0.5, 2, 0, -1, 2, -3, 0.5]
    x = np.array([[1.0, 0.5]])
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h = [s(1 * 1 - 1 * 0.5 + 0), s(0.5 * 1 + 2 * 0.5 - 1)]
    out = s(2 * h[0] - 3 * h[1] + 0.5)
    assert net.forward(x)[0, 0] == pytest.approx(out, rel=1e-14)
    # cost = mean over examples of sum_j (a_j - y_j)^2
    X2 = np.array([[1.0, 0.5], [1.0, 0.5]])
    assert net.cost(X2, np.array([[1.0], [0.0]])) == pytest.approx(((out - 1) ** 2 + out**2) / 2, rel=1e-14)


def _finite_difference(net: Network, X: np.ndarray, Y: np.ndarray, h: float = 1e-5) -> np.ndarray:
    grad = np.empty_like(net.params)
    for i in range(net.params.size):
        keep = net.params[i]
        net.params[i] = keep + h
        up = net.cost(X, Y)
        net.params[i] = keep - h
        down = net.cost(X, Y)
        net.params[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad


@settings(max_examples=12, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    batch=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_gradient_matches_central_finite_differences(sizes: list[int], batch: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=seed)
    X = rng.random((batch, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    analytic, numeric = net.gradient(X, Y), _finite_difference(net, X, Y)
    # h = 1e-5 balances truncation (h^2) against rounding (eps / h); components below 1e-4 are
    # judged on absolute error, where relative error only measures rounding noise
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-4)
    assert np.max(np.abs(analytic - numeric) / scale) < 1e-6


def test_gradient_of_the_default_network_on_real_digits(digits) -> None:
    net = Network([784, 16, 16, 10], seed=1)
    X, Y = digits.x_train[:7], np.eye(10)[digits.y_train[:7]]
    analytic = net.gradient(X, Y)
    rng = np.random.default_rng(0)
    picks = rng.choice(net.params.size, 40, replace=False)  # a sample of all 13,002
    for i in picks:
        keep = net.params[i]
        net.params[i] = keep + 1e-6
        up = net.cost(X, Y)
        net.params[i] = keep - 1e-6
        down = net.cost(X, Y)
        net.params[i] = keep
        numeric = (up - down) / 2e-6
        assert abs(analytic[i] - numeric) <= 1e-6 * max(abs(numeric), 1e-3)


def test_float32_agrees_with_float64(digits) -> None:
    n64, n32 = Network([784, 16, 16, 10], seed=3), Network([784, 16, 16, 10], seed=3, dtype=np.float32)
    assert n32.params.dtype == np.float32
    X, Y = digits.x_train[:50], np.eye(10)[digits.y_train[:50]]
    np.testing.assert_allclose(n32.gradient(X.astype(np.float32), Y.astype(np.float32)), n64.gradient(X, Y),
                               rtol=1e-3, atol=1e-5)


def test_sgd_step_moves_against_the_gradient(digits) -> None:
    net = Network([784, 16, 16, 10], seed=0)
    X, Y = digits.x_train[:10], np.eye(10)[digits.y_train[:10]]
    before, grad = net.params.copy(), net.gradient(X, Y)
    cost = net.sgd_step(X, Y, lr=0.5)
    np.testing.assert_allclose(net.params, before - 0.5 * grad, rtol=1e-12)
    assert net.cost(X, Y) < cost


def test_bad_sizes_are_rejected() -> None:
    with pytest.raises(ValueError, match="layer sizes"):
        Network([784])
