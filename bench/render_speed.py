"""Render speed of the cost-surface shot: our baked surface against Manim's default `Surface`.

    .venv/bin/python bench/render_speed.py [RUN.npz] [-q m]

Renders the whole `CostSurfaceDescent` scene (silent: DOWNHILL_VOICE=none, so both take the
same time line) twice with the manim CLI, side by side in one run: once as the project ships it
(the measured grid as faces, lighting baked once, no strokes), once with the surface built the
default way: `Surface` sampling the same measured grid (bilinear between grid points, in the same
display coordinates) at its default resolution of 32x32 faces, with its checkerboard, face
strokes and the Cairo camera's per-frame shading. Prints wall-clock seconds and the ratio.
Needs a run with a landscape (`make run` makes the default one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manim import Surface  # noqa: E402

from scenes.surface_descent import CostSurfaceDescent  # noqa: E402


class ShippedSurfaceDescent(CostSurfaceDescent):
    """The shot exactly as the project ships it (defined here so manim finds it in this file)."""


class DefaultSurfaceDescent(CostSurfaceDescent):
    """The same shot with Manim's default Surface settings and per-frame shading."""

    SHADING = True

    def build_surface(self) -> Surface:
        v = self.view
        return Surface(lambda X, y: v.axes.c2p(X, y, v.height(X, y)), u_range=[v.X[0], v.X[-1]],
                       v_range=[v.ys[0], v.ys[-1]])


def render_seconds(scene: str, run: Path, quality: str, media: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "manim", f"-q{quality}", "--media_dir", str(media), __file__, scene],
        cwd=ROOT, check=True, capture_output=True,
        env={**os.environ, "DOWNHILL_RUN": str(run), "DOWNHILL_VOICE": "none"},
    )
    return time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", nargs="?", type=Path, default=ROOT / "assets" / "runs" / "default.npz")
    p.add_argument("-q", default="m", choices=list("lmh"), help="manim quality letter (default m = 720p30)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as media:
        ours = render_seconds("ShippedSurfaceDescent", args.run, args.q, Path(media))
        default = render_seconds("DefaultSurfaceDescent", args.run, args.q, Path(media))
    print(f"CostSurfaceDescent (whole scene, silent) at -q{args.q}, one run, wall-clock seconds")
    print(f"  Manim default Surface (32x32, checkerboard, strokes, per-frame shading): {default:7.1f} s")
    print(f"  ours (60x60 measured grid faces, lighting baked once, no strokes):      {ours:7.1f} s")
    print(f"  speed-up: {default / ours:.1f}x")


if __name__ == "__main__":
    main()
