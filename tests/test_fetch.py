"""`nn fetch` against a real HTTP server on 127.0.0.1: good files kept, bad checksums rejected."""

import hashlib
import http.server
import threading

import numpy as np
import pytest

from nn import fetch as fetch_module
from nn.cli import main
from nn.data import load_idx_dir, write_idx


@pytest.fixture
def server(tmp_path):
    """Serve tmp_path/served over HTTP on loopback; yields (base_url, folder, request log)."""
    folder = tmp_path / "served"
    folder.mkdir()
    log = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, fmt, *args):
            log.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder, log
    httpd.shutdown()


def _publish(folder, monkeypatch) -> None:
    """Small real IDX files standing in for MNIST, with their SHA-256 as the published sums."""
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (20, 28, 28)),
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, 20),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (10, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 10),
    }
    sums = {}
    for name, array in arrays.items():
        write_idx(folder / name, array)
        sums[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    monkeypatch.setitem(fetch_module.SHA256, "mnist", sums)


def test_fetch_downloads_checks_and_skips_what_is_present(server, tmp_path, monkeypatch, capsys) -> None:
    url, served, log = server
    _publish(served, monkeypatch)
    dest = tmp_path / "mnist"
    assert main(["fetch", "mnist", "--dir", str(dest), "--base-url", url]) == 0
    assert load_idx_dir(dest).x_train.shape == (20, 784)
    assert len(log) == 4
    assert main(["fetch", "mnist", "--dir", str(dest), "--base-url", url]) == 0
    assert len(log) == 4  # nothing downloaded the second time
    assert "present, SHA-256 ok" in capsys.readouterr().err


def test_checksum_mismatch_keeps_nothing(server, tmp_path, monkeypatch, capsys) -> None:
    url, served, _ = server
    _publish(served, monkeypatch)
    (served / "t10k-images-idx3-ubyte.gz").write_bytes(b"tampered")
    dest = tmp_path / "mnist"
    assert main(["fetch", "mnist", "--dir", str(dest), "--base-url", url]) == 2
    err = capsys.readouterr().err
    assert "t10k-images-idx3-ubyte.gz" in err and "SHA-256" in err
    assert not (dest / "t10k-images-idx3-ubyte.gz").exists()
    assert not list(dest.glob("*.part"))  # no half-written temp files either


def test_missing_file_on_server_is_reported(server, tmp_path, monkeypatch, capsys) -> None:
    url, served, _ = server
    _publish(served, monkeypatch)
    (served / "train-labels-idx1-ubyte.gz").unlink()
    assert main(["fetch", "mnist", "--dir", str(tmp_path / "m"), "--base-url", url]) == 2
    assert "could not get train-labels-idx1-ubyte.gz" in capsys.readouterr().err
