"""A folder of one's own images as a dataset: one subfolder per class, as image tools lay them out.

    DIR/cat/001.png, DIR/cat/002.jpg, ..., DIR/dog/...         (class names = subfolder names, sorted)
    DIR/train/cat/..., DIR/test/cat/...                         (optional: a given test set)

Each image is read with Pillow, converted to grey ("L", alpha ignored), stretched to size x size
pixels (28 x 28 by default, like MNIST) and scaled to [0, 1]. Without a `test/` subfolder the split is
deterministic and stratified: in each class, in file-name order, every fifth image (the 5th, 10th,
...) is a test image, and a class of fewer than five images gives its last one. With `DIR/test/`,
that is the test set and the training set is `DIR/train/` if present, else the other subfolders.

Refused with one line each: no class subfolders, one class only, a class without images, a file
that is not a readable image (or is larger than MAX_PIXELS), and a mix of colour and grey images
(converting colour to grey makes those images look unlike the grey ones). The dataset's SHA-256
covers every file read: its path relative to DIR and its bytes, in the order read (training set then
test set; classes and files in name order).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from nn.data import Dataset
from nn.errors import UserError

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm")
GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
MAX_PIXELS = 40_000_000  # per image: a photo is a few megapixels; more is a decompression bomb or a mistake
TEST_EVERY = 5


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _images_in(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in EXTENSIONS
                   and not p.name.startswith("."))
    if not files:
        raise UserError(f"{folder}: no images ({', '.join(EXTENSIONS[:4])}, ...); every class folder needs some")
    return files


def _read(path: Path, size: int) -> tuple[np.ndarray, bool, bytes]:
    """(size * size grey pixels in 0..255, row by row; whether the image is in colour, the file's bytes)."""
    try:
        data = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise UserError(f"{path}: {im.width} x {im.height} pixels is more than {MAX_PIXELS:,}; "
                                    "shrink it or leave it out")
                colour = _is_colour(im)
                grey = im.convert("L").resize((size, size), Image.Resampling.LANCZOS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise UserError(f"{path}: refused as a decompression bomb ({e})") from None
    except UnidentifiedImageError:
        raise UserError(f"{path}: not an image Pillow can read; remove it or save it again as PNG") from None
    except (OSError, ValueError, SyntaxError) as e:
        raise UserError(f"{path}: not a readable image ({e}); remove it or save it again as PNG") from None
    return np.asarray(grey, dtype=np.uint8).reshape(-1), colour, data


def _is_colour(im: Image.Image) -> bool:
    """Colour images: every mode but grey ones; a palette image counts by its palette's colours."""
    if im.mode in GREY_MODES:
        return False
    if im.mode in ("P", "PA"):
        rgb = np.asarray(im.convert("RGB"))
        return bool(np.any(rgb[..., 0] != rgb[..., 1]) or np.any(rgb[..., 1] != rgb[..., 2]))
    return True


def _split(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(train, test) within one class: every TEST_EVERY-th file tests; under TEST_EVERY, the last."""
    if len(files) < 2:
        raise UserError(f"{files[0].parent}: one image only; a class needs at least two (one to train, one to "
                        "test), or a test/ folder")
    test = set(files[TEST_EVERY - 1 :: TEST_EVERY]) or {files[-1]}
    return [f for f in files if f not in test], [f for f in files if f in test]


def load_image_folder(folder: Path, size: int = 28) -> Dataset:
    """The dataset in a folder of class subfolders, images stretched to size x size."""
    if not 2 <= size <= 512:
        raise UserError(f"--image-size {size}: choose a side between 2 and 512 pixels (28 is MNIST's)")
    test_dir = folder / "test"
    train_dir = folder / "train" if (folder / "train").is_dir() and test_dir.is_dir() else folder
    classes = [p.name for p in _subfolders(train_dir) if not (train_dir == folder and p.name == "test")]
    if not classes:
        raise UserError(f"{folder}: no class subfolders; put each class's images in a folder of its own "
                        f"({folder}/cat/*.png, {folder}/dog/*.png, ...)")
    if len(classes) == 1:
        raise UserError(f"{folder}: only one class ({classes[0]}); a classifier needs at least two class folders")
    split: dict[str, list[tuple[Path, int]]] = {"train": [], "test": []}
    for label, name in enumerate(classes):
        files = _images_in(train_dir / name)
        if test_dir.is_dir():
            if not (test_dir / name).is_dir():
                raise UserError(f"{test_dir}: no folder {name}/; the test set needs every class of the training set")
            train, test = files, _images_in(test_dir / name)
        else:
            train, test = _split(files)
        split["train"] += [(f, label) for f in train]
        split["test"] += [(f, label) for f in test]
    if test_dir.is_dir():
        extra = sorted(set(p.name for p in _subfolders(test_dir)) - set(classes))
        if extra:
            raise UserError(f"{test_dir}: class folder {extra[0]}/ has no training folder beside it")
    return _read_all(folder, split, size, classes)


def _read_all(folder: Path, split: dict[str, list[tuple[Path, int]]], size: int, classes: list[str]) -> Dataset:
    h = hashlib.sha256()
    arrays, colour_seen = {}, {}
    for part, items in split.items():
        x = np.empty((len(items), size * size), np.uint8)
        for i, (path, _) in enumerate(items):
            x[i], colour, data = _read(path, size)
            colour_seen.setdefault(colour, path)
            if len(colour_seen) == 2:
                raise UserError(f"{folder}: mixes colour images ({colour_seen[True]}) and grey ones "
                                f"({colour_seen[False]}); save them all in colour or all in grey")
            h.update(str(path.relative_to(folder)).encode() + b"\0" + data)
        arrays[part] = (x / 255.0, np.array([label for _, label in items], np.int64))
    return Dataset(folder.name, *arrays["train"], *arrays["test"], h.hexdigest(), classes, "image", image_size=size)
