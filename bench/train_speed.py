"""How fast is one epoch of Downhill's SGD, next to a per-example loop and next to PyTorch?

Run from the repository root:

    .venv/bin/python bench/train_speed.py              # about a minute and a half on 2 cores
    .venv/bin/python bench/train_speed.py --rounds 2   # quicker, noisier

Needs the full Fashion-MNIST IDX files in /usr/share/datasets/fashion-mnist (Debian package
dataset-fashion-mnist; see scripts/setup.sh) and PyTorch (`.venv/bin/pip install -e ".[bench]"`).
It is a benchmark, not a test: it prints tables and asserts nothing about speed.

What it measures: one epoch (60,000 images) of mini-batch SGD on the 784-16-16-10 sigmoid network
with the quadratic cost C = mean over the batch of sum_j (a_j - y_j)^2, learning rate 3.0, float64,
at batch sizes 10 and 100, for three implementations that start from the same weights and take
the same mini-batches in the same order:

1. ours: `nn.train.train(TrainConfig(epochs=1, batch_size=B, snapshots=80), dataset)`, with the
   recording on. Two numbers: the wall time of the whole call (which also converts the data,
   evaluates cost and accuracy on all 70,000 train and test images before and after the epoch,
   takes the snapshots and builds the Recording) and the SGD steps alone (the step rate between
   the first and the last in-epoch progress callback, times the steps in an epoch). The same call
   with snapshots=2 gives the cost of recording 80 snapshots.
2. a per-example loop written as in Michael Nielsen's network.py (neuralnetworksanddeeplearning.com,
   chapter 1): lists of weight matrices and bias column vectors, backprop one example at a time
   (sigma' recomputed from z and fresh zero nablas per example, as there), nablas summed over the
   mini-batch, then the update. Its cost derivative is 2 (a - y), that of our cost (Nielsen's
   cost has a factor 1/2). Timed on the first --loop-examples examples of the epoch, scaled up.
3. PyTorch on the CPU: nn.Linear layers holding our initial weights, sigmoid, the loss
   ((out - y)**2).sum(1).mean(), torch.optim.SGD(lr=3.0), float64. The data become tensors once;
   each batch is gathered with index_select into a fixed buffer, as ours gathers with np.take.
   Timed on the first --torch-examples examples of the epoch, scaled up.

The times of 2 and 3 are SGD steps only, with no evaluation: set them against ours' "SGD steps".

Timing: the speed of a shared machine drifts (by up to 2.5x over seconds on the 2-vCPU VM this
was written on), so the script runs --rounds rounds, each timing every implementation with 1 and
with 2 threads (NumPy's OpenBLAS for 1 and 2, torch.set_num_threads for 3; ours twice, as its runs
are short), and reports for each the best time over rounds and thread counts. After the rounds,
2 and 3 each train one whole epoch with their best thread count (one more sample) so that their
accuracy can be shown. OPENBLAS_CORETYPE and the like are left as the environment sets them.
On the 2-vCPU VM, Linux sometimes keeps both threads of a process on one vCPU for good; every
multithreaded product then waits for a scheduler tick and batch 100 runs ~30x slower. A run
going past STUCK times the best time so far is stopped and counted in a note at the end.
The recording overhead (about 10 ms a call) is near this noise: a negative one is noise.

Same start, same batches: train() draws its initial weights and example order from children of
np.random.SeedSequence(seed) and takes no weights from outside, so this script draws both the same
way (the weights with `nn.network.Network([784, 16, 16, 10], seed=<that child>)`) and checks that
the first snapshot of ours' recording is exactly those weights. The three do the same float64
arithmetic up to summation order, so their weights agree to rounding at first: the script prints
the largest difference from ours' recorded weights after CHECK_STEP or fewer steps (the latest
snapshot there). Later the differences grow exponentially (at batch 10, lr 3.0, from 1e-14 at step
250 to 1e-1 at step 500: SGD is chaotic here), so the three end the epoch as different, equally
good networks; the script prints each one's test accuracy after the epoch.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nn.data import Dataset, load_idx_dir, one_hot
from nn.network import Network
from nn.recording import Recording
from nn.train import Progress, TrainConfig, train

DATA_DIR = "/usr/share/datasets/fashion-mnist"
SIZES = [784, 16, 16, 10]
LR = 3.0
SEED = 0
BATCH_SIZES = (10, 100)
SNAPSHOTS = 80
CHECK_STEP = 50  # compare weights with ours' after at most this many steps (see the docstring)
THREADS = (1, 2)  # thread counts to try; the faster is reported
STUCK = 3.0  # a run this many times slower than the best so far is stopped: threads sharing one CPU
CHECK_EVERY = 100  # steps between time-limit checks in the loops of 2 and 3
# Targets: how many times as fast as the other implementation ours should be, per batch size.
TARGET_VS_LOOP = {10: 12.0}
TARGET_VS_TORCH = {10: 5.0, 100: 2.5}


@dataclass
class Run:
    """One timed run: seconds per epoch (scaled up if only part of the epoch ran) and weights."""

    seconds: float
    threads: int
    early: np.ndarray | None = None  # flat (Network.params layout) after the check step, if reached
    final: np.ndarray | None = None  # after the whole epoch, if it ran
    steps_seconds: float = 0.0  # ours: seconds per epoch of the SGD steps alone
    recording: Recording | None = None  # ours


@dataclass
class Contender:
    """One implementation at one batch size, and its runs so far."""

    name: str
    run: Callable[[int, float, int], Run]  # (threads, time limit in s per epoch, examples) -> Run
    examples: int  # per timed run (ours always runs the whole epoch)
    runs: list[Run] = field(default_factory=list)
    stopped: dict[int, int] = field(default_factory=dict)  # thread count: runs stopped as too slow

    def best(self) -> Run:
        return min(self.runs, key=lambda r: r.seconds)

    def best_seconds(self, threads: int | None = None) -> float:
        return min((r.seconds for r in self.runs if threads in (None, r.threads)), default=float("inf"))

    def time_once(self, threads: int, examples: int | None = None) -> Run | None:
        """Run once with `threads`; a run past STUCK times the best time so far is stopped (None)."""
        try:
            run = self.run(threads, STUCK * self.best_seconds(), examples or self.examples)
        except TooSlow:
            self.stopped[threads] = self.stopped.get(threads, 0) + 1
            return None
        self.runs.append(run)
        return run

    def whole_epoch(self, n: int) -> Run:
        """A run over the whole epoch (for the accuracy), with the best thread count so far."""
        best = self.best()
        if best.final is not None:
            return best
        return self.time_once(best.threads, n) or self.run(1, float("inf"), n)

    def notes(self) -> list[str]:
        return [
            f"{self.name}: {k} run(s) with {t} thread(s) stopped at {STUCK:g}x the best time "
            "(threads stuck on one CPU, or another process busy)"
            for t, k in sorted(self.stopped.items())
        ]


class TooSlow(Exception):
    """A run went past its time limit and was stopped."""


def over_time(start: float, done: int, total: int, limit: float) -> None:
    """Raise TooSlow if `done` of `total` steps took longer than `limit` seconds per epoch allows."""
    if done and time.perf_counter() - start > limit * done / total:
        raise TooSlow


# -- the common start ------------------------------------------------------------------------


def initial_state(n_train: int) -> tuple[np.ndarray, np.ndarray]:
    """The initial flat parameters and the epoch-1 example order, drawn exactly as train() draws them."""
    init_seq, order_seq, _, _ = np.random.SeedSequence(SEED).spawn(4)
    params = Network(SIZES, seed=np.random.default_rng(init_seq)).params.copy()
    order = np.random.default_rng(order_seq).permutation(n_train)
    return params, order


def split(flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Copies of the per-layer weights (n_out x n_in) and biases (n_out,) in a flat vector."""
    net = Network(SIZES)
    net.params[...] = flat
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


