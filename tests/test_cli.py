"""The command line: user errors exit 2 with one clear line; Ctrl-C keeps the recording."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nn.cli import main
from nn.recording import load

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nn", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, **kwargs)


def test_train_and_info(tmp_path) -> None:
    out = tmp_path / "run.npz"
    done = run_cli("train", "--epochs", "1", "--snapshots", "5", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert load(out).status == "complete"
    info = run_cli("info", str(out))
    assert info.returncode == 0
    assert "784-16-16-10" in info.stdout and "complete" in info.stdout and "test accuracy" in info.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["train", "--out", "x.npz", "--data", "/nonexistent"], "no such folder"),
        (["train", "--out", "x.npz", "--lr", "-2"], "learning rate"),
        (["train", "--out", "x.npz", "--epochs", "0"], "--epochs"),
        (["train", "--out", "x.npz", "--sizes", "784,16,9"], "10 neurons"),
        (["train", "--out", "x.npz", "--sizes", "100,10"], "784 pixels"),
        (["train", "--out", "x.npz", "--batch-size", "0"], "--batch-size"),
        (["train", "--out", "x.npz", "--labels", "random"], "invalid choice"),
        (["train"], "--out"),
        (["info", "/nonexistent/run.npz"], "no such recording"),
        (["landscape", "/nonexistent/run.npz"], "no such recording"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_user_errors_exit_2_with_one_line(args, words, capsys) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and err.startswith("error:") and len(err.splitlines()) == 1


def test_corrupt_recording_via_the_real_command(tmp_path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file at all")
    done = run_cli("info", str(bad))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "python -m nn train" in done.stderr


def test_unwritable_output_is_a_user_error(tmp_path) -> None:
    (tmp_path / "file").write_text("")
    done = run_cli("train", "--epochs", "1", "--out", str(tmp_path / "file" / "run.npz"))
    assert done.returncode == 2 and "cannot write" in done.stderr and "Traceback" not in done.stderr


def test_ctrl_c_during_training_keeps_a_loadable_recording(tmp_path) -> None:
    out = tmp_path / "cut.npz"
    proc = subprocess.Popen([sys.executable, "-m", "nn", "train", "--epochs", "2000", "--out", str(out)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "120"})
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # off a terminal, training prints a plain progress line every 10 s
        if line.startswith("training: step") or time.monotonic() > deadline:
            break
    assert line.startswith("training: step"), line
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    rec = load(out)
    assert rec.status == "interrupted"
    assert 0 < rec.meta["steps_done"] < rec.meta["steps_planned"]
    assert rec["snap_step"][-1] == rec.meta["steps_done"]
