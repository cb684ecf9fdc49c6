"""After beat 6: three learning rates from the same start, descending one shared surface together.

The runs are `python -m nn group learning-rates` (too small, good, too large; same seed, so the
same first weights and the same batches). Their recordings carry one shared landscape: a sheet
on which each run's path is a row, and every height at a snapshot is that run's true cost
(nn/shared_landscape.py). What each run did (final cost, how much it bounced) is measured there.
"""

from __future__ import annotations

import numpy as np
from manim import DEGREES, DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, UpdateFromAlphaFunc, VGroup, linear

from nn.recording import Recording
from scenes.bridges import SurfaceEnd, update_rule
from scenes.charts import axis_names, curve, log_cost_axes
from scenes.narrated import NarratedThreeDScene
from scenes.run import fail, load_group_runs, load_run
from scenes.style import BALL, MUTED, POSITIVE, SMALL, LiveText, fmt, tex, text
from scenes.surface import add_labels, ball_mobject, surface_sentence, view_of

TOO_LARGE = "#D77BE8"  # violet: told apart from the good run's yellow at a glance (orange was too close)
COLORS = {"small": POSITIVE, "good": BALL, "large": TOO_LARGE}  # the good run keeps the chapter's ball
# from the front and well above: the three paths run left to right, one behind the other, and the
# ridges the sheet makes between them hide as little of them as possible
RATES_CAMERA = {"phi": 48 * DEGREES, "theta": -90 * DEGREES, "zoom": 0.95}


