"""Which recording a scene shows, and one clear error when it cannot be used.

`DOWNHILL_RUN=path/to/run.npz manim ...` picks the run; without it scenes read the project's
default run (made by `make run`). Scenes never train: they only read what the run recorded.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from nn.errors import UserError
from nn.recording import Recording, load

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUN = ROOT / "assets" / "runs" / "default.npz"


def fail(message: str) -> None:
    """Stop the render with one line on stderr and exit status 2 (no Manim traceback)."""
    print(f"error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def run_path() -> Path:
    return Path(os.environ.get("DOWNHILL_RUN") or DEFAULT_RUN)


@cache
def _load(path: Path) -> Recording:
    return load(path)


def load_run(path: Path | None = None, need_landscape: bool = False) -> Recording:
    """The selected recording, checked; exits with a clear message if it cannot be used."""
    path = path or run_path()
    if path == DEFAULT_RUN and not path.exists():
        fail(f"no default run yet at {path}; make it with `make run` (trains in seconds)")
    try:
        rec = _load(path.resolve())  # the whole schema is checked here: nothing later meets a surprise
    except UserError as e:
        fail(str(e))
    except (OSError, MemoryError) as e:
        fail(f"{path}: cannot read it ({e}); check the file, or make a new run with `python -m nn train`")
    if need_landscape and not rec.has_landscape:
        fail(f"{path}: has no cost landscape yet; add it with `python -m nn landscape {path}`")
    return rec


GROUPS = {"memorisation": "DOWNHILL_MEMORISATION", "seeds": "DOWNHILL_SEEDS",
          "learning-rates": "DOWNHILL_LEARNING_RATES"}


def group_folder(kind: str) -> Path:
    """Where an experiment group's runs live: $DOWNHILL_<KIND>, else assets/runs/<kind>/."""
    return Path(os.environ.get(GROUPS[kind]) or ROOT / "assets" / "runs" / kind)


def load_group_runs(kind: str) -> dict[str, Recording]:
    """The runs of an experiment group (env DOWNHILL_MEMORISATION / DOWNHILL_SEEDS, else
    assets/runs/<kind>/); unreadable members are named on stderr and left out."""
    from nn.experiments import load_group

    folder = group_folder(kind)
    make = f"`python -m nn group {kind} --out {folder}`"
    if not folder.is_dir():
        fail(f"no {kind} runs at {folder}; make them with {make}")
    try:
        runs, problems = load_group(folder)
    except UserError as e:
        fail(str(e))
    for name, problem in problems.items():
        print(f"warning: skipping {name}: {problem}", file=sys.stderr, flush=True)
    if not runs:
        fail(f"no readable {kind} runs in {folder}; remake them with {make}")
    return runs
