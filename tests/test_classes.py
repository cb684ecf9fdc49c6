"""Datasets name their classes and items: Fashion-MNIST, classes.txt, --classes, folders of images."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nn.classes import FASHION, article, plural
from nn.cli import main
from nn.data import IDX_NAMES, load_dataset, write_idx
from nn.recording import load
from nn.train import TrainConfig, default_sizes, train

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def image_folder(root: Path, classes=("circle", "cross", "square"), per_class: int = 6) -> Path:
    """A small folder of real drawings, one subfolder per class, in various sizes and grey modes."""
    for c, name in enumerate(classes):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            side = 20 + 3 * i
            a = np.zeros((side, side), np.uint8)
            yy, xx = np.mgrid[:side, :side]
            if c == 0:
                a[(yy - side / 2) ** 2 + (xx - side / 2) ** 2 < (side / 3) ** 2] = 255
            elif c == 1:
                a[side // 2 - 2 : side // 2 + 2, :] = a[:, side // 2 - 2 : side // 2 + 2] = 255
            else:
                a[side // 4 : 3 * side // 4, side // 4 : 3 * side // 4] = 255
            img = Image.fromarray(a)
            img = (img, img.convert("LA"), img.convert("1"))[i % 3]
            img.save(root / name / f"{i:02}.png")
    return root


def _err(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and len(err.splitlines()) == 1, err
    return err


def test_plural_and_article() -> None:
    assert [plural(n) for n in ("digit", "clothing item", "image", "box", "butterfly", "day")] == \
        ["digits", "clothing items", "images", "boxes", "butterflies", "days"]
    assert (article("digit"), article("image"), article("clothing item")) == ("a", "an", "a")


def test_a_folder_of_images_trains_a_three_class_network(tmp_path) -> None:
    data = load_dataset(str(image_folder(tmp_path / "shapes")))
    assert (data.classes, data.noun, data.image_size) == (["circle", "cross", "square"], "image", 28)
    assert data.x_train.shape == (15, 784) and data.x_test.shape == (3, 784)  # every 5th image of 6 tests
    assert np.bincount(data.y_test).tolist() == [1, 1, 1] and data.x_train.max() == 1.0
    assert default_sizes(data) == [784, 16, 16, 3]
    small = load_dataset(str(tmp_path / "shapes"), image_size=12)
    assert small.x_train.shape == (15, 144) and small.sha256 == data.sha256  # same files read
    (tmp_path / "shapes" / "cross" / "00.png").write_bytes((tmp_path / "shapes" / "cross" / "01.png").read_bytes())
    assert load_dataset(str(tmp_path / "shapes")).sha256 != data.sha256


def test_a_test_folder_is_the_test_set(tmp_path) -> None:
    image_folder(tmp_path / "d" / "train")
    image_folder(tmp_path / "d" / "test", per_class=2)
    data = load_dataset(str(tmp_path / "d"))
    assert data.classes == ["circle", "cross", "square"] and len(data.y_train) == 18 and len(data.y_test) == 6


def test_folder_run_records_names_and_noun_through_the_cli(tmp_path, capsys) -> None:
    folder = image_folder(tmp_path / "shapes")
    (tmp_path / "names.txt").write_text("# my drawings\nnoun: shape\nring\nplus\nbox\n")
    out = tmp_path / "run.npz"
    assert main(["train", "--data", str(folder), "--classes", str(tmp_path / "names.txt"), "--epochs", "2",
                 "--image-size", "10", "--out", str(out)]) == 0
    rec = load(out)
    assert (rec.classes, rec.noun, rec.sizes) == (["ring", "plus", "box"], "shape", [100, 16, 16, 3])
    assert rec["probe_out"].shape[2] == 3
    assert main(["landscape", str(out), "--grid", "5", "--eval-samples", "10"]) == 0  # reads the data again at 10x10
    assert "3 classes of shapes: ring, plus, box" in capsys.readouterr().err.replace("\n", " ")


def _fashion_like(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for key, n in (("train", 40), ("t10k", 20)):
        write_idx(folder / f"{key}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        write_idx(folder / f"{key}-labels-idx1-ubyte", np.arange(n) % 10)
    return folder


def test_fashion_mnist_named_by_the_user_is_recorded(tmp_path) -> None:
    folder = _fashion_like(tmp_path)
    assert (load_dataset(str(folder)).classes, load_dataset(str(folder)).noun) == ([str(k) for k in range(10)], "image")
    out = tmp_path / "run.npz"
    assert main(["train", "--data", str(folder), "--classes", "fashion-mnist", "--epochs", "1",
                 "--out", str(out)]) == 0
    rec = load(out)
    assert rec.classes == FASHION and rec.noun == "clothing item"


@pytest.mark.skipif(not (FASHION_DIR / (IDX_NAMES["train_images"] + ".gz")).is_file(),
                    reason="Debian's dataset-fashion-mnist is not installed (scripts/setup.sh installs it)")
def test_fashion_mnist_is_recognised_by_its_contents(tmp_path) -> None:
    data = load_dataset(str(FASHION_DIR))
    assert data.classes == FASHION and data.noun == "clothing item"
    rec = train(TrainConfig(epochs=1, train_size=200, snapshots=3), data)
    assert rec.classes == FASHION and rec.noun == "clothing item"


def test_old_recordings_without_names_are_digits(tiny_run) -> None:
    rec = load(tiny_run)
    del rec.meta["dataset"]["classes"], rec.meta["dataset"]["noun"]
    assert rec.problem() is None and rec.classes == [str(d) for d in range(10)] and rec.noun == "digit"
    rec.meta["dataset"]["classes"] = ["a", "b"]
    assert "10 class names" in rec.problem()


def _bad(root: Path, case: str) -> Path:
    if case == "no subfolders":
        root.mkdir()
        (root / "notes.txt").write_text("hello")
        return root
    image_folder(root)
    if case == "empty class":
        (root / "empty").mkdir()
    elif case == "one class":
        for name in ("cross", "square"):
            for f in (root / name).iterdir():
                f.unlink()
            (root / name).rmdir()
    elif case == "unreadable image":
        (root / "cross" / "99.png").write_bytes(b"not a png at all")
    elif case == "mixed modes":
        Image.new("RGB", (24, 24), (200, 30, 30)).save(root / "square" / "red.png")
    elif case == "bomb":
        Image.new("1", (8000, 6000)).save(root / "square" / "huge.png")
    return root


@pytest.mark.parametrize("case, words", [
    ("no subfolders", "neither the four IDX files"),
    ("empty class", "empty: no images"),
    ("one class", "only one class (circle)"),
    ("unreadable image", "99.png: not an image"),
    ("mixed modes", "mixes colour images"),
    ("bomb", "more than 40,000,000"),
])
def test_bad_image_folders_exit_2_with_one_line(tmp_path, capsys, case, words) -> None:
    folder = _bad(tmp_path / "data", case)
    assert main(["train", "--data", str(folder), "--out", str(tmp_path / "run.npz")]) == 2
    assert words in _err(capsys)
    assert not (tmp_path / "run.npz").exists()
