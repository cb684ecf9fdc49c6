"""The recording file: everything the scenes need from one training run, in one versioned .npz.

Arrays (see DESIGN.md, "Recording format"): `meta` is a 0-d string of JSON; `snap_*`, `params`,
`grads`, `probe_out` have one row per snapshot; `step_cost` one entry per SGD step; `epoch_*`
one entry per finished epoch plus index 0 = before training; `land_*` come from `nn landscape`.
Files are written atomically and read with allow_pickle=False. `load` reads the .npy headers
first (nothing is allocated for a shape the run cannot have), then checks the whole schema
(nn/schema.py) and says what is wrong and how to get a good file; `save` runs the same check on
what it is about to write, so a command never replaces a loadable recording with one that is not.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn.atomic import atomic_write
from nn.budget import available_memory, human_bytes
from nn.errors import UserError
from nn.network import Network
from nn.schema import EPOCH_ARRAYS, FORMAT, STATUSES, VERSION, layout_problem, meta_problem, problem, values_problem

__all__ = ["EPOCH_ARRAYS", "FORMAT", "STATUSES", "VERSION", "REMAKE", "Recording", "beside", "load", "save_run"]

REMAKE = "make a new one with `python -m nn train --out RUN.npz`"
# what a corrupt zip or .npy can raise while being parsed
_CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError, zlib.error,
            struct.error, NotImplementedError, RuntimeError, TypeError, OverflowError)


def identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from another (None when absent)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


@dataclass
class Recording:
    """A training run: `meta` (dict) plus named NumPy arrays, indexable as rec["params"]."""

    meta: dict
    arrays: dict[str, np.ndarray]
    path: Path | None = field(default=None, compare=False)
    loaded_from: tuple[int, int, int, int] | None = field(default=None, compare=False, repr=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __contains__(self, name: str) -> bool:
        return name in self.arrays

    @property
    def config(self) -> dict:
        return self.meta["config"]

    @property
    def sizes(self) -> list[int]:
        return list(self.config["sizes"])

    @property
    def classes(self) -> list[str]:
        """Class names in label order (output neuron k is classes[k]); "0".."9" for recordings made
        before datasets named their classes (they were all digits)."""
        return list(self.meta["dataset"].get("classes") or [str(k) for k in range(self.sizes[-1])])

    @property
    def noun(self) -> str:
        """What one item of the data is called, singular: "digit", "clothing item", "image"."""
        return self.meta["dataset"].get("noun", "digit")

    @property
    def status(self) -> str:
        return self.meta["status"]

    @property
    def epochs_done(self) -> int:
        """Finished epochs (the epoch arrays hold one more entry: index 0 is before training)."""
        return len(self.arrays["epoch_train_cost"]) - 1

    @property
    def has_landscape(self) -> bool:
        return "land_meta" in self.arrays

    @property
    def landscape_meta(self) -> dict:
        return json.loads(str(self.arrays["land_meta"]))

    def network(self, snapshot: int = -1) -> Network:
        """The network as it was at snapshot k (default: the last one)."""
        net = Network(self.sizes, dtype=np.float64)
        net.params[:] = self.arrays["params"][snapshot]
        return net

    def problem(self) -> str | None:
        """Why this recording would not load, or None."""
        return problem(self.meta, self.arrays)

    def save(self, path: str | os.PathLike, only_if_unchanged: bool = False) -> None:
        """Write atomically: a crash mid-write leaves the old file (or none), never half of one.

        Refuses (UserError, file untouched) when the recording would not load. With
        `only_if_unchanged`, also refuses when the file at `path` is no longer the one this
        recording was loaded from (another command wrote it meanwhile).
        """
        trouble = self.problem()
        if trouble:
            raise UserError(f"not writing {path}: the result would not load ({trouble}); the file there is unchanged")
        arrays = dict(self.arrays, meta=np.array(json.dumps(self.meta)))

        def still_ours(target: Path) -> None:
            if only_if_unchanged and identity(target) != self.loaded_from:
                raise UserError(f"{path} was changed by another command while this one ran; nothing written "
                                "(run this command again on the new file)")

        try:
            with atomic_write(path, before_replace=still_ours) as f:
                np.savez(f, **arrays)
        except OSError as e:
            raise UserError(f"cannot write {path}: {e.strerror or e}; choose another --out path") from None
        self.path = Path(path)
        self.loaded_from = identity(Path(path))


def _fail(path: Path, problem: str) -> UserError:
    return UserError(f"{path}: {problem}; {REMAKE}")


class _Header:
    """One member's .npy header: what `layout_problem` needs, without the data."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.info = info
        with zf.open(info) as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                self.shape, fortran, self.dtype = np.lib.format.read_array_header_1_0(f)
            elif version == (2, 0):
                self.shape, fortran, self.dtype = np.lib.format.read_array_header_2_0(f)
            else:
                raise ValueError(f"unsupported .npy version {version}")
            offset = f.tell()
        if self.dtype.hasobject:
            raise ValueError(f"{info.filename} holds Python objects (pickles are never loaded)")
        count = 1
        for d in self.shape:
            count *= int(d)
        self.nbytes = count * self.dtype.itemsize
        if offset + self.nbytes != info.file_size:
            raise ValueError(f"{info.filename} declares {self.nbytes:,} bytes of data but holds "
                             f"{info.file_size - offset:,}")

    def read(self, zf: zipfile.ZipFile) -> np.ndarray:
        with zf.open(self.info) as f:
            return np.lib.format.read_array(f, allow_pickle=False)


