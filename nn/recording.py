"""The recording file: everything the scenes need from one training run, in one versioned .npz.

Arrays (see DESIGN.md, "Recording format"): `meta` is a 0-d string of JSON; `snap_*`, `params`,
`grads`, `probe_out` have one row per snapshot; `step_cost` one entry per SGD step; `epoch_*`
one entry per finished epoch plus index 0 = before training; `land_*` come from `nn landscape`.
Files are written atomically and read with allow_pickle=False; `load` checks the format name,
version, array shapes and finiteness and says what is wrong and how to get a good file.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn.atomic import atomic_write
from nn.errors import UserError
from nn.network import Network, parameter_count

FORMAT = "downhill-recording"
VERSION = 1
STATUSES = ("complete", "interrupted", "diverged")
REMAKE = "make a new one with `python -m nn train --out RUN.npz`"
EPOCH_ARRAYS = ("epoch_train_cost", "epoch_train_acc", "epoch_test_cost", "epoch_test_acc")


@dataclass
class Recording:
    """A training run: `meta` (dict) plus named NumPy arrays, indexable as rec["params"]."""

    meta: dict
    arrays: dict[str, np.ndarray]
    path: Path | None = field(default=None, compare=False)

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

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: a crash mid-write leaves the old file (or none), never half of one."""
        arrays = dict(self.arrays, meta=np.array(json.dumps(self.meta)))
        try:
            with atomic_write(path) as f:
                np.savez(f, **arrays)
        except OSError as e:
            raise UserError(f"cannot write {path}: {e.strerror or e}; choose another --out path") from None
        self.path = Path(path)


def _fail(path: Path, problem: str) -> UserError:
    return UserError(f"{path}: {problem}; {REMAKE}")


def load(path: str | os.PathLike) -> Recording:
    """Read and check a recording; every problem becomes one UserError naming the fix."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such recording; {REMAKE}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as e:
        raise _fail(path, f"not a readable recording (corrupt or truncated: {e})") from None
    if "meta" not in arrays:
        raise _fail(path, "no 'meta' array, so not a Downhill recording")
    try:
        meta = json.loads(str(arrays.pop("meta")))
    except (json.JSONDecodeError, TypeError):
        raise _fail(path, "its 'meta' is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise _fail(path, f"format is {meta.get('format') if isinstance(meta, dict) else meta!r}, not {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise _fail(path, f"recording version {meta.get('version')} is not supported (this Downhill reads {VERSION})")
    problem = _shape_problem(meta, arrays)
    if problem:
        raise _fail(path, problem)
    return Recording(meta, arrays, path)


def _shape_problem(meta: dict, a: dict[str, np.ndarray]) -> str | None:
    """The first inconsistency between meta and arrays, or None when all is well."""
    required = ("snap_step", "snap_epoch", "params", "grads", "step_cost", "probe_x", "probe_y", "probe_out")
    missing = [n for n in required + EPOCH_ARRAYS if n not in a]
    if missing:
        return f"missing arrays {', '.join(missing)}"
    if meta.get("status") not in STATUSES:
        return f"status {meta.get('status')!r} is not one of {', '.join(STATUSES)}"
    try:
        sizes = [int(s) for s in meta["config"]["sizes"]]
    except (KeyError, TypeError, ValueError):
        return "meta has no valid config.sizes"
    k, p = len(a["snap_step"]), parameter_count(sizes)
    expect = {
        "snap_epoch": (k,),
        "params": (k, p),
        "grads": (k, p),
        "probe_out": (k, len(a["probe_y"]), sizes[-1]),
        "probe_x": (len(a["probe_y"]), sizes[0]),
    }
    for name, shape in expect.items():
        if a[name].shape != shape:
            return f"array {name} has shape {a[name].shape}, expected {shape}"
    if k < 1:
        return "holds no snapshots"
    if any(a[n].shape != a["epoch_train_cost"].shape or a[n].ndim != 1 for n in EPOCH_ARRAYS):
        return "epoch arrays differ in shape"
    if np.any(np.diff(a["snap_step"]) <= 0):
        return "snapshot steps are not increasing"
    for name, arr in a.items():
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            return f"array {name} contains NaN or infinite values"
    if "land_meta" in a:
        return _landscape_problem(a, k, p)
    return None


def _landscape_problem(a: dict[str, np.ndarray], k: int, p: int) -> str | None:
    need = ("land_dirs", "land_x", "land_y", "land_cost", "land_path", "land_path_true_cost",
            "land_path_plane_cost", "land_slice_t", "land_slice_cost")
    missing = [n for n in need if n not in a]
    if missing:
        return f"landscape is incomplete (missing {', '.join(missing)}); run `python -m nn landscape` again"
    n, m = len(a["land_x"]), len(a["land_y"])
    expect = {"land_dirs": (2, p), "land_cost": (m, n), "land_path": (k, 2), "land_path_true_cost": (k,),
              "land_path_plane_cost": (k,), "land_slice_cost": a["land_slice_t"].shape}
    # added later (gradient projection, slice positions, shared sheets): checked when present
    optional = {"land_grad_ab": (k, 2), "land_grad_share": (k,), "land_slice_y": a["land_slice_t"].shape}
    if "land_line_t" in a:
        optional["land_line_cost"] = a["land_line_t"].shape
    if "land_group_path" in a:
        runs = a["land_group_path"].shape[0]
        optional.update(land_group_path=(runs, k, 2), land_group_true_cost=(runs, k),
                        land_group_plane_cost=(runs, k))
    expect.update({name: shape for name, shape in optional.items() if name in a})
    for name, shape in expect.items():
        if name not in a:
            return f"landscape is incomplete (missing {name}); run `python -m nn landscape` again"
        if a[name].shape != shape:
            return f"array {name} has shape {a[name].shape}, expected {shape}; run `python -m nn landscape` again"
    return None