def test_accuracy(flat: np.ndarray, ds: Dataset) -> float:
    net = Network(SIZES)
    net.params[...] = flat
    return net.accuracy(ds.x_test, ds.y_test)


class OpenBLAS:
    """NumPy's bundled OpenBLAS (scipy-openblas), reached with ctypes: core type and thread count."""

    def __init__(self) -> None:
        self.lib: ctypes.CDLL | None = None
        self.suffix, self.default = "", 0
        libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
        for path in sorted(libs.glob("libscipy_openblas*.so*")):
            lib = ctypes.CDLL(str(path))  # already loaded by NumPy: this is the same copy
            for suffix in ("64_", ""):
                if hasattr(lib, f"scipy_openblas_set_num_threads{suffix}"):
                    self.lib, self.suffix = lib, suffix
                    self.default = self.threads()
                    return

    def threads(self) -> int:
        return int(getattr(self.lib, f"scipy_openblas_get_num_threads{self.suffix}")()) if self.lib else 0

    def set_threads(self, n: int) -> None:
        if self.lib:
            getattr(self.lib, f"scipy_openblas_set_num_threads{self.suffix}")(n)

    def describe(self) -> str:
        if not self.lib:
            return "BLAS not found (thread count left alone)"
        corename = getattr(self.lib, f"scipy_openblas_get_corename{self.suffix}")
        corename.restype = ctypes.c_char_p
        return f"OpenBLAS core {corename().decode()}, {self.default} thread(s) by default"


