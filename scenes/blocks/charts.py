"""LearningChart and LearningCurve: the run's cost and accuracy after every epoch.

LearningChart holds the pieces (axes, curves, legend, chance line, final dot) for the scenes
LearningCurves and TestPredictions to animate one by one; LearningCurve is the same chart as one
block for any Scene.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, Group, VGroup

from nn.recording import Recording
from scenes.charts import (
    STEP_GREY,
    accuracy_axes,
    axis_names,
    chance_line,
    curve,
    end_label,
    legend,
    log_cost_axes,
    separate,
    train_count,
)
from scenes.style import BACKGROUND, BALL, COMPARE_A, COMPARE_B, MUTED, fmt, pct, text
from scenes.words import nouns

STEP_OPACITY = 0.3  # the mini-batch line: seen, but quieter than the curves it sits among


def smoothed_step_cost(rec: Recording, most_points: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """The per-step mini-batch cost as a moving average over a quarter epoch: (epoch positions, values)."""
    cost = rec["step_cost"]
    per_epoch = rec["snap_step"][-1] / rec["snap_epoch"][-1] if rec["snap_epoch"][-1] > 0 else len(cost)
    window = int(max(1, min(len(cost), round(per_epoch / 4))))
    avg = np.convolve(cost, np.ones(window) / window, mode="valid")
    x = (np.arange(len(avg)) + (window - 1) / 2) / per_epoch
    keep = np.unique(np.linspace(0, len(avg) - 1, min(most_points, len(avg))).round().astype(int))
    return x[keep], avg[keep]


class LearningChart:
    """The learning curves of one run: cost (log scale) and accuracy per epoch, every piece named."""

    def __init__(self, rec: Recording) -> None:
        epochs = rec.epochs_done
        sx, sy = smoothed_step_cost(rec)
        costs = np.concatenate([rec["epoch_train_cost"], rec["epoch_test_cost"], sy])
        self.cost_axes = log_cost_axes(costs, epochs, 5.4, 3.8).move_to([-3.45, -0.25, 0])
        self.acc_axes = accuracy_axes(epochs, 5.4, 3.8).move_to([3.55, -0.25, 0])
        self.names = VGroup(axis_names(self.cost_axes, "cost (log scale)"), axis_names(self.acc_axes, "accuracy"))
        for names in self.names:  # the narration says "passes": the x axis says what an epoch is
            names.submobjects[0] = text(f"epoch (passes over the {train_count(rec):,} {nouns(rec)})", size=16,
                                        color=MUTED).move_to(names[0])
        floor = 10.0 ** self.cost_axes.y_range[0]
        # faint and thin: a scene draws it behind the blue curve, whose gap to the orange one is the point
        self.steps = curve(self.cost_axes, np.maximum(sy, floor), STEP_GREY, width=1.5, x=sx)
        self.steps.set_stroke(opacity=STEP_OPACITY)
        self.train_cost = curve(self.cost_axes, rec["epoch_train_cost"], COMPARE_A)
        self.test_cost = curve(self.cost_axes, rec["epoch_test_cost"], COMPARE_B)
        self.train_acc = curve(self.acc_axes, rec["epoch_train_acc"], COMPARE_A)
        self.test_acc = curve(self.acc_axes, rec["epoch_test_acc"], COMPARE_B)
        self.legend = legend([(f"training {nouns(rec)}", COMPARE_A), (f"test {nouns(rec)}", COMPARE_B),
                              ("mini-batches", STEP_GREY)],
                             size=18).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        self.legend[2][0].set_stroke(width=2, opacity=STEP_OPACITY + 0.15)  # a sample of the faint line
        self.legend.next_to(self.cost_axes.c2p(epochs, 10.0 ** self.cost_axes.y_range[1]), DOWN + LEFT, buff=0.05)
        self.chance = chance_line(self.acc_axes, 1 / rec.sizes[-1])
        final = float(rec["epoch_test_acc"][-1])
        self.final_dot = Dot(self.acc_axes.c2p(epochs, final), radius=0.08, color=BALL)
        self.final_label = text(pct(final), size=20, color=COMPARE_B).next_to(self.final_dot, DOWN, buff=0.15)
        self.final_label.align_to(self.final_dot, RIGHT).add_background_rectangle(color=BACKGROUND, opacity=0.8,
                                                                                 buff=0.04)
        # the last training and test costs, as the narration reads them, at the right ends of their curves
        ends = ((rec["epoch_train_cost"][-1], 3, COMPARE_A), (rec["epoch_test_cost"][-1], 2, COMPARE_B))
        self.cost_labels = VGroup(*(end_label(self.cost_axes, epochs, float(v), fmt(float(v), places), colour, size=18)
                                    for v, places, colour in ends))
        separate(list(self.cost_labels), 0.05)
        train_end = self.acc_axes.c2p(epochs, float(rec["epoch_train_acc"][-1]))
        self.train_dot = Dot(train_end, radius=0.06, color=COMPARE_A)
        self.train_label = text(f"training {nouns(rec)}: {pct(float(rec['epoch_train_acc'][-1]))}", size=18,
                                color=COMPARE_A).next_to(self.train_dot, UP, buff=0.12)
        self.train_label.align_to(train_end, RIGHT).add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.04)

    def whole(self) -> Group:
        return Group(self.cost_axes, self.acc_axes, self.names, self.steps, self.train_cost, self.test_cost,
                     self.legend, self.cost_labels, self.chance, self.train_acc, self.test_acc, self.final_dot,
                     self.final_label, self.train_dot, self.train_label)


class LearningCurve(Group):
    """Cost (log scale, left) and accuracy (right) per epoch, as the scene LearningCurves draws them.

    Reads `rec["epoch_train_cost"]`, `rec["epoch_test_cost"]`, `rec["step_cost"]` (a moving average
    over a quarter epoch, a faint thin grey line), `rec["epoch_train_acc"]` and `rec["epoch_test_acc"]`; training
    items in blue, test items in orange (named in the recording's words: "training digits",
    "training clothing items"), a dashed chance line at one over the number of classes, the final
    test accuracy as a yellow dot with an orange label, the last training accuracy as a blue dot and
    label at its curve's end, the last costs written at the ends of their
    curves. `chart` is the LearningChart it shows (its
    `cost_axes`, `acc_axes`, curves and `final_dot` for placing things on it). About 12.5 wide:
    scale to fit.
    """

    def __init__(self, rec: Recording) -> None:
        self.chart = LearningChart(rec)
        super().__init__(*self.chart.whole())
