"""What the training data says at every recorded snapshot: the cost, and the pixels no example inks.

The training cost at snapshot k is the mean, over the n examples training used, of each one's cost
under the weights recorded then,

    C(w_k) = (1/n) sum_x sum_j (a^L_j(x; w_k) - y_j)^2,

so at the first snapshot (step 0) it equals `epoch_train_cost[0]` and at the last one (the end of
training) `epoch_train_cost[-1]`; in between it is the exact cost at that step, which the per-epoch
record cannot give (a run's first step alone may cut the cost by two thirds).

A pixel that is 0 in every training example gives its first-layer weights a gradient
dC/dw_{j,k} = sum_x delta_j(x) x_k = 0 at every step, so those weights never move.
"""

from __future__ import annotations

import numpy as np

from nn.examples import example_costs, run_training_set
from nn.inspection import moved
from nn.network import parameter_shapes
from nn.recording import Recording


def snapshot_costs(rec: Recording, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """C(w_k) over the examples (x, labels) at every snapshot k, one entry per snapshot."""
    return np.array([example_costs(rec.network(k), x, labels).mean() for k in range(len(rec["params"]))])


def training_costs(rec: Recording) -> np.ndarray:
    """The training cost at every snapshot, on the run's own training set (read again through nn.data;
    UserError when that data is missing or is not the data the run recorded)."""
    return snapshot_costs(rec, *run_training_set(rec))


def blank_pixels(x: np.ndarray) -> np.ndarray:
    """Which inputs (columns of x) are 0 in every example."""
    return ~np.any(x != 0, axis=0)


def still_blank_inputs(before: np.ndarray, after: np.ndarray, blank: np.ndarray, sizes: list[int]) -> bool:
    """True when the parameters that never moved between two snapshots are exactly the first-layer
    weights from the `blank` inputs (every neuron's weight from each blank pixel, nothing else)."""
    n_out, n_in = parameter_shapes(sizes)[0]
    expected = np.zeros(before.size, dtype=bool)
    expected[: n_out * n_in] = np.tile(blank, n_out)
    return bool(np.array_equal(~moved(before, after), expected))