# -- 1. ours ---------------------------------------------------------------------------------


def run_ours(ds: Dataset, batch_size: int, snapshots: int, threads: int, limit: float, blas: OpenBLAS) -> Run:
    """One train() call with NumPy's BLAS on `threads` threads."""
    blas.set_threads(threads)
    config = TrainConfig(data=DATA_DIR, epochs=1, batch_size=batch_size, snapshots=snapshots)
    total = config.steps_per_epoch(len(ds.y_train))
    first_seen: dict[int, float] = {}

    def on_progress(p: Progress) -> None:  # called every 200 steps, and after each epoch's evaluation
        first_seen.setdefault(p.step, time.perf_counter())
        over_time(start, total, total, limit)  # the whole call's limit; TooSlow out of train() stops it

    start = time.perf_counter()
    try:
        rec = train(config, ds, on_progress)
    finally:
        blas.set_threads(blas.default)
    wall = time.perf_counter() - start
    if rec.status != "complete":
        raise SystemExit(f"ours: training ended '{rec.status}' at batch size {batch_size}")
    lo, hi = min(first_seen), max(first_seen)
    steps = (first_seen[hi] - first_seen[lo]) / (hi - lo) * total
    return Run(wall, threads, steps_seconds=steps, recording=rec)


# -- 2. a per-example loop in the style of Nielsen's network.py --------------------------------


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    return sigmoid(z) * (1 - sigmoid(z))


