"""What "cost" means: the squared error of one real digit, then the mean over the whole test set.

Every number on screen is read from the recording: the probe digits and the network's outputs on
them at each snapshot (`probe_x`, `probe_y`, `probe_out`) and the test-set cost at each epoch end
(`epoch_test_cost`). Costs of single digits are computed here from those recorded outputs.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    Group,
    GrowArrow,
    Line,
    Rectangle,
    Scene,
    Transform,
    VGroup,
    Write,
)

from nn.recording import Recording
from scenes.run import load_run
from scenes.style import (
    BALL,
    GOOD,
    HIGHLIGHT,
    MUTED,
    POSITIVE,
    SMALL,
    TEXT,
    digit_image,
    fmt,
    neuron,
    run_tag,
    tex,
    tex_number,
    text,
    title,
)

ROW = 0.5  # vertical distance between output rows
TOP_ROW = 2.0  # y of output 0
BAR = 1.6  # scene units for a value of 1 (activations and squared errors both lie in [0, 1])
X_INDEX, X_NEURON, X_BAR, X_VALUE = -2.45, -2.0, -1.7, 0.5
X_DESIRED, X_SQ_BAR, X_SQ_VALUE = 1.85, 2.85, 5.15


def one_hot(labels: np.ndarray, n: int) -> np.ndarray:
    return np.eye(n)[labels]


def example_costs(rec: Recording, k: int) -> np.ndarray:
    """Cost of each probe digit at snapshot k: sum_j (a_j - y_j)^2 from the recorded outputs."""
    out = rec["probe_out"][k]
    return ((out - one_hot(rec["probe_y"], out.shape[1])) ** 2).sum(axis=1)


def snapshot_name(rec: Recording, k: int) -> str:
    k = k % len(rec["snap_step"])
    if rec["snap_step"][k] == 0:
        return "untrained network (step 0)"
    return f"trained network (step {rec['snap_step'][k]:,}, epoch {rec['snap_epoch'][k]:g})"


def bar(value: float, x_left: float, y: float, color) -> Rectangle:
    """A horizontal bar BAR * value long, left end at x_left (a sliver when the value is ~0)."""
    r = Rectangle(width=max(BAR * float(value), 0.01), height=0.24, stroke_width=0)
    r.set_fill(color, opacity=0.9)
    return r.move_to([x_left, y, 0], aligned_edge=LEFT)


def row_y(j: int) -> float:
    return TOP_ROW - j * ROW


def value_tex(value: float, x_center: float, y: float, color=TEXT):
    return tex(fmt(value, 3), size=28, color=color).move_to([x_center, y, 0])


def outputs_column(a: np.ndarray) -> VGroup:
    """Output neurons (fill = activation), a bar and the value of each a_j."""
    rows = VGroup()
    for j, value in enumerate(a):
        y = row_y(j)
        rows.add(VGroup(neuron(0.15, value).move_to([X_NEURON, y, 0]), bar(value, X_BAR, y, POSITIVE),
                        value_tex(value, X_VALUE, y)))
    return rows


def squares_column(a: np.ndarray, y_desired: np.ndarray) -> VGroup:
    """(a_j - y_j)^2 for each output: a bar and its value."""
    sq = (a - y_desired) ** 2
    return VGroup(*(VGroup(bar(s, X_SQ_BAR, row_y(j), BALL), value_tex(s, X_SQ_VALUE, row_y(j), BALL))
                    for j, s in enumerate(sq)))


def total(a: np.ndarray, y_desired: np.ndarray) -> VGroup:
    c = float(((a - y_desired) ** 2).sum())
    return tex(rf"C = {tex_number(c, 3)}", size=38, color=HIGHLIGHT).move_to(
        [X_SQ_BAR + 1.4, row_y(len(a)) - 0.25, 0])


class CostOfOneExample(Scene):
    """One real digit: the network's 10 outputs against the desired ones, squared and summed."""

    def construct(self) -> None:
        rec = load_run()
        x, label = rec["probe_x"][0], int(rec["probe_y"][0])
        out_first, out_last = rec["probe_out"][0][0], rec["probe_out"][-1][0]
        y_desired = one_hot(np.array([label]), len(out_first))[0]

        heading = title("The cost of one example")
        formula = tex(rf"C = \sum_{{j=0}}^{{{len(out_first) - 1}}} (a_j - y_j)^2", size=40)
        formula.next_to(heading, DOWN, buff=0.35).align_to(heading, LEFT)
        image = digit_image(x, height=2.7).move_to([-5.3, -0.45, 0])
        caption = text(f"a real test digit\nlabel: {label}", size=SMALL, color=MUTED, line_spacing=0.8)
        caption.next_to(image, DOWN, buff=0.25)
        self.add(run_tag(rec))
        self.play(Write(heading), FadeIn(image), FadeIn(caption), run_time=1.0)

        # The untrained network's outputs next to what we want: 1 for the label, 0 elsewhere.
        head_y = TOP_ROW + 0.48
        net_name = text(snapshot_name(rec, 0), size=SMALL + 2, color=TEXT)
        net_name.move_to([X_INDEX - 0.15, TOP_ROW + 1.0, 0], aligned_edge=LEFT)
        indices = VGroup(*(text(str(j), size=SMALL, color=MUTED).move_to([X_INDEX, row_y(j), 0])
                           for j in range(len(out_first))))
        outputs = outputs_column(out_first)
        a_head = tex("a_j", size=30, color=POSITIVE).move_to([X_VALUE, head_y, 0])
        desired_head = tex(r"y_j\ \text{(desired)}", size=28, color=GOOD).move_to([X_DESIRED + 0.35, head_y, 0])
        desired = VGroup(*(tex(f"{int(v)}", size=28, color=GOOD if v else MUTED).move_to([X_DESIRED, row_y(j), 0])
                           for j, v in enumerate(y_desired)))
        arrow = Arrow(image.get_right(), [X_INDEX - 0.25, image.get_y(), 0], buff=0.15, color=MUTED,
                      stroke_width=3, max_tip_length_to_length_ratio=0.25)
        self.play(GrowArrow(arrow), FadeIn(net_name), FadeIn(a_head), FadeIn(indices),
                  FadeIn(outputs, lag_ratio=0.08), run_time=1.4)
        self.play(FadeIn(desired_head), FadeIn(desired, lag_ratio=0.08), run_time=0.9)

        # Squared differences, row by row, summing to this digit's cost.
        sq_head = tex(r"(a_j - y_j)^2", size=30, color=BALL).move_to([X_SQ_BAR + 1.3, head_y, 0])
        squares = squares_column(out_first, y_desired)
        rule_y = row_y(len(out_first) - 1) - ROW / 2 - 0.02
        rule = Line([X_SQ_BAR, rule_y, 0], [X_SQ_VALUE + 0.5, rule_y, 0], color=MUTED, stroke_width=2)
        cost = total(out_first, y_desired)
        self.play(Write(formula), FadeIn(sq_head), run_time=1.0)
        self.play(FadeIn(squares, lag_ratio=0.15), run_time=2.0)
        self.play(FadeIn(rule), Write(cost), run_time=0.8)
        verdict = text("this digit's cost, untrained", size=SMALL, color=MUTED)
        verdict.next_to(cost, LEFT, buff=0.45)
        self.play(FadeIn(verdict), run_time=0.5)
        self.wait(0.8)

        # The same digit after training: outputs near the desired ones, a small cost.
        trained_name = text(snapshot_name(rec, -1), size=SMALL + 2, color=TEXT).move_to(net_name, aligned_edge=LEFT)
        cost_after = total(out_last, y_desired)
        c_first, c_last = (float(((a - y_desired) ** 2).sum()) for a in (out_first, out_last))
        change = (f"{c_first / c_last:,.0f} times smaller after training" if 0 < c_last < c_first
                  else "this digit's cost after training")
        verdict_after = text(change, size=SMALL, color=MUTED)
        verdict_after.next_to(cost_after, LEFT, buff=0.45)
        self.play(Transform(net_name, trained_name), Transform(outputs, outputs_column(out_last)),
                  Transform(squares, squares_column(out_last, y_desired)), Transform(cost, cost_after),
                  FadeOut(verdict), run_time=1.6)
        self.play(FadeIn(verdict_after), run_time=0.5)
        self.wait(1.2)


