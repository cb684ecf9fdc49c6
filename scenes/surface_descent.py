"""Beats 5 and 6: the real cost surface, the gradient at the ball, and the whole recorded descent."""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    Dot,
    ThreeDAxes,
    ThreeDScene,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from scenes.run import load_run
from scenes.style import BALL, HIGHLIGHT, MUTED, SMALL, TEXT, LiveText, fmt, pct, run_tag, text, title
from scenes.surface import cost_surface


def plane_name(meta: dict) -> str:
    """What plane this is, in words, for the screen."""
    if meta["method"] == "pca":
        return "plane of the path's two principal directions"
    return "plane of two random filter-normalised directions"


class CostSurfaceDescent(ThreeDScene):
    """The ball follows the recorded path, projected, on the real cost surface of that plane."""

    MOTION_SECONDS = 4.0

    @staticmethod
    def readout() -> tuple[VGroup, list[LiveText]]:
        """Step, epoch, true cost and plane cost: fixed labels, numbers that change every frame."""
        rows = [("step", TEXT), ("epoch", TEXT), ("true cost", HIGHLIGHT), ("cost on plane", MUTED)]
        labels = [text(s, size=22, color=c) for s, c in rows]
        widest = ("000,000", "00.00", "0.000", "0.000")  # lay out for the longest values
        values = [LiveText(w, size=22, color=c) for w, (_, c) in zip(widest, rows)]
        table = VGroup(*(VGroup(label, value) for label, value in zip(labels, values)))
        for label, value in table:
            value.next_to(label, RIGHT, buff=0.25).align_to(label, DOWN)
            value.add_updater(lambda m: m)  # redrawn every frame, not frozen into the static background
        table.arrange(DOWN, aligned_edge=LEFT, buff=0.15).to_corner(DR, buff=0.45).shift(UP * 0.2)
        return table, values

    def build_surface(self, axes: ThreeDAxes, xs: np.ndarray, ys: np.ndarray, cost: np.ndarray) -> VGroup:
        """The measured grid as faces with baked lighting (so the camera's per-frame shading is off)."""
        self.renderer.camera.should_apply_shading = False
        return cost_surface(axes, xs, ys, cost)

    def construct(self) -> None:
        rec = load_run(need_landscape=True)
        meta = rec.landscape_meta
        xs, ys, cost = rec["land_x"], rec["land_y"], rec["land_cost"]
        path, plane_cost = rec["land_path"], rec["land_path_plane_cost"]
        top = float(max(cost.max(), plane_cost.max()))
        # The axes only map plane coordinates and cost to the scene; they are not drawn (the
        # Cairo renderer shades each axis piece every frame, which costs more than it shows).
        self.axes = axes = ThreeDAxes(
            x_range=[xs[0], xs[-1], (xs[-1] - xs[0]) / 4], y_range=[ys[0], ys[-1], (ys[-1] - ys[0]) / 4],
            z_range=[0, top, top / 4], x_length=7, y_length=7, z_length=3, tips=False,
        )
        surface = self.build_surface(axes, xs, ys, cost)
        self.set_camera_orientation(phi=62 * DEGREES, theta=-60 * DEGREES, zoom=0.72,
                                    frame_center=axes.c2p(xs.mean(), ys.mean(), top * 0.5))

        # Fixed overlay: what the plane is, how much of the motion it holds, and the readout.
        heading = title("Down the real cost surface")
        share = (f"captures {pct(meta['captured'])} of the path's motion"
                 if meta["captured"] >= 0.005 else "captures almost none of the path's motion")
        plane = text(f"{plane_name(meta)}; {share}", size=SMALL, color=MUTED)
        plane.next_to(heading, DOWN, aligned_edge=LEFT)
        gap = text(f"height = cost on the plane; the true cost of the recorded weights differs "
                   f"by up to {fmt(meta['max_plane_gap'], 2)}", size=SMALL, color=MUTED)
        gap.next_to(plane, DOWN, aligned_edge=LEFT)
        readout, values = self.readout()
        overlay = [heading, plane, gap, readout, run_tag(rec)]
        self.add_fixed_in_frame_mobjects(*overlay)
        self.add(surface)

        # The ball and its trail, drawn over the surface (they are not depth-sorted faces).
        where = np.array([axes.c2p(p[0], p[1], c) for p, c in zip(path, plane_cost)])
        lift = axes.c2p(0, 0, 0.02 * top) - axes.c2p(0, 0, 0)  # the trail floats just above the faces
        ball = Dot(where[0], radius=0.1, color=BALL)
        trail = VMobject(stroke_color=HIGHLIGHT, stroke_width=3).set_points_as_corners([where[0], where[0]])
        self.add_fixed_orientation_mobjects(ball)
        self.add(trail, ball)

        k_last = len(path) - 1
        shown = {"k": -1}

        def follow(mob, alpha: float) -> None:
            """Place the ball at fraction alpha of the recorded snapshots (equal time each)."""
            u = alpha * k_last
            k = min(int(u), k_last - 1) if k_last else 0
            f = u - k if k_last else 0.0
            point = where[k] + f * (where[min(k + 1, k_last)] - where[k])
            ball.move_to(point)
            trail.set_points_as_corners([*(where[: k + 1] + lift), point + lift])
            k_now = min(int(round(u)), k_last)
            if k_now != shown["k"]:
                shown["k"] = k_now
                numbers = (f"{rec['snap_step'][k_now]:,}", f"{rec['snap_epoch'][k_now]:.2f}",
                           fmt(rec["land_path_true_cost"][k_now]), fmt(plane_cost[k_now]))
                for value, number in zip(values, numbers):
                    value.set_text(number)

        follow(ball, 0.0)
        self.add_subcaption("The ball follows the recorded training run, projected onto this plane; the "
                            "readout gives the true cost at each step.", duration=self.MOTION_SECONDS)
        self.wait(0.4)
        self.begin_ambient_camera_rotation(rate=0.12)
        self.play(UpdateFromAlphaFunc(ball, follow), run_time=self.MOTION_SECONDS, rate_func=linear)
        self.stop_ambient_camera_rotation()
        self.wait(0.6)
