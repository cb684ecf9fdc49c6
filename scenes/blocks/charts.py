"""LearningCurve: the run's cost and accuracy after every epoch (scenes.results.LearningChart)."""

from __future__ import annotations

from manim import Group

from nn.recording import Recording
from scenes.results import LearningChart


class LearningCurve(Group):
    """Cost (log scale, left) and accuracy (right) per epoch, as the scene LearningCurves draws them.

    Reads `rec["epoch_train_cost"]`, `rec["epoch_test_cost"]`, `rec["step_cost"]` (a moving average
    over a quarter epoch, grey), `rec["epoch_train_acc"]` and `rec["epoch_test_acc"]`; training
    digits in blue, test digits in orange, a dashed chance line, the final test accuracy as a yellow
    dot and label. `chart` is the scenes.results.LearningChart it shows (its `cost_axes`,
    `acc_axes`, curves and `final_dot` for placing things on it). About 12.5 wide: scale to fit.
    """

    def __init__(self, rec: Recording) -> None:
        self.chart = LearningChart(rec)
        super().__init__(*self.chart.whole())
