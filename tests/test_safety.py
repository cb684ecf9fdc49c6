"""What the tool promises about your files: no command silently damages a recording."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nn.atomic import atomic_write, clean_stale_parts, exclusive
from nn.cli import main
from nn.data import IDX_NAMES, write_idx
from nn.errors import UserError
from nn.recording import load, save_run
from nn.train import TrainConfig, train

ROOT = Path(__file__).resolve().parent.parent
LANDSCAPE = ["--grid", "3", "--eval-samples", "20"]


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[-1].startswith("error:") and sum(line.startswith("error:") for line in err) == 1, err
    assert not any("Traceback" in line for line in err)
    return err[-1]


@pytest.fixture
def run(tiny_run, tmp_path) -> Path:
    path = tmp_path / "run.npz"
    shutil.copy(tiny_run, path)
    return path


@pytest.mark.parametrize("span", ["inf", "1e308", "1e200", "nan", "-1"])
def test_a_landscape_that_would_not_load_is_never_written(run, span, capsys) -> None:
    before = run.read_bytes()
    assert main(["landscape", str(run), "--span", span, *LANDSCAPE]) == 2
    assert "span" in one_error_line(capsys)
    assert run.read_bytes() == before and load(run).status == "complete"


def test_save_refuses_what_the_loader_would_refuse(run) -> None:
    rec, before = load(run), run.read_bytes()
    rec.arrays["land_cost"] = rec["land_cost"] * np.nan
    with pytest.raises(UserError, match="would not load.*land_cost contains NaN"):
        rec.save(run)
    rec = load(run)
    rec.arrays["land_new_thing"] = np.array([1.0, np.inf])  # unknown land_* arrays: numbers, finite
    with pytest.raises(UserError, match="land_new_thing contains NaN"):
        rec.save(run)
    assert run.read_bytes() == before and sorted(p.name for p in run.parent.iterdir()) == ["run.npz"]


def test_replacing_a_file_keeps_its_permissions_and_new_files_follow_umask(run, tmp_path) -> None:
    run.chmod(0o600)
    assert main(["landscape", str(run), *LANDSCAPE]) == 0
    assert run.stat().st_mode & 0o777 == 0o600
    old = os.umask(0o027)
    try:
        load(run).save(tmp_path / "new.npz")
    finally:
        os.umask(old)
    assert (tmp_path / "new.npz").stat().st_mode & 0o777 == 0o640


def test_temp_files_are_private_while_written(tmp_path) -> None:
    with atomic_write(tmp_path / "f") as f:
        f.write(b"x")
        (part,) = tmp_path.glob(".f.*.part")
        assert part.stat().st_mode & 0o077 == 0


def test_a_symlink_is_written_through_not_replaced(run, tmp_path) -> None:
    link = tmp_path / "link.npz"
    link.symlink_to(run.name)
    assert main(["landscape", str(link), "--method", "random", *LANDSCAPE]) == 0
    assert link.is_symlink() and os.readlink(link) == run.name
    assert load(run).landscape_meta["method"] == "random"


def test_landscape_refuses_data_that_changed_since_training(tmp_path, capsys) -> None:
    rng = np.random.default_rng(0)
    data = tmp_path / "data"
    data.mkdir()
    for key, n in (("train", 60), ("t10k", 20)):
        write_idx(data / IDX_NAMES[f"{'test' if key == 't10k' else 'train'}_images"], rng.integers(0, 256, (n, 28, 28)))
        write_idx(data / IDX_NAMES[f"{'test' if key == 't10k' else 'train'}_labels"], np.arange(n) % 10)
    out = tmp_path / "run.npz"
    assert main(["train", "--data", str(data), "--sizes", "784,3,10", "--epochs", "2", "--snapshots", "4",
                 "--out", str(out)]) == 0
    write_idx(data / IDX_NAMES["train_images"], rng.integers(0, 256, (60, 28, 28)))  # other digits
    capsys.readouterr()
    before = out.read_bytes()
    assert main(["landscape", str(out), *LANDSCAPE]) == 2
    assert "no longer the data" in one_error_line(capsys) and out.read_bytes() == before


def test_a_second_writer_is_refused_while_the_first_holds_the_file(run, capsys) -> None:
    before = run.read_bytes()
    with exclusive(run, fix="x"):  # another command is writing this recording
        assert main(["landscape", str(run), *LANDSCAPE]) == 2
        assert f"pid {os.getpid()}" in one_error_line(capsys)
        assert main(["train", "--epochs", "1", "--out", str(run)]) == 2
        assert "being written by another command" in one_error_line(capsys)
    assert run.read_bytes() == before and not list(run.parent.glob(".*"))  # lock file gone too
    assert main(["landscape", str(run), *LANDSCAPE]) == 0  # free again


def test_a_file_replaced_behind_our_back_is_not_overwritten(run, small_run) -> None:
    rec = load(run)
    shutil.copy(small_run.path, run)  # e.g. a `cp` while the landscape was being computed
    with pytest.raises(UserError, match="changed by another command"):
        rec.save(run, only_if_unchanged=True)
    assert load(run).sizes == small_run.sizes


def start_training(out: Path, *extra: str) -> subprocess.Popen:
    """`nn train` in a child process, returned once it reports training progress."""
    proc = subprocess.Popen([sys.executable, "-m", "nn", "train", "--epochs", "2000", *extra, "--out", str(out)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"})
    deadline = time.monotonic() + 60
    for line in proc.stderr:
        if line.startswith("training: step"):
            return proc
        assert time.monotonic() < deadline, "no training progress within 60 s"
    raise AssertionError(f"training never reported progress (exit {proc.wait()})")


def test_concurrent_train_and_landscape_lose_nothing(run, capsys) -> None:
    proc = start_training(run)
    try:
        assert main(["landscape", str(run), *LANDSCAPE]) == 2
        assert "being written by another command" in one_error_line(capsys)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert load(run).status == "complete"  # the complete run stays ...
    assert load(run.with_name("run.interrupted.npz")).status == "interrupted"  # ... and the new one is beside it


def test_ctrl_c_over_a_complete_run_keeps_it_and_its_landscape(run) -> None:
    before = run.read_bytes()
    proc = start_training(run, "--sizes", "784,4,10")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert run.read_bytes() == before and load(run).has_landscape
    beside = run.with_name("run.interrupted.npz")
    assert load(beside).status == "interrupted" and str(beside) in " ".join(err.split())


def test_an_unfinished_run_goes_beside_a_complete_one_but_replaces_an_unfinished_one(run, digits) -> None:
    cut = train(TrainConfig(sizes=[784, 4, 10], epochs=1, snapshots=4, train_size=100), digits)
    cut.meta["status"] = "interrupted"
    assert save_run(cut, run) == run.with_name("run.interrupted.npz")
    assert save_run(cut, run) == run.with_name("run.interrupted-2.npz")
    other = run.with_name("other.npz")
    save_run(cut, other)
    assert save_run(cut, other) == other


def test_temp_files_of_a_killed_writer_are_cleaned_up(run) -> None:
    code = ("import sys, time; from nn.atomic import atomic_write\n"
            "with atomic_write(sys.argv[1]) as f:\n    f.write(b'half'); f.flush(); print('writing', flush=True); "
            "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(run)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (stale,) = run.parent.glob(".run.npz.*.part")
    live = run.parent / f".run.npz.{os.getpid()}.abc.part"  # a write in progress: left alone
    live.write_bytes(b"")
    assert load(run).status == "complete"
    assert main(["landscape", str(run), *LANDSCAPE]) == 0
    assert not stale.exists() and live.exists()
    live.unlink()
    assert clean_stale_parts(run) == []


def test_a_blown_up_run_is_reported_as_diverged(tmp_path, capsys) -> None:
    out = tmp_path / "big.npz"
    assert main(["train", "--lr", "1e308", "--epochs", "2", "--sizes", "784,4,10", "--train-size", "100",
                 "--out", str(out)]) == 2
    line = one_error_line(capsys)
    assert "diverged" in line and "stuck" in line and "--lr 3.0" in line
    rec = load(out)
    assert rec.status == "diverged" and "stuck" in rec.meta["diverged"]
    assert main(["landscape", str(out), "--method", "random", *LANDSCAPE]) in (0, 2)
    assert load(out).status == "diverged"  # whatever the landscape did, the file still loads


def test_healthy_runs_are_not_taken_for_blown_up(digits) -> None:
    for lr in (0.5, 3.0, 10.0):
        assert train(TrainConfig(epochs=2, snapshots=4, lr=lr), digits).status == "complete"
