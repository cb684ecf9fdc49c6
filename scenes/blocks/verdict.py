"""DigitVerdict: one recorded test item (a digit for MNIST), the network's outputs on it, the outputs
wanted, its cost."""

from __future__ import annotations

import math

import numpy as np
from manim import LEFT, RIGHT, Group, Line, ManimColor, MathTex, Rectangle, Text, VGroup

from nn.data import one_hot
from nn.examples import probe_costs
from nn.recording import Recording
from scenes.style import BALL, GOOD, MUTED, POSITIVE, SMALL, TEXT, digit_image, fmt, neuron, tex, text
from scenes.words import class_label

ROW = 0.5  # vertical distance between output rows
TOP_ROW = 2.0  # y of output 0
BAR = 1.6  # scene units for a value of 1 (activations and squared errors both lie in [0, 1])
X_INDEX, X_NEURON, X_BAR, X_VALUE = -2.45, -2.0, -1.7, 0.5
X_DESIRED, X_SQ_BAR, X_SQ_VALUE = 1.85, 2.85, 5.15
NAME_WIDTH = 1.6  # widest class name left of the output neurons
IMAGE_AT, IMAGE_HEIGHT = np.array([-5.6, -0.25, 0]), 2.0


def cost_text(c: float) -> str:
    """A cost with three significant digits in plain decimals (3.98, 0.0368, 0.000152)."""
    c = float(c)
    if c <= 0:
        return "0"
    return f"{c:.{max(0, 2 - math.floor(math.log10(c)))}f}"


def square_text(s: float) -> str:
    """A squared error with three significant digits down to 0.001; below that only "< 0.001"
    (what matters is that it is tiny: 1.39 x 10^-13 is not a number learners read)."""
    s = float(s)
    if 0 < s < 1e-3:
        return r"<0.001"
    return cost_text(s)


def row_y(j: float) -> float:
    """The height of output row j."""
    return TOP_ROW - j * ROW


def bar(value: float, x_left: float, y: float, color: ManimColor) -> Rectangle:
    """A horizontal bar BAR * value long, left end at x_left (a sliver when the value is ~0)."""
    r = Rectangle(width=max(BAR * float(value), 0.01), height=0.24, stroke_width=0)
    r.set_fill(color, opacity=0.9)
    return r.move_to([x_left, y, 0], aligned_edge=LEFT)


def value_tex(value: float, x_center: float, y: float, color: ManimColor = TEXT) -> MathTex:
    """An activation written with three decimals, centred at (x_center, y)."""
    return tex(fmt(value, 3), size=28, color=color).move_to([x_center, y, 0])


def output_name(rec: Recording, j: int, y: float) -> Text:
    """Output j's class name at row height y: centred in the index column when short ("7"), else
    ending there (right-aligned), shortened and shrunk to NAME_WIDTH ("T-shirt.", "Ankle boot")."""
    name = class_label(rec, j, SMALL, MUTED, NAME_WIDTH)
    if name.width < 0.5:
        return name.move_to([X_INDEX, y, 0])
    return name.move_to([X_INDEX + 0.2, y, 0], aligned_edge=RIGHT)


class DigitVerdict(Group):
    """A recorded test item (a digit, a clothing item, ...) with the network's outputs on it at one
    snapshot, and its cost.

    Reads `rec["probe_x"][index]` (the item, drawn left), `rec["probe_y"][index]` (its label: the
    outputs wanted, y_j), `rec["probe_out"][snapshot][index]` (the outputs a_j the run recorded) and
    nn.examples.probe_costs (C = sum_j (a_j - y_j)^2). One row per output (as many as the recording
    has classes): its class name (`rec.classes`), a neuron lit by a_j, a_j written and as a bar;
    then y_j, the squared error (bar and value), and C under them.

    Parts: `image`, `rows[j]` = VGroup(class name, neuron, value, bar), `a_head`, `desired_head` (with
    the words `a_name` "output" and `desired_name` "wanted" under them),
    `desired`, `sq_head`, `squares[j]` = VGroup(bar, value), `rule`, `formula`, `cost` (in `color`);
    `outputs`, `wanted` and `value` (the cost) as numbers. Spans the whole frame; scale it to fit.
    """

    def __init__(self, rec: Recording, index: int = 0, snapshot: int = -1, color: ManimColor = GOOD) -> None:
        self.outputs = rec["probe_out"][snapshot][index]
        self.wanted = one_hot(rec["probe_y"][index : index + 1], len(self.outputs))[0]
        self.value = float(probe_costs(rec, snapshot)[index])
        self.image = digit_image(rec["probe_x"][index], height=IMAGE_HEIGHT).move_to(IMAGE_AT)
        self.rows = [VGroup(output_name(rec, j, row_y(j)),
                            neuron(0.15, a).move_to([X_NEURON, row_y(j), 0]), value_tex(a, X_VALUE, row_y(j)),
                            bar(a, X_BAR, row_y(j), POSITIVE))
                     for j, a in enumerate(self.outputs)]
        head_y = TOP_ROW + 0.75
        self.a_head = tex("a_j", size=42, color=POSITIVE).move_to([X_VALUE, head_y, 0])
        self.desired_head = tex(r"y_j", size=42, color=GOOD).move_to([X_DESIRED, head_y, 0])
        self.a_name = text("output", size=SMALL, color=POSITIVE).move_to([X_VALUE, TOP_ROW + 0.37, 0])
        self.desired_name = text("wanted", size=SMALL, color=GOOD).move_to([X_DESIRED, TOP_ROW + 0.37, 0])
        self.desired = VGroup(*(tex(f"{int(v)}", size=28, color=GOOD if v else MUTED).move_to([X_DESIRED, row_y(j), 0])
                                for j, v in enumerate(self.wanted)))
        self.sq_head = MathTex("(a_j - y_j)^2", font_size=38, color=BALL).move_to([X_SQ_BAR + 1.3, head_y, 0])
        self.squares = VGroup(*(VGroup(bar(s, X_SQ_BAR, row_y(j), BALL),
                                       tex(square_text(s), size=28, color=BALL).move_to([X_SQ_VALUE, row_y(j), 0]))
                                for j, s in enumerate((self.outputs - self.wanted) ** 2)))
        rule_y = row_y(len(self.outputs) - 1) - ROW / 2 - 0.02
        self.rule = Line([X_SQ_BAR, rule_y, 0], [X_SQ_VALUE + 0.5, rule_y, 0], color=MUTED, stroke_width=2)
        self.formula = MathTex("C", "=", rf"\sum_{{j=0}}^{{{len(self.outputs) - 1}}}", "(a_j - y_j)^2", font_size=44)
        self.formula.move_to([-4.9, 2.55, 0])  # above the image, clear of long class names: the table fills the rest
        self.cost = tex(rf"C = {cost_text(self.value)}", size=40, color=color)
        self.cost.move_to([X_SQ_BAR + 1.3, row_y(len(self.outputs)) - 0.3, 0])
        super().__init__(self.image, *self.rows, self.a_head, self.desired_head, self.a_name, self.desired_name,
                         self.desired, self.sq_head,
                         self.squares, self.rule, self.formula, self.cost)
