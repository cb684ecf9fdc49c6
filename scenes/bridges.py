"""The pictures that carry the story from one scene module to the next.

A scene ends on one of these and the next scene opens on the very same mobject (built from the
same recording), then transforms away from it: the chapter never cuts to an empty frame.

    cost.AverageCost         ends on   cost_function(rec)   -> descent.DescentOnACurve opens on it
    descent (last scene)     ends on   update_rule(rec)     -> gradient.NegativeGradient opens on it
    weights.FirstLayerWeights ends on  first_layer_grid(rec) -> results.LearningCurves opens on it
"""

from __future__ import annotations

import math

import numpy as np
from manim import UP, Group, MathTex

from nn.recording import Recording
from scenes.style import EDGE, HIGHLIGHT, pixel_image, tex, weights_rgb


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