def load(path: str | os.PathLike) -> Recording:
    """Read and check a recording; every problem becomes one UserError naming the fix."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such recording; {REMAKE}")
    stamp = identity(path)
    try:
        with zipfile.ZipFile(path) as zf:
            headers = {}
            for info in zf.infolist():
                if not info.filename.endswith(".npy") or info.filename[:-4] in headers:
                    raise ValueError(f"member {info.filename!r} is not one array")
                headers[info.filename[:-4]] = _Header(zf, info)
            if "meta" not in headers:
                raise _fail(path, "no 'meta' array, so not a Downhill recording")
            if headers["meta"].dtype.kind != "U" or headers["meta"].shape != () or \
                    headers["meta"].nbytes > 1 << 24:
                raise _fail(path, "its 'meta' is not one JSON text")
            try:
                meta = json.loads(str(headers["meta"].read(zf)))
            except (json.JSONDecodeError, TypeError):
                raise _fail(path, "its 'meta' is not valid JSON") from None
            trouble = meta_problem(meta)
            if trouble is None:
                trouble = layout_problem(meta, {n: h for n, h in headers.items() if n != "meta"})
            if trouble:
                raise _fail(path, trouble)
            total, free = sum(h.nbytes for h in headers.values()), available_memory()
            if total > free:
                raise _fail(path, f"its arrays need {human_bytes(total)}, more than the {human_bytes(free)} "
                                  "of memory this machine has free")
            arrays = {name: h.read(zf) for name, h in headers.items() if name != "meta"}
    except _CORRUPT as e:
        raise _fail(path, f"not a readable recording (corrupt or truncated: {e})") from None
    except MemoryError:
        raise _fail(path, "too large to read into this machine's memory") from None
    trouble = values_problem(meta, arrays)
    if trouble:
        raise _fail(path, trouble)
    return Recording(meta, arrays, path, loaded_from=stamp)


def beside(path: Path, tag: str) -> Path:
    """A free name next to `path` for a run that must not replace it: run.interrupted.npz, ...-2.npz."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    for n in range(1, 1000):
        candidate = path.with_name(f"{stem}.{tag}{'' if n == 1 else f'-{n}'}{path.suffix or '.npz'}")
        if not os.path.lexists(candidate):
            return candidate
    raise UserError(f"too many {tag} runs beside {path}; tidy them up")


def is_complete_run(path: Path) -> bool:
    """True when `path` holds a loadable recording of a finished run."""
    try:
        return load(path).status == "complete"
    except UserError:
        return False


def save_run(rec: Recording, path: str | os.PathLike) -> Path:
    """Save a new training run to `path`, except that a run that did not finish (interrupted,
    diverged) never replaces a complete one: it goes beside it (run.interrupted.npz) instead.
    Returns where it went."""
    path = Path(path)
    dest = beside(path, rec.status) if rec.status != "complete" and is_complete_run(path) else path
    rec.save(dest)
    return dest