class AverageCost(Scene):
    """The cost of the network: the mean of single-digit costs over every test digit, a function of 13,002 numbers."""

    SHOWN = 6  # probe digits drawn with their own cost

    def construct(self) -> None:
        rec = load_run()
        n_params = int(rec["params"].shape[1])
        n_test = int(rec.meta["dataset"]["test_size"])
        shown = min(self.SHOWN, len(rec["probe_y"]))
        costs_first, costs_last = example_costs(rec, 0), example_costs(rec, -1)
        test_first, test_last = float(rec["epoch_test_cost"][0]), float(rec["epoch_test_cost"][-1])

        heading = title("The cost of the network")
        self.add(run_tag(rec))
        self.play(Write(heading), run_time=0.8)

        # A few real test digits, each with its own cost under the untrained network.
        def cell(i: int, costs: np.ndarray) -> VGroup:
            return tex(rf"{tex_number(costs[i], 3)}", size=28, color=BALL)

        images = Group(*(digit_image(rec["probe_x"][i], height=1.15) for i in range(shown)))
        images.arrange(RIGHT, buff=0.45).move_to([1.1, 1.55, 0])
        cells = VGroup(*(cell(i, costs_first).next_to(images[i], DOWN, buff=0.18) for i in range(shown)))
        row_name = text("cost of each digit,\nuntrained network", size=SMALL, color=MUTED, line_spacing=0.8)
        row_name.next_to(cells, LEFT, buff=0.45).align_to(cells, DOWN)
        dots = tex(r"\cdots", size=40, color=MUTED).next_to(images, RIGHT, buff=0.3)
        self.play(FadeIn(images, lag_ratio=0.15), run_time=1.2)
        self.play(FadeIn(cells, lag_ratio=0.15), FadeIn(row_name), FadeIn(dots), run_time=1.0)
        subset = text(f"{shown} of the {n_test:,} test digits shown", size=SMALL, color=MUTED)
        subset.next_to(images, UP, buff=0.25)
        self.play(FadeIn(subset), run_time=0.5)

        # The network's cost: the mean over all test digits, as a function of every weight and bias.
        params = f"{n_params:,}".replace(",", "{,}")
        tests = f"{n_test:,}".replace(",", "{,}")
        mean = tex(rf"C(w_1, w_2, \ldots, w_{{{params}}}) = \frac{{1}}{{{tests}}} \sum_{{x}} C_x", size=48)
        value = tex(rf"= {tex_number(test_first, 3)}", size=48, color=HIGHLIGHT).next_to(mean, RIGHT, buff=0.2)
        formula = VGroup(mean, value).move_to(DOWN * 0.85)
        note = text(f"mean over all {n_test:,} test digits, untrained network (as recorded before epoch 1)",
                    size=SMALL, color=MUTED).next_to(formula, DOWN, buff=0.35)
        inputs = text(f"input: {n_params:,} weights and biases      output: one number", size=SMALL + 4,
                      color=TEXT).next_to(note, DOWN, buff=0.55)
        self.play(Write(mean), run_time=1.5)
        self.play(FadeIn(value), FadeIn(note), run_time=0.8)
        self.play(FadeIn(inputs), run_time=0.6)
        self.wait(0.8)

        # After training: the same digits and the same mean, from the last snapshot and the last epoch.
        epochs = len(rec["epoch_test_cost"]) - 1
        row_after = text(f"cost of each digit,\nafter {rec['snap_epoch'][-1]:g} epochs", size=SMALL, color=MUTED,
                         line_spacing=0.8)
        row_after.move_to(row_name, aligned_edge=RIGHT)
        cells_after = VGroup(*(cell(i, costs_last).move_to(cells[i]) for i in range(shown)))
        value_after = tex(rf"= {tex_number(test_last, 3)}", size=48, color=GOOD).move_to(value, aligned_edge=LEFT)
        note_after = text(f"mean over all {n_test:,} test digits, after {epochs} epochs of training",
                          size=SMALL, color=MUTED).move_to(note)
        self.play(Transform(cells, cells_after), Transform(row_name, row_after), Transform(value, value_after),
                  Transform(note, note_after), run_time=1.5)
        self.wait(1.2)
