"""NeuronSwap: a small drawing (not data) of two hidden neurons trading places with all their edges.

Three inputs, two hidden neurons (one blue, one orange, each with its own edges in its colour) and
two outputs. `swap()` moves each hidden neuron to the other's place, its edges with it: the same
network, written in another order. ManyMinima shows it while the narration says so.
"""

from __future__ import annotations

import numpy as np
from manim import RIGHT, Animation, Dot, Line, Transform, VGroup

from scenes.style import COMPARE_A, COMPARE_B, MUTED, text


class NeuronSwap(VGroup):
    """VGroup(inputs and outputs, hidden neurons with their edges, label): the drawing (1.8 wide,
    0.9 tall) with its middle at `center`, its label to its right."""

    def __init__(self, center: np.ndarray) -> None:
        super().__init__()
        c = np.asarray(center, dtype=float)
        self.inputs = [c + np.array([-0.9, y, 0]) for y in (0.4, 0.0, -0.4)]
        self.outputs = [c + np.array([0.9, y, 0]) for y in (0.2, -0.2)]
        self.places = [c + np.array([0, 0.22, 0]), c + np.array([0, -0.22, 0])]
        ends = VGroup(*(Dot(p, radius=0.06, color=MUTED) for p in self.inputs + self.outputs))
        pairs = zip(self.places, (COMPARE_A, COMPARE_B))
        self.hidden = VGroup(*(self.neuron(place, colour) for place, colour in pairs))
        label = text("a drawing: two hidden neurons trade places", size=16, color=MUTED)
        label.next_to(VGroup(ends, self.hidden), RIGHT, buff=0.3)
        self.add(ends, self.hidden, label)

    def neuron(self, place: np.ndarray, colour) -> VGroup:
        """One hidden neuron at `place` with its edges from every input and to every output."""
        edges = VGroup(*(Line(a, place, color=colour, stroke_width=2, stroke_opacity=0.7) for a in self.inputs),
                       *(Line(place, b, color=colour, stroke_width=2, stroke_opacity=0.7) for b in self.outputs))
        return VGroup(edges, Dot(place, radius=0.09, color=colour))

    def swap(self) -> list[Animation]:
        """Each hidden neuron, edges and all, moves to the other's place."""
        return [Transform(n, self.neuron(place, n[1].get_color()))
                for n, place in zip(self.hidden, reversed(self.places))]
