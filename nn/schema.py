"""The whole schema of a recording, checked once so nothing downstream meets a surprise.

Three passes, each returning the first problem as a phrase (or None):

- `meta_problem`: the JSON `meta` (keys, types and ranges of config, dataset, progress; the
  dataset's optional `classes`, one name per output, and `noun`: absent in older recordings, which
  are digits "0".."9");
- `layout_problem`: every array's name, dtype and shape, consistent with the layer sizes and
  with each other. It reads only `.shape` and `.dtype`, so the loader runs it on the .npy
  headers before reading any data: a header declaring a 1e12-row array is refused unread;
- `values_problem`: the values (finite, increasing, in range; `land_meta` JSON).

`Recording.save` runs all three on what it is about to write, and `load` on what it read.
Unknown `land_*` arrays (added by newer landscape code) must be numeric and finite.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

FORMAT = "downhill-recording"
VERSION = 1
STATUSES = ("complete", "interrupted", "diverged")
EPOCH_ARRAYS = ("epoch_train_cost", "epoch_train_acc", "epoch_test_cost", "epoch_test_acc")
RUN_ARRAYS = ("snap_step", "snap_epoch", "params", "grads", "step_cost", "probe_x", "probe_y", "probe_out",
              *EPOCH_ARRAYS)
LAND_ARRAYS = ("land_dirs", "land_x", "land_y", "land_cost", "land_path", "land_path_true_cost",
               "land_path_plane_cost", "land_slice_t", "land_slice_cost")
TEXT_ARRAYS = ("meta", "land_meta")
INT_ARRAYS = ("snap_step", "probe_y", "land_eval_idx")
META_KEYS = ("format", "version", "status", "config", "dataset", "steps_done", "steps_planned", "seconds")
# the fields of nn.train.TrainConfig (tests/test_robust.py checks the two agree)
CONFIG_KEYS = ("sizes", "epochs", "batch_size", "lr", "seed", "labels", "snapshots", "dtype", "data", "train_size")
LAND_META_KEYS = ("method", "captured", "eval_set", "eval_samples", "max_plane_gap")
MAX_TEXT_CHARS = 1 << 20  # meta and land_meta are a few KB
MAX_LAYER = 1 << 24
MAX_NAME = 40  # characters in a class name or noun (nn/classes.py)


class Spec(Protocol):
    shape: tuple[int, ...]
    dtype: np.dtype


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _num(v: Any) -> bool:
    return (_int(v) or isinstance(v, float)) and math.isfinite(v)


def _config_problem(c: Any) -> str | None:
    if not isinstance(c, dict):
        return "meta has no config object"
    missing = [k for k in CONFIG_KEYS if k not in c]
    if missing:
        return f"meta config lacks {', '.join(missing)}"
    extra = sorted(set(c) - set(CONFIG_KEYS))
    if extra:
        return f"meta config has unknown keys {', '.join(map(str, extra))} (from another version of Downhill?)"
    sizes = c["sizes"]
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(_int(s) and 1 <= s <= MAX_LAYER for s in sizes)):
        return f"config sizes {sizes!r} is not a list of at least 2 layer sizes"
    if sizes[-1] < 2:
        return f"config sizes {sizes!r} does not end in at least 2 outputs (one per class)"
    for key, low in (("epochs", 1), ("batch_size", 1), ("seed", 0), ("snapshots", 2)):
        if not (_int(c[key]) and c[key] >= low):
            return f"config {key} {c[key]!r} is not a whole number >= {low}"
    if not (_num(c["lr"]) and c["lr"] > 0):
        return f"config lr {c['lr']!r} is not a positive number"
    choices = {"labels": ("true", "shuffled"), "dtype": ("float64", "float32")}
    for key, allowed in choices.items():
        if c[key] not in allowed:
            return f"config {key} {c[key]!r} is not one of {', '.join(allowed)}"
    if not (isinstance(c["data"], str) and c["data"]):
        return f"config data {c['data']!r} is not a data name or folder"
    if c["train_size"] is not None and not (_int(c["train_size"]) and c["train_size"] >= 1):
        return f"config train_size {c['train_size']!r} is not a positive whole number or null"
    return None


def _naming_problem(d: dict, outputs: int) -> str | None:
    """classes (one short name per output) and noun are optional: older recordings are digits."""
    classes, noun = d.get("classes"), d.get("noun", "digit")
    if classes is None and outputs != 10:
        return f"meta dataset names no classes for its {outputs} outputs"
    if classes is not None and not (isinstance(classes, list) and len(classes) == outputs
                                    and all(isinstance(c, str) and 0 < len(c) <= MAX_NAME for c in classes)):
        return f"meta dataset classes is not a list of {outputs} class names (one per output)"
    if not (isinstance(noun, str) and 0 < len(noun) <= MAX_NAME):
        return f"meta dataset noun {noun!r} is not a short word"
    return None


def meta_problem(meta: Any) -> str | None:
    if not isinstance(meta, dict):
        return "its 'meta' is not a JSON object"
    if meta.get("format") != FORMAT:
        return f"format is {meta.get('format')!r}, not {FORMAT!r}"
    if meta.get("version") != VERSION:
        return f"recording version {meta.get('version')} is not supported (this Downhill reads {VERSION})"
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        return f"meta lacks {', '.join(missing)}"
    if meta["status"] not in STATUSES:
        return f"status {meta['status']!r} is not one of {', '.join(STATUSES)}"
    problem = _config_problem(meta["config"])
    if problem:
        return problem
    d = meta["dataset"]
    if not (isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("sha256"), str)
            and all(_int(d.get(k)) and d[k] >= 1 for k in ("train_size", "test_size"))):
        return "meta dataset is not {name, sha256, train_size, test_size}"
    trouble = _naming_problem(d, meta["config"]["sizes"][-1])
    if trouble:
        return trouble
    done, planned = meta["steps_done"], meta["steps_planned"]
    if not (_int(done) and _int(planned) and 0 <= done <= planned):
        return f"steps_done {done!r} / steps_planned {planned!r} are not whole numbers with done <= planned"
    if not (_num(meta["seconds"]) and meta["seconds"] >= 0):
        return f"seconds {meta['seconds']!r} is not a time"
    return None


def _kind(name: str) -> str:
    if name in TEXT_ARRAYS:
        return "text"
    return "int" if name in INT_ARRAYS else "float"


def _dtype_ok(dtype: np.dtype, kind: str) -> bool:
    if kind == "text":
        return dtype.kind == "U"
    if kind == "int":
        return dtype.kind in "iu"
    return dtype.kind == "f" and dtype.itemsize in (4, 8)


def layout_problem(meta: dict, specs: Mapping[str, Spec]) -> str | None:
    """Names, dtypes and shapes only (meta already checked)."""
    unknown = sorted(n for n in specs if n not in RUN_ARRAYS + TEXT_ARRAYS and not n.startswith("land_"))
    if unknown:
        return f"unknown arrays {', '.join(unknown[:5])}"
    missing = [n for n in RUN_ARRAYS if n not in specs]
    if missing:
        return f"missing arrays {', '.join(missing)}"
    for name, spec in specs.items():
        if name.startswith("land_") and name not in LAND_ARRAYS + TEXT_ARRAYS + INT_ARRAYS:
            if spec.dtype.kind not in "iuf" or (spec.dtype.kind == "f" and spec.dtype.itemsize not in (4, 8)):
                return f"array {name} has dtype {spec.dtype}, expected numbers; run `python -m nn landscape` again"
        elif not _dtype_ok(spec.dtype, _kind(name)):
            return f"array {name} has dtype {spec.dtype}, expected {_kind(name)}" + \
                   (" (float32 or float64)" if _kind(name) == "float" else "")
        if name in TEXT_ARRAYS and (spec.shape != () or spec.dtype.itemsize // 4 > MAX_TEXT_CHARS):
            return f"array {name} is not one short JSON text"
        if name not in TEXT_ARRAYS and spec.shape == ():
            return f"array {name} is a single number, expected an array"
    sizes = meta["config"]["sizes"]
    if len(specs["snap_step"].shape) != 1:
        return f"array snap_step has shape {specs['snap_step'].shape}, expected one dimension"
    k, p = specs["snap_step"].shape[0], sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    if k < 2:
        return f"holds {k} snapshot{'s' if k != 1 else ''}; a run needs at least 2 (the start and the end)"
    if len(specs["probe_y"].shape) != 1 or specs["probe_y"].shape[0] < 1:
        return f"array probe_y has shape {specs['probe_y'].shape}, expected at least one probe digit"
    n_probe, done = specs["probe_y"].shape[0], meta["steps_done"]
    if done < 1:
        return "holds no training steps"
    e = specs["epoch_train_cost"].shape
    if len(e) != 1 or not 1 <= e[0] <= meta["config"]["epochs"] + 1:
        return f"array epoch_train_cost has shape {e}, expected one entry per epoch (and one before training)"
    expect = {"snap_epoch": (k,), "params": (k, p), "grads": (k, p), "probe_out": (k, n_probe, sizes[-1]),
              "probe_x": (n_probe, sizes[0]), "step_cost": (done,), **{n: e for n in EPOCH_ARRAYS}}
    for name, shape in expect.items():
        if tuple(specs[name].shape) != shape:
            return f"array {name} has shape {specs[name].shape}, expected {shape}"
    return _land_layout_problem(specs, k, p)


def _land_layout_problem(specs: Mapping[str, Spec], k: int, p: int) -> str | None:
    land = [n for n in specs if n.startswith("land_")]
    if not land:
        return None
    missing = [n for n in ("land_meta", *LAND_ARRAYS) if n not in specs]
    if missing:
        return f"landscape is incomplete (missing {', '.join(missing)}); run `python -m nn landscape` again"
    for name in ("land_x", "land_y", "land_slice_t", "land_eval_idx"):
        if name in specs and (len(specs[name].shape) != 1 or specs[name].shape[0] < 2 - (name == "land_eval_idx")):
            return f"array {name} has shape {specs[name].shape}, expected a list of values"
    n, m = specs["land_x"].shape[0], specs["land_y"].shape[0]
    expect = {"land_dirs": (2, p), "land_cost": (m, n), "land_path": (k, 2), "land_path_true_cost": (k,),
              "land_path_plane_cost": (k,), "land_slice_cost": tuple(specs["land_slice_t"].shape)}
    # the gradient projection, slice positions, the straight line and shared sheets: when present
    optional = {"land_grad_ab": (k, 2), "land_grad_share": (k,), "land_slice_y": tuple(specs["land_slice_t"].shape)}
    if "land_line_t" in specs:
        optional["land_line_cost"] = tuple(specs["land_line_t"].shape)
    if "land_group_path" in specs:
        runs = specs["land_group_path"].shape[0] if len(specs["land_group_path"].shape) == 3 else -1
        optional.update(land_group_path=(runs, k, 2), land_group_true_cost=(runs, k), land_group_plane_cost=(runs, k))
    expect.update({name: shape for name, shape in optional.items() if name in specs or name.startswith("land_group")
                   and "land_group_path" in specs or name == "land_line_cost" and "land_line_t" in specs})
    for name, shape in expect.items():
        if name not in specs:
            return f"landscape is incomplete (missing {name}); run `python -m nn landscape` again"
        if tuple(specs[name].shape) != shape:
            return f"array {name} has shape {specs[name].shape}, expected {shape}; run `python -m nn landscape` again"
    return None


def land_meta_problem(text: str) -> str | None:
    try:
        m = json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return "its land_meta is not valid JSON; run `python -m nn landscape` again"
    if not isinstance(m, dict):
        return "its land_meta is not a JSON object; run `python -m nn landscape` again"
    missing = [k for k in LAND_META_KEYS if k not in m]
    if missing:
        return f"its land_meta lacks {', '.join(missing)}; run `python -m nn landscape` again"
    if m["method"] not in ("sheet", "pca", "random") or not isinstance(m["eval_set"], str):
        return f"its land_meta method {m['method']!r} is not sheet, pca or random"
    if not (_num(m["captured"]) and 0 <= m["captured"] <= 1 + 1e-9 and _num(m["max_plane_gap"])
            and _int(m["eval_samples"]) and m["eval_samples"] >= 1):
        return "its land_meta numbers (captured, max_plane_gap, eval_samples) are out of range"
    ex = m.get("explained")
    if ex is not None and not (isinstance(ex, list) and all(_num(v) for v in ex)):
        return "its land_meta explained is not a list of numbers"
    return None


def values_problem(meta: dict, a: Mapping[str, np.ndarray]) -> str | None:
    """Values, once names, dtypes and shapes are right."""
    for name, arr in a.items():
        if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
            return f"array {name} contains NaN or infinite values"
    steps = a["snap_step"]
    if steps[0] < 0 or np.any(np.diff(steps) <= 0) or steps[-1] > meta["steps_done"]:
        return "snapshot steps are not increasing steps of the run"
    if np.any(a["snap_epoch"] < 0) or np.any(a["step_cost"] < 0):
        return "negative epochs or costs"
    if np.any(a["probe_y"] < 0) or np.any(a["probe_y"] >= meta["config"]["sizes"][-1]):
        return "probe labels are not classes of the output layer"
    for name in EPOCH_ARRAYS:
        arr = a[name]
        if np.any(arr < 0) or (name.endswith("_acc") and np.any(arr > 1)):
            return f"array {name} holds values out of range"
    if "land_meta" not in a:
        return None
    problem = land_meta_problem(str(a["land_meta"]))
    if problem:
        return problem
    for name in ("land_x", "land_y"):
        if np.any(np.diff(a[name]) <= 0):
            return f"array {name} is not increasing; run `python -m nn landscape` again (with a sensible --span)"
    if np.any(np.diff(a["land_slice_t"]) < 0):
        return "array land_slice_t is not increasing; run `python -m nn landscape` again"
    if "land_eval_idx" in a and np.any(a["land_eval_idx"] < 0):
        return "array land_eval_idx holds negative indices"
    return None


def problem(meta: Any, arrays: Mapping[str, np.ndarray]) -> str | None:
    """The first problem with a whole recording (meta as a dict, arrays without 'meta')."""
    return meta_problem(meta) or layout_problem(meta, arrays) or values_problem(meta, arrays)
