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
Then, in this process, the surface alone: the median time to draw one frame of it (faces and
contour lines, the first camera of the shot) in each of the three ways, at the same frame size.
Prints wall-clock seconds and the ratios. Needs a run with a landscape (`make run` makes one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manim import Surface, VGroup, tempconfig  # noqa: E402

from nn.recording import load  # noqa: E402
from scenes.baked import SurfaceCamera  # noqa: E402
from scenes.surface import CAMERA, SurfaceView, view_of  # noqa: E402
from scenes.surface_descent import CostSurfaceDescent  # noqa: E402

SIZES = {"l": (854, 480), "m": (1280, 720), "h": (1920, 1080)}


class ShippedSurfaceDescent(CostSurfaceDescent):
    """The shot exactly as the project ships it (defined here so manim finds it in this file)."""


class PerFaceSurfaceDescent(CostSurfaceDescent):
    """The same faces, one mobject each (Manim's usual way to draw many faces)."""

    def build_surface(self) -> VGroup:
        return self.view.reference_faces()


def default_surface(v: SurfaceView) -> Surface:
    """Manim's Surface through the same grid (bilinear between grid points), all defaults."""
    return Surface(lambda X, y: v.axes.c2p(X, y, v.height(X, y)), u_range=[v.X[0], v.X[-1]],
                   v_range=[v.ys[0], v.ys[-1]])


class DefaultSurfaceDescent(CostSurfaceDescent):
    """The same shot with Manim's default Surface settings and per-frame shading."""

    SHADING = True

    def build_surface(self) -> Surface:
        return default_surface(self.view)


def frame_seconds(build, shading: bool, run: Path, size: tuple[int, int], repeats: int = 7) -> float:
    """Median seconds to draw one frame of the surface built by `build(view)` and its contours."""
    view = view_of(load(run))
    surface, contours = build(view), view.contours(view.tick_levels())
    times = []
    with tempconfig({"pixel_width": size[0], "pixel_height": size[1]}):
        camera = SurfaceCamera(should_apply_shading=shading)
        camera.set_phi(CAMERA["phi"])
        camera.set_theta(CAMERA["theta"])
        camera.set_zoom(CAMERA["zoom"])
        camera.frame_center = view.middle()
        for _ in range(repeats):
            camera.reset()
            started = time.perf_counter()
            camera.capture_mobjects([surface, contours])
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def render_seconds(scene: str, run: Path, quality: str, media: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "manim", f"-q{quality}", "--media_dir", str(media), __file__, scene],
        cwd=ROOT, check=True, capture_output=True,
        env={**os.environ, "DOWNHILL_RUN": str(run), "DOWNHILL_VOICE": "none"},
    )
    return time.perf_counter() - started


def print_scenes(args: argparse.Namespace) -> None:
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


def print_frames(args: argparse.Namespace) -> None:
    size = SIZES[args.q]
    frames = {name: frame_seconds(build, shading, args.run, size) for name, build, shading in (
        ("default", default_surface, True), ("per face", SurfaceView.reference_faces, False),
        ("shipped", SurfaceView.faces, False))}
    print(f"One frame of the surface alone (faces and contour lines) at {size[0]}x{size[1]}, median of 7")
    for name, seconds in frames.items():
        print(f"  {name:9s} {1000 * seconds:7.1f} ms")
    print(f"  speed-up over the default Surface: {frames['default'] / frames['shipped']:.1f}x;  over one "
          f"mobject per face: {frames['per face'] / frames['shipped']:.1f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run", nargs="?", type=Path, default=ROOT / "assets" / "runs" / "default.npz")
    p.add_argument("-q", default="m", choices=list("lmh"), help="manim quality letter (default m = 720p30)")
    p.add_argument("--frames-only", action="store_true", help="only the one-frame comparison (seconds, not minutes)")
    args = p.parse_args()
    if not args.frames_only:
        print_scenes(args)
    print_frames(args)


if __name__ == "__main__":
    main()
