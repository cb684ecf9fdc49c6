"""The cost surface as Manim faces: measured heights, baked light, contour lines, axes.

Manim's `Surface` samples a function and, in the Cairo renderer, re-shades every face on every
frame and strokes its edges. Our surface is a grid of *measured* costs, so its faces are built
straight from the grid's vertices (no function to sample, no interpolation), coloured by height
and lit once from a fixed light. With camera shading off and no strokes, a frame costs a
fraction of the default (see bench/render_speed.py).

Display coordinates: a sheet's x (distance travelled) is drawn on a square-root scale, the scale
its grid is spaced on (nn/landscape.py `sheet_axes`), so the first steps of training, a few units
of distance out of hundreds, get room on screen. A plane's axes are drawn as they are.
"""

from __future__ import annotations

import numpy as np
from manim import (
    BLACK,
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Circle,
    Cone,
    Line,
    Line3D,
    ManimColor,
    ThreeDAxes,
    ThreeDScene,
    ThreeDVMobject,
    VGroup,
    VMobject,
    interpolate_color,
)

from nn.recording import Recording
from scenes.baked import BakedSurface
from scenes.style import HIGHLIGHT, MUTED, TEXT, LiveText, fmt, text

MAX_FACES_PER_SIDE = 60
DEG = np.pi / 180
CAMERA = {"phi": 62 * DEG, "theta": -112 * DEG, "zoom": 1.05}  # the surface first seen: cliff on the left
VALLEY_CAMERA = {"phi": 56 * DEG, "theta": -64 * DEG, "zoom": 1.05}  # turned to look along the valley
LIGHT = np.array([-1.0, -1.5, 2.5]) / np.linalg.norm([-1.0, -1.5, 2.5])
# low cost -> deep blue, then teal, green and pale sand at the top: bright enough on the dark background
COLORMAP = [ManimColor(c) for c in ("#2C4BA0", "#2A8FBD", "#3DBE9C", "#A6D96A", "#F2E6B8")]
CONTOUR_COLOR = ManimColor("#0B0D10")


