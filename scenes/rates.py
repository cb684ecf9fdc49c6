"""After beat 6: three learning rates from the same start, on one shared surface, then on one chart.

The runs are `python -m nn group learning-rates` (too small, good, too large; same seed, so the
same first weights and the same batches). Their recordings carry one shared landscape: a sheet
on which each run's path is a row, and every height at a snapshot is that run's true cost on the
landscape's sample of training items (nn/shared_landscape.py). What each run did is told from those
recorded costs: where each one ends, and how far each falls over the same last third of training.

The 3-D sheet only shows where the runs go (one start, three paths, a ridge between them): in
perspective, screen height is not cost, so every comparison of costs is made on a flat chart.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    Polygon,
    Rectangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

from scenes.bridges import SurfaceEnd, update_rule
from scenes.charts import axis_names, log_cost_axes
from scenes.narrated import NarratedThreeDScene
from scenes.run import fail, load_group_runs, load_run
from scenes.style import BALL, MUTED, POSITIVE, TEXT, LiveText, fmt, tex, text
from scenes.surface import SurfaceView, add_labels, ball_mobject, view_of
from scenes.words import nouns

TOO_LARGE = "#D77BE8"  # violet: told apart from the good run's yellow at a glance (orange was too close)
COLORS = {"small": POSITIVE, "good": BALL, "large": TOO_LARGE}  # the good run keeps the chapter's ball
# from the front and well above: the three paths run left to right, one behind the other, and the
# ridges the sheet makes between them hide as little of them as possible
RATES_CAMERA = {"phi": 48 * DEGREES, "theta": -90 * DEGREES, "zoom": 0.95}
LATE = 2 / 3  # the last third of training, where the too-large and the good runs are compared


class LearningRates(NarratedThreeDScene):
    """Too small, good, too large: one start and three paths on a real surface, then their costs
    compared on a flat log-cost chart, the balls riding their curves."""

    def construct(self) -> None:
        self.rec = load_run(need_landscape=True)
        self.runs = load_group_runs("learning-rates")
        first = next(iter(self.runs.values()))
        if not first.has_landscape or not first.landscape_meta.get("shared"):
            fail("the learning-rates runs have no shared landscape; remake them with "
                 "`python -m nn group learning-rates --out FOLDER`")
        self.first, self.meta = first, first.landscape_meta
        self.names = list(self.meta["members"])
        self.behaviour = self.meta["runs"]
        self.costs = dict(zip(self.names, first["land_group_true_cost"]))
        self.color = {n: COLORS.get(n, MUTED) for n in self.names}
        for beat in (self.same_start, self.the_ridge, self.three_descents, self.what_they_show, self.hand_over):
            self.next_section(beat.__name__)
            beat()

    def flat(self, *mobjects) -> None:
        """Register mobjects as drawn flat on the frame (not turned by the 3-D camera), not yet shown."""
        self.add_fixed_in_frame_mobjects(*mobjects)
        self.remove(*mobjects)

    def same_start(self) -> None:
        """From the chapter's surface to the shared one: three step sizes, one start, three paths."""
        before = SurfaceEnd(self.rec)
        before.show_in(self)
        self.view = view = view_of(self.first)
        self.where = {n: view.path_points(p, c) for n, p, c in
                      zip(self.names, self.first["land_group_path"], self.first["land_group_true_cost"])}
        self.surface, self.contours = view.faces(), view.contours(view.tick_levels())
        self.labels = sheet_labels(view)
        self.balls = {n: ball_mobject(0.13, self.color[n]).move_to(self.where[n][0]) for n in self.names}
        self.readout = self.readouts()
        add_labels(self, self.labels)
        self.add_fixed_orientation_mobjects(*self.balls.values())
        self.remove(*self.labels, *self.balls.values())
        self.flat(self.readout)
        lrs = [f"{self.behaviour[n]['lr']:g}" for n in self.names]
        rates = ", ".join(lrs[:-1]) + f" and {lrs[-1]}"
        rows = [self.rows[n] for n in self.names]
        with self.say(f"How big should each step be? Here are three runs, with step sizes {rates}: "
                      "the same first weights, the same examples in the same order.") as line:
            d = line.duration
            # one sheet cross-fades into the other: no empty frame between them
            self.play(*(FadeOut(m) for m in before.mobjects()), FadeIn(self.surface), FadeIn(self.contours),
                      run_time=d * 0.35)
            self.move_camera(**RATES_CAMERA, frame_center=view.middle(), run_time=d * 0.5, added_anims=[
                FadeIn(self.labels), LaggedStart(*(FadeIn(r[:2]) for r in rows), lag_ratio=0.5)])
        # faint, whole: the paths are there to be seen, not compared by height
        self.paths = {n: view.trail(self.where[n], self.color[n]).set_stroke(width=3, opacity=0.75) for n in self.names}
        # the balls' heights read off a floor: the sheet's cost-0 plane, drawn, each drop line ending on it
        feet = {n: view.axes.c2p(*view.axes.p2c(self.where[n][0])[:2], 0) for n in self.names}
        self.drops = VGroup(cost_floor(view), *(Line(self.where[n][0], feet[n], color=self.color[n], stroke_width=4)
                                                for n in self.names),
                            *(Dot(feet[n], radius=0.05, color=self.color[n]) for n in self.names))
        start = fmt(self.costs[self.names[0]][0])
        with self.say(f"This sheet lays their three paths side by side. All three start from the same "
                      f"weights, so at the same cost, {start}.") as line:
            self.play(*(Create(p) for p in self.paths.values()), run_time=line.duration * 0.45)
            self.play(*(FadeIn(b) for b in self.balls.values()), *(Create(x) for x in self.drops),
                      FadeIn(self.readout[0]), *(FadeIn(r[2:]) for r in rows), run_time=line.duration * 0.35)
        self.hold()

    def the_ridge(self) -> None:
        """Between two paths the weights are blends of two runs': the even blends, marked."""
        blends = VGroup(*(halfway(self.view, a, b).set_stroke(TEXT, 4)
                          for a, b in zip(self.meta["rows"], self.meta["rows"][1:])))
        tag = VGroup(Line(LEFT * 0.25, RIGHT * 0.25).set_stroke(TEXT, 4),
                     text("50/50 blends of two runs", size=18, color=TEXT)).arrange(RIGHT, buff=0.15)
        self.flat(tag.next_to(self.readout, DOWN, aligned_edge=RIGHT, buff=0.35))
        with self.say("Between the paths the sheet blends the runs' weights. Those blends are poor "
                      "networks, so the sheet rises there.") as line:
            self.play(Create(blends), FadeIn(tag), run_time=line.duration * 0.5)
        self.hold()
        self.play(FadeOut(blends), FadeOut(tag), run_time=0.6)

    def three_descents(self) -> None:
        """The balls leave the sheet for a flat chart (cost on a log scale, by epoch) and ride their
        runs' recorded costs there, drawing the curves."""
        self.chart = chart = self.cost_chart()
        self.flat(chart)
        camera = self.renderer.camera
        flat_balls = {n: ball_mobject(0.12, self.color[n]).move_to([*camera.project_point(self.where[n][0])[:2], 0])
                      for n in self.names}
        epochs = self.first["snap_epoch"]
        c0 = self.costs[self.names[0]][0]
        start = chart[0].c2p(0, c0)
        start_label = text(f"step 0: {fmt(c0)}", size=15, color=MUTED).next_to(start, RIGHT, buff=0.25)
        self.flat(start_label)
        with self.say("To compare their costs, leave the sheet for a flat chart: cost against epochs, "
                      "on a log scale.") as line:
            self.remove(*self.balls.values())
            self.add_fixed_in_frame_mobjects(*flat_balls.values())
            # the sheet goes completely before the chart comes, then the balls go straight to its start
            self.play(*(FadeOut(m) for m in (self.surface, self.contours, self.drops, *self.paths.values(),
                                             *self.labels)), run_time=line.duration * 0.35)
            self.play(FadeIn(chart), *(b.animate.move_to(start) for b in flat_balls.values()), FadeIn(start_label),
                      run_time=line.duration * 0.45)
        self.balls = flat_balls
        self.curves = {n: VMobject(stroke_color=self.color[n], stroke_width=3) for n in self.names}
        self.flat(*self.curves.values())
        self.add(*self.curves.values())
        self.bring_to_front(*flat_balls.values())
        log = {n: np.log(self.costs[n]) for n in self.names}
        steps = self.first["snap_step"]

        def follow(_, alpha: float) -> None:
            t = alpha * epochs[-1]
            k = int(np.searchsorted(epochs, t, side="right"))
            for n in self.names:
                here = chart[0].c2p(t, float(np.exp(np.interp(t, epochs, log[n]))))
                self.curves[n].set_points_as_corners([*(chart[0].c2p(e, c) for e, c in
                                                        zip(epochs[:k], self.costs[n][:k])), here])
                self.balls[n].move_to(here)
                self.values[n].set_text(fmt(self.costs[n][max(k - 1, 0)]))
            self.step_value.set_text(f"{steps[max(k - 1, 0)]:,}")

        with self.say("Now let all three train. Each ball follows its own run's recorded cost, "
                      "and leaves its curve behind.") as line:
            self.play(UpdateFromAlphaFunc(VGroup(*flat_balls.values()), follow), run_time=line.duration,
                      rate_func=linear)
        self.hold()

    def cost_chart(self) -> VGroup:
        """Axes (epochs across, cost on a log scale up) with their names, low on the left."""
        first = self.first
        costs = first["land_group_true_cost"]
        axes = log_cost_axes(costs, float(first["snap_epoch"][-1]), 7.0, 4.4).to_corner(DOWN + LEFT, buff=0.7)
        name = f"cost on {self.meta['eval_samples']:,} training {nouns(first)} (log scale)"
        return VGroup(axes, axis_names(axes, name))

    def what_they_show(self) -> None:
        """Too small creeps; too large and good compared over the same last epochs, marked on the
        chart, with their recorded costs at both ends; the good one gets lowest."""
        b = {n: self.behaviour[n] for n in self.names}
        end = {n: float(self.costs[n][-1]) for n in self.names}
        small, good, large = (self.names[0], self.names[len(self.names) // 2], self.names[-1])
        self.emphasise(small, f"With {b[small]['lr']:g}, the steps are too small: after {b[small]['epochs']} "
                              f"epochs its cost is still {end[small]:.3f}.")
        epochs, axes = self.first["snap_epoch"], self.chart[0]
        k = min(int(np.searchsorted(epochs, LATE * epochs[-1])), len(epochs) - 2)  # first snapshot of the late part
        late = Rectangle(width=axes.c2p(epochs[-1], 1)[0] - axes.c2p(epochs[k], 1)[0], height=axes.y_axis.height,
                         stroke_width=0, fill_color=MUTED, fill_opacity=0.18)
        late.move_to([(axes.c2p(epochs[k], 1)[0] + axes.c2p(epochs[-1], 1)[0]) / 2, axes.y_axis.get_center()[1], 0])
        self.flat(late)
        self.add(late)
        self.bring_to_back(late)
        self.emphasise(large, f"With {b[large]['lr']:g}, the steps are too big: from epoch {epochs[k]:.3g} to "
                              f"{epochs[-1]:.3g}, its cost goes from {self.costs[large][k]:.3f} to {end[large]:.3f}.",
                       FadeIn(late))
        with self.say(f"In between, {b[good]['lr']:g} gets lowest: over the same epochs, from "
                      f"{self.costs[good][k]:.3f} to {end[good]:.3f}.") as line:
            self.play(self.rows[good].animate.scale(1.15), self.curves[good].animate.set_stroke(width=7),
                      run_time=min(0.6, line.duration * 0.2))
        self.hold()
        self.play(FadeOut(late), run_time=0.5)

    def emphasise(self, name: str, line_text: str, *also: Animation) -> None:
        """Speak one line while run `name`'s readout row and curve stand out (and `also` plays)."""
        row, curve = self.rows[name], self.curves[name]
        with self.say(line_text) as line:
            self.play(row.animate.scale(1.15), curve.animate.set_stroke(width=7), *also,
                      run_time=min(0.6, line.duration * 0.2))
            self.wait(line.duration * 0.5)
            self.play(row.animate.scale(1 / 1.15), curve.animate.set_stroke(width=3),
                      run_time=min(0.6, line.duration * 0.2))

    def hand_over(self) -> None:
        """Leave only the update rule, which the next scene takes apart."""
        rule = update_rule(self.rec)
        self.flat(rule)
        with self.say("So the step size matters, and so does the gradient it multiplies. "
                      "Let us look at that gradient closely.") as line:
            # the readout goes first, then the rule comes in as the chart goes: no empty frame between them
            self.wait(line.duration * 0.45)
            self.play(FadeOut(self.readout), run_time=line.duration * 0.1)
            self.play(*(FadeOut(m) for m in self.mobjects if m is not self.readout), FadeIn(rule),
                      run_time=line.duration * 0.3)
        self.hold()

    # -- pieces ---------------------------------------------------------------------------------

    def readouts(self) -> VGroup:
        """One row per run: its colour, its step size, its cost now; the shared step counter above."""
        self.values, self.rows = {}, {}
        self.step_value = LiveText("000,000", size=24)
        step = VGroup(text("step", size=24), self.step_value)
        rows = [step]
        for n in self.names:
            eta = tex(rf"\eta = {self.behaviour[n]['lr']:g}", size=30, color=self.color[n])
            self.values[n] = LiveText("0.000", size=24, color=self.color[n])
            row = VGroup(ball_mobject(0.1, self.color[n]), eta, text("cost", size=22, color=MUTED), self.values[n])
            self.rows[n] = row
            rows.append(row)
        for row in rows:
            row.arrange(RIGHT, buff=0.2)
            row[-1].add_updater(lambda m: m)  # a LiveText: redrawn every frame
        table = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.18).to_corner(UP + RIGHT, buff=0.6)
        self.step_value.set_text(f"{self.first['snap_step'][0]:,}")
        for n in self.names:
            self.values[n].set_text(fmt(self.costs[n][0]))
        return table


def sheet_labels(view: SurfaceView) -> VGroup:
    """The sheet's edge labels (surface.SurfaceView.labels), the x name saying what its √ scale does
    and the y name lifted clear of the sheet."""
    labels = view.labels()
    old = labels[1]
    labels.submobjects[1] = text("x: distance travelled (√ scale: the first steps spread out)", size=20,
                                 color=MUTED).move_to(old)
    ax = view.axes
    y_name = labels[2]
    x1, y_mid = view.X[-1], (view.ys[0] + view.ys[-1]) / 2
    y_name.move_to(ax.c2p(x1, y_mid, view.height(x1, y_mid)) + RIGHT * (0.25 + y_name.width / 2))
    return labels


def cost_floor(view: SurfaceView) -> Polygon:
    """The sheet's cost-0 plane under its whole grid: a faint floor the drop lines stand on."""
    ax, (x0, x1), (y0, y1) = view.axes, (view.X[0], view.X[-1]), (view.ys[0], view.ys[-1])
    return Polygon(*(ax.c2p(x, y, 0) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))),
                   stroke_color=MUTED, stroke_width=2, fill_color=MUTED, fill_opacity=0.15)


def halfway(view: SurfaceView, row_a: float, row_b: float) -> VMobject:
    """A line along the sheet halfway between two runs' rows: the even blends of their weights."""
    y = (row_a + row_b) / 2
    points = [view.axes.c2p(X, y, view.height(X, y)) for X in view.X]
    return Line().set_points_as_corners(np.array(points) + view.lift())
