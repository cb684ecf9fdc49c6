"""Training records what it should; recordings round-trip; bad recordings are rejected clearly."""

import json
import shutil
import signal
import zipfile

import numpy as np
import pytest

from nn.data import load_idx_dir
from nn.errors import UserError
from nn.network import Network
from nn.recording import load
from nn.train import TrainConfig, snapshot_steps, train


def test_recording_round_trip(small_run) -> None:
    again = load(small_run.path)
    assert again.meta == small_run.meta
    assert again.arrays.keys() == small_run.arrays.keys()
    for name, array in small_run.arrays.items():
        np.testing.assert_array_equal(again[name], array)


def test_recording_contents_are_consistent(small_run, digits) -> None:
    r = small_run
    assert r.status == "complete" and r.meta["format"] == "downhill-recording" and r.meta["version"] == 1
    steps = r["snap_step"]
    assert steps[0] == 0 and steps[-1] == len(r["step_cost"]) == 2 * 400
    # snapshot 0 is the initial network; each recorded gradient is the step actually taken: check it
    # at every pair of snapshots one step apart (there are several: snapshots are dense early)
    ones = np.flatnonzero(np.diff(steps) == 1)
    assert len(ones) >= 3 and ones[0] == 0
    for k in ones:
        np.testing.assert_allclose(r["params"][k + 1], r["params"][k] - 3.0 * r["grads"][k], rtol=1e-12, atol=1e-15)
    # the recorded outputs on the probe digits are the network's outputs at that snapshot
    np.testing.assert_allclose(r["probe_out"][-1], r.network(-1).forward(r["probe_x"]), rtol=1e-12)
    assert sorted(r["probe_y"][:10]) == list(range(10))
    # epoch arrays: index 0 before training, then one per epoch, and they agree with the weights
    assert len(r["epoch_test_acc"]) == 3
    assert r.network(-1).accuracy(digits.x_test, digits.y_test) == pytest.approx(r["epoch_test_acc"][-1])
    assert r.network(0).accuracy(digits.x_test, digits.y_test) == pytest.approx(r["epoch_test_acc"][0])


def test_snapshots_are_dense_early_and_sparse_late() -> None:
    steps = snapshot_steps(12_000, 80)
    assert len(steps) == 80 and steps[0] == 0 and steps[-1] == 12_000 and np.all(np.diff(steps) > 0)
    gaps = np.diff(steps)
    assert gaps[:10].max() < gaps[-10:].min()


def test_same_seed_gives_identical_recordings(digits) -> None:
    a = train(TrainConfig(epochs=1, snapshots=8, seed=5), digits)
    b = train(TrainConfig(epochs=1, snapshots=8, seed=5), digits)
    c = train(TrainConfig(epochs=1, snapshots=8, seed=6), digits)
    for name in a.arrays:
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["params"], c["params"])


def test_default_run_reaches_85_percent_on_the_embedded_digits(digits) -> None:
    rec = train(TrainConfig(epochs=30, batch_size=10, snapshots=10), digits)
    assert rec["epoch_test_acc"][-1] >= 0.85


def test_one_epoch_of_fashion_mnist_reaches_75_percent(fashion) -> None:
    rec = train(TrainConfig(epochs=1, snapshots=4), load_idx_dir(fashion))
    assert rec["epoch_test_acc"][-1] >= 0.75


def test_float32_training(digits) -> None:
    rec = train(TrainConfig(epochs=2, snapshots=4, dtype="float32"), digits)
    assert rec["epoch_test_acc"][-1] > 0.7


def test_ctrl_c_keeps_a_loadable_interrupted_recording(digits, tmp_path) -> None:
    def press_ctrl_c(progress) -> None:
        if progress.step >= 600:
            signal.raise_signal(signal.SIGINT)

    rec = train(TrainConfig(epochs=5, snapshots=30), digits, on_progress=press_ctrl_c)
    rec.save(tmp_path / "cut.npz")
    again = load(tmp_path / "cut.npz")
    assert again.status == "interrupted"
    done = again.meta["steps_done"]
    assert 600 <= done < 2000 and len(again["step_cost"]) == done and again["snap_step"][-1] == done
    assert len(again["epoch_test_acc"]) == 2  # before training + the one finished epoch


def test_divergence_keeps_history_and_says_so(digits, monkeypatch) -> None:
    # A sigmoid network saturates rather than overflowing, so make step 250 overflow the way a
    # float overflow would (cost NaN) and check what the recording keeps.
    real_backprop, calls = Network.backprop, []

    def overflow_at_250(self, X, Y):
        calls.append(1)
        return float("nan") if len(calls) > 250 else real_backprop(self, X, Y)

    monkeypatch.setattr(Network, "backprop", overflow_at_250)
    rec = train(TrainConfig(epochs=2, snapshots=10), digits)
    assert rec.status == "diverged"
    assert rec.meta["steps_done"] == 250 and len(rec["step_cost"]) == 250
    assert rec["snap_step"][-1] < 250
    assert np.all(np.isfinite(rec["params"])) and np.all(np.isfinite(rec["step_cost"]))


def _rewrite(src, dst, **changes) -> None:
    with np.load(src) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays["meta"]))
    for key, value in changes.items():
        if key == "meta":
            meta.update(value)
        elif value is None:
            del arrays[key]
        else:
            arrays[key] = value
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(dst, **arrays)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"meta": {"version": 2}}, "version 2 is not supported"),
        ({"meta": {"format": "something-else"}}, "not 'downhill-recording'"),
        ({"meta": {"status": "weird"}}, "status"),
        ({"params": None}, "missing arrays params"),
        ({"grads": np.zeros((3, 3))}, "grads has shape"),
    ],
)
def test_bad_recordings_are_rejected_clearly(small_run, tmp_path, change, words) -> None:
    _rewrite(small_run.path, tmp_path / "bad.npz", **change)
    with pytest.raises(UserError, match=words):
        load(tmp_path / "bad.npz")


def test_nan_in_a_recording_is_rejected(small_run, tmp_path) -> None:
    params = small_run["params"].copy()
    params[2, 7] = np.nan
    _rewrite(small_run.path, tmp_path / "nan.npz", params=params)
    with pytest.raises(UserError, match="params contains NaN"):
        load(tmp_path / "nan.npz")


def test_corrupt_truncated_and_missing_files(small_run, tmp_path) -> None:
    data = small_run.path.read_bytes()
    (tmp_path / "half.npz").write_bytes(data[: len(data) // 2])
    (tmp_path / "noise.npz").write_bytes(np.random.default_rng(0).bytes(5000))
    for name in ("half.npz", "noise.npz", "absent.npz"):
        with pytest.raises(UserError, match="python -m nn train"):
            load(tmp_path / name)


def test_pickled_arrays_are_refused(small_run, tmp_path) -> None:
    with np.load(small_run.path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["probe_y"] = np.array([{"evil": 1}], dtype=object)
    np.savez(tmp_path / "pickle.npz", **arrays)
    with pytest.raises(UserError, match="corrupt"):
        load(tmp_path / "pickle.npz")


def test_saving_is_atomic(small_run, tmp_path, monkeypatch) -> None:
    target = tmp_path / "run.npz"
    shutil.copy(small_run.path, target)
    before = target.read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("disk died mid-write")

    monkeypatch.setattr(np, "savez", explode)
    with pytest.raises(RuntimeError):
        small_run.save(target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]
    assert zipfile.is_zipfile(target)
