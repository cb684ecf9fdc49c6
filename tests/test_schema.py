"""Damaged recordings: every outcome is success or one line `error: ...` with exit 2, never a
traceback, in `nn info`, `nn landscape` and the scenes' loader alike; and a command never makes a
loadable file unloadable. Named cases from the issue, then a property-based search for more."""

import contextlib
import dataclasses
import io
import json
import math
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn import data as data_module
from nn.cli import main
from nn.errors import UserError
from nn.recording import load
from nn.schema import CONFIG_KEYS
from nn.train import TrainConfig
from scenes import run as scene_run

LANDSCAPE = ["--grid", "3", "--eval-samples", "20"]


def read(path: Path) -> tuple[dict, dict]:
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return json.loads(str(arrays.pop("meta"))), arrays


def write(path: Path, meta, arrays: dict, raw: dict[str, bytes] | None = None) -> None:
    """An .npz as np.savez writes it, plus raw members (hand-made .npy headers)."""
    text = meta if isinstance(meta, str) else json.dumps(meta)
    np.savez(path, meta=np.array(text), **arrays)
    if raw:
        with zipfile.ZipFile(path, "a") as zf:
            for name, blob in raw.items():
                zf.writestr(name + ".npy", blob)


def npy_header(shape: tuple, descr: str = "<f8") -> bytes:
    """A .npy header declaring `shape` (with no data behind it)."""
    text = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode()
    text += b" " * (-(len(text) + 11) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text


def outcome(argv_or_path) -> tuple[int, str]:
    """(exit status, stderr) of `python -m nn ARGV` in-process, or of the scenes' loader on a path."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        if isinstance(argv_or_path, Path):
            scene_run._load.cache_clear()
            try:
                scene_run.load_run(argv_or_path)
                code = 0
            except SystemExit as e:
                code = e.code
        else:
            code = main(argv_or_path)
    return code, err.getvalue()


def assert_clean(code: int, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert lines[-1].startswith("error: ") and sum(x.startswith("error:") for x in lines) == 1, err


def loads(path: Path) -> bool:
    try:
        load(path)
        return True
    except UserError:
        return False


def check_everywhere(path: Path) -> None:
    for argv in (["info", str(path)], path):
        assert_clean(*outcome(argv))
    was_good = loads(path)
    assert_clean(*outcome(["landscape", str(path), *LANDSCAPE]))
    if was_good:
        assert loads(path), "a command made a loadable recording unloadable"


@pytest.fixture
def fast_default_data(digits, monkeypatch):
    monkeypatch.setattr(data_module, "load_default", lambda: digits)


def test_config_keys_are_train_config_fields() -> None:
    assert tuple(f.name for f in dataclasses.fields(TrainConfig)) == CONFIG_KEYS


def _named_cases(meta: dict, a: dict) -> dict:
    """Mutations named in the issue: name -> (meta, arrays, raw members)."""
    def m(**changes):
        out = json.loads(json.dumps(meta))
        for key, value in changes.items():
            where, _, field = key.partition("__")
            target = out[where] if field else out
            field = field or where
            if value is ...:
                del target[field]
            else:
                target[field] = value
        return out

    def arr(**changes):
        out = dict(a)
        for key, value in changes.items():
            if value is None:
                del out[key]
            else:
                out[key] = value
        return out

    k = len(a["snap_step"])
    single = {n: v[:1] for n, v in a.items() if v.ndim and v.shape[0] == k and n not in ("land_x", "land_y")}
    return {
        "meta without dataset": (m(dataset=...), a, None),
        "meta without steps_done": (m(steps_done=...), a, None),
        "config without lr": (m(config__lr=...), a, None),
        "extra config key": (m(config__momentum=0.9), a, None),
        "empty sizes": (m(config__sizes=[]), a, None),
        "sizes as text": (m(config__sizes="784,4,10"), a, None),
        "meta is a list": ("[1, 2]", a, None),
        "0-d step_cost": (meta, arr(step_cost=np.array(1.0)), None),
        "string params": (meta, arr(params=a["params"].astype(str)), None),
        "float16 params": (meta, arr(params=a["params"].astype(np.float16)), None),
        "complex params": (meta, arr(params=a["params"].astype(complex)), None),
        "land_meta not JSON": (meta, arr(land_meta=np.array("{oops")), None),
        "land_meta empty": (meta, arr(land_meta=np.array("")), None),
        "land_meta a number": (meta, arr(land_meta=np.array("3")), None),
        "empty epoch arrays": (meta, arr(**{n: np.zeros(0) for n in a if n.startswith("epoch_")}), None),
        "single snapshot": (meta, {**a, **single}, None),
        "unknown array": (meta, arr(extra=np.zeros(3)), None),
        "land array without land_meta": (meta, arr(land_meta=None), None),
        "header declares 1e12 rows": (meta, arr(params=None), {"params": npy_header((10**12, a["params"].shape[1]))}),
        "extra 1e15 land array": (meta, a, {"land_huge": npy_header((10**15,))}),
        "pickled array": (meta, a, {"land_obj": npy_header((3,), "|O") + b"\x80\x04N."}),
    }


def test_named_damage_is_one_line_everywhere(tiny_run, tmp_path, fast_default_data) -> None:
    meta, arrays = read(tiny_run)
    for name, (m, a, raw) in _named_cases(meta, arrays).items():
        path = tmp_path / f"{name.replace(' ', '_')}.npz"
        write(path, m, a, raw)
        with pytest.raises(UserError):
            load(path)
        code, err = outcome(["info", str(path)])
        assert code == 2 and len(err.strip().splitlines()) == 1, (name, err)
        check_everywhere(path)


def test_a_plain_npy_file_and_a_directory(tmp_path) -> None:
    np.save(tmp_path / "run.npy", np.zeros(3))
    for path in (tmp_path / "run.npy", tmp_path):
        code, err = outcome(["info", str(path)])
        assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1


# -- property-based: mutate a good recording every which way ------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2, 10**20) | st.floats() | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=4)
META_PATHS = [("format",), ("version",), ("status",), ("config",), ("dataset",), ("steps_done",), ("steps_planned",),
              ("seconds",), ("dataset", "sha256"), ("dataset", "test_size"), ("dataset", "name"),
              *[("config", key) for key in CONFIG_KEYS], ("config", "sizes", 0), ("config", "sizes", 1)]
LAND_PATHS = [("method",), ("captured",), ("eval_samples",), ("eval_set",), ("max_plane_gap",), ("explained",)]
ARRAY_NAMES = ["snap_step", "snap_epoch", "params", "grads", "step_cost", "probe_x", "probe_y", "probe_out",
               "epoch_train_cost", "epoch_test_acc", "land_dirs", "land_x", "land_y", "land_cost", "land_path",
               "land_path_true_cost", "land_slice_t", "land_slice_cost", "land_eval_idx", "land_meta", "land_new"]
MUTATION = st.one_of(
    st.tuples(st.just("drop"), st.sampled_from(ARRAY_NAMES)),
    st.tuples(st.just("retype"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from(["float16", "complex128", "int8", "uint64", "bool", "<U4", "float32", ">f8"])),
    st.tuples(st.just("reshape"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from(["ravel", "scalar", "empty", "first", "add_axis", "transpose", "drop_last"])),
    st.tuples(st.just("value"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from([math.nan, math.inf, -math.inf, -1.0, 1e308, 0.0, 2.0, 10.0**6]), st.integers(0, 10**6)),
    st.tuples(st.just("meta"), st.sampled_from(META_PATHS), JSON),
    st.tuples(st.just("del_meta"), st.sampled_from(META_PATHS)),
    st.tuples(st.just("land_meta"), st.sampled_from(LAND_PATHS), JSON),
    st.tuples(st.just("land_text"), st.text(max_size=12)),
    st.tuples(st.just("flip"), st.integers(0, 10**7), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**7)),
)


def _reshape(v: np.ndarray, how: str) -> np.ndarray:
    return {"ravel": lambda: v.ravel(), "scalar": lambda: np.array(v.flat[0]) if v.size else np.array(0),
            "empty": lambda: v[:0] if v.ndim else np.zeros(0), "first": lambda: v[:1] if v.ndim else v,
            "add_axis": lambda: v[None], "transpose": lambda: v.T, "drop_last": lambda: v[:-1] if v.ndim else v}[how]()


def _set(tree, where: tuple, value, delete: bool = False) -> None:
    for key in where[:-1]:
        if not isinstance(tree, (dict, list)) or (isinstance(tree, list) and key >= len(tree)) or \
                (isinstance(tree, dict) and key not in tree):
            return
        tree = tree[key]
    last = where[-1]
    if isinstance(tree, dict) or (isinstance(tree, list) and isinstance(last, int) and last < len(tree)):
        if delete:
            with contextlib.suppress(KeyError, IndexError):
                del tree[last]
        else:
            tree[last] = value


def damage(good: Path, path: Path, mutations: list) -> None:
    meta, a = read(good)
    a["land_new"] = np.arange(4.0)  # an array from newer landscape code: must be numbers, finite
    land = json.loads(str(a["land_meta"]))
    land_text = None
    for op, *args in mutations:
        if op == "drop":
            a.pop(args[0], None)
        elif op == "retype" and args[0] in a:
            with contextlib.suppress(ValueError, TypeError, OverflowError):
                a[args[0]] = a[args[0]].astype(args[1])
        elif op == "reshape" and args[0] in a:
            a[args[0]] = _reshape(a[args[0]], args[1])
        elif op == "value" and args[0] in a and a[args[0]].size:
            v = a[args[0]].copy()
            with contextlib.suppress(ValueError, TypeError, OverflowError):
                v.flat[args[2] % v.size] = args[1]
            a[args[0]] = v
        elif op in ("meta", "del_meta"):
            _set(meta, args[0], args[1] if op == "meta" else None, delete=op == "del_meta")
        elif op == "land_meta":
            _set(land, args[0], args[1])
        elif op == "land_text":
            land_text = args[0]
    if "land_meta" in a and a["land_meta"].dtype.kind == "U" and a["land_meta"].ndim == 0:
        a["land_meta"] = np.array(land_text if land_text is not None else json.dumps(land))
    write(path, meta, a)
    blob = bytearray(path.read_bytes())
    for op, *args in mutations:
        if op == "flip" and blob:
            blob[args[0] % len(blob)] ^= args[1]
        elif op == "truncate" and blob:
            blob = blob[: args[0] % len(blob)]
    path.write_bytes(bytes(blob))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_any_damage_is_success_or_one_line(tiny_run, tmp_path, fast_default_data, mutations) -> None:
    path = tmp_path / "damaged.npz"
    damage(tiny_run, path, mutations)
    check_everywhere(path)
