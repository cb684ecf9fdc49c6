"""FirstLayerImages: each first-layer neuron's weights drawn as a picture, at one snapshot."""

from __future__ import annotations

import numpy as np
from manim import Group, Rectangle, VGroup
from manim.utils.images import change_to_rgba_array

from nn.inspection import colour_scale
from nn.recording import Recording
from scenes.bridges import first_layer_grid
from scenes.style import MUTED, pixel_image, weights_rgb


class FirstLayerImages(Group):
    """The first layer's weights at one snapshot: one picture per neuron (28x28 for MNIST), each
    pixel the weight from that input pixel, blue (+) / red (-) / dark near 0.

    Reads `rec["params"][snapshot]` (layer 1's weight matrix, through `rec.network`). The colour
    scale is the snapshot's own (the 99th percentile of |w|, nn.inspection.colour_scale), so a
    picture is readable at every snapshot; `scale` holds it. The grid is `scenes.bridges.
    first_layer_grid` (the picture LearningCurves opens on), `height` tall, neuron j at row
    j // columns, column j % columns. `set_snapshot(k)` repaints the pictures in place."""

    def __init__(self, rec: Recording, snapshot: int = -1, height: float = 5.2) -> None:
        super().__init__(*first_layer_grid(rec, height=height))
        self.rec, self.snapshot, self.scale_value = rec, None, 1.0
        self.set_snapshot(snapshot)

    def set_snapshot(self, k: int) -> None:
        """Repaint every picture with snapshot k's weights on that snapshot's own colour scale."""
        k = k % len(self.rec["params"])
        if k == self.snapshot:
            return
        self.snapshot = k
        w = self.rec.network(k).weights[0]
        self.scale_value = colour_scale(w)
        side = int(round(np.sqrt(w.shape[1])))
        for img, row in zip(self, w):
            img.pixel_array = change_to_rgba_array(weights_rgb(row.reshape(side, -1), self.scale_value))


def stroke_picture(distance: np.ndarray) -> np.ndarray:
    """A drawn stroke as weights: +1 (blue) on the stroke, -0.7 (red) along its sides, 0 elsewhere,
    from each pixel's distance to the stroke's centre line (in pixels)."""
    return np.where(distance < 1.6, 1.0, np.where(distance < 3.6, -0.7, 0.0))


def hoped_for_tiles(side: int, height: float) -> Group:
    """Four hand-made pictures (a bar, an upright, a loop, a curve) drawn as weight pictures of
    `side` x `side` pixels, `height` tall, framed, in a 2x2 grid (`tiles`, `frames`): blue strokes
    with red sides, the same colours as the real weights. A DRAWING of what one might hope a first
    layer learns; not data."""
    r, c = np.mgrid[0:side, 0:side] - (side - 1) / 2
    u = side / 28  # the strokes are drawn for 28x28 and scaled to the input's side
    radius = np.hypot(r, c)
    distances = [np.where(np.abs(c) <= 10 * u, np.abs(r + 3 * u), 99),  # a bar, above the middle
                 np.where(np.abs(r) <= 10 * u, np.abs(c), 99),  # an upright
                 np.abs(radius - 7.5 * u),  # a loop
                 np.where(c >= 0, np.abs(radius - 9 * u), 99)]  # a curve: the right half of a ring
    tiles = Group(*(pixel_image(weights_rgb(stroke_picture(d), 1.0), height=height) for d in distances))
    tiles.arrange_in_grid(2, 2, buff=0.1)
    frames = VGroup(*(Rectangle(width=height, height=height, color=MUTED, stroke_width=1).move_to(t) for t in tiles))
    return Group(tiles, frames)