class NielsenNetwork:
    """network.py's Network, trimmed to what one SGD epoch needs."""

    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        self.num_layers = len(weights) + 1
        self.weights = [w.copy() for w in weights]
        self.biases = [b.reshape(-1, 1).copy() for b in biases]  # column vectors

    def update_mini_batch(self, mini_batch: list[tuple[np.ndarray, np.ndarray]], eta: float) -> None:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x: np.ndarray, y: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):
            sp = sigmoid_prime(zs[-l])
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w

    def cost_derivative(self, output_activations: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 2.0 * (output_activations - y)  # of sum_j (a_j - y_j)^2, our per-example cost

    def flat_params(self) -> np.ndarray:
        return np.concatenate([p.ravel() for w, b in zip(self.weights, self.biases) for p in (w, b)])


def run_nielsen(
    training_data: list[tuple[np.ndarray, np.ndarray]],
    init: np.ndarray,
    order: np.ndarray,
    batch_size: int,
    examples: int,
    check_step: int,
    threads: int,
    limit: float,
    blas: OpenBLAS,
) -> Run:
    """Nielsen-style SGD over the first `examples` of the epoch's order, scaled to a whole epoch."""
    blas.set_threads(threads)
    net = NielsenNetwork(*split(init))
    n = len(training_data)
    examples = max(batch_size, min(examples, n) // batch_size * batch_size)
    early = None
    try:
        with np.errstate(over="ignore"):  # exp(-z) = inf for very negative z gives sigmoid 0: fine
            start = time.perf_counter()
            shuffled = [training_data[i] for i in order[:examples]]  # network.py: random.shuffle
            for step, k in enumerate(range(0, examples, batch_size)):
                if step == check_step:  # once, a few microseconds
                    early = net.flat_params()
                if step % CHECK_EVERY == 0:
                    over_time(start, k, n, limit)
                net.update_mini_batch(shuffled[k : k + batch_size], LR)
            seconds = time.perf_counter() - start
    finally:
        blas.set_threads(blas.default)
    final = net.flat_params() if examples == n else None
    return Run(seconds * n / examples, threads, early, final)


# -- 3. PyTorch --------------------------------------------------------------------------------


def torch_flat(linears: list[Any]) -> np.ndarray:
    """The weights and biases of torch.nn.Linear layers as one vector, in Network.params layout."""
    return np.concatenate([p.detach().numpy().ravel() for lin in linears for p in (lin.weight, lin.bias)])


def run_torch(
    X: np.ndarray,
    Y: np.ndarray,
    init: np.ndarray,
    order: np.ndarray,
    batch_size: int,
    examples: int,
    check_step: int,
    threads: int,
    limit: float,
) -> Run:
    """PyTorch SGD over the first `examples` of the epoch's order, scaled to a whole epoch."""
    import torch

    torch.set_num_threads(threads)
    Xt, Yt, order_t = torch.from_numpy(X), torch.from_numpy(Y), torch.from_numpy(order)
    layers = [m for a, b in zip(SIZES[:-1], SIZES[1:]) for m in (torch.nn.Linear(a, b), torch.nn.Sigmoid())]
    model = torch.nn.Sequential(*layers).double()
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, w, b in zip(linears, *split(init)):
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    n = len(X)
    examples = max(batch_size, min(examples, n) // batch_size * batch_size)
    xb = torch.empty((batch_size, X.shape[1]), dtype=torch.float64)
    yb = torch.empty((batch_size, Y.shape[1]), dtype=torch.float64)
    early = None
    start = time.perf_counter()
    for step, k in enumerate(range(0, examples, batch_size)):
        if step == check_step:  # once, a few microseconds
            early = torch_flat(linears)
        if step % CHECK_EVERY == 0:
            over_time(start, k, n, limit)
        idx = order_t[k : k + batch_size]
        torch.index_select(Xt, 0, idx, out=xb)
        torch.index_select(Yt, 0, idx, out=yb)
        loss = ((model(xb) - yb) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    final = torch_flat(linears) if examples == n else None
    return Run(seconds * n / examples, threads, early, final)


# -- the report ------------------------------------------------------------------------------


def environment(blas: OpenBLAS) -> str:
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    return (
        f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs; "
        f"{blas.describe()}; BLAS env: {env or 'none set'}"
    )


@dataclass
class Row:
    """One line of the table."""

    name: str
    seconds: float
    note: str
    early: np.ndarray | None  # weights after the check step
    final: np.ndarray | None  # weights after the epoch


@dataclass
class BatchResult:
    """Everything measured at one batch size."""

    check_step: int
    rows: dict[str, Row]
    overhead: tuple[float, float]  # best train() seconds with SNAPSHOTS snapshots and with 2


def measure(args: argparse.Namespace, ds: Dataset, bs: int, blas: OpenBLAS, log: list[str]) -> BatchResult:
    """Time the three implementations at batch size `bs`, in interleaved rounds."""
    import torch

    X, Y = ds.x_train, one_hot(ds.y_train)
    n = len(X)
    init, order = initial_state(n)
    training_data = [(x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(X, Y)]  # as mnist_loader gives
    # An untimed warm-up of ours gives the recording the others' weights are checked against.
    rec = run_ours(ds, bs, SNAPSHOTS, 1, float("inf"), blas).recording
    assert rec is not None
    if not np.array_equal(rec["params"][0], init):
        raise SystemExit("train() no longer draws its initial weights as initial_state() does; fix it")
    k = int(np.searchsorted(rec["snap_step"], CHECK_STEP, side="right")) - 1
    check = int(rec["snap_step"][k])

    def ours_with(snapshots: int) -> Callable[[int, float, int], Run]:
        return lambda threads, limit, _: run_ours(ds, bs, snapshots, threads, limit, blas)

    def loop_run(threads: int, limit: float, examples: int) -> Run:
        return run_nielsen(training_data, init, order, bs, examples, check, threads, limit, blas)

    def torch_run(threads: int, limit: float, examples: int) -> Run:
        return run_torch(X, Y, init, order, bs, examples, check, threads, limit)

    ours = Contender(f"ours, batch {bs}", ours_with(SNAPSHOTS), n)
    ours2 = Contender(f"ours with 2 snapshots, batch {bs}", ours_with(2), n)
    loop = Contender(f"Nielsen loop, batch {bs}", loop_run, min(args.loop_examples, n))
    pt = Contender(f"PyTorch, batch {bs}", torch_run, min(args.torch_examples, n))
    threads = THREADS if (os.cpu_count() or 1) > 1 and blas.lib else (1,)
    for _ in range(args.rounds):
        for t in threads:
            # ours twice a round: its runs are short, and the recording overhead is a small difference
            for contender in (ours, ours2, ours, ours2, loop, pt):
                contender.time_once(t)

    rows: dict[str, Row] = {}
    best = ours.best()
    note = f"{SNAPSHOTS} snapshots, {best.threads} BLAS thread(s)"
    steps = min(r.steps_seconds for r in ours.runs if r.threads == best.threads)
    early, final = rec["params"][k], rec["params"][-1]
    rows["whole"] = Row("ours, whole train() call", best.seconds, note + ", 2 evaluations", early, final)
    rows["steps"] = Row("ours, SGD steps", steps, note, early, final)
    off = ours2.best_seconds(best.threads)
    overhead = (best.seconds, off if off < float("inf") else ours2.best_seconds())
    for key, contender, name, unit in (
        ("loop", loop, "Nielsen per-example loop", "BLAS"),
        ("torch", pt, f"PyTorch {torch.__version__} CPU", "torch"),
    ):
        whole = contender.whole_epoch(n)  # for the accuracy; also one more timing
        best = contender.best()
        note = f"{best.threads} {unit} thread(s)"
        if contender.examples < n:
            note += f", runs of {contender.examples:,} examples x{n / contender.examples:g} and 1 epoch"
        rows[key] = Row(name, best.seconds, note, whole.early, whole.final)
    for contender in (ours, ours2, loop, pt):
        log.extend(contender.notes())
    return BatchResult(check, rows, overhead)


def report(ds: Dataset, results: dict[int, BatchResult], log: list[str]) -> None:
    print("s/epoch: seconds per epoch of training, best over rounds and thread counts; test acc: after the")
    print("epoch; max|dW| @ step: largest difference from ours' weights after that many steps (same start,")
    print("same batches, so only rounding differs)\n")
    print(f"{'implementation':28s} {'batch':>5s} {'s/epoch':>8s} {'test acc':>8s} {'max|dW| @ step':>15s}  note")
    for bs, res in results.items():
        ours_early = res.rows["steps"].early
        for key, r in res.rows.items():
            acc = "n/a" if r.final is None else f"{test_accuracy(r.final, ds):.4f}"
            diff = "-"
            if key in ("loop", "torch") and r.early is not None and ours_early is not None:
                diff = f"{np.max(np.abs(r.early - ours_early)):.0e} @ {res.check_step}"
            print(f"{r.name:28s} {bs:5d} {r.seconds:8.3f} {acc:>8s} {diff:>15s}  {r.note}")
        print()

    print("ours is N times as fast (the other's s/epoch / ours'); target in brackets:")
    print(f"{'':28s} {'batch':>5s} {'vs Nielsen loop':>18s} {'vs PyTorch':>18s}")
    for bs, res in results.items():
        for key in ("steps", "whole"):
            cells = []
            for other, targets in (("loop", TARGET_VS_LOOP), ("torch", TARGET_VS_TORCH)):
                ratio = res.rows[other].seconds / res.rows[key].seconds
                target = targets.get(bs)
                mark = "" if target is None else f" ({'ok' if ratio >= target else 'MISS'} >= {target:g})"
                cells.append(f"{ratio:.1f}x{mark}")
            print(f"{res.rows[key].name:28s} {bs:5d} {cells[0]:>18s} {cells[1]:>18s}")
    print()
    for bs, res in results.items():
        on, off = res.overhead
        pct = 100 * (on - off) / off
        verdict = "noise" if pct < 0 else "ok" if pct <= 5 else "MISS"
        print(
            f"recording overhead, batch {bs:3d}: train() with {SNAPSHOTS} snapshots {on:.3f} s, with 2 {off:.3f} s: "
            f"{pct:+.1f}% ({verdict}, target <= 5%)"
        )
    for line in log:
        print("note:", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="timing rounds; each times everything (default 4)")
    parser.add_argument(
        "--loop-examples", type=int, default=6000, help="examples per timed run of the Nielsen loop (default 6000)"
    )
    parser.add_argument(
        "--torch-examples", type=int, default=12000, help="examples per timed run of PyTorch (default 12000)"
    )
    args = parser.parse_args(argv)

    ds = load_idx_dir(DATA_DIR)
    blas = OpenBLAS()
    print(f"Fashion-MNIST: {len(ds.y_train):,} train / {len(ds.y_test):,} test images")
    print(environment(blas))
    print(f"network {SIZES}, sigmoid, quadratic cost, lr {LR}, float64, 1 epoch; {args.rounds} rounds\n")
    log: list[str] = []
    results = {bs: measure(args, ds, bs, blas, log) for bs in BATCH_SIZES}
    report(ds, results, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
