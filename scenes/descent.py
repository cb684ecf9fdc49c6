"""Beat 4, downhill in one dimension: a ball stepping down a real slice of the cost.

The curve is the landscape's `land_line_t` / `land_line_cost` (`python -m nn landscape`): the
real cost along one straight line through the trained weights (older plane landscapes: their
`land_slice_*`, which is the same kind of line). The ball's steps are a demonstration on
that curve (nn/slice1d.py), not the recorded training; the scene says both things.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    BraceBetweenPoints,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ReplacementTransform,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
)

from nn.slice1d import descend, highest_start, readable_eta, slope, starts_either_side, valleys
from scenes.bridges import LineSlice, cost_function
from scenes.narrated import NarratedScene
from scenes.run import load_run
from scenes.style import BALL, COMPARE_B, HIGHLIGHT, MUTED, SMALL, tex, text


def ball(color=BALL) -> Dot:
    return Dot(radius=0.12, color=color, stroke_color="#000000", stroke_width=2)


class DescentOnACurve(NarratedScene):
    """The cost along one line through weight space; steps against the slope; the start matters."""

    STEPS = 8

    def construct(self) -> None:
        self.rec = load_run(need_landscape=True)
        self.slice = LineSlice(self.rec)
        self.axes, self.x, self.cost = self.slice.axes, self.slice.x, self.slice.cost
        self.slopes = slope(self.x, self.cost)
        self.x0 = highest_start(self.x, self.cost, valleys(self.x, self.cost)[0])
        self.eta = readable_eta(self.x, self.cost, self.x0, self.STEPS)
        for beat in (self.one_direction, self.slope_says_which_way, self.steps_shrink, self.start_decides,
                     self.hand_over):
            self.next_section(beat.__name__)  # one chapter per beat, for course players and slides
            beat()

    def at(self, x: float) -> np.ndarray:
        return self.axes.c2p(x, float(np.interp(x, self.x, self.cost)))

    # -- beats --------------------------------------------------------------------------------

    def one_direction(self) -> None:
        """From C(w_1, ..., w_13002) to the cost along one line; t = 0 is the trained weights."""
        n = int(self.rec["params"].shape[1])
        formula = cost_function(self.rec)
        self.add(formula)
        key = text("w*: the trained weights    d: one fixed direction", size=SMALL + 2, color=MUTED)
        key.next_to(self.slice.formula, DOWN, buff=0.25)
        with self.say(f"The cost depends on {n:,} numbers at once. No one can picture that many "
                      "dimensions, so start with just one.") as line:
            self.play(Indicate(formula, color=HIGHLIGHT, scale_factor=1.05), run_time=line.duration * 0.4)
            self.wait(line.duration * 0.2)
            self.play(Create(self.axes.x_axis), FadeIn(self.slice.names[0]), run_time=line.duration * 0.3)
        with self.say("Take the trained weights and move them along one fixed direction. "
                      "The number t says how far we have moved.") as line:
            self.play(ReplacementTransform(formula, self.slice.formula), FadeIn(key), run_time=line.duration * 0.4)
            self.play(Create(self.axes.y_axis), FadeIn(self.slice.names[1]), run_time=line.duration * 0.4)
        # the chart and its names, drawn in parts, are whole mobjects again (hand_over keeps them)
        self.remove(*self.axes, *self.slice.names)
        self.add(self.axes, self.slice.names)
        trained = self.trained_mark()
        with self.say("This curve is the real cost at every point of that line: a slice through "
                      "the landscape, measured, not drawn.") as line:
            self.play(Create(self.slice.curve), run_time=line.duration * 0.6)
            self.play(FadeOut(key), FadeIn(trained), run_time=line.duration * 0.3)
        self.formula = self.slice.formula
        self.hold()

    def trained_mark(self) -> Text:
        """t = 0 is w* itself (the cost axis stands there): its name under the 0."""
        return text("w* (trained)", size=SMALL + 2, color=MUTED).move_to(self.axes.c2p(0, 0) + DOWN * 0.75)

    def slope_says_which_way(self) -> None:
        """The tangent at a point: its slope says which way is down."""
        self.ball = ball().move_to(self.at(self.x0))
        tangent = self.tangent(self.x0)
        with self.say("Put a ball somewhere on the curve. The slope under it says which way is downhill.") as line:
            self.play(FadeIn(self.ball, scale=0.5), run_time=line.duration * 0.3)
            self.play(Create(tangent), run_time=line.duration * 0.4)
        rule = tex(r"t \;\leftarrow\; t - \eta\, C'(t)", size=40).next_to(self.formula, DOWN, buff=0.3)
        eta = tex(rf"\eta = {self.eta:g}", size=36, color=HIGHLIGHT).next_to(rule, RIGHT, buff=0.6)
        slope_name = tex(r"C'(t)\text{: the slope at } t", size=28, color=MUTED).next_to(rule, DOWN, buff=0.15)
        with self.say("The rule for one step: move against the slope, by the step size eta times the "
                      "slope.") as line:
            self.play(Write(rule), run_time=line.duration * 0.6)
            self.play(FadeIn(slope_name), run_time=line.duration * 0.3)
        with self.say(f"Here eta is {self.eta:g}: a step size picked for this picture, not the training "
                      "run's learning rate.") as line:
            self.play(FadeIn(eta), run_time=line.duration * 0.3)
        self.rule = VGroup(rule, eta, slope_name)
        self.tangent_line = tangent
        self.hold()

    def steps_shrink(self) -> None:
        """Steps proportional to the slope: big on steep ground, small near the bottom."""
        path = descend(self.x, self.cost, self.x0, self.eta, self.STEPS)
        with self.say("On steep ground the steps are big. Near the bottom the slope flattens, "
                      "so the steps shrink by themselves.") as line:
            per = line.duration / self.STEPS
            for here, there in zip(path[:-1], path[1:]):
                arrow = Arrow(self.axes.c2p(here, 0), self.axes.c2p(there, 0), buff=0, color=HIGHLIGHT,
                              stroke_width=4, max_tip_length_to_length_ratio=0.35)
                self.add(self.ball.copy().set_opacity(0.3))  # a ghost where the ball was: steps shrink
                self.play(FadeIn(arrow), self.roll(here, there), run_time=per * 0.8)
                self.play(FadeOut(arrow), run_time=per * 0.2)
        self.hold()

    def roll(self, here: float, there: float, who: Dot | None = None) -> UpdateFromAlphaFunc:
        """A ball slides along the curve (not through the air); the main ball's tangent stays a tangent."""
        who = who or self.ball
        carried = VGroup(who, self.tangent_line) if who is self.ball else VGroup(who)

        def follow(_, alpha: float) -> None:
            x = here + alpha * (there - here)
            who.move_to(self.at(x))
            if who is self.ball:
                self.tangent_line.become(self.tangent(x))

        return UpdateFromAlphaFunc(carried, follow)

    def start_decides(self) -> None:
        """Two starts, two valleys (where the slice has two); else say it has one."""
        found = valleys(self.x, self.cost)
        if len(found) < 2:
            low = self.cost < self.cost.min() + 0.05 * np.ptp(self.cost)
            flat = bool(np.mean(low) > 0.25)  # a quarter of the line within 5% of the bottom
            floor = self.x[low]
            top = 0.06 * float(self.cost.max()) + float(self.cost[low].max())
            brace = BraceBetweenPoints(self.axes.c2p(float(floor.min()), top), self.axes.c2p(float(floor.max()), top),
                                       direction=UP, color=MUTED)
            words = text("one flat floor" if flat else "one valley", size=SMALL + 2, color=MUTED)
            words.next_to(brace, UP, 0.15)
            if floor.min() < 0 < floor.max():  # keep the words left of the cost axis and its numbers
                words.shift(RIGHT * (self.axes.y_axis.numbers.get_left()[0] - 0.2 - words.get_right()[0]))
            mark = VGroup(brace, words)
            where = "the cost only slopes down to one long, flat floor" if flat else "there is only one valley"
            with self.say(f"Along this line {where}, so "
                          "every start ends in it. Other starts can end at other weights; we meet them at "
                          "the end.") as line:
                self.play(FadeOut(self.tangent_line), FadeIn(mark), run_time=line.duration * 0.3)
            self.hold()
            return
        a, b = found[0], found[1]
        starts = starts_either_side(self.x, self.cost, a, b)
        balls = VGroup(ball(BALL).move_to(self.at(starts[0])), ball(COMPARE_B).move_to(self.at(starts[1])))
        paths = [descend(self.x, self.cost, s, self.eta, self.STEPS * 2) for s in starts]
        with self.say("Where you start matters. Two balls, just either side of a ridge, "
                      "roll into different valleys.") as line:
            self.play(FadeOut(self.ball), FadeIn(balls), run_time=line.duration * 0.2)
            for k in range(1, len(paths[0])):
                self.play(*(self.roll(p[k - 1], p[k], b) for b, p in zip(balls, paths)),
                          run_time=line.duration * 0.7 / (len(paths[0]) - 1))
        self.hold()

    def hand_over(self) -> None:
        """Clear the demonstration away: the next scene opens on the bare slice (bridges.LineSlice)."""
        extra = [m for m in self.mobjects if m not in (self.slice.formula, self.axes, self.slice.names,
                                                       self.slice.curve)]
        n = int(self.rec["params"].shape[1])
        with self.say(f"But one direction at a time would take {n:,} slices. "
                      "Next, two directions at once.") as line:
            self.play(*(FadeOut(m) for m in extra), run_time=min(1.5, line.duration * 0.4))
        self.hold()

    def tangent(self, x: float, half: float = 1.3) -> Line:
        """The tangent at x, `half` scene units either side of the point, however steep."""
        c, s = float(np.interp(x, self.x, self.cost)), float(np.interp(x, self.x, self.slopes))
        point = self.axes.c2p(x, c)
        along = self.axes.c2p(x + 1, c + s) - point
        along = along / np.linalg.norm(along) * half
        return Line(point - along, point + along, color=HIGHLIGHT, stroke_width=3)
