"""Data in, arrays out: the IDX reader, the embedded default digits, the choice of dataset
(`--data`), and label modes. A folder of one's own images is read by nn/images.py; what the
classes and items are called comes from nn/classes.py.

IDX is the format MNIST and Fashion-MNIST are published in: two zero bytes, a type code (0x08 =
unsigned byte), the number of dimensions, each dimension as a big-endian uint32, then the data.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import math
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from nn.budget import available_memory, human_bytes
from nn.classes import (
    CLASSES_FILE,
    DIGITS,
    FASHION_SHA256,
    KNOWN,
    Naming,
    idx_content_sha256,
    numbered,
    override,
    read_classes_file,
)
from nn.errors import UserError
from nn.fetch import SHA256

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_DIR = ASSETS / "mnist5k"
IDX_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
DEFAULT_TEST_PER_CLASS = 100  # of the 500 per class: 4,000 train and 1,000 test digits


@dataclass
class Dataset:
    """Training and test items: x as float rows in [0, 1] (n x pixels), y as integer labels that
    index `classes` (label k is called classes[k]); `noun` names one item, singular ("digit")."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    sha256: str  # of the source files, so a recording says exactly what it was trained on
    classes: list[str] = dataclasses.field(default_factory=lambda: list(DIGITS))
    noun: str = "digit"
    image_size: int | None = None  # the side images were resized to (folders of images only)

    def describe(self) -> dict:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "train_size": len(self.y_train),
            "test_size": len(self.y_test),
            "classes": list(self.classes),
            "noun": self.noun,
            **({"image_size": self.image_size} if self.image_size else {}),
        }


# -- IDX files -------------------------------------------------------------------------------


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (raw or gzip) of unsigned bytes, checking magic, dimensions and length.

    The header is read first: a gzip body is inflated only up to the size the header declares
    (plus one byte, to notice trailing data), and a declared size beyond this machine's memory is
    refused unread, so a small file can never inflate to gigabytes.
    """
    path = Path(path)
    gz = False
    try:
        with open(path, "rb") as file:
            gz = file.read(2) == b"\x1f\x8b"
            file.seek(0)
            f = gzip.GzipFile(fileobj=file) if gz else file
            shape, header = _idx_header(f, path)
            size = math.prod(shape)  # Python ints: no overflow to 0
            if size > available_memory():
                raise UserError(f"{path}: dimensions {shape} declare {human_bytes(size)}, more than this machine's "
                                "free memory; not an IDX file Downhill can read")
            data = f.read(size + 1)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, expected an IDX file") from None
    except (OSError, EOFError, zlib.error) as e:
        how = "as gzip" if gz else "it"
        raise UserError(f"{path}: cannot read {how} ({e}); download it again") from None
    if len(data) != size:
        what = "truncated" if len(data) < size else "has trailing bytes"
        raise UserError(f"{path}: {what}: dimensions {shape} need {header + size} bytes, file has "
                        f"{header + len(data)}{' or more' if len(data) > size else ''}")
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)


def _idx_header(f: BinaryIO, path: Path) -> tuple[tuple[int, ...], int]:
    """(shape, header length) from the start of an IDX stream."""
    head = f.read(4)
    if len(head) < 4:
        raise UserError(f"{path}: {len(head)} bytes is too short for an IDX file (empty or truncated)")
    if head[0] != 0 or head[1] != 0:
        raise UserError(f"{path}: bad magic number {head.hex()}; not an IDX file")
    if head[2] != 0x08:
        raise UserError(f"{path}: IDX type code 0x{head[2]:02x} is not 0x08 (unsigned byte)")
    ndim = head[3]
    if ndim == 0:
        raise UserError(f"{path}: IDX header declares 0 dimensions")
    header = 4 + 4 * ndim
    dims = f.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise UserError(f"{path}: header truncated ({4 + len(dims)} bytes, needs {header})")
    return tuple(int.from_bytes(dims[i : i + 4], "big") for i in range(0, 4 * ndim, 4)), header


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write unsigned bytes as an IDX file, gzip-compressed when the name ends in .gz."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    data = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, ">u4").tobytes() + array.tobytes()
    if str(path).endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    Path(path).write_bytes(data)


def _find_any(folder: Path, stem: str) -> Path | None:
    """The IDX file `stem` in `folder` under any of its usual names, or None."""
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def _find(folder: Path, stem: str) -> Path:
    found = _find_any(folder, stem)
    if found:
        return found
    raise UserError(
        f"{folder}: missing {stem}[.gz]; a data folder holds the four standard IDX files "
        "(train-images, train-labels, t10k-images, t10k-labels)"
    )


def _images(array: np.ndarray, path: Path) -> np.ndarray:
    if array.ndim != 3:
        raise UserError(f"{path}: images must have 3 dimensions (count, rows, cols), found {array.shape}")
    if len(array) == 0:
        raise UserError(f"{path}: holds no images")
    return array.reshape(len(array), array.shape[1] * array.shape[2])


def _labels(array: np.ndarray, path: Path) -> np.ndarray:
    if array.ndim != 1:
        raise UserError(f"{path}: labels must have 1 dimension, found {array.shape}")
    return array.astype(np.int64)


def _pair(folder: Path, images_stem: str, labels_stem: str) -> tuple[np.ndarray, np.ndarray, list[Path], set[str]]:
    """Images, labels, their paths and the SHA-256 of their decompressed contents."""
    ipath, lpath = _find(folder, images_stem), _find(folder, labels_stem)
    raw_x, raw_y = read_idx(ipath), read_idx(lpath)
    x, y = _images(raw_x, ipath), _labels(raw_y, lpath)
    if len(x) != len(y):
        raise UserError(f"{folder}: {len(x)} images but {len(y)} labels ({ipath.name}, {lpath.name})")
    if len(x) == 0:
        raise UserError(f"{ipath}: holds no images")
    return x, y, [ipath, lpath], {idx_content_sha256(raw_x), idx_content_sha256(raw_y)}


def _sha256(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def load_idx_dir(folder: str | os.PathLike, name: str | None = None) -> Dataset:
    """Read a folder with the four standard IDX files (MNIST, Fashion-MNIST, ...), naming its classes
    as nn/classes.py says (Fashion-MNIST by its contents, else classes.txt, else "0", "1", ...)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"--data {folder}: no such folder; give 'default' or a folder of IDX files")
    xtr, ytr, ptr, htr = _pair(folder, IDX_NAMES["train_images"], IDX_NAMES["train_labels"])
    xte, yte, pte, hte = _pair(folder, IDX_NAMES["test_images"], IDX_NAMES["test_labels"])
    if xtr.shape[1] != xte.shape[1]:
        raise UserError(f"{folder}: train images have {xtr.shape[1]} pixels, test images {xte.shape[1]}")
    top = int(max(ytr.max(), yte.max()))
    naming = KNOWN["fashion-mnist"] if htr | hte == FASHION_SHA256 else \
        KNOWN["mnist"] if {_sha256([p]) for p in ptr + pte} == set(SHA256["mnist"].values()) else \
        _named_in(folder, top + 1)
    if top >= len(naming.classes):
        raise UserError(f"{folder / CLASSES_FILE}: names {len(naming.classes)} classes but a label is {top}; "
                        f"name one class per label 0..{top}")
    return Dataset(name or folder.name, xtr / 255.0, ytr, xte / 255.0, yte, _sha256(ptr + pte),
                   naming.classes, naming.noun)


