"""`python -m nn fetch mnist`: download the official MNIST IDX files, checking each SHA-256.

Each file goes to a temp file beside its destination and is renamed into place only once its
SHA-256 matches, so an interrupted or corrupted download never leaves a file that looks done.
Files already present with the right SHA-256 are kept, not downloaded again.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from nn.atomic import atomic_write
from nn.errors import UserError

MIRRORS = {
    # The original yann.lecun.com page no longer serves the files reliably; these mirror it.
    "mnist": ("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"),
}
SHA256 = {
    "mnist": {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    }
}
CHUNK = 1 << 16
READ_TIMEOUT = 30  # seconds without a byte
DEADLINE = 600  # seconds for one whole file, however slowly the server drips it


class TooSlow(Exception):
    """The download did not finish within DEADLINE seconds."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise TooSlow in the block after `seconds`, even inside a blocking read (main thread only;
    elsewhere the read loop's own check is the limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_) -> None:
        raise TooSlow(f"not finished after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _download(url: str, dest: Path, expected: str) -> None:
    """Stream `url` into `dest` atomically; raise if it fails or its SHA-256 differs."""
    digest = hashlib.sha256()
    ends = time.monotonic() + DEADLINE
    with _deadline(DEADLINE), atomic_write(dest) as out, \
            urllib.request.urlopen(url, timeout=READ_TIMEOUT) as response:
        while chunk := response.read1(CHUNK):  # read1: returns what has come, never waits for a full chunk
            digest.update(chunk)
            out.write(chunk)
            if time.monotonic() > ends:
                raise TooSlow(f"not finished after {DEADLINE:g} s")
        if digest.hexdigest() != expected:
            raise UserError(
                f"SHA-256 {digest.hexdigest()[:12]}... is not the published {expected[:12]}..., nothing kept"
            )


def fetch(
    name: str, folder: Path, base_url: str | None = None, log: Callable[[str], None] = print
) -> list[Path]:
    """Make sure `folder` holds the dataset's four files with their published SHA-256."""
    if name not in SHA256:
        raise UserError(f"unknown dataset {name!r}; choose one of {', '.join(SHA256)}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {folder}: {e.strerror}; choose another --dir") from None
    mirrors = (base_url,) if base_url else MIRRORS[name]
    paths = []
    for filename, expected in SHA256[name].items():
        dest = folder / filename
        paths.append(dest)
        if dest.is_file() and _sha256(dest) == expected:
            log(f"{dest}: present, SHA-256 ok")
            continue
        errors = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + filename
            try:
                _download(url, dest, expected)
                log(f"{dest}: downloaded from {url}, SHA-256 ok")
                break
            except (urllib.error.URLError, OSError, UserError, http.client.HTTPException, ValueError, TooSlow) as e:
                reason = getattr(e, "reason", None) or e
                errors.append(f"{url}: {type(e).__name__ if not str(reason) else reason}")
        else:
            why = " ".join("; ".join(errors).split())  # one line, whatever the server sent
            raise UserError(f"could not get {filename} ({why}); check the network and try again")
    return paths
