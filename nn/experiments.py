"""Groups of runs for the video's experiments, trained by one command and kept together.

- memorisation (Zhang et al. 2016, arXiv:1611.03530): the same network on the same digits with
  true labels and with labels shuffled across the training set. Both training costs fall; only
  the true-label run learns anything that carries over to the test set.
- seeds (Choromanska et al. 2015, arXiv:1412.0233): the same run from several random starts.
  The weights end up far apart, the costs and accuracies close together.
- learning-rates: the same run with a too-small, a good and a too-large step size, on one shared
  cost surface (nn/shared_landscape.py).

A group is a folder of ordinary recordings (`true.npz`, `shuffled.npz`; `seed0.npz`, ...;
`small.npz`, `good.npz`, `large.npz`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from nn.data import Dataset
from nn.errors import UserError
from nn.recording import Recording, load, save_run
from nn.train import Progress, TrainConfig, train

MEMORISATION_TRAIN_SIZE = 1000  # small enough that 16 hidden neurons can memorise random labels
MEMORISATION_EPOCHS = 150


def group_configs(kind: str, base: TrainConfig, seeds: int = 5) -> dict[str, TrainConfig]:
    """Name -> config for each run of the group."""
    if kind == "memorisation":
        return {labels: replace(base, labels=labels) for labels in ("true", "shuffled")}
    if kind == "seeds":
        if seeds < 2:
            raise UserError(f"--seeds {seeds}: a group of seeds needs at least 2 runs")
        return {f"seed{s}": replace(base, seed=base.seed + s) for s in range(seeds)}
    if kind == "learning-rates":
        from nn.shared_landscape import learning_rate_configs

        return learning_rate_configs(base)
    raise UserError(f"unknown group {kind!r}; choose memorisation, seeds or learning-rates")


def train_group(
    configs: dict[str, TrainConfig],
    dataset: Dataset,
    folder: Path,
    on_progress: Callable[[str, Progress], None] | None = None,
) -> dict[str, Recording]:
    """Train and save each run as folder/NAME.npz; stops at the first interrupted run."""
    for config in configs.values():
        config.check(dataset)
    done = {}
    for name, config in configs.items():
        report = (lambda p, name=name: on_progress(name, p)) if on_progress else None
        rec = train(config, dataset, on_progress=report)
        save_run(rec, folder / f"{name}.npz")  # an unfinished run never replaces a complete one
        done[name] = rec
        if rec.status == "interrupted":
            break
    return done


def load_group(folder: Path) -> tuple[dict[str, Recording], dict[str, str]]:
    """Every readable recording in the folder by name, and a problem line for each unreadable one."""
    if not folder.is_dir():
        raise UserError(f"{folder}: no such group folder; make it with `python -m nn group ... --out {folder}`")
    runs, problems = {}, {}
    for path in sorted(folder.glob("*.npz")):
        try:
            runs[path.stem] = load(path)
        except UserError as e:
            problems[path.stem] = str(e)
    if not runs and not problems:
        raise UserError(f"{folder}: holds no recordings; make them with `python -m nn group ... --out {folder}`")
    return runs, problems
