"""What WeightsLearning and FirstLayerWeights share: the lit network with its counter, the small
update rule, and the mask of the pixels no training example inks.

`NetworkView` is built the same way by both scenes, so FirstLayerWeights opens on the very picture
WeightsLearning ends on. Its counter reads, at every recorded snapshot, the step, the epoch and the
training cost at that snapshot (nn.snapshots.snapshot_costs: the exact cost over the whole
training set, equal to the recorded epoch cost at the first and last snapshots).
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UR, Circle, Group, MathTex, Rectangle, UpdateFromAlphaFunc, VGroup, linear

from nn.errors import UserError
from nn.examples import run_training_set
from nn.probes import image_shape
from nn.recording import Recording
from nn.snapshots import snapshot_costs
from scenes.blocks.network import NetworkDiagram
from scenes.bridges import update_rule
from scenes.run import fail
from scenes.style import (
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SMALL,
    TEXT,
    LiveText,
    digit_image,
    fmt,
    pixel_image,
    text,
)
from scenes.words import noun, nouns


def counter_text(rec: Recording, k: int) -> tuple[str, str]:
    return f"{int(rec['snap_step'][k]):,}", f"{rec['snap_epoch'][k]:.2f}"


def run_costs(rec: Recording) -> tuple[np.ndarray, int]:
    """The training cost at every snapshot (nn.snapshots) and how many training examples it is
    averaged over, or one clear error when the data is gone."""
    try:
        x, labels = run_training_set(rec)
        return snapshot_costs(rec, x, labels), len(x)
    except UserError as e:
        fail(f"cannot read this run's training {nouns(rec)}: {e}")


class NetworkView(NetworkDiagram):
    """The network block lit by one test item, with that item (its drawn pixels marked), the output
    class names, a ring on the answer, a step/epoch/cost counter and the colour legend.

    `costs` is the training cost at every snapshot, over all the run's training examples (computed,
    nn.snapshots; `cost_note` says over how many). Built the same way by both scenes, so
    FirstLayerWeights opens on WeightsLearning's last frame."""

    def __init__(self, rec: Recording) -> None:
        super().__init__(rec, snapshot=0, digit=rec["probe_x"][0], width=7.5, height=4.9)
        self.costs, count = run_costs(rec)
        self.shift([0.75, 0.05, 0])
        self.image = digit_image(self.digit, height=2.6).move_to([-4.95, 0.4, 0])  # inside the safe area
        self.pixel_marks = self.marks(self.image)
        self.digit_note = text(f"a test {noun(rec)}\n□ = its pixels drawn", size=22, color=TEXT, line_spacing=0.8,
                               t2c={"□": HIGHLIGHT}).next_to(self.image, DOWN, buff=0.2)
        self.sample = text(f"{len(self.shown[0])} of {rec.sizes[0]} pixels drawn", size=SMALL, color=MUTED)
        self.sample.next_to(self.neurons[0], DOWN, buff=0.2)
        self.ring = Circle(self.neurons[-1][0].radius + 0.07, color=HIGHLIGHT, stroke_width=3)
        widest = (*counter_text(rec, -1), max((fmt(c) for c in self.costs), key=len))  # room for every value
        self.step, self.epoch, self.cost = (LiveText(s, size=26) for s in widest)
        labels = VGroup(*(text(s, size=22, color=MUTED) for s in ("step", "epoch", "cost")))
        for i, (value, label) in enumerate(zip((self.step, self.epoch, self.cost), labels)):  # one row
            if i:
                label.next_to((self.step, self.epoch)[i - 1], RIGHT, buff=0.45)
            value.next_to(label, RIGHT, buff=0.15)
        VGroup(labels, self.step, self.epoch, self.cost).to_corner(UR, buff=0.4)
        self.counter = VGroup(labels, self.step, self.epoch, self.cost)
        self.cost_note = text(f"cost on all {count:,} training {nouns(rec)}", size=18, color=MUTED)
        self.cost_note.next_to(self.counter, DOWN, buff=0.12).align_to(self.counter, RIGHT)
        self.legend = text("blue +, red −; bolder = bigger, compared with its layer",
                           size=20, color=MUTED, t2c={"blue +": POSITIVE, "red −": NEGATIVE}).to_edge(DOWN, buff=0.35)
        self.show(0)

    def show(self, k: int) -> None:
        """The network, the ring and the counter at snapshot k (in place: cheap every frame)."""
        self.set_snapshot(k)
        self.ring.move_to(self.neurons[-1][int(np.argmax(self.outputs()[self.shown[-1]]))])
        step, epoch = counter_text(self.rec, self.snapshot)
        self.step.set_text(step)
        self.epoch.set_text(epoch)
        self.cost.set_text(fmt(self.costs[self.snapshot]))

    def answer(self, k: int) -> int:
        return int(np.argmax(self.rec.network(k).forward(self.digit[None, :])[0]))

    def output_values(self, k: int) -> VGroup:
        """Each drawn output's value on the test item at snapshot k, in a column right of the class names."""
        out = self.rec.network(k).forward(self.digit[None, :])[0]
        x = max(label.get_right()[0] for label in self.out_labels) + 0.25
        return VGroup(*(text(fmt(out[j], 2), size=18, color=TEXT).move_to(c).set_x(x, LEFT)
                        for j, c in zip(self.shown[-1], self.neurons[-1])))

    def picture(self) -> Group:
        """Everything, edges behind the neurons, with the outputs' values at the snapshot shown."""
        return Group(self.edges, *self.neurons, self.dots, self.image, self.pixel_marks, self.digit_note,
                     self.sample, self.out_labels, self.output_values(self.snapshot), self.ring, self.counter,
                     self.cost_note, self.legend)

    def play_through(self, snapshots: list[int], moving: VGroup) -> UpdateFromAlphaFunc:
        """An animation stepping `moving` (parts of this view) through the given snapshots, each
        frame one recorded snapshot."""
        last = len(snapshots) - 1
        return UpdateFromAlphaFunc(moving, lambda _, a: self.show(snapshots[min(int(a * len(snapshots)), last)]),
                                   rate_func=linear)


def small_rule(rec: Recording) -> MathTex:
    """The update rule, shrunk into the top-left corner (a reminder of what each step does)."""
    return update_rule(rec).scale(0.85).to_corner(UL, buff=0.45)


def blank_mask(blank: np.ndarray, height: float) -> Group:
    """The pixels blank in every training example, yellow on dark grey, framed, `height` tall."""
    rows, cols = image_shape(blank.size)
    rgb = np.where(blank.reshape(rows, cols)[..., None], np.array(HIGHLIGHT.to_rgb()), 0.22)
    img = pixel_image((255 * rgb).round().astype(np.uint8), height)
    return Group(img, Rectangle(width=img.width, height=img.height, color=MUTED, stroke_width=1).move_to(img))