def _named_in(folder: Path, labels: int) -> Naming:
    """The names a classes.txt in the folder gives, else "0", "1", ... and "image"."""
    if (folder / CLASSES_FILE).is_file():
        names, noun = read_classes_file(folder / CLASSES_FILE)
        return Naming(names or numbered(labels).classes, noun or "image")
    return numbered(labels)


# -- the embedded default ----------------------------------------------------------------------


def load_default() -> Dataset:
    """5,000 real MNIST digits (500 per class) from assets/, split 400/100 per class, stratified.

    The split is deterministic: within each class, the first 400 digits in file order train and
    the last 100 test. The files' SHA-256 is checked against assets/mnist5k/SHA256SUMS.
    """
    expected = dict(
        line.split()[::-1] for line in (DEFAULT_DIR / "SHA256SUMS").read_text().splitlines() if line.strip()
    )
    for name, digest in expected.items():
        actual = hashlib.sha256((DEFAULT_DIR / name).read_bytes()).hexdigest()
        if actual != digest:
            raise UserError(
                f"{DEFAULT_DIR / name}: SHA-256 mismatch; rebuild it with "
                "`python assets/mnist5k/build.py` or restore it from git"
            )
    ipath, lpath = DEFAULT_DIR / "images-idx3-ubyte.gz", DEFAULT_DIR / "labels-idx1-ubyte.gz"
    x, y = _images(read_idx(ipath), ipath), _labels(read_idx(lpath), lpath)
    test = np.zeros(len(y), dtype=bool)
    for digit in range(10):
        test[np.flatnonzero(y == digit)[-DEFAULT_TEST_PER_CLASS:]] = True
    return Dataset("mnist-5k", x[~test] / 255.0, y[~test], x[test] / 255.0, y[test], _sha256([ipath, lpath]))


def load_dataset(spec: str, image_size: int = 28, classes: str | None = None) -> Dataset:
    """'default' for the embedded digits, else a folder of IDX files, else a folder of class
    subfolders of images (resized to image_size x image_size); `classes` renames the classes
    (`--classes`: fashion-mnist, mnist, digits or a classes file, see nn/classes.py)."""
    folder = Path(spec)
    if spec == "default":
        data = load_default()
    elif folder.is_dir() and not any(_find_any(folder, stem) for stem in IDX_NAMES.values()):
        if not any(p.is_dir() and not p.name.startswith(".") for p in folder.iterdir()):
            raise UserError(f"--data {folder}: holds neither the four IDX files (train-images-idx3-ubyte[.gz], "
                            f"...) nor one subfolder of images per class ({folder}/cat/*.png, ...)")
        from nn.images import load_image_folder

        data = load_image_folder(folder, image_size)
    else:
        data = load_idx_dir(spec)
    named = override(Naming(data.classes, data.noun), classes)
    return dataclasses.replace(data, classes=named.classes, noun=named.noun)


def reload(meta: dict) -> Dataset:
    """The data a recording's meta names (config.data), read again as training read it."""
    return load_dataset(meta["config"]["data"], meta["dataset"].get("image_size") or 28)


# -- labels ----------------------------------------------------------------------------------


def one_hot(labels: np.ndarray, classes: int = 10, dtype: type = np.float64) -> np.ndarray:
    """Rows y with y[label] = 1 and 0 elsewhere: the desired outputs."""
    out = np.zeros((len(labels), classes), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1.0
    return out


def apply_label_mode(labels: np.ndarray, mode: str, rng: np.random.Generator) -> np.ndarray:
    """'true' keeps labels; 'shuffled' permutes them across the set (Zhang et al. 2016)."""
    if mode == "true":
        return labels
    if mode == "shuffled":
        return rng.permutation(labels)
    raise UserError(f"--labels {mode}: choose 'true' or 'shuffled'")
