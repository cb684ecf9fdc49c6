"""Reading a recorded run entry by entry: names of flat entries, the biggest ones, one SGD step.

The flat layout (nn/network.py) is W^1 (row-major), b^1, W^2, b^2, ... Entry w^{(l)}_{j,k} of W^l
is the weight into neuron j of layer l from unit k of layer l-1 (0-based); b^{(l)}_j is a bias.

One recorded step: the run stored at snapshot k the parameters `params[k]` and the gradient
`grads[k]` about to be applied, so the next parameters are

    w' = w - lr * grad C(w)          (one vector operation, as in training)

and when snapshot k+1 was taken exactly one step later, w' equals `params[k+1]` bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nn.network import parameter_shapes


@dataclass(frozen=True)
class Entry:
    """One flat entry: a weight w^{(layer)}_{j,k} (kind "w") or a bias b^{(layer)}_j (kind "b", k None)."""

    kind: str
    layer: int
    j: int
    k: int | None = None


def entry(i: int, sizes: Sequence[int]) -> Entry:
    """Which weight or bias flat index i is (layers counted from 1, neurons and inputs from 0)."""
    start = 0
    for layer, (n_out, n_in) in enumerate(parameter_shapes(sizes), start=1):
        if i < start + n_out * n_in:
            j, k = divmod(i - start, n_in)
            return Entry("w", layer, j, k)
        start += n_out * n_in
        if i < start + n_out:
            return Entry("b", layer, i - start)
        start += n_out
    raise IndexError(f"entry {i} is past the {start} parameters of a {'-'.join(map(str, sizes))} network")


def block_starts(sizes: Sequence[int]) -> list[int]:
    """The first flat index of every weight and bias block, in layout order (W^1, b^1, W^2, ...)."""
    starts, start = [], 0
    for n_out, n_in in parameter_shapes(sizes):
        starts += [start, start + n_out * n_in]
        start += n_out * n_in + n_out
    return starts


def largest(v: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n entries of largest |v|, largest first (ties in index order)."""
    return np.argsort(-np.abs(v), kind="stable")[:n]


def sgd_update(params: np.ndarray, grad: np.ndarray, lr: float) -> np.ndarray:
    """w - lr * grad: the step training took from these parameters."""
    return params - lr * grad


def one_step_apart(snap_step: np.ndarray, k: int) -> bool:
    """True when snapshot k+1 exists and was taken exactly one SGD step after snapshot k."""
    return k + 1 < len(snap_step) and int(snap_step[k + 1]) - int(snap_step[k]) == 1


def step_to_show(snap_step: np.ndarray, grads: np.ndarray) -> int:
    """The snapshot whose gradient is longest among those followed one step later by another
    snapshot (so the step can be checked against the recording); any snapshot when none is."""
    norms = np.linalg.norm(grads, axis=1)
    checkable = [k for k in range(len(snap_step)) if one_step_apart(snap_step, k)]
    pool = checkable or list(range(len(snap_step)))
    return max(pool, key=lambda k: norms[k])


def moved(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Which parameters differ between two parameter vectors (a weight whose gradient was always
    0, like one from a pixel blank in every training digit, never moves)."""
    return before != after


def most_changed_inputs(first_layer: np.ndarray, n: int) -> np.ndarray:
    """The n inputs (sorted) whose outgoing weights vary most across snapshots.

    `first_layer` is (snapshots, n_out, n_in); an input's change is the sum over the neurons it
    feeds of the variance of that weight across the snapshots."""
    change = first_layer.var(axis=0).sum(axis=0)
    return np.sort(np.argsort(change, kind="stable")[-n:])


def colour_scale(w: np.ndarray, percentile: float = 99) -> float:
    """The |w| at which a weight picture reaches full colour: a high percentile of |w| (1 when all 0)."""
    return float(np.percentile(np.abs(w), percentile)) or 1.0


def typical_size(v: np.ndarray) -> float:
    """The median |v| over the nonzero entries (0 when all are 0): what a 'typical' entry is."""
    nonzero = np.abs(v[v != 0])
    return float(np.median(nonzero)) if nonzero.size else 0.0


def blank_inputs(grad: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    """Which inputs got no nudge at all: every first-layer weight from input k has gradient 0
    (dC/dw_{j,k} = sum over the batch of delta_j x_k, 0 for every j when x_k was 0 in every
    example of the batch). A bool per input."""
    n_out, n_in = parameter_shapes(sizes)[0]
    return np.all(grad[: n_out * n_in].reshape(n_out, n_in) == 0, axis=0)


def zeros_are_blank_inputs(grad: np.ndarray, sizes: Sequence[int]) -> bool:
    """True when the exact zeros of a gradient are exactly the first-layer weights of whole input
    columns (`blank_inputs`): no other weight or bias has a zero nudge."""
    return bool(np.sum(grad == 0) == blank_inputs(grad, sizes).sum() * parameter_shapes(sizes)[0][0])


def decimals_that_add_up(before: np.ndarray, move: np.ndarray, after: np.ndarray, fewest: int = 4,
                         most: int = 8) -> int:
    """The fewest decimals (from `fewest`) at which every row's written before + written move is
    the written after, so a learner checking the sum by hand finds it right (rounding each of
    three numbers separately can be one in the last digit off). `most` when none up to it is."""

    def written(x: float, d: int) -> int:  # the number as it is written with d decimals, in units of 10^-d
        return round(float(f"{x:.{d}f}") * 10**d)

    for d in range(fewest, most + 1):
        if all(written(b, d) + written(m, d) == written(a, d) for b, m, a in zip(before, move, after)):
            return d
    return most
