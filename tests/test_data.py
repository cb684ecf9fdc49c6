"""IDX files in and out, malformed files rejected clearly, the default digits and label modes."""

import gzip
import hashlib

import numpy as np
import pytest

from nn.data import (
    DEFAULT_DIR,
    IDX_NAMES,
    apply_label_mode,
    load_dataset,
    load_default,
    load_idx_dir,
    read_idx,
    write_idx,
)
from nn.errors import UserError


@pytest.mark.parametrize("name", ["x-idx3-ubyte", "x-idx3-ubyte.gz"])
def test_idx_round_trip_raw_and_gzip(tmp_path, name) -> None:
    array = np.random.default_rng(0).integers(0, 256, (7, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / name, array)
    np.testing.assert_array_equal(read_idx(tmp_path / name), array)


def _header(ndim: int, dims: list[int], code: int = 8) -> bytes:
    return bytes([0, 0, code, ndim]) + np.array(dims, ">u4").tobytes()


MALFORMED = {
    "empty": (b"", "too short"),
    "bad magic": (b"\x12\x34\x08\x01" + np.array([3], ">u4").tobytes() + b"abc", "bad magic"),
    "type not ubyte": (_header(1, [3], code=0x0D) + b"abc", "type code"),
    "zero dims": (bytes([0, 0, 8, 0]), "0 dimensions"),
    "truncated header": (bytes([0, 0, 8, 3]) + b"\x00\x00", "header truncated"),
    "truncated data": (_header(3, [2, 28, 28]) + bytes(100), "truncated"),
    "trailing bytes": (_header(1, [3]) + b"abcd", "trailing"),
    "dims larger than data": (_header(2, [3, 4]) + bytes(5), "truncated"),
    "not gzip": (b"\x1f\x8b" + b"garbage-after-gzip-magic", "gzip"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_idx_is_rejected_with_a_clear_message(tmp_path, case) -> None:
    content, words = MALFORMED[case]
    path = tmp_path / "bad-idx"
    path.write_bytes(content)
    with pytest.raises(UserError, match=words) as err:
        read_idx(path)
    assert str(path) in str(err.value)


def test_truncated_gzip_is_rejected(tmp_path) -> None:
    data = gzip.compress(_header(1, [1000]) + bytes(1000))
    (tmp_path / "t.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match="gzip"):
        read_idx(tmp_path / "t.gz")


def _idx_folder(tmp_path, n_train=6, n_test=4, labels_train=None):
    rng = np.random.default_rng(1)
    write_idx(tmp_path / (IDX_NAMES["train_images"] + ".gz"), rng.integers(0, 256, (n_train, 28, 28)))
    write_idx(tmp_path / IDX_NAMES["train_labels"],
              labels_train if labels_train is not None else rng.integers(0, 10, n_train))
    write_idx(tmp_path / IDX_NAMES["test_images"], rng.integers(0, 256, (n_test, 28, 28)))
    write_idx(tmp_path / IDX_NAMES["test_labels"], rng.integers(0, 10, n_test))
    return tmp_path


def test_folder_of_idx_files_loads(tmp_path) -> None:
    d = load_idx_dir(_idx_folder(tmp_path))
    assert d.x_train.shape == (6, 784) and d.x_test.shape == (4, 784)
    assert 0.0 <= d.x_train.min() and d.x_train.max() <= 1.0


def test_images_and_labels_with_wrong_number_of_dimensions(tmp_path) -> None:
    folder = _idx_folder(tmp_path)
    write_idx(folder / IDX_NAMES["train_labels"], np.zeros((6, 2)))
    with pytest.raises(UserError, match="labels must have 1 dimension"):
        load_idx_dir(folder)
    write_idx(folder / (IDX_NAMES["train_images"] + ".gz"), np.zeros((6, 784)))
    with pytest.raises(UserError, match="images must have 3 dimensions"):
        load_idx_dir(folder)


def test_label_and_image_count_mismatch(tmp_path) -> None:
    with pytest.raises(UserError, match="6 images but 5 labels"):
        load_idx_dir(_idx_folder(tmp_path, labels_train=np.arange(5)))


def test_labels_beyond_the_named_classes_are_rejected(tmp_path) -> None:
    folder = _idx_folder(tmp_path, labels_train=np.array([0, 1, 2, 3, 4, 12]))
    assert load_idx_dir(folder).classes == [str(k) for k in range(13)]  # unnamed: one class per label
    (folder / "classes.txt").write_text("\n".join("abcdefghij"))
    with pytest.raises(UserError, match="names 10 classes but a label is 12"):
        load_idx_dir(folder)


def test_missing_file_and_missing_folder(tmp_path) -> None:
    _idx_folder(tmp_path)
    (tmp_path / IDX_NAMES["test_labels"]).unlink()
    with pytest.raises(UserError, match="missing t10k-labels"):
        load_idx_dir(tmp_path)
    with pytest.raises(UserError, match="no such folder"):
        load_dataset(str(tmp_path / "nope"))


def test_default_digits_are_real_stratified_and_checked() -> None:
    d = load_default()
    assert d.x_train.shape == (4000, 784) and d.x_test.shape == (1000, 784)
    assert np.all(np.bincount(d.y_train) == 400) and np.all(np.bincount(d.y_test) == 100)
    # the split is deterministic, and the same digit never lands in both halves
    again = load_default()
    np.testing.assert_array_equal(again.x_test, d.x_test)
    train_rows = {r.tobytes() for r in (d.x_train * 255).astype(np.uint8)}
    assert not any(r.tobytes() in train_rows for r in (d.x_test * 255).astype(np.uint8))
    sums = dict(line.split()[::-1] for line in (DEFAULT_DIR / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((DEFAULT_DIR / name).read_bytes()).hexdigest() == digest


def test_fashion_mnist_folder_loads(fashion) -> None:
    d = load_idx_dir(fashion)
    assert d.x_train.shape == (60_000, 784) and d.x_test.shape == (10_000, 784)
    assert np.all(np.bincount(d.y_train) == 6000)


def test_shuffled_labels_are_a_permutation() -> None:
    labels = np.repeat(np.arange(10), 50)
    shuffled = apply_label_mode(labels, "shuffled", np.random.default_rng(0))
    assert np.all(np.bincount(shuffled) == 50)
    assert np.mean(shuffled == labels) < 0.3
    assert apply_label_mode(labels, "true", np.random.default_rng(0)) is labels
    with pytest.raises(UserError, match="--labels"):
        apply_label_mode(labels, "noisy", np.random.default_rng(0))