class Face(ThreeDVMobject):
    """One quad of the surface. Faces never move, so the depth-sort key is computed once."""

    def __init__(self, corners: np.ndarray, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_points_as_corners([*corners, corners[0]])
        self._reference = corners.mean(axis=0)

    def get_z_index_reference_point(self) -> np.ndarray:
        return self._reference


def colormap(t: float) -> ManimColor:
    t = float(np.clip(t, 0, 1)) * (len(COLORMAP) - 1)
    i = min(int(t), len(COLORMAP) - 2)
    return interpolate_color(COLORMAP[i], COLORMAP[i + 1], t - i)


class SurfaceView:
    """A landscape grid in display coordinates (X, Y, cost), and the scene points it maps to."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, cost: np.ndarray, sqrt_x: bool,
                 x_length: float = 7.5, y_length: float = 5.0, z_length: float = 3.2, top: float | None = None,
                 y_name: str = "direction 2"):
        self.xs, self.ys, self.cost, self.sqrt_x, self.y_name = xs, ys, cost, sqrt_x, y_name
        self.X = self.display_x(xs)
        self.top = float(top if top is not None else cost.max())
        self.axes = ThreeDAxes(x_range=[self.X[0], self.X[-1], 1], y_range=[ys[0], ys[-1], 1],
                               z_range=[0, self.top, 1], x_length=x_length, y_length=y_length, z_length=z_length,
                               tips=False)
        # log-cost colour: the valley floor (costs near 0.05) and the cliff (1 to 5) both show structure
        self.log_lo, self.log_hi = np.log(max(float(cost.min()), 1e-6)), np.log(float(cost.max()))
        self.dh_dY, self.dh_dX = np.gradient(cost, ys, self.X)

    def display_x(self, u: np.ndarray | float) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        return np.sqrt(np.maximum(u - self.xs[0], 0.0)) if self.sqrt_x else u

    def point(self, u: float, y: float, z: float) -> np.ndarray:
        """Scene point of surface coordinates (x = u as recorded, y, height z)."""
        return self.axes.c2p(float(self.display_x(u)), y, z)

    def _bilinear(self, grid: np.ndarray, X: float, y: float) -> float:
        j = int(np.clip(np.searchsorted(self.X, X) - 1, 0, len(self.X) - 2))
        i = int(np.clip(np.searchsorted(self.ys, y) - 1, 0, len(self.ys) - 2))
        s = np.clip((X - self.X[j]) / (self.X[j + 1] - self.X[j]), 0, 1)
        t = np.clip((y - self.ys[i]) / (self.ys[i + 1] - self.ys[i]), 0, 1)
        return float((1 - s) * (1 - t) * grid[i, j] + s * (1 - t) * grid[i, j + 1]
                     + (1 - s) * t * grid[i + 1, j] + s * t * grid[i + 1, j + 1])

    def height(self, X: float, y: float) -> float:
        """The drawn surface's height at display point (X, y): bilinear between grid points."""
        return self._bilinear(self.cost, X, y)

    def slope(self, X: float, y: float) -> np.ndarray:
        """(dh/dX, dh/dy) of the drawn surface at display point (X, y)."""
        return np.array([self._bilinear(self.dh_dX, X, y), self._bilinear(self.dh_dY, X, y)])

    def color(self, c: float) -> ManimColor:
        return colormap((np.log(max(c, 1e-6)) - self.log_lo) / ((self.log_hi - self.log_lo) or 1.0))

    def face_quads(self) -> tuple[np.ndarray, np.ndarray]:
        """Corners (n x 4 x 3 scene points) and colours (n x 3 RGB) of the faces through the grid's
        points (at most MAX_FACES_PER_SIDE a side), coloured by log cost and lit once."""
        k_x, k_y = (max(1, int(np.ceil((n - 1) / MAX_FACES_PER_SIDE))) for n in (len(self.X), len(self.ys)))
        ix = np.unique(np.r_[np.arange(0, len(self.X), k_x), len(self.X) - 1])
        iy = np.unique(np.r_[np.arange(0, len(self.ys), k_y), len(self.ys) - 1])
        verts = np.array([[self.axes.c2p(self.X[j], self.ys[i], self.cost[i, j]) for j in ix] for i in iy])
        corners, colors = [], []
        for i in range(len(iy) - 1):
            for j in range(len(ix) - 1):
                quad = np.array([verts[i, j], verts[i, j + 1], verts[i + 1, j + 1], verts[i + 1, j]])
                normal = np.cross(quad[1] - quad[0], quad[3] - quad[0])
                normal /= np.linalg.norm(normal) or 1.0
                light = 0.6 + 0.4 * max(0.0, float(np.dot(normal, LIGHT)) * np.sign(normal[2] or 1))
                mean = float(self.cost[iy[i] : iy[i + 1] + 1, ix[j] : ix[j + 1] + 1].mean())
                corners.append(quad)
                colors.append(self.color(mean).to_rgb() * light)
        return np.array(corners), np.array(colors)

    def faces(self, opacity: float = 1.0) -> BakedSurface:
        """The surface, drawn in one pass per frame (needs SurfaceCamera: NarratedThreeDScene has it)."""
        return BakedSurface(*self.face_quads(), opacity)

    def reference_faces(self, opacity: float = 1.0) -> VGroup:
        """The same faces as one Manim mobject each: the plain, slow way (tests/test_baked.py compares)."""
        return VGroup(*(Face(quad, fill_color=rgb, fill_opacity=opacity, stroke_width=0)
                        for quad, rgb in zip(*self.face_quads())))

    def contours(self, levels: list[float], width: float = 1.6) -> VMobject:
        """Iso-cost lines on the surface (marching squares on the grid), a hair above the faces,
        as one mobject of many short pieces (one stroke per frame, not one per piece)."""
        lift = 0.004 * self.top
        lines = VMobject(stroke_color=CONTOUR_COLOR, stroke_width=width, stroke_opacity=0.55)
        for level in levels:
            for a, b in contour_segments(self.X, self.ys, self.cost, level):
                lines.start_new_path(self.axes.c2p(*a, level + lift))
                lines.add_line_to(self.axes.c2p(*b, level + lift))
        return lines

    def tick_levels(self, most: int = 6) -> list[float]:
        """Round cost levels for contours: 1-2-5 steps spanning the grid on a log scale."""
        lo, hi = float(self.cost.min()), float(self.cost.max())
        levels = [m * 10.0**e for e in range(-3, 3) for m in (1, 2, 5) if lo < m * 10.0**e < hi]
        return levels[:: max(1, int(np.ceil(len(levels) / most)))]


    def middle(self) -> np.ndarray:
        """The point the camera looks at: the middle of the grid, a little above the valley floor."""
        return self.axes.c2p((self.X[0] + self.X[-1]) / 2, (self.ys[0] + self.ys[-1]) / 2, 0.25 * self.top)

    def lift(self) -> np.ndarray:
        """A small shift up, so a line drawn on the surface is not lost in its faces."""
        return self.axes.c2p(0, 0, 0.01 * self.top) - self.axes.c2p(0, 0, 0)

    def path_points(self, path: np.ndarray, heights: np.ndarray) -> np.ndarray:
        """Scene points of a recorded path (surface coordinates) at the given heights."""
        return np.array([self.point(u, y, c) for (u, y), c in zip(path, heights)])

    def trail(self, points: np.ndarray, color: ManimColor | str = HIGHLIGHT) -> VMobject:
        trail = VMobject(stroke_color=color, stroke_width=3)
        return trail.set_points_as_corners(points + self.lift())

    def labels(self) -> VGroup:
        """The grid's three edges from the near corner, named, with cost ticks up the height."""
        ax = self.axes
        x0, x1, y0, y1 = self.X[0], self.X[-1], self.ys[0], self.ys[-1]
        x_name = "x: distance travelled (√ scale)" if self.sqrt_x else "x: direction 1"
        edges = VGroup(Line(ax.c2p(x0, y0, 0), ax.c2p(x1, y0, 0)), Line(ax.c2p(x0, y0, 0), ax.c2p(x0, y1, 0)),
                       Line(ax.c2p(x0, y0, 0), ax.c2p(x0, y0, self.top))).set_stroke(MUTED, 2)
        names = [text(x_name, size=20, color=MUTED).move_to(ax.c2p((x0 + x1) / 2, y0, 0) + DOWN * 0.8),
                 text(f"y: {self.y_name}", size=20, color=MUTED).move_to(ax.c2p(x1, (y0 + y1) / 2, 0) + RIGHT * 0.9),
                 text("cost", size=20, color=MUTED).move_to(ax.c2p(x0, y0, self.top) + UP * 0.3)]
        ticks = [text(fmt(c, 0), size=18, color=MUTED).move_to(ax.c2p(x0, y0, c) + LEFT * 0.3)
                 for c in np.arange(1, int(self.top) + 1)]
        return VGroup(edges, *names, *ticks)


def add_labels(scene: ThreeDScene, labels: VGroup) -> None:
    """Put `SurfaceView.labels()` on a 3-D scene: the edges turn with the camera like the surface;
    the words and numbers stay upright, facing the viewer, only their places moving."""
    edges, *words = labels
    scene.add(edges)
    scene.add_fixed_orientation_mobjects(*words)


def view_of(rec: Recording, **kwargs) -> SurfaceView:
    """The recording's landscape grid as a SurfaceView (x on a square-root scale where it was sampled so)."""
    meta = rec.landscape_meta
    top = max(float(rec["land_cost"].max()), float(rec["land_path_true_cost"].max()))
    if "land_group_true_cost" in rec:
        top = max(top, float(rec["land_group_true_cost"].max()))
    y_name = "across the runs" if meta.get("shared") else "direction 2"
    return SurfaceView(rec["land_x"], rec["land_y"], rec["land_cost"], meta.get("x_spacing") == "sqrt", top=top,
                       y_name=y_name, **kwargs)


def surface_sentence(meta: dict) -> str:
    """One plain sentence, for the screen, on what this surface is."""
    if meta.get("shared"):
        return "One curved sheet holding all three runs: each run's path is a line across it."
    if meta["method"] == "sheet":
        return "A curved sheet through every recorded set of weights: its height is the true cost."
    return "A flat slice through weight space: real costs, with the path projected onto it."


class Readout(VGroup):
    """Step, epoch and true cost: fixed labels, LiveText numbers that change every frame."""

    def __init__(self) -> None:
        rows = [("step", TEXT, "000,000"), ("epoch", TEXT, "00.00"), ("cost", HIGHLIGHT, "0.000")]
        self.values = [LiveText(w, size=24, color=c) for _, c, w in rows]
        lines = [VGroup(text(s, size=24, color=c), v) for (s, c, _), v in zip(rows, self.values)]
        for label, value in lines:
            value.next_to(label, RIGHT, buff=0.25).align_to(label, DOWN)
            value.add_updater(lambda m: m)  # redrawn every frame, not frozen into the static background
        super().__init__(*lines)
        self.arrange(DOWN, aligned_edge=LEFT, buff=0.15).to_corner(UL, buff=0.45)

    def show(self, rec: Recording, k: int) -> None:
        numbers = (f"{rec['snap_step'][k]:,}", f"{rec['snap_epoch'][k]:.2f}", fmt(rec["land_path_true_cost"][k]))
        for value, number in zip(self.values, numbers):
            value.set_text(number)


def contour_segments(X: np.ndarray, Y: np.ndarray, grid: np.ndarray, level: float
                     ) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Line segments where the bilinear-in-cells grid crosses `level`: per cell, the crossing
    points on its edges, joined in pairs (the rare saddle cell joins them in edge order)."""
    segments = []
    above = grid > level
    for i in range(len(Y) - 1):
        for j in range(len(X) - 1):
            corners = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)]
            flags = [above[c] for c in corners]
            if all(flags) or not any(flags):
                continue
            points = []
            for (i0, j0), (i1, j1) in zip(corners, corners[1:] + corners[:1]):
                v0, v1 = grid[i0, j0], grid[i1, j1]
                if (v0 > level) != (v1 > level):
                    f = (level - v0) / (v1 - v0)
                    points.append((X[j0] + f * (X[j1] - X[j0]), Y[i0] + f * (Y[i1] - Y[i0])))
            segments += [(points[k], points[k + 1]) for k in range(0, len(points) - 1, 2)]
    return segments


def arrow_3d(start: np.ndarray, end: np.ndarray, color: ManimColor | str, thickness: float = 0.025,
             tip_length: float = 0.22, tip_radius: float = 0.07) -> VGroup:
    """A 3-D arrow of 52 faces: a shaft and a cone tip at `end`. (Manim's Arrow3D builds its
    cone from 1,026 faces, each depth-sorted and drawn every frame.)"""
    start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    length = float(np.linalg.norm(end - start)) or 1e-9
    direction = (end - start) / length
    shrink = min(1.0, 0.5 * length / tip_length)  # a short arrow keeps a shaft: its tip is at most half of it
    tip_length, tip_radius, thickness = tip_length * shrink, tip_radius * shrink, thickness * max(shrink, 0.4)
    shaft = Line3D(start, end - tip_length * direction, thickness=thickness, resolution=(2, 8))
    tip = Cone(base_radius=tip_radius, height=tip_length, direction=direction, resolution=(2, 16)).shift(end)
    return VGroup(shaft, tip).set_color(color)


def ball_mobject(radius: float = 0.13, color: ManimColor | str = "#FFD400") -> VGroup:
    """A lit sphere drawn flat: a dark rim, the body, and a highlight up and to the left."""
    body = Circle(radius=radius, stroke_color=BLACK, stroke_width=2).set_fill(color, 1)
    shade = Circle(radius=radius * 0.72).set_fill(interpolate_color(ManimColor(color), ManimColor("#FFFFFF"), 0.35),
                                                  1).set_stroke(width=0).shift(UL * radius * 0.18)
    glint = Circle(radius=radius * 0.25).set_fill("#FFFFFF", 0.9).set_stroke(width=0).shift(UL * radius * 0.42)
    return VGroup(body, shade, glint)
