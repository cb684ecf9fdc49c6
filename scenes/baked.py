"""Many flat-coloured 3-D quads drawn as one mobject, in one pass per frame.

Manim's Cairo renderer draws a surface of N faces as N mobjects: per face, per frame, it projects
four corners, sorts, builds a path and looks up colours in Python, about 0.1 ms each. A 60x60
surface pays that 3,600 times a frame. `BakedSurface` keeps every corner in one array;
`SurfaceCamera` projects them with one matrix product, orders the faces far to near with one
argsort (the painter's algorithm ThreeDCamera uses, per face instead of per mobject), and
hands Cairo four line segments and a colour per face. The picture is the same as one
`ThreeDVMobject` per face (tests/test_baked.py compares the pixels); only the bookkeeping moves
out of the per-face loop.

A BakedSurface is a backdrop: it is painted before every other mobject, so arrows, balls and
lines drawn on it are never hidden by it (scenes dim what the surface truly hides themselves).
It fades (its fill opacity is every face's opacity) but never moves.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np
from manim import ThreeDCamera, VMobject


class BakedSurface(VMobject):
    """Quads `corners` (n x 4 x 3 scene points) filled with `colors` (n x 3 RGB in [0, 1])."""

    def __init__(self, corners: np.ndarray, colors: np.ndarray, opacity: float = 1.0) -> None:
        super().__init__(fill_opacity=opacity, stroke_width=0)
        self.corners = np.asarray(corners, dtype=float)
        self.colors = np.asarray(colors, dtype=float)
        lo, hi = self.corners.reshape(-1, 3).min(axis=0), self.corners.reshape(-1, 3).max(axis=0)
        # a bounding outline, so fades, bounding boxes and `move_to` targets see where the surface is
        self.set_points_as_corners([lo, [hi[0], lo[1], lo[2]], hi, [lo[0], hi[1], hi[2]], lo])

    def paint(self, ctx: cairo.Context, camera: ThreeDCamera) -> None:
        """Every face, far to near, on the camera's Cairo context."""
        opacity = float(self.get_fill_opacity())
        if opacity <= 0 or len(self.corners) == 0:
            return
        flat = camera.project_points(self.corners.reshape(-1, 3)).reshape(self.corners.shape)
        depth = self.corners.mean(axis=1) @ camera.get_rotation_matrix()[2]  # ThreeDCamera's z key, per face
        for i in np.argsort(depth, kind="stable"):
            (x0, y0, _), (x1, y1, _), (x2, y2, _), (x3, y3, _) = flat[i]
            ctx.new_path()
            ctx.move_to(x0, y0)
            ctx.line_to(x1, y1)
            ctx.line_to(x2, y2)
            ctx.line_to(x3, y3)
            ctx.close_path()
            r, g, b = self.colors[i]
            ctx.set_source_rgba(b, g, r, opacity)  # Manim's pixel array is RGBA, Cairo's ARGB32 bytes BGRA
            ctx.fill()


class SurfaceCamera(ThreeDCamera):
    """ThreeDCamera that paints BakedSurfaces first, each in one pass."""

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list:
        mobjects = super().get_mobjects_to_display(*args, **kwargs)
        baked = [m for m in mobjects if isinstance(m, BakedSurface)]
        return baked + [m for m in mobjects if not isinstance(m, BakedSurface)]

    def display_vectorized(self, vmobject: VMobject, ctx: cairo.Context) -> SurfaceCamera:
        if isinstance(vmobject, BakedSurface):
            vmobject.paint(ctx, self)
            return self
        return super().display_vectorized(vmobject, ctx)
