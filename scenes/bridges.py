"""The pictures that carry the story from one scene module to the next.

A scene ends on one of these and the next scene opens on the very same mobject (built from the
same recording), then transforms away from it: the chapter never cuts to an empty frame.

    cost.AverageCost         ends on   cost_function(rec)   -> descent.DescentOnACurve opens on it
    descent.DescentOnACurve  ends on   LineSlice(rec)       -> surface_descent.CostSurfaceDescent opens on it
    surface_descent.CostSurfaceDescent ends on SurfaceEnd(rec) -> rates.LearningRates opens on it
    descent (last scene)     ends on   update_rule(rec)     -> gradient.NegativeGradient opens on it
    weights.FirstLayerWeights ends on  first_layer_grid(rec) -> results.LearningCurves opens on it
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, RIGHT, UP, Axes, Group, MathTex, VGroup

from nn.recording import Recording
from nn.slice1d import rescale
from scenes.charts import nice_step
from scenes.style import BALL, EDGE, HIGHLIGHT, MUTED, POSITIVE, pixel_image, tex, text, weights_rgb
from scenes.surface import VALLEY_CAMERA, add_labels, ball_mobject, view_of


def tex_int(n: int) -> str:
    """13002 -> 13{,}002 (a thousands comma that LaTeX does not space out)."""
    return f"{n:,}".replace(",", "{,}")


def cost_function(rec: Recording) -> MathTex:
    """C(w_1, w_2, ..., w_13002): the cost as a function of every weight and bias, top centre."""
    n = tex_int(int(rec["params"].shape[1]))
    return tex(rf"C(w_1, w_2, \ldots, w_{{{n}}})", size=44).to_edge(UP, buff=EDGE + 0.15)


def update_rule(rec: Recording) -> MathTex:
    """w <- w - eta grad C(w), with the run's real learning rate, top centre."""
    lr = f"{rec.config['lr']:g}"
    rule = tex(rf"w \;\leftarrow\; w - \eta\, \nabla C(w), \qquad \eta = {lr}", size=44)
    rule[0][-len(lr) - 2 :].set_color(HIGHLIGHT)  # the recorded learning rate
    return rule.to_edge(UP, buff=EDGE + 0.15)


def first_layer_grid(rec: Recording, height: float = 5.2, percentile: float = 99) -> Group:
    """The trained layer-1 weights, one 28x28 (or whatever the input is) image per neuron, in a
    square-ish grid, blue (+) / red (-) on a fixed scale (the `percentile` of |w|); centred left."""
    w = rec.network(-1).weights[0]
    scale = float(np.percentile(np.abs(w), percentile)) or 1.0
    n, m = w.shape
    side = int(round(math.sqrt(m)))
    columns = math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    gap = 0.1
    cell = (height + gap) / max(rows, columns) - gap
    images = Group()
    for j in range(n):
        img = pixel_image(weights_rgb(w[j].reshape(side, side), scale), height=cell)
        r, c = divmod(j, columns)
        img.move_to([(c - (columns - 1) / 2) * (cell + gap), -(r - (rows - 1) / 2) * (cell + gap), 0])
        images.add(img)
    return images.move_to([-3.0, -0.3, 0])


class LineSlice(VGroup):
    """DescentOnACurve's last picture, where CostSurfaceDescent opens.

    The real cost along one straight line through the trained weights, t rescaled to readable
    units (nn/slice1d.py): `formula` C(w* + t d) at the top, `axes`, axis `names`, the `curve`."""

    def __init__(self, rec: Recording) -> None:
        line = "land_line" if "land_line_t" in rec else "land_slice"  # older plane landscapes
        self.x, self.unit = rescale(rec[f"{line}_t"])
        self.cost = rec[f"{line}_cost"]
        top = float(self.cost.max())
        lo, hi = float(np.floor(self.x[0])), float(np.ceil(self.x[-1]))
        numbers = {"color": MUTED, "include_numbers": True, "font_size": 26}
        self.axes = Axes(x_range=[lo, hi, nice_step(hi - lo)], y_range=[0, top * 1.08, nice_step(top, 4)],
                         x_length=10.5,
                         y_length=4.4, tips=False,
                         axis_config={**numbers, "decimal_number_config": {"num_decimal_places": 1}},
                         x_axis_config={"decimal_number_config": {"num_decimal_places": 0}}).shift(DOWN * 0.6)
        self.names = VGroup(text("t", size=28, color=MUTED).next_to(self.axes.x_axis, RIGHT, buff=0.15),
                            text("cost", size=26, color=MUTED).next_to(self.axes.y_axis, UP, buff=0.15))
        self.curve = self.axes.plot_line_graph(self.x, self.cost, add_vertex_dots=False, line_color=POSITIVE,
                                               stroke_width=4)
        self.formula = tex(r"C(w^{*} + t\, d)", size=44).to_edge(UP, buff=EDGE + 0.15)
        super().__init__(self.formula, self.axes, self.names, self.curve)



class SurfaceEnd:
    """CostSurfaceDescent's last picture: the surface seen along the valley, the whole path, the
    ball at its end, C(x, y) at the top. `show_in(scene)` puts it on a ThreeDScene as it was."""

    def __init__(self, rec: Recording) -> None:
        self.view = view = view_of(rec)
        where = view.path_points(rec["land_path"], rec["land_path_plane_cost"])
        self.faces, self.contours, self.labels = view.faces(), view.contours(view.tick_levels()), view.labels()
        self.trail = view.trail(where)
        self.ball = ball_mobject(0.14, BALL).move_to(where[-1])
        self.formula = tex(r"C(x, y)", size=44).to_edge(UP, buff=EDGE + 0.15)

    def show_in(self, scene) -> None:
        scene.renderer.camera.should_apply_shading = False  # light is baked into the faces
        scene.set_camera_orientation(**VALLEY_CAMERA, frame_center=self.view.middle())
        scene.add(self.faces, self.contours, self.trail)
        add_labels(scene, self.labels)
        scene.add_fixed_orientation_mobjects(self.ball)
        scene.add_fixed_in_frame_mobjects(self.formula)

    def mobjects(self) -> list:
        return [self.faces, self.contours, self.trail, *self.labels, self.ball, self.formula]
