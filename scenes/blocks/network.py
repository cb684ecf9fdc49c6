"""NetworkDiagram: the network drawn from the weights recorded at one snapshot."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, UL, Circle, ImageMobject, Line, Square, VGroup, interpolate_color

from nn.examples import layer_activations
from nn.inspection import colour_scale, most_changed_inputs
from nn.recording import Recording
from scenes.style import BACKGROUND, HIGHLIGHT, MUTED, NEGATIVE, POSITIVE, SMALL, TEXT, tex, text
from scenes.words import class_label

INPUTS = 10  # input neurons drawn by default (of 784 for 28x28 images)
LABEL_WIDTH = 1.3  # widest output label (a class name is shortened, then shrunk to fit)
MAX_STEP = 0.5  # largest distance between two neurons of a layer


def inked_pixels(x: np.ndarray, n: int) -> np.ndarray:
    """n pixels evenly spaced between an image's first and last inked pixel (some ink, some blank)."""
    ink = np.flatnonzero(x > 0)
    if not ink.size:
        return np.arange(n)
    return np.unique(np.linspace(ink[0], ink[-1], n).round().astype(int))


class NetworkDiagram(VGroup):
    """The network drawn from the weights recorded at one snapshot, optionally lit by one input image.

    Reads `rec["params"][snapshot]` (the weights, through `rec.network`) and, for the default
    choice of input neurons, every snapshot's first layer (the inputs whose weights changed most,
    nn.inspection.most_changed_inputs). Layers of up to 16 neurons are drawn whole; bigger ones (the
    784 inputs of a 28x28 image) as the `inputs` chosen, around a vertical ellipsis. Each edge is one real weight:
    blue (+) or red (-), bolder and brighter the larger its |w| against its layer in this snapshot.
    Given a `digit` (an input vector, e.g. `rec["probe_x"][0]`: a digit, a clothing item, any
    image of the run's data), each neuron's fill is its activation on it (dark 0 to white 1).

    Parts: `neurons[l]` (circles of layer l), `edges` (layer by layer, for each drawn neuron of
    layer l+1 the edges from each drawn neuron of layer l), `dots`, `labels` (layer sizes),
    `out_labels` (the outputs' class names from the recording, scenes.words.class_label: "0".."9"
    for digits, "Trouser" for Fashion-MNIST); `shown[l]` the neuron indices drawn. Laid out `width` x
    `height` around the origin. `set_snapshot(k)` restyles everything in place to snapshot k.
    """

    def __init__(self, rec: Recording, snapshot: int = -1, digit: np.ndarray | None = None,
                 inputs: np.ndarray | None = None, width: float = 7.5, height: float = 4.9) -> None:
        super().__init__()
        self.rec, self.digit = rec, digit
        sizes = rec.sizes
        if inputs is None:
            first = rec["params"][:, : sizes[1] * sizes[0]].reshape(-1, sizes[1], sizes[0])
            inputs = most_changed_inputs(first, INPUTS)
        self.shown = [np.asarray(inputs)] + [np.arange(n) if n <= 16 else np.arange(INPUTS) for n in sizes[1:]]
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        self.neurons, self.dots, self.labels = [], VGroup(), VGroup()
        for layer, (n, idx) in enumerate(zip(sizes, self.shown)):
            cut = len(idx) < n
            slots = len(idx) + cut
            step = min(MAX_STEP, height / max(slots - 1, 1))
            ys = step * ((slots - 1) / 2 - np.arange(slots))
            if cut:
                self.dots.add(tex(r"\vdots", size=30, color=MUTED).move_to([xs[layer], ys[len(idx) // 2], 0]))
                ys = np.delete(ys, len(idx) // 2)
            radius = min(0.15, 0.36 * step)
            self.neurons.append(VGroup(*(Circle(radius, color=TEXT, stroke_width=1.5)
                                         .set_fill(BACKGROUND, opacity=1).move_to([xs[layer], y, 0]) for y in ys)))
            name = {0: f"{n} pixels", len(sizes) - 1: f"{n} outputs"}.get(layer, str(n))
            self.labels.add(text(name, size=SMALL, color=MUTED).move_to([xs[layer], -height / 2 - 0.55, 0]))
        self.edges = VGroup(*(Line(a.get_center(), b.get_center())
                              for lower, upper in zip(self.neurons, self.neurons[1:]) for b in upper for a in lower))
        self.out_labels = VGroup(*(class_label(rec, int(j), 18, MUTED, LABEL_WIDTH).next_to(c, RIGHT, buff=0.2)
                                   for j, c in zip(self.shown[-1], self.neurons[-1])))
        self.add(self.edges, *self.neurons, self.dots, self.labels, self.out_labels)
        self.snapshot = None
        self.set_snapshot(snapshot)

    def set_snapshot(self, k: int) -> None:
        """Restyle edges (and the neurons, when lit by an input) to snapshot k, in place."""
        k = k % len(self.rec["params"])
        if k == self.snapshot:
            return
        self.snapshot = k
        net = self.rec.network(k)
        lines = iter(self.edges)
        for l, w in enumerate(net.weights):
            scale = colour_scale(w[np.ix_(self.shown[l + 1], self.shown[l])], 95)  # this layer, this snapshot
            for j in self.shown[l + 1]:
                for i in self.shown[l]:
                    t = float(np.clip(abs(w[j, i]) / scale, 0, 1))
                    next(lines).set_stroke(POSITIVE if w[j, i] >= 0 else NEGATIVE, width=0.5 + 3.0 * t,
                                           opacity=0.22 + 0.78 * t)
        if self.digit is not None:
            acts = layer_activations(net, self.digit)
            for layer, idx, circles in zip(acts, self.shown, self.neurons):
                for a, c in zip(layer[idx], circles):
                    c.set_fill(interpolate_color(BACKGROUND, TEXT, float(np.clip(a, 0, 1))), opacity=1)

    def outputs(self) -> np.ndarray:
        """The output activations on the input at the snapshot shown."""
        return self.rec.network(self.snapshot).forward(np.asarray(self.digit)[None, :])[0]

    def dark(self) -> list[VGroup]:
        """Copies of every layer's neurons, unlit: a start to light them from, layer by layer."""
        return [layer.copy().set_fill(BACKGROUND, opacity=1) for layer in self.neurons]

    def pixel_points(self, image: ImageMobject) -> np.ndarray:
        """The centres, in `image` (the input drawn), of the input pixels drawn as neurons."""
        side = int(round(np.sqrt(self.rec.sizes[0])))
        cell = image.height / side
        p = self.shown[0]
        return image.get_corner(UL) + cell * np.stack([p % side + 0.5, -(p // side + 0.5), 0 * p], axis=1)

    def feeds(self, image: ImageMobject) -> VGroup:
        """Thin lines from each drawn input pixel in the input's image to its input neuron."""
        return VGroup(*(Line(p, c.get_left(), stroke_width=1.5, color=TEXT, stroke_opacity=0.6)
                        for p, c in zip(self.pixel_points(image), self.neurons[0])))

    def marks(self, image: ImageMobject) -> VGroup:
        """Each drawn input pixel in the input's image filled yellow and outlined: neighbouring pixels
        stay apart (an outline wider than one pixel would overlap its neighbours' outlines)."""
        side = image.height / int(round(np.sqrt(self.rec.sizes[0])))
        return VGroup(*(Square(side, color=HIGHLIGHT, stroke_width=2.5).set_fill(HIGHLIGHT, opacity=0.6).move_to(p)
                        for p in self.pixel_points(image)))
