"""Mini-batch stochastic gradient descent that records what the video shows.

For each epoch the training set is visited in a new random order, in mini-batches of
`batch_size`; each step moves the parameters by -lr times the batch gradient. Along the way we
record: the cost of every step, snapshots (parameters, the gradient about to be applied, and the
outputs on fixed probe digits) dense early and sparse late, and the train/test cost and accuracy
at the end of every epoch (index 0 = before training).

Ctrl-C ends the run early with status "interrupted"; a run that blows up ends with status
"diverged" and meta["diverged"] saying how: a cost that becomes NaN or infinite (checked every
step), or, at the end of an epoch, weights that are no longer finite or a network whose outputs
are nearly all saturated at 0 or 1 (so its gradient is zero and the cost can never fall again:
what a huge learning rate does to sigmoids). Either way the recording keeps everything up to that
point that is finite.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import numpy as np
from threadpoolctl import threadpool_limits

from nn.budget import check_training, training_estimate
from nn.data import Dataset, apply_label_mode, one_hot
from nn.errors import UserError
from nn.network import Network, layer_views, parameter_count
from nn.recording import FORMAT, VERSION, Recording

PROBES_PER_CLASS = 2
# A network is blown up when this share of its outputs on the training set is within STUCK of 0 or
# 1: its sigmoids are saturated, the gradient vanishes and the cost can never fall again. Healthy
# runs (30 epochs at lr 3, memorisation runs) have 14-18% of outputs that close; lr 30 has 90%.
SATURATED, STUCK = 0.85, 1e-6


@dataclass
class TrainConfig:
    """Everything that decides a run; stored whole in the recording's meta."""

    sizes: list[int] = field(default_factory=lambda: [784, 16, 16, 10])
    epochs: int = 30
    batch_size: int = 10
    lr: float = 3.0
    seed: int = 0
    labels: str = "true"
    snapshots: int = 80
    dtype: str = "float64"
    data: str = "default"
    train_size: int | None = None  # None: the whole training set

    def check(self, dataset: Dataset) -> None:
        """Raise UserError for options that make no sense for this dataset."""
        pixels = dataset.x_train.shape[1]
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise UserError(f"--sizes {self.sizes}: need at least an input and an output layer, all >= 1")
        if self.sizes[0] != pixels:
            raise UserError(f"--sizes starts with {self.sizes[0]} but the images have {pixels} pixels")
        if self.sizes[-1] != len(dataset.classes):
            raise UserError(f"--sizes ends with {self.sizes[-1]}; the output layer must have "
                            f"{len(dataset.classes)} neurons, one per class")
        if self.epochs < 1:
            raise UserError(f"--epochs {self.epochs}: must be at least 1")
        if self.train_size is not None and not 10 <= self.train_size <= len(dataset.y_train):
            raise UserError(f"--train-size {self.train_size}: must be between 10 and {len(dataset.y_train)}")
        if not 1 <= self.batch_size <= self.training_size(dataset):
            raise UserError(f"--batch-size {self.batch_size}: must be between 1 and {self.training_size(dataset)}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise UserError(f"--lr {self.lr}: the learning rate must be a positive number")
        if self.snapshots < 2:
            raise UserError(f"--snapshots {self.snapshots}: need at least 2 (the start and the end)")
        if self.dtype not in ("float64", "float32"):
            raise UserError(f"--dtype {self.dtype}: choose float64 or float32")
        if self.labels not in ("true", "shuffled"):
            raise UserError(f"--labels {self.labels}: choose 'true' or 'shuffled'")
        if self.seed < 0:
            raise UserError(f"--seed {self.seed}: seeds are whole numbers >= 0")
        n_train = self.training_size(dataset)
        memory, seconds = training_estimate(self.sizes, self.epochs, self.batch_size, self.snapshots, n_train,
                                            len(dataset.y_test), np.dtype(self.dtype).itemsize)
        check_training(1, memory, seconds, "ask for fewer --epochs or smaller --sizes")

    def training_size(self, dataset: Dataset) -> int:
        return len(dataset.y_train) if self.train_size is None else min(self.train_size, len(dataset.y_train))

    def steps_per_epoch(self, n_train: int) -> int:
        return -(-n_train // self.batch_size)


def default_sizes(dataset: Dataset) -> list[int]:
    """784-16-16-10 for digits: one input per pixel, two hidden layers of 16, one output per class."""
    return [dataset.x_train.shape[1], 16, 16, len(dataset.classes)]


def snapshot_steps(total_steps: int, count: int) -> np.ndarray:
    """`count` distinct steps in [0, total_steps], geometrically spaced: dense early, sparse late.

    The network changes most in its first few hundred steps, so that is where the frames go.
    Always includes 0 (the initial weights) and total_steps (the final weights).
    """
    count = min(count, total_steps + 1)
    steps = np.rint(np.geomspace(1, total_steps + 1, count)).astype(np.int64) - 1
    for i in range(1, count):  # rounding collides early on: push each step past the one before
        steps[i] = max(steps[i], steps[i - 1] + 1)
    steps[-1] = total_steps
    for i in range(count - 2, -1, -1):  # ... without running past the end
        steps[i] = min(steps[i], steps[i + 1] - 1)
    return steps


def _seeds(seed: int) -> list[np.random.SeedSequence]:
    """Independent streams for: initial weights, example order, label shuffle, extra batch."""
    return np.random.SeedSequence(seed).spawn(4)


def training_set(config: TrainConfig, dataset: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """The digits and labels training used: the first `train_size` digits taking the classes in
    turn (0, 1, ..., 9, 0, 1, ...), with the true labels or the run's own fixed shuffle of them."""
    x, y = dataset.x_train, dataset.y_train
    if config.train_size is not None:  # (no copy of the whole set when it is all used)
        rank = np.empty(len(y), np.int64)  # how many earlier digits share each digit's label
        for digit in np.unique(y):
            where = np.flatnonzero(y == digit)
            rank[where] = np.arange(len(where))
        keep = np.sort(np.lexsort((y, rank))[: config.training_size(dataset)])
        x, y = x[keep], y[keep]
    return x, apply_label_mode(y, config.labels, np.random.default_rng(_seeds(config.seed)[2]))


def probe_indices(labels: np.ndarray, classes: int = 10, per_class: int = PROBES_PER_CLASS) -> np.ndarray:
    """The first `per_class` test items of each class, ordered 0, 1, ..., 9, 0, 1, ..."""
    firsts = [np.flatnonzero(labels == d)[:per_class] for d in range(classes)]
    return np.array([f[i] for i in range(per_class) for f in firsts if i < len(f)], dtype=np.int64)


@dataclass
class Progress:
    """What the progress callback is told every so often."""

    step: int
    total_steps: int
    epoch: int
    cost: float
    test_acc: float


def train(
    config: TrainConfig, dataset: Dataset, on_progress: Callable[[Progress], None] | None = None
) -> Recording:
    """Run SGD as configured and return its recording (status complete/interrupted/diverged)."""
    # One BLAS thread: our matrices are small, and on a 2-core VM OpenBLAS's two threads were
    # often scheduled on one core, making an epoch 30x slower (see bench/train_speed.py).
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(config, dataset, on_progress)


def _train(config: TrainConfig, dataset: Dataset, on_progress: Callable[[Progress], None] | None) -> Recording:
    config.check(dataset)
    dtype = np.dtype(config.dtype)
    init_seq, order_seq, _, extra_seq = _seeds(config.seed)
    net = Network(config.sizes, seed=np.random.default_rng(init_seq), dtype=dtype)
    order_rng = np.random.default_rng(order_seq)

    x_train, y_train = training_set(config, dataset)
    # copy=False (speed): X and X_test are only read, so when the dataset is already in `dtype`
    # skip the copy (376 MB for full Fashion-MNIST in float64, ~0.1 s and page faults per call).
    outputs = config.sizes[-1]
    X, Y = x_train.astype(dtype, copy=False), one_hot(y_train, outputs, dtype)
    X_test, Y_test = dataset.x_test.astype(dtype, copy=False), one_hot(dataset.y_test, outputs, dtype)
    probes = probe_indices(dataset.y_test, outputs)
    probe_x = X_test[probes]

    n, bs = len(X), config.batch_size
    total = config.epochs * config.steps_per_epoch(n)
    snaps = snapshot_steps(total, config.snapshots)
    snap_params = np.empty((len(snaps), net.params.size), dtype)
    snap_grads = np.empty_like(snap_params)
    snap_out = np.empty((len(snaps), len(probes), outputs), dtype)
    step_cost = np.empty(total, np.float64)
    epochs: dict[str, list[float]] = {k: [] for k in ("train_cost", "train_acc", "test_cost", "test_acc")}

    def evaluate() -> float:
        """Append the epoch's costs and accuracies; return the share of saturated training outputs."""
        for name, (x, y, labels) in (("train", (X, Y, y_train)), ("test", (X_test, Y_test, dataset.y_test))):
            out = net.forward(x)
            epochs[f"{name}_cost"].append(float(np.einsum("ij,ij->", out - y, out - y) / len(x)))
            epochs[f"{name}_acc"].append(float(np.mean(out.argmax(1) == labels)))
            if name == "train":
                saturated = float(np.mean(np.minimum(out, 1.0 - out) < STUCK))
        return saturated

    def take_snapshot(k: int) -> None:
        snap_params[k] = net.params
        snap_grads[k] = net.grad
        snap_out[k] = net.forward(probe_x)

    status, step, k, started, why = "complete", 0, 0, time.perf_counter(), ""
    xb_full, yb_full = np.empty((bs, X.shape[1]), dtype), np.empty((bs, outputs), dtype)
    scratch = np.empty_like(net.params)
    evaluate()
    # a blow-up is detected and reported (status "diverged"), not printed as overflow warnings
    with _stop_flag_on_interrupt() as stop, np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, config.epochs + 1):
            order = order_rng.permutation(n)
            for start in range(0, n, bs):
                idx = order[start : start + bs]
                if len(idx) == bs:  # gather into fixed buffers: no allocation per step
                    # mode="clip" (speed): with the default "raise", np.take gathers into a temporary
                    # and copies it to `out`; idx comes from a permutation, so clipping never happens.
                    xb = np.take(X, idx, axis=0, out=xb_full, mode="clip")
                    yb = np.take(Y, idx, axis=0, out=yb_full, mode="clip")
                else:
                    xb, yb = X[idx], Y[idx]
                if stop.is_set():
                    status = "interrupted"
                    break
                cost = net.backprop(xb, yb)
                if not math.isfinite(cost):
                    status, why = "diverged", f"the cost became {cost} at step {step}"
                    break
                if step == snaps[k]:
                    take_snapshot(k)
                    k += 1
                step_cost[step] = cost
                np.multiply(net.grad, config.lr, out=scratch)
                net.params -= scratch
                step += 1
                if on_progress and step % 200 == 0:
                    on_progress(Progress(step, total, epoch, cost, epochs["test_acc"][-1]))
            if status != "complete":
                break
            why = _blown_up(net.params, evaluate(), epoch, step_cost[step - 1])
            if why:
                status = "diverged"
                break
            if on_progress:
                on_progress(Progress(step, total, epoch, step_cost[step - 1], epochs["test_acc"][-1]))

    if status != "diverged" and snaps[k - 1] != step:
        # The final weights are always the last snapshot; their gradient is that of one more
        # mini-batch drawn the way training would have drawn it. (A diverged run ends at its
        # last snapshot before the blow-up: the weights after it produce NaN.)
        idx = np.random.default_rng(extra_seq).choice(n, size=min(bs, n), replace=False)
        net.backprop(X[idx], Y[idx])
        snaps[k] = step
        take_snapshot(k)
        k += 1
    if status == "diverged":  # keep only what is finite: the history up to the blow-up
        k = _finite_prefix(k, snap_params, snap_grads, snap_out)
        while len(epochs["train_cost"]) > 1 and not all(math.isfinite(v[-1]) for v in epochs.values()):
            for v in epochs.values():
                v.pop()
    steps = snaps[:k]
    per_epoch = config.steps_per_epoch(n)
    # copy=False (speed): the snapshot buffers are this run's own and used nowhere else, so in
    # float64 the recording keeps them (views) instead of copying ~16 MB (~2% of a 1-epoch run).
    arrays = {
        "snap_step": steps,
        "snap_epoch": steps / per_epoch,
        "params": snap_params[:k].astype(np.float64, copy=False),
        "grads": snap_grads[:k].astype(np.float64, copy=False),
        "step_cost": step_cost[:step].copy(),
        **{f"epoch_{name}": np.array(v) for name, v in epochs.items()},
        "probe_x": probe_x.astype(np.float64, copy=False),
        "probe_y": dataset.y_test[probes],
        "probe_out": snap_out[:k].astype(np.float64, copy=False),
    }
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "status": status,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": asdict(config),
        "dataset": dataset.describe(),
        "layout": _layout(config.sizes),
        "steps_done": step,
        "steps_planned": total,
        "seconds": round(time.perf_counter() - started, 3),
        **({"diverged": why} if status == "diverged" else {}),
        "versions": {"numpy": np.__version__, "downhill": _version()},
    }
    return Recording(meta, arrays)


def _blown_up(params: np.ndarray, saturated: float, epoch: int, cost: float) -> str:
    """Why the network has blown up at the end of `epoch`, or '' when it has not."""
    if not np.all(np.isfinite(params)):
        return f"the weights became infinite or NaN in epoch {epoch}"
    if saturated >= SATURATED:
        return (f"in epoch {epoch} the weights grew so large that {saturated:.0%} of the outputs are stuck at "
                f"0 or 1 (cost {cost:.3f}, zero gradient: it can never improve)")
    return ""


def _finite_prefix(k: int, *snapshot_arrays: np.ndarray) -> int:
    """How many of the first k snapshots hold only finite numbers."""
    for i in range(k):
        if not all(np.all(np.isfinite(a[i])) for a in snapshot_arrays):
            return i
    return k


@contextlib.contextmanager
def _stop_flag_on_interrupt() -> Iterator[threading.Event]:
    """Turn Ctrl-C (and SIGTERM) into a flag the loop checks between steps.

    Stopping at a step boundary means the last snapshot is exactly the weights after a whole
    number of steps, never half an update.
    """
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda *_: stop.set())
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _layout(sizes: list[int]) -> list[dict]:
    """Where each layer's weights and biases sit in the flat parameter vector."""
    flat = np.arange(parameter_count(sizes))
    weights, biases = layer_views(flat, sizes)
    return [
        {"layer": l + 1, "W": [int(w[0, 0]), int(w.size)], "W_shape": list(w.shape), "b": [int(b[0]), int(b.size)]}
        for l, (w, b) in enumerate(zip(weights, biases))
    ]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("downhill")
    except PackageNotFoundError:
        return "dev"