class LearningRates(NarratedThreeDScene):
    """Too small, good, too large: three balls on one real surface, each run's cost read out."""

    def construct(self) -> None:
        self.rec = load_run(need_landscape=True)
        self.runs = load_group_runs("learning-rates")
        first = next(iter(self.runs.values()))
        if not first.has_landscape or not first.landscape_meta.get("shared"):
            fail("the learning-rates runs have no shared landscape; remake them with "
                 "`python -m nn group learning-rates --out FOLDER`")
        self.meta = first.landscape_meta
        self.names = list(self.meta["members"])
        self.behaviour = self.meta["runs"]
        for beat in (self.same_start, self.three_descents, self.what_they_show, self.hand_over):
            self.next_section(beat.__name__)
            beat()

    def same_start(self) -> None:
        """From the chapter's surface to the shared one, three balls at the same first weights."""
        before = SurfaceEnd(self.rec)
        before.show_in(self)
        rec = self.runs[self.names[0]]
        self.view = view = view_of(rec)
        self.where = {n: view.path_points(p, c) for n, p, c in
                      zip(self.names, rec["land_group_path"], rec["land_group_true_cost"])}
        surface, contours, labels = view.faces(), view.contours(view.tick_levels()), view.labels()
        self.surface, self.contours, self.labels = surface, contours, labels
        self.balls = {n: ball_mobject(0.13, COLORS.get(n, MUTED)).move_to(self.where[n][0]) for n in self.names}
        rates = " , ".join(f"{self.behaviour[n]['lr']:g}" for n in self.names)
        sentence = text(surface_sentence(self.meta), size=SMALL, color=MUTED).to_edge(DOWN, buff=0.3)
        with self.say(f"How big should each step be? Here are three runs with step sizes {rates}: "
                      "the same first weights, the same examples in the same order.") as line:
            # cross-fade under the same camera, then turn: never an empty frame
            add_labels(self, labels)
            self.add_fixed_orientation_mobjects(*self.balls.values())
            self.add_fixed_in_frame_mobjects(sentence)
            self.remove(*labels, *self.balls.values(), sentence)
            self.play(*(FadeOut(m) for m in before.mobjects()), FadeIn(surface), FadeIn(contours),
                      run_time=line.duration * 0.4)
            self.move_camera(**RATES_CAMERA, frame_center=view.middle(), added_anims=[FadeIn(labels)],
                             run_time=line.duration * 0.4)
        with self.say("This sheet lays their three paths side by side, and all three balls start on the "
                      "same weights, at the same cost.") as line:
            self.play(*(FadeIn(b) for b in self.balls.values()), FadeIn(sentence), run_time=line.duration * 0.4)
        with self.say("Between the paths the sheet blends the runs' weights. Those blends are poor "
                      "networks, so the sheet rises there.") as line:
            self.play(FadeOut(sentence), run_time=line.duration * 0.2)
        self.readout = self.readouts()
        self.add_fixed_in_frame_mobjects(self.readout)
        self.remove(self.readout)
        self.play(FadeIn(self.readout), run_time=0.8)
        self.hold()

    def three_descents(self) -> None:
        """All three runs, snapshot by snapshot, at the same time."""
        rec = self.runs[self.names[0]]
        costs = dict(zip(self.names, rec["land_group_true_cost"]))
        last = len(rec["snap_step"]) - 1
        self.trails = trails = {n: self.view.trail(self.where[n][:1], COLORS.get(n, MUTED)) for n in self.names}
        self.add(*trails.values())
        seg = np.mean([np.linalg.norm(np.diff(self.where[n], axis=0), axis=1) for n in self.names], axis=0)
        arrive = np.concatenate([[0.0], np.cumsum(seg + 0.15 * seg.mean())])

        def follow(_, alpha: float) -> None:
            t = alpha * arrive[-1]
            k = int(np.clip(np.searchsorted(arrive, t, side="right") - 1, 0, last))
            f = 0.0 if k == last else (t - arrive[k]) / max(arrive[k + 1] - arrive[k], 1e-9)
            for n in self.names:
                w = self.where[n]
                point = w[k] + f * (w[min(k + 1, last)] - w[k])
                self.balls[n].move_to(point)
                trails[n].set_points_as_corners([*(w[: k + 1] + self.view.lift()), point + self.view.lift()])
                self.values[n].set_text(fmt(costs[n][k]))
            self.step_value.set_text(f"{rec['snap_step'][k]:,}")

        with self.say("Now let all three train. Each ball follows its own run's recorded weights, and each "
                      "height is that run's true cost.") as line:
            self.play(UpdateFromAlphaFunc(VGroup(*self.balls.values()), follow), run_time=line.duration,
                      rate_func=linear)
        self.hold()

    def what_they_show(self) -> None:
        """The three paths' heights as three cost curves over the epochs, on a log scale: too small
        creeps, too large bounces, the good one gets lowest."""
        chart = self.cost_chart()
        self.add_fixed_in_frame_mobjects(chart)
        self.remove(chart)
        with self.say("Now take just the heights: each run's true cost over the epochs, on a log scale, "
                      "so small costs can be told apart.") as line:
            self.play(*(FadeOut(m) for m in (self.surface, self.contours, *self.trails.values(),
                                             *self.balls.values(), *self.labels)), run_time=line.duration * 0.3)
            self.play(FadeIn(chart[0]), *(Create(c) for c in chart[1]), run_time=line.duration * 0.6)
        b = {n: self.behaviour[n] for n in self.names}
        end = {n: float(c[-1]) for n, c in zip(self.names, self.runs[self.names[0]]["land_group_true_cost"])}
        small, good, large = (self.names[0], self.names[len(self.names) // 2], self.names[-1])
        lines = [
            (small, f"With {b[small]['lr']:g}, the steps are too small: after {b[small]['epochs']} epochs its cost "
                    f"is still {end[small]:.3f}."),
            (large, f"With {b[large]['lr']:g}, the steps are too big: its cost jumps about "
                    f"{b[large]['step_bounce'] / max(b[good]['step_bounce'], 1e-12):.1f} times as much from step "
                    f"to step as with {b[good]['lr']:g}, and it ends at {end[large]:.3f}."),
            (good, f"In between, {b[good]['lr']:g} gets lowest: {end[good]:.3f}."),
        ]
        curves = dict(zip(self.names, chart[1]))
        for name, line_text in lines:
            row, curve = self.rows[name], curves[name]
            with self.say(line_text) as line:
                self.play(row.animate.scale(1.15), curve.animate.set_stroke(width=7),
                          run_time=min(0.6, line.duration * 0.2))
                self.wait(line.duration * 0.5)
                self.play(row.animate.scale(1 / 1.15), curve.animate.set_stroke(width=3),
                          run_time=min(0.6, line.duration * 0.2))
        self.hold()

    def cost_chart(self) -> VGroup:
        """(axes with their names, the runs' curves): each run's true cost at every snapshot, by epoch."""
        first = self.runs[self.names[0]]
        costs, epochs = first["land_group_true_cost"], first["snap_epoch"]
        axes = log_cost_axes(costs, float(epochs[-1]), 7.0, 4.6).to_corner(DOWN + LEFT, buff=0.7)
        curves = VGroup(*(curve(axes, c, COLORS.get(n, MUTED), x=epochs) for n, c in zip(self.names, costs)))
        return VGroup(VGroup(axes, axis_names(axes, "true cost (log scale)")), curves)

    def hand_over(self) -> None:
        """Leave only the update rule, which the next scene takes apart."""
        rule = update_rule(self.rec)
        self.add_fixed_in_frame_mobjects(rule)
        self.remove(rule)
        keep = {id(rule)}
        with self.say("So the step size matters, and so does the gradient it multiplies. "
                      "Let us look at that gradient closely.") as line:
            self.play(*(FadeOut(m) for m in self.mobjects if id(m) not in keep), run_time=line.duration * 0.4)
            self.play(FadeIn(rule), run_time=line.duration * 0.3)
        self.hold()

    # -- pieces ---------------------------------------------------------------------------------

    def readouts(self) -> VGroup:
        """One row per run: its colour, its step size, its cost now; the shared step counter above."""
        self.values, self.rows = {}, {}
        self.step_value = LiveText("000,000", size=24)
        step = VGroup(text("step", size=24), self.step_value)
        rows = [step]
        for n in self.names:
            swatch = ball_mobject(0.1, COLORS.get(n, MUTED))
            eta = tex(rf"\eta = {self.behaviour[n]['lr']:g}", size=30, color=COLORS.get(n, MUTED))
            self.values[n] = LiveText("0.000", size=24, color=COLORS.get(n, MUTED))
            row = VGroup(swatch, eta, text("cost", size=22, color=MUTED), self.values[n])
            self.rows[n] = row
            rows.append(row)
        for row in rows:
            row.arrange(RIGHT, buff=0.2)
            row[-1].add_updater(lambda m: m)  # a LiveText: redrawn every frame
        table = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.18).to_corner(UP + RIGHT, buff=0.6)
        first: Recording = self.runs[self.names[0]]
        self.step_value.set_text(f"{first['snap_step'][0]:,}")
        for n, costs in zip(self.names, first["land_group_true_cost"]):
            self.values[n].set_text(fmt(costs[0]))
        return table

