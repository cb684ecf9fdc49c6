"""What a dataset's classes are called, and what one of its items is called.

A dataset names its classes (label k is called `classes[k]`) and its item noun, singular ("digit",
"clothing item", "image"), so a recording and the scenes made from it say true words.

- MNIST and the embedded digits: "0".."9", "digit". MNIST is recognised by the published SHA-256
  of its four .gz files (nn/fetch.py, what `python -m nn fetch mnist` checks).
- Fashion-MNIST: the ten Zalando names, "clothing item". Recognised by the SHA-256 of its four IDX
  files' decompressed contents (the same whether the files are gzipped or not, and whoever
  compressed them), or named with `--classes fashion-mnist`.
- Any other IDX folder: "0", "1", ... (one per label) and "image", unless a `classes.txt` beside
  the files names them. A folder of images (nn/images.py): the subfolder names and "image".

A classes file (`classes.txt`, or `--classes FILE`) is UTF-8 text, one class name per line in
label order (the first line names label 0). Blank lines and lines starting with '#' are skipped.
An optional line `noun: clothing item` (anywhere) names one item; a file holding only that line
keeps the data's own class names and changes only the noun.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn.errors import UserError
from nn.schema import MAX_NAME

DIGITS = [str(d) for d in range(10)]
FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
CLASSES_FILE = "classes.txt"


@dataclass(frozen=True)
class Naming:
    """Class names in label order, and the noun for one item (singular)."""

    classes: list[str]
    noun: str


KNOWN = {"mnist": Naming(DIGITS, "digit"), "digits": Naming(DIGITS, "digit"),
         "fashion-mnist": Naming(FASHION, "clothing item")}

# SHA-256 of the decompressed IDX contents (`zcat FILE | sha256sum`) of Fashion-MNIST's four files,
# measured on Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
FASHION_SHA256 = {
    "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",  # train-images-idx3-ubyte
    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",  # train-labels-idx1-ubyte
    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",  # t10k-images-idx3-ubyte
    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",  # t10k-labels-idx1-ubyte
}


def idx_content_sha256(array: np.ndarray) -> str:
    """SHA-256 of an IDX file's decompressed bytes, rebuilt from the array read from it."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    h = hashlib.sha256(bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, ">u4").tobytes())
    h.update(array.data)
    return h.hexdigest()


def numbered(count: int, noun: str = "image") -> Naming:
    """Classes named by their labels "0", "1", ...: what a folder says when nothing names them."""
    return Naming([str(k) for k in range(count)], noun)


def read_classes_file(path: Path) -> tuple[list[str], str | None]:
    """(class names, noun or None) from a classes file; see the module docstring for the format."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UserError(f"--classes {path}: no such file; give a classes file or 'fashion-mnist'") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{path}: cannot read as UTF-8 text ({e})") from None
    names, noun = [], None
    for line in (raw.strip() for raw in lines):
        if not line or line.startswith("#"):
            continue
        if line.lower().startswith("noun:"):
            noun = line[5:].strip()
            if not noun:
                raise UserError(f"{path}: 'noun:' names no noun (write e.g. 'noun: clothing item')")
        else:
            names.append(line)
    long = [n for n in [*names, noun or ""] if len(n) > MAX_NAME]
    if long:
        raise UserError(f"{path}: name {long[0][:MAX_NAME]!r}... is longer than {MAX_NAME} characters")
    if len(set(names)) != len(names):
        raise UserError(f"{path}: class names repeat ({', '.join(sorted({n for n in names if names.count(n) > 1}))})")
    return names, noun


def override(naming: Naming, spec: str | None) -> Naming:
    """The naming after `--classes SPEC`: a known name (fashion-mnist, mnist, digits) or a file."""
    if spec is None:
        return naming
    if spec in KNOWN:
        named = KNOWN[spec]
    else:
        names, noun = read_classes_file(Path(spec))
        named = Naming(names or naming.classes, noun or naming.noun)
    if len(named.classes) != len(naming.classes):
        some = ", ".join(naming.classes[:4]) + (", ..." if len(naming.classes) > 4 else "")
        raise UserError(f"--classes {spec} names {len(named.classes)} classes but the data has "
                        f"{len(naming.classes)} ({some})")
    return named


def plural(noun: str) -> str:
    """English plural of a noun (of its last word): digit -> digits, clothing item -> clothing items,
    box -> boxes, butterfly -> butterflies."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return noun[:-1] + "ies"
    return noun + "s"


def article(noun: str) -> str:
    """'a' or 'an' before the noun, by its first letter (a digit, an image)."""
    return "an" if noun[:1].lower() in "aeiou" else "a"
