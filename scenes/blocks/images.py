"""FirstLayerImages: each first-layer neuron's weights drawn as a picture, at one snapshot."""

from __future__ import annotations

import numpy as np
from manim import Group
from manim.utils.images import change_to_rgba_array

from nn.inspection import colour_scale
from nn.recording import Recording
from scenes.bridges import first_layer_grid
from scenes.style import weights_rgb


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
