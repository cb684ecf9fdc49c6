"""Small pictures of the cost scenes (scenes/cost.py): the edge colour key, the output bars of a
few digits, a function drawn as a box with labelled arrows, the note under the test digit, and the
test digit with its trained cost (the picture between the two scenes)."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Group, Line, ManimColor, Mobject, Rectangle, Text, VGroup

from nn.examples import probe_costs
from nn.recording import Recording
from scenes.blocks.verdict import cost_text
from scenes.style import GOOD, MUTED, NEGATIVE, POSITIVE, SMALL, digit_image, tex, text

BAR_W, BAR_GAP, BAR_ONE = 0.11, 0.035, 1.6  # output bar width, gap, height of an output of 1
CHART_BASE = -0.25  # y of the output bars' baseline
BOX_Y = 0.0  # every function box sits at this height


def colour_key() -> VGroup:
    """Blue edge: positive weight; red edge: negative weight (two short rows)."""
    rows = VGroup(*(VGroup(Line(ORIGIN, RIGHT * 0.5, color=c, stroke_width=5), text(w, size=SMALL, color=c)).arrange(
        RIGHT, buff=0.15) for c, w in ((POSITIVE, "positive weight"), (NEGATIVE, "negative weight"))))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)


class OutputChart(VGroup):
    """One item's outputs a_j as `bars` side by side (height a_j * BAR_ONE), on a baseline, centred at
    x; `want`: an outline as tall as an output of 1 around the output its label wants."""

    def __init__(self, outputs: np.ndarray, wanted: int, x: float) -> None:
        n = len(outputs)
        left = x - (n * BAR_W + (n - 1) * BAR_GAP) / 2
        self.bars = VGroup()
        for j, a in enumerate(outputs):
            bar = Rectangle(width=BAR_W, height=max(float(a) * BAR_ONE, 0.01), stroke_width=0)
            bar.set_fill(POSITIVE, opacity=0.9)
            self.bars.add(bar.move_to([left + j * (BAR_W + BAR_GAP), CHART_BASE, 0], aligned_edge=DOWN + LEFT))
        self.base = Line([left - 0.05, CHART_BASE, 0], [self.bars.get_right()[0] + 0.05, CHART_BASE, 0],
                         color=MUTED, stroke_width=2)
        self.want = Rectangle(width=BAR_W + 0.06, height=BAR_ONE, color=GOOD, stroke_width=2.5)
        self.want.move_to([self.bars[wanted].get_x(), CHART_BASE, 0], aligned_edge=DOWN)
        super().__init__(self.base, self.bars, self.want)


class FunctionBox(VGroup):
    """A function drawn as a box at (x, BOX_Y): `title` inside, `arrow_in` `reach` long with
    `count_in` over it and `word_in` under it, `arrow_out` with `count_out` and `word_out`."""

    def __init__(self, title: Mobject, color: ManimColor, x: float, into: tuple[str, str], out: tuple[str, str],
                 reach: float = 1.4) -> None:
        self.box = Rectangle(width=2.7, height=1.5, color=color).move_to([x, BOX_Y, 0])
        self.title = title.move_to(self.box)
        self.arrow_in = Arrow(self.box.get_left() + LEFT * reach, self.box.get_left(), buff=0.05, color=MUTED)
        self.arrow_out = Arrow(self.box.get_right(), self.box.get_right() + RIGHT * 1.1, buff=0.05, color=MUTED)
        self.count_in = tex(into[0], size=40).next_to(self.arrow_in, UP, buff=0.1)
        self.word_in = text(into[1], size=SMALL + 2, color=MUTED).next_to(self.arrow_in, DOWN, buff=0.15)
        self.count_out = tex(out[0], size=40).next_to(self.arrow_out, UP, buff=0.1)
        self.word_out = text(out[1], size=SMALL + 2, color=MUTED).next_to(self.arrow_out, DOWN, buff=0.15,
                                                                          aligned_edge=LEFT).shift(RIGHT * 0.1)
        super().__init__(self.title, self.box, self.arrow_in, self.count_in, self.word_in, self.arrow_out,
                         self.count_out, self.word_out)


def state_label(words: str, image: Mobject, color: ManimColor) -> Text:
    """A short note under the digit: which network the table is for ("untrained", "trained, 30 epochs")."""
    return text(words, size=SMALL, color=color).next_to(image, DOWN, buff=0.3)


def digit_cost_picture(rec: Recording) -> Group:
    """The bridge between the two scenes: test digit 0 and its cost under the trained network."""
    image = digit_image(rec["probe_x"][0], height=2.6).move_to([-1.7, 0, 0])
    cost = tex(rf"C = {cost_text(probe_costs(rec, -1)[0])}", size=56, color=GOOD)
    return Group(image, cost.next_to(image, RIGHT, buff=0.7))
