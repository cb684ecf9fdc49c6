"""The experiments' runs: shuffled labels get memorised, different seeds land alike."""

import numpy as np
import pytest

from nn.cli import main
from nn.data import one_hot
from nn.errors import UserError
from nn.experiments import group_configs, load_group, train_group
from nn.train import TrainConfig, training_set


def test_shuffled_labels_are_memorised_but_nothing_generalises(digits, tmp_path) -> None:
    runs = train_group(group_configs("memorisation", TrainConfig(train_size=200, epochs=150, snapshots=5)),
                       digits, tmp_path)
    true, shuffled = runs["true"], runs["shuffled"]
    # training accuracy rises far above chance (10%) for both ...
    assert shuffled["epoch_train_acc"][-1] > 0.6 and true["epoch_train_acc"][-1] > 0.9
    # ... the shuffled run more slowly, and on the test set it stays near chance
    assert shuffled["epoch_train_cost"][20] > true["epoch_train_cost"][20]
    assert shuffled["epoch_test_acc"][-1] < 0.2 < 0.6 < true["epoch_test_acc"][-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shuffled.npz", "true.npz"]


def test_train_size_takes_the_classes_in_turn(digits) -> None:
    x, y = training_set(TrainConfig(train_size=50), digits)
    assert x.shape == (50, 784) and np.all(np.bincount(y) == 5)
    with pytest.raises(UserError, match="--train-size"):
        TrainConfig(train_size=5).check(digits)


def test_seeds_land_in_different_places_with_similar_costs(digits, tmp_path) -> None:
    runs = train_group(group_configs("seeds", TrainConfig(epochs=8, snapshots=5), seeds=3), digits, tmp_path)
    finals = [r["params"][-1] for r in runs.values()]
    costs = [r["epoch_train_cost"][-1] for r in runs.values()]
    accs = [r["epoch_test_acc"][-1] for r in runs.values()]
    for i in range(len(finals)):
        for j in range(i):
            assert np.linalg.norm(finals[i] - finals[j]) > 0.5 * np.linalg.norm(finals[i])
    assert max(costs) - min(costs) < 0.05  # the stated band: within 0.05 of each other
    assert max(accs) - min(accs) < 0.05


def test_a_corrupt_run_in_a_group_is_named_and_the_rest_load(small_run, tmp_path) -> None:
    import shutil

    shutil.copy(small_run.path, tmp_path / "seed0.npz")
    shutil.copy(small_run.path, tmp_path / "seed2.npz")
    (tmp_path / "seed1.npz").write_bytes(b"garbage")
    runs, problems = load_group(tmp_path)
    assert sorted(runs) == ["seed0", "seed2"] and list(problems) == ["seed1"]
    assert "seed1.npz" in problems["seed1"]


def test_group_command(tmp_path, capsys) -> None:
    assert main(["group", "seeds", "--seeds", "2", "--epochs", "1", "--snapshots", "3",
                 "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed0.npz", "seed1.npz"]
    assert main(["group", "seeds", "--seeds", "1", "--out", str(tmp_path)]) == 2
    assert "at least 2" in capsys.readouterr().err


def test_learning_rates_share_one_sheet_and_each_height_is_a_true_cost(digits, tmp_path) -> None:
    from nn.landscape import naive_cost, surface_params
    from nn.recording import load
    from nn.shared_landscape import LEARNING_RATES, add_shared_landscape

    configs = group_configs("learning-rates", TrainConfig(epochs=1, snapshots=6, train_size=300))
    assert [c.lr for c in configs.values()] == list(LEARNING_RATES.values())
    runs = train_group(configs, digits, tmp_path)
    first = [r["params"][0] for r in runs.values()]
    assert all(np.array_equal(first[0], p) for p in first)  # the same start
    add_shared_landscape(runs, digits, grid=5, eval_samples=100)
    for name, rec in runs.items():
        rec.save(tmp_path / f"{name}.npz")
    loaded = {name: load(tmp_path / f"{name}.npz") for name in runs}
    one = loaded["good"]
    for r, (name, rec) in enumerate(loaded.items()):
        meta = rec.landscape_meta
        assert meta["shared"] and meta["members"] == list(runs) and meta["member"] == name and meta["row"] == r
        np.testing.assert_array_equal(rec["land_cost"], one["land_cost"])  # one surface
        np.testing.assert_array_equal(rec["land_group_path"], one["land_group_path"])
        path = rec["land_path"]
        np.testing.assert_allclose(surface_params(rec, path[:, 0], path[:, 1]), rec["params"], atol=1e-12)
        np.testing.assert_allclose(rec["land_path_plane_cost"], rec["land_path_true_cost"], rtol=1e-9)
        np.testing.assert_allclose(rec["land_group_true_cost"][r], rec["land_path_true_cost"])
        assert meta["runs"][name]["lr"] == rec.config["lr"]
    idx = one["land_eval_idx"]
    X, Y = training_set(TrainConfig(**one.config), digits)
    thetas = surface_params(one, one["land_x"][[0, 2, 4]], one["land_y"][[4, 1, 0]])
    np.testing.assert_allclose(one["land_cost"][[4, 1, 0], [0, 2, 4]],
                               naive_cost(one.sizes, thetas, X[idx], one_hot(Y[idx])), rtol=1e-5)


def test_learning_rates_group_refuses_lr(tmp_path, capsys) -> None:
    assert main(["group", "learning-rates", "--lr", "1", "--out", str(tmp_path)]) == 2
    assert "--lr" in capsys.readouterr().err
