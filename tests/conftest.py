"""Shared fixtures: real digits and one small recorded run, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from nn.data import Dataset, load_default
from nn.experiments import group_configs, train_group
from nn.landscape import add_landscape
from nn.recording import Recording, load
from nn.shared_landscape import add_shared_landscape
from nn.train import TrainConfig, train

FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(scope="session")
def digits() -> Dataset:
    return load_default()


@pytest.fixture(scope="session")
def small_run(digits: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Recording:
    """Two epochs of the default network on the embedded digits, saved to a temp file."""
    rec = train(TrainConfig(epochs=2, snapshots=16), digits)
    rec.save(tmp_path_factory.mktemp("runs") / "small.npz")
    return rec


@pytest.fixture
def fashion() -> Path:
    if not (FASHION / "train-images-idx3-ubyte.gz").exists():
        pytest.skip("Debian's dataset-fashion-mnist is not installed (scripts/setup.sh installs it)")
    return FASHION


@pytest.fixture(scope="session")
def scene_run(small_run: Recording, digits: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small recorded run with a coarse landscape: what scene and export tests render from."""
    rec = load(small_run.path)
    add_landscape(rec, digits, grid=15, eval_samples=300)
    path = tmp_path_factory.mktemp("scene-runs") / "scene.npz"
    rec.save(path)
    return path


@pytest.fixture(scope="session")
def groups(digits: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small memorisation, seeds and learning-rates groups, as `nn group` writes them (env name -> folder)."""
    root = tmp_path_factory.mktemp("groups")
    base = TrainConfig(epochs=3, snapshots=4, train_size=200)
    train_group(group_configs("memorisation", base), digits, root / "memorisation")
    train_group(group_configs("seeds", base, seeds=3), digits, root / "seeds")
    rates = train_group(group_configs("learning-rates", TrainConfig(epochs=1, snapshots=6, train_size=300)), digits,
                        root / "learning-rates")
    add_shared_landscape(rates, digits, grid=15, eval_samples=200)
    for name, rec in rates.items():
        rec.save(root / "learning-rates" / f"{name}.npz")
    return {"DOWNHILL_MEMORISATION": root / "memorisation", "DOWNHILL_SEEDS": root / "seeds",
            "DOWNHILL_LEARNING_RATES": root / "learning-rates"}


@pytest.fixture(scope="session")
def tiny_run(digits: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 784-4-10 run of 30 steps with a 3x3 landscape: the good file the robustness tests damage."""
    rec = train(TrainConfig(sizes=[784, 4, 10], epochs=3, snapshots=6, train_size=100), digits)
    add_landscape(rec, digits, grid=3, eval_samples=20)
    path = tmp_path_factory.mktemp("tiny") / "tiny.npz"
    rec.save(path)
    return path
