"""Inputs that would exhaust the machine or crash the IDX reader: refused up front, in one line."""

import errno
import gzip
import os
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn.cli import main
from nn.data import IDX_NAMES, load_idx_dir, read_idx, write_idx
from nn.errors import UserError


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("args, words", [
    (["train", "--epochs", "1000000000"], "TB of memory"),
    (["train", "--sizes", "784,100000000000,10"], "PB of memory"),
    (["train", "--seed", "-1"], "--seed"),
    (["group", "seeds", "--seeds", "10000000"], "years of training"),
    (["group", "seeds", "--seed", "-1"], "--seed"),
    (["landscape", "RUN", "--seed", "-1"], "--seed"),
    (["landscape", "RUN", "--span", "inf"], "--span"),
])
def test_absurd_options_are_refused_with_the_figure(args, words, tmp_path, tiny_run, capsys) -> None:
    args = [str(tiny_run) if a == "RUN" else a for a in args]
    out = [] if args[0] == "landscape" else ["--out", str(tmp_path / "out")]
    assert main([*args, *out]) == 2
    assert words in one_line(capsys)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_output_paths_are_checked_before_training(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "file").write_text("")
    assert main(["group", "seeds", "--out", str(tmp_path / "file")]) == 2
    assert "is a file" in one_line(capsys)
    assert main(["train", "--out", str(tmp_path)]) == 2  # a folder where the file should go
    assert "is a folder" in one_line(capsys)
    readonly = tmp_path / "ro"
    readonly.mkdir()
    real_open = os.open

    def read_only_fs(path, *args, **kwargs):
        if str(path).startswith(str(readonly)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real_open(path, *args, **kwargs)

    def never(*args, **kwargs):
        raise AssertionError("trained before checking --out")

    monkeypatch.setattr(os, "open", read_only_fs)
    monkeypatch.setattr("nn.train.train", never)
    assert main(["train", "--out", str(readonly / "run.npz")]) == 2
    assert "Read-only file system" in one_line(capsys)


def test_a_gzip_that_inflates_far_beyond_its_header_is_cut_off(tmp_path) -> None:
    header = bytes([0, 0, 8, 1]) + np.array([1000], ">u4").tobytes()
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(header + bytes(1000 + 50_000_000), compresslevel=9))
    tracemalloc.start()
    try:
        with pytest.raises(UserError, match="trailing bytes"):
            read_idx(tmp_path / "bomb.gz")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # read the declared 1,000 bytes (+1), not 50 MB


@pytest.mark.parametrize("dims, words", [
    ([65536, 65536, 65536, 65536], "memory"),  # 2^64 bytes: overflows to 0 in int64
    ([2**32 - 1, 2**32 - 1, 28], "memory"),
    ([0, 28, 28], None),
])
def test_headers_with_absurd_dimensions(tmp_path, dims, words) -> None:
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(bytes([0, 0, 8, len(dims)]) + np.array(dims, ">u4").tobytes()))
    if words:
        with pytest.raises(UserError, match=words):
            read_idx(path)
    else:
        assert read_idx(path).shape == tuple(dims)


def test_corrupt_gzip_body_and_empty_image_set(tmp_path) -> None:
    good = gzip.compress(bytes([0, 0, 8, 1]) + np.array([100], ">u4").tobytes() + bytes(range(100)))
    bad = bytearray(good)
    bad[15] ^= 0xFF  # inside the deflate stream
    (tmp_path / "bad.gz").write_bytes(bytes(bad))
    with pytest.raises(UserError, match="gzip"):
        read_idx(tmp_path / "bad.gz")
    write_idx(tmp_path / (IDX_NAMES["train_images"] + ".gz"), np.zeros((0, 28, 28)))
    write_idx(tmp_path / IDX_NAMES["train_labels"], np.zeros(0))
    write_idx(tmp_path / IDX_NAMES["test_images"], np.zeros((2, 28, 28)))
    write_idx(tmp_path / IDX_NAMES["test_labels"], np.zeros(2))
    with pytest.raises(UserError, match="holds no images"):
        load_idx_dir(tmp_path)


DIM = st.sampled_from([0, 1, 2, 3, 28, 255, 65536, 2**31, 2**32 - 1]) | st.integers(0, 2**32 - 1)


@settings(max_examples=150, deadline=None)
@given(prefix=st.sampled_from([b"\x00\x00\x08", b"\x00\x00\x09", b"\x12\x34\x08"]) | st.binary(max_size=3),
       dims=st.lists(DIM, max_size=5), ndim=st.none() | st.integers(0, 255), body=st.binary(max_size=64),
       compress=st.booleans(), cut=st.none() | st.integers(0, 200), flip=st.none() | st.integers(0, 200))
def test_any_idx_header_or_gzip_body_reads_or_is_one_user_error(tmp_path_factory, prefix, dims, ndim, body,
                                                                compress, cut, flip) -> None:
    raw = prefix + bytes([len(dims) if ndim is None else ndim]) + np.array(dims, ">u4").tobytes() + body
    if compress:
        raw = gzip.compress(raw)
    raw = bytearray(raw[:cut] if cut is not None else raw)
    if flip is not None and raw:
        raw[flip % len(raw)] ^= 0x5A
    path = tmp_path_factory.mktemp("idx") / "x-idx3-ubyte"
    path.write_bytes(bytes(raw))
    try:
        array = read_idx(path)
    except UserError as e:
        assert "\n" not in str(e) and str(path) in str(e)
        return
    assert array.dtype == np.uint8 and array.ndim >= 1
