"""Single examples under a recorded network: each layer's activations, and the cost of each digit.

With the network's weights at snapshot k, an input x (one row of 784 pixels in [0, 1]) gives

    a^0 = x,        a^l = sigmoid(W^l a^{l-1} + b^l)        (l = 1 .. L),

and the cost of that one example, with y the one-hot vector of its label, is

    C_x = sum_j (a^L_j - y_j)^2.

The cost of the network is the mean of C_x over the n digits training used,
C = (1/n) sum_x C_x; the recording's `epoch_train_cost[0]` is that mean at the starting weights.
The recording keeps only test "probe" digits, so training digits are read again through nn.data,
the same way training picked them (nn.train.training_set), and checked against the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn.data import one_hot, reload
from nn.errors import UserError
from nn.network import Network, sigmoid
from nn.recording import Recording
from nn.train import TrainConfig, training_set


@dataclass
class Examples:
    """A few training digits: pixels (m x 784), the labels training used, and each digit's cost."""

    x: np.ndarray
    labels: np.ndarray
    costs: np.ndarray
    train_size: int  # how many digits training used (the n of the mean)


def layer_activations(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """[a^0, a^1, ..., a^L] for one input x: the pixels, then every layer's activations."""
    acts = [np.asarray(x, dtype=net.dtype)]
    for w, b in zip(net.weights, net.biases):
        acts.append(sigmoid(w @ acts[-1] + b))
    return acts


def example_costs(net: Network, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """C_x = sum_j (a^L_j(x) - y_j)^2 for each row x, with y the one-hot label."""
    diff = net.forward(x) - one_hot(labels, net.sizes[-1])
    return np.einsum("ij,ij->i", diff, diff)


def probe_costs(rec: Recording, snapshot: int) -> np.ndarray:
    """C_x of each recorded probe (test) digit at snapshot k, from the outputs the run recorded."""
    out = rec["probe_out"][snapshot]
    diff = out - one_hot(rec["probe_y"], out.shape[1])
    return np.einsum("ij,ij->i", diff, diff)


def run_training_set(rec: Recording) -> tuple[np.ndarray, np.ndarray]:
    """The digits and labels this run trained on, read again from its dataset.

    Raises UserError when the data found now is not the data the run recorded (other files).
    """
    dataset = reload(rec.meta)
    if dataset.sha256 != rec.meta["dataset"]["sha256"]:
        raise UserError(f"the data at {rec.config['data']!r} is not the data this run trained on (SHA-256 differs)")
    return training_set(TrainConfig(**rec.config), dataset)


def first_of_each_class(labels: np.ndarray, count: int) -> np.ndarray:
    """Indices of the first example of each label, in order of appearance, `count` of them at most."""
    _, first = np.unique(labels, return_index=True)
    return np.sort(first)[:count]


def training_examples(rec: Recording, count: int = 5, snapshot: int = 0) -> Examples:
    """`count` training digits (the first of each class, in training order) with their cost C_x
    under the weights of snapshot `snapshot`."""
    x, labels = run_training_set(rec)
    pick = first_of_each_class(labels, count)
    net = rec.network(snapshot)
    return Examples(x[pick], labels[pick], example_costs(net, x[pick], labels[pick]), len(labels))


def output_spread(net: Network, x: np.ndarray) -> float:
    """How much the outputs depend on the input: the largest, over outputs j, of
    max_x a^L_j(x) - min_x a^L_j(x) across the rows x (0 when every digit gets the same outputs)."""
    out = net.forward(x)
    return float((out.max(axis=0) - out.min(axis=0)).max())
