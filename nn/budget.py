"""How much memory and time a piece of work needs, so that absurd requests are refused up front
with the figure, instead of exhausting the machine (MemoryError, swap, a run for a century)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from nn.errors import UserError

MAX_TRAIN_SECONDS = 7 * 24 * 3600  # longer than a week of training is a mistake, not a video
SECONDS_PER_STEP = 30e-6  # per-step overhead of small NumPy calls (README, "Measured")
FLOPS_PER_SECOND = 2e9  # a pessimistic single core


def available_memory() -> int:
    """Bytes this machine can still give (MemAvailable; total memory where that is unknown)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    with contextlib.suppress(OSError, ValueError, AttributeError):
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return 1 << 34


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:.3g} EB"  # pragma: no cover


def human_seconds(s: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if s >= size:
            return f"{s / size:,.1f} {unit}"
    return f"{s:.1f} s"


def check_memory(needed: int, what: str, fix: str) -> None:
    """Refuse work whose arrays would not fit in the memory this machine has free."""
    free = available_memory()
    if needed > free:
        raise UserError(f"{what} needs about {human_bytes(needed)} of memory, more than the "
                        f"{human_bytes(free)} this machine has free; {fix}")


def training_estimate(sizes: list[int], epochs: int, batch_size: int, snapshots: int, n_train: int,
                      n_test: int, itemsize: int) -> tuple[int, float]:
    """(bytes, seconds) one training run needs, from its shape alone (no allocation)."""
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    steps = epochs * -(-n_train // batch_size)
    snaps = min(snapshots, steps + 1)
    width = max(sizes)
    memory = (
        snaps * params * 8 * 2  # params and grads snapshots (float64 in the recording)
        + steps * 8  # the cost of every step
        + params * itemsize * 4  # weights, gradient, scratch, the recording's copy
        + 3 * batch_size * sum(sizes[1:]) * itemsize  # per-batch buffers
        + (n_train + n_test) * (sizes[0] + sizes[-1]) * itemsize  # the data in the training dtype
        + (n_train + n_test) * width * itemsize * 2  # one evaluation pass over them
    )
    flops = 6 * params * (steps * batch_size + epochs * (n_train + n_test))
    return int(memory), steps * SECONDS_PER_STEP + flops / FLOPS_PER_SECOND


def check_training(runs: int, memory: int, seconds: float, fix: str) -> None:
    """Refuse a run (or group of `runs`) that cannot fit in memory or would take over a week."""
    check_memory(memory, "this run" if runs == 1 else "each run", fix)
    total = runs * seconds
    if total > MAX_TRAIN_SECONDS:
        what = "this run" if runs == 1 else f"{runs:,} runs"
        raise UserError(f"{what} would take about {human_seconds(total)} of training on this machine "
                        f"(the limit is {human_seconds(MAX_TRAIN_SECONDS)}); {fix}")
