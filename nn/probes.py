"""Probing trained networks: what they answer on noise, and how far apart runs from other starts end.

Noise (the video's "random noise in, confident answer out"): `noise_images` draws n images whose
P pixels are independent, uniform on [0, 1), from a fixed seed. The network's *confidence* on an
input x is its highest output activation max_j a^L_j(x); its *answer* is the j that attains it.
`probe_noise` compares the confidence on noise with the confidence on the run's real test digits
(`run_dataset` reads the data the run names through nn.data, as `nn landscape` does, and checks it
against the recorded SHA-256). A sigmoid network has no "none of these" output: every input gets
ten activations, and one of them is the largest.

Weights apart (Choromanska et al. 2015): for final parameter vectors w_a, w_b of two runs the
relative distance is d(a, b) = ||w_a - w_b|| / sqrt(||w_a|| ||w_b||) (0 for identical weights; symmetric,
d(a, b) = d(b, a)). Two unrelated random vectors of equal size are about at right angles in many
dimensions, so their distance is about sqrt(2) ~ 1.41 times their size: `UNRELATED` below. Permuting a
hidden layer's neurons (their incoming weights and biases, and the next layer's columns with them)
changes the vector but not the function, so `match_hidden_neurons` first reorders w_b's hidden
neurons to best match w_a, layer by layer: the permutation pi maximising
sum_j <r_j, v_pi(j)>, with r_j, v_j the rows [incoming weights, bias] of neuron j, an assignment
problem (solved exactly by SciPy's linear_sum_assignment). What is left is distance that no
relabelling of neurons removes. Two yardsticks tell "ended at different weights" from "stayed near
different starts": `moved_from_start`, each run's gap from its own start over its final size (with
`weight_sizes` of starts and finals: how much training grew the weights), and the starts' own
distances after the same lining up (`matched_distances` of the starting vectors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from nn.data import Dataset, reload
from nn.errors import UserError
from nn.network import Network, layer_views
from nn.recording import Recording
from nn.train import TrainConfig, training_set

# -- noise ----------------------------------------------------------------------------------------


def image_shape(pixels: int) -> tuple[int, int]:
    """(rows, cols) to draw an input of `pixels` values: a square when it is one, else one row."""
    side = math.isqrt(pixels)
    return (side, side) if side * side == pixels else (1, pixels)


def noise_images(n: int, pixels: int, seed: int) -> np.ndarray:
    """n images of uniform random noise, every pixel independently in [0, 1), from a fixed seed."""
    return np.random.default_rng(seed).random((n, pixels))


def run_dataset(rec: Recording) -> Dataset:
    """The data the run trained and tested on (config.data), checked against its recorded SHA-256."""
    spec = str(rec.config.get("data", "default"))
    data = reload(rec.meta)
    if data.sha256 != rec.meta["dataset"]["sha256"]:
        raise UserError(f"data {spec!r} is not the data this run was trained on (its SHA-256 differs from the "
                        "recording's); restore that data or train a new run on it")
    return data


def is_mnist(name: str) -> bool:
    """Whether a dataset name says MNIST or a part of it (mnist-5k, a folder named mnist), not
    Fashion-MNIST: the data the 3Blue1Brown video used, credited to LeCun, Cortes and Burges."""
    name = name.lower()
    return "mnist" in name and "fashion" not in name


@dataclass
class NoiseProbe:
    """A network's outputs on noise images and on real test digits (one row per image)."""

    noise: np.ndarray
    noise_out: np.ndarray
    test_out: np.ndarray

    @property
    def noise_confidence(self) -> np.ndarray:
        return self.noise_out.max(axis=1)

    @property
    def test_confidence(self) -> np.ndarray:
        return self.test_out.max(axis=1)

    def confident_share(self, threshold: float) -> tuple[float, float]:
        """Share of noise images and of test digits whose highest output is above `threshold`."""
        return float(np.mean(self.noise_confidence > threshold)), float(np.mean(self.test_confidence > threshold))

    def histograms(self, bins: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(bin edges over [0, 1], counts of noise confidences, counts of test confidences)."""
        edges = np.linspace(0.0, 1.0, bins + 1)
        return edges, np.histogram(self.noise_confidence, edges)[0], np.histogram(self.test_confidence, edges)[0]

    def noise_answers(self) -> np.ndarray:
        """How many noise images get each answer (index = output neuron)."""
        return np.bincount(self.noise_out.argmax(axis=1), minlength=self.noise_out.shape[1])


def probe_noise(net: Network, x_test: np.ndarray, count: int, seed: int) -> NoiseProbe:
    """The network's outputs on `count` noise images (`noise_images(count, ..., seed)`) and on x_test."""
    noise = noise_images(count, net.sizes[0], seed)
    return NoiseProbe(noise, net.forward(noise), net.forward(x_test))


def labelled_examples(config: dict, data: Dataset, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n of a run's training digits, evenly spaced through its training set, with the labels it was
    given (the shuffled ones, if it shuffled): (images, labels)."""
    x, y = training_set(TrainConfig(**config), data)
    take = np.linspace(0, len(y) - 1, min(n, len(y))).round().astype(int)
    return x[take], y[take]


# -- weights apart ----------------------------------------------------------------------------------


UNRELATED = math.sqrt(2)  # d(a, b) of two unrelated (orthogonal) vectors of equal size


def relative_distance(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / sqrt(||a|| ||b||): the gap between two parameter vectors over their (geometric mean) size."""
    return float(np.linalg.norm(a - b) / math.sqrt(np.linalg.norm(a) * np.linalg.norm(b)))


def relative_distances(finals: list[np.ndarray]) -> np.ndarray:
    """D[a, b] = relative_distance(w_a, w_b) for parameter vectors w_a, w_b (a symmetric matrix)."""
    return np.array([[relative_distance(a, b) for b in finals] for a in finals])


def match_hidden_neurons(ref: np.ndarray, w: np.ndarray, sizes: list[int]) -> np.ndarray:
    """A copy of w with each hidden layer's neurons reordered to best match ref (same function as w)."""
    w = w.copy()
    rw, rb = layer_views(ref, sizes)
    ws, bs = layer_views(w, sizes)
    for l in range(len(sizes) - 2):
        a = np.hstack([rw[l], rb[l][:, None]])
        b = np.hstack([ws[l], bs[l][:, None]])
        _, order = linear_sum_assignment(-a @ b.T)
        ws[l][:], bs[l][:] = ws[l][order], bs[l][order]
        ws[l + 1][:] = ws[l + 1][:, order]
    return w


def matched_distances(finals: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """D[a, b] = relative_distance(w_a, match(w_a, w_b)): the distance left after reordering hidden neurons
    (reordering keeps ||w_b||, so this is as symmetric as the matching is)."""
    return np.array([[relative_distance(a, match_hidden_neurons(a, b, sizes)) for b in finals] for a in finals])


def weight_sizes(vectors: list[np.ndarray]) -> np.ndarray:
    """||v|| of each parameter vector: the size that the distances above divide by."""
    return np.array([float(np.linalg.norm(v)) for v in vectors])


def moved_from_start(starts: list[np.ndarray], finals: list[np.ndarray]) -> np.ndarray:
    """m[a] = ||w_a - s_a|| / ||w_a||: how far run a ended from its own starting weights, over its final
    size. That is the divisor of the distances between final weights (sqrt(||w_a|| ||w_b||) is the final
    size when runs end at similar sizes), so m[a] and d(a, b) share one scale. A run that barely moved has
    m[a] near 0; a run whose weights grew far beyond their start (||w_a|| >> ||s_a||) has m[a] near 1."""
    return np.array([float(np.linalg.norm(w - s) / np.linalg.norm(w)) for s, w in zip(starts, finals)])
