"""The cost surface as Manim faces, with lighting baked in once instead of every frame.

Manim's `Surface` samples a function and, in the Cairo renderer, re-shades every face on every
frame and strokes its edges. Our surface is a grid of *measured* costs, so its faces are built
straight from the grid's vertices (no function to sample, no interpolation), coloured by height
and lit once from a fixed light. With camera shading off and no strokes, a frame costs a
fraction of the default (see bench/render_speed.py).
"""

from __future__ import annotations

import numpy as np
from manim import ThreeDAxes, ThreeDVMobject, VGroup

from scenes.style import surface_color

MAX_FACES_PER_SIDE = 24
LIGHT = np.array([-1.0, -1.5, 2.5]) / np.linalg.norm([-1.0, -1.5, 2.5])


class Face(ThreeDVMobject):
    """One quad of the surface. Faces never move, so the depth-sort key is computed once."""

    def __init__(self, corners: np.ndarray, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_points_as_corners([*corners, corners[0]])
        self._reference = corners.mean(axis=0)

    def get_z_index_reference_point(self) -> np.ndarray:
        return self._reference


def grid_stride(points: int) -> int:
    """Take every k-th grid line so the surface has at most MAX_FACES_PER_SIDE faces a side."""
    return max(1, int(np.ceil((points - 1) / MAX_FACES_PER_SIDE)))


def cost_surface(axes: ThreeDAxes, xs: np.ndarray, ys: np.ndarray, cost: np.ndarray,
                 opacity: float = 0.92) -> VGroup:
    """Faces through the points axes.c2p(xs[j], ys[i], cost[i, j]) of a measured cost grid."""
    k_x, k_y = grid_stride(len(xs)), grid_stride(len(ys))
    ix = np.unique(np.r_[np.arange(0, len(xs), k_x), len(xs) - 1])
    iy = np.unique(np.r_[np.arange(0, len(ys), k_y), len(ys) - 1])
    verts = np.array([[axes.c2p(xs[j], ys[i], cost[i, j]) for j in ix] for i in iy])
    lo, hi = float(cost.min()), float(cost.max())
    faces = VGroup()
    for i in range(len(iy) - 1):
        for j in range(len(ix) - 1):
            corners = np.array([verts[i, j], verts[i, j + 1], verts[i + 1, j + 1], verts[i + 1, j]])
            normal = np.cross(corners[1] - corners[0], corners[3] - corners[0])
            normal /= np.linalg.norm(normal) or 1.0
            light = 0.55 + 0.45 * max(0.0, float(np.dot(normal, LIGHT)) * np.sign(normal[2] or 1))
            height = (cost[iy[i] : iy[i + 1] + 1, ix[j] : ix[j + 1] + 1].mean() - lo) / ((hi - lo) or 1.0)
            color = surface_color(height).to_rgb() * light
            faces.add(Face(corners, fill_color=color, fill_opacity=opacity, stroke_width=0))
    return faces
