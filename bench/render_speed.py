"""Render speed of the cost-surface shot: our baked surface against Manim's default `Surface`.

    .venv/bin/python bench/render_speed.py [RUN.npz] [-q m]

Renders the whole `CostSurfaceDescent` scene (silent: DOWNHILL_VOICE=none, so all take the
same time line) three times with the manim CLI, side by side in one run:
- as the project ships it: the measured grid as 60x60 faces, lighting baked once, no strokes,
  all faces painted in one pass per frame (scenes/baked.py);
- the same faces as one Manim mobject each (`SurfaceView.reference_faces`): what the one-pass
  drawing saves;
- the surface built the default way: `Surface` sampling the same measured grid (bilinear between
  grid points, in the same display coordinates) at its default resolution of 32x32 faces, with
  its checkerboard, face strokes and the Cairo camera's per-frame shading.
Prints wall-clock seconds and the ratios. Needs a run with a landscape (`make run` makes one).
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

from manim import Surface, VGroup  # noqa: E402

from scenes.surface_descent import CostSurfaceDescent  # noqa: E402


class ShippedSurfaceDescent(CostSurfaceDescent):
    """The shot exactly as the project ships it (defined here so manim finds it in this file)."""


class PerFaceSurfaceDescent(CostSurfaceDescent):
    """The same faces, one mobject each (Manim's usual way to draw many faces)."""

    def build_surface(self) -> VGroup:
        return self.view.reference_faces()


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
        per_face = render_seconds("PerFaceSurfaceDescent", args.run, args.q, Path(media))
        default = render_seconds("DefaultSurfaceDescent", args.run, args.q, Path(media))
    print(f"CostSurfaceDescent (whole scene, silent) at -q{args.q}, one run, wall-clock seconds")
    print(f"  Manim default Surface (32x32, checkerboard, strokes, per-frame shading): {default:7.1f} s")
    print(f"  our 60x60 faces, one mobject per face:                                  {per_face:7.1f} s")
    print(f"  ours as shipped (60x60 faces painted in one pass, light baked once):     {ours:7.1f} s")
    print(f"  speed-up over the default Surface: {default / ours:.1f}x;  over one mobject per face: "
          f"{per_face / ours:.1f}x")


if __name__ == "__main__":
    main()
