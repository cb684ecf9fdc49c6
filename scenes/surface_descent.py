"""Beats 5 and 6: the real cost surface, the gradient at the ball, and the whole recorded descent.

The surface is the landscape's grid (`python -m nn landscape`): by default a sheet through every
recorded snapshot, so the ball's height is the true cost of the recorded weights at each one. The
gradient arrow is the recorded gradient's part in the surface (`land_grad_ab`, `land_grad_share`).
The ball's time along the path is proportional to the distance it covers on screen (with a floor
per snapshot), so the first cliff and the long valley both get time in proportion to what moves.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UR,
    FadeIn,
    FadeOut,
    MathTex,
    ReplacementTransform,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
)

from scenes.bridges import LineSlice
from scenes.narrated import NarratedThreeDScene
from scenes.run import load_run
from scenes.style import BACKGROUND, BALL, MUTED, NEGATIVE, POSITIVE, SMALL, TEXT, tex, text
from scenes.surface import CAMERA, VALLEY_CAMERA, Readout, add_labels, arrow_3d, ball_mobject, surface_sentence, view_of


class CostSurfaceDescent(NarratedThreeDScene):
    """The slice becomes a surface; the gradient at the ball, flipped, stepped; the whole descent."""

    SHADING = False  # light is baked into the faces (bench/render_speed.py compares with Manim's shading)
    GRADIENT_STEPS = 3  # recorded steps shown one by one with their gradient
    ARROW = 1.6  # scene length of the first gradient arrow; later ones scale with the gradient
    ZOOM = 4.0  # the camera's zoom onto the later steps, whose arrows and moves are short
    SMALL_BALL = 0.8  # the ball's scale while zoomed in

    def construct(self) -> None:
        self.rec = load_run(need_landscape=True)
        self.meta = self.rec.landscape_meta
        self.view = view_of(self.rec)
        self.renderer.camera.should_apply_shading = self.SHADING
        self.path = self.rec["land_path"]
        self.resting: list[tuple[float, int, dict]] = []  # (time, snapshot, camera) at rest: for tests
        self.where = self.view.path_points(self.path, self.rec["land_path_plane_cost"])
        for beat in (self.curve_becomes_surface, self.gradient_at_the_ball, self.a_few_steps, self.whole_descent):
            self.next_section(beat.__name__)
            beat()

    # -- beats ----------------------------------------------------------------------------------

    def curve_becomes_surface(self) -> None:
        """From the 1-D slice to the real surface of two directions."""
        flat = LineSlice(self.rec)
        self.add_fixed_in_frame_mobjects(flat)
        self.set_camera_orientation(**CAMERA, frame_center=self.view.middle())
        self.surface = self.build_surface()
        self.contours = self.view.contours(self.view.tick_levels())
        labels = self.view.labels()
        formula = tex(r"C(x, y)", size=44).move_to(flat.formula)
        sentence = text(surface_sentence(self.meta), size=SMALL, color=MUTED).to_edge(DOWN, buff=0.3)
        with self.say("Now let two directions change at once. Each point of this surface is a real "
                      "set of weights, and its height is their cost.") as line:
            self.play(FadeOut(VGroup(flat.axes, flat.names, flat.curve)), run_time=line.duration * 0.25)
            self.add_fixed_in_frame_mobjects(formula)
            self.remove(formula)
            # fade out, fade in: a transform's in-between copies would be drawn in 3-D, skewed
            self.play(FadeOut(flat.formula), FadeIn(self.surface), FadeIn(self.contours), run_time=line.duration * 0.3)
            self.play(FadeIn(formula), run_time=line.duration * 0.2)
        add_labels(self, labels)
        self.add_fixed_in_frame_mobjects(sentence)
        self.remove(sentence)
        with self.say("It is not the line from before, and not flat: it bends so that it passes through "
                      "every set of weights the training run recorded." if self.meta["method"] == "sheet" else
                      "It is a flat slice: the path is projected onto it, so heights on it are not the "
                      "path's true costs.") as line:
            self.play(FadeIn(labels), FadeIn(sentence), run_time=line.duration * 0.4)
        self.formula, self.sentence = formula, sentence
        self.hold()

    def gradient_at_the_ball(self) -> None:
        """At the untrained weights: the gradient arrow, then minus the gradient."""
        self.ball = ball_mobject(0.14, BALL).move_to(self.where[0])
        self.readout = Readout()
        self.readout.show(self.rec, 0)
        self.add_fixed_orientation_mobjects(self.ball)
        self.add_fixed_in_frame_mobjects(self.readout)
        self.remove(self.ball, self.readout)
        digits = int(self.meta["eval_samples"])
        with self.say(f"The ball starts at the untrained weights, where the cost, measured on {digits:,} "
                      f"training examples, is {self.rec['land_path_true_cost'][0]:.2f}.") as line:
            self.play(FadeIn(self.ball), FadeIn(self.readout), FadeOut(self.sentence), run_time=line.duration * 0.4)
            self.rest(0)
        up = self.gradient_arrow(0, sign=+1)
        share = float(self.rec["land_grad_share"][0])
        name = self.arrow_name(self.gradient_ends(0, +1)[1], r"\nabla C", POSITIVE)
        note = text(f"{share:.0%} of the gradient lies in this surface", size=SMALL, color=MUTED)
        note.to_corner(UR, buff=0.5).shift(DOWN * 0.9)
        self.add_fixed_in_frame_mobjects(note)
        self.remove(note)
        with self.say("The gradient of the cost points the way uphill is steepest, and its length "
                      "says how steep.") as line:
            self.play(FadeIn(up), FadeIn(name), run_time=line.duration * 0.5)
        # the sheet leaves the first snapshot along the first step (nn/surface.py: m_0 = s_0), so the
        # step's gradient lies in it there by construction: said, so no one takes it for a finding
        where = ("all of it lies along this surface, because the surface starts out along the step the run "
                 "took from here. That is the arrow." if share >= 0.995 and self.meta["method"] == "sheet" else
                 f"{share:.0%} of it lies along this surface, and that part is the arrow.")
        with self.say(f"The gradient lives in all {self.rec['params'].shape[1]:,} dimensions; {where}") as line:
            self.play(FadeIn(note), run_time=line.duration * 0.3)
        self.hold()
        down = self.gradient_arrow(0, sign=-1)
        minus = self.arrow_name(self.gradient_ends(0, -1)[1], r"-\nabla C", NEGATIVE)
        with self.say("We want to go down, so flip it: minus the gradient points the way downhill is steepest.") \
                as line:
            self.play(ReplacementTransform(up, down), FadeOut(name), run_time=line.duration * 0.4)
            self.play(FadeIn(minus), run_time=line.duration * 0.2)
        self.arrow, self.arrow_label, self.share_note = down, minus, note
        self.hold()

    def a_few_steps(self) -> None:
        """The recorded steps: each one moves the weights by minus the learning rate times the gradient."""
        lr = self.rec.config["lr"]
        rule = tex(rf"w \leftarrow w - {lr:g}\, \nabla C", size=36, color=TEXT).to_corner(UR, buff=0.5)
        rule.shift(DOWN * 0.9).to_edge(RIGHT, buff=0.5)
        self.add_fixed_in_frame_mobjects(rule)
        self.remove(rule)
        steps = [k for k in range(1, min(self.GRADIENT_STEPS + 1, len(self.path)))
                 if self.rec["snap_step"][k] == self.rec["snap_step"][k - 1] + 1]
        first = steps[0] if steps else 1
        step = arrow_3d(self.where[first - 1], self.where[first], NEGATIVE)
        step_name = self.arrow_name(self.where[first], rf"-{lr:g}\,\nabla C", NEGATIVE)
        with self.say(f"The training run stepped that way: it moved every weight by minus {lr:g} times "
                      "the gradient. This is the step it really took.") as line:
            d = line.duration
            self.play(FadeOut(self.arrow_label), FadeOut(self.share_note), run_time=d * 0.15)
            self.play(FadeIn(rule), run_time=d * 0.15)
            self.play(ReplacementTransform(self.arrow, step), FadeIn(step_name), run_time=d * 0.25)  # -3 grad C
            self.step_to(first, d * 0.3)
            self.play(FadeOut(step), FadeOut(step_name), run_time=d * 0.1)
        self.hold()
        later = steps[1:]
        with self.say("Then again, zoomed in: a new gradient where the ball now is, flipped, and a step. "
                      "On flatter ground the arrow is shorter, and so is the step.") as line:
            d = line.duration
            self.move_camera(zoom=CAMERA["zoom"] * self.ZOOM, frame_center=self.where[first], run_time=d * 0.2,
                             added_anims=[self.ball.animate.scale(self.SMALL_BALL)])  # short arrows show past it
            for k in later:
                per = d * 0.7 / len(later)
                up, down = self.gradient_arrow(k - 1, sign=+1), self.gradient_arrow(k - 1, sign=-1)
                self.play(FadeIn(up), run_time=per * 0.25)
                self.play(ReplacementTransform(up, down), run_time=per * 0.25)
                self.step_to(k, per * 0.4)
                self.play(FadeOut(down), run_time=per * 0.1)
        self.play(self.ball.animate.scale(1 / self.SMALL_BALL), run_time=0.5)
        self.rule = rule
        self.hold()

    def whole_descent(self) -> None:
        """Every recorded snapshot, in order, with the true cost read out."""
        shown = max(1, min(self.GRADIENT_STEPS, len(self.path) - 1))
        steps = int(self.rec.meta["steps_done"])
        with self.say("Let us turn to look along the valley.") as line:
            self.move_camera(**VALLEY_CAMERA, frame_center=self.view.middle(), run_time=line.duration * 0.9)
        trail = self.view.trail(self.where[: shown + 1])
        self.add(trail)
        arrive = self.schedule(shown)
        last = len(self.path) - 1

        def follow(_, alpha: float) -> None:
            t = alpha * arrive[-1]
            k = int(np.clip(np.searchsorted(arrive, t, side="right") - 1, shown, last))
            f = 0.0 if k == last else (t - arrive[k]) / max(arrive[k + 1] - arrive[k], 1e-9)
            point = self.where[k] + f * (self.where[min(k + 1, last)] - self.where[k])
            self.ball.move_to(point)
            self.ball.set_opacity(0.3 if self.hidden(point) else 1.0)
            trail.set_points_as_corners([*(self.where[: k + 1] + self.view.lift()), point + self.view.lift()])
            self.readout.show(self.rec, k)

        with self.say(f"Training is that step, repeated: {steps:,} steps in all, each against the gradient "
                      "of one small batch of examples. Here is the path the run really took; "
                      "the corner reads its true cost, which heights seen at an angle can hide.") as line:
            self.play(UpdateFromAlphaFunc(self.ball, follow), run_time=line.duration, rate_func=linear)
        self.rest(last)
        final = float(self.rec["land_path_true_cost"][-1])
        with self.say(f"It ends here, at a cost of {final:.3f} on those "
                      f"{int(self.meta['eval_samples']):,} training examples.") as line:
            self.play(self.ball.animate.scale(1.3), run_time=min(1.0, line.duration * 0.3))
            self.play(self.ball.animate.scale(1 / 1.3), run_time=min(1.0, line.duration * 0.3))
        self.hold()
        self.play(FadeOut(self.readout), FadeOut(self.rule), run_time=0.8)  # leave bridges.surface_end

    # -- helpers --------------------------------------------------------------------------------

    def build_surface(self) -> VGroup:
        return self.view.faces()

    def schedule(self, start: int) -> np.ndarray:
        """Arrival time (arbitrary units) at each snapshot: on-screen distance plus a floor per step."""
        seg = np.linalg.norm(np.diff(self.where, axis=0), axis=1)
        seg[:start] = 0.0
        floor = 0.4 * seg[start:].mean() if len(seg) > start else 0.0
        seg[start:] += floor
        return np.concatenate([[0.0], np.cumsum(seg)])

    def step_to(self, k: int, seconds: float) -> None:
        self.play(self.ball.animate.move_to(self.where[k]), run_time=seconds * 0.7)
        self.readout.show(self.rec, k)
        self.rest(k)
        self.wait(seconds * 0.3)

    def gradient_arrow(self, k: int, sign: int) -> VGroup:
        """The recorded gradient at snapshot k as an arrow along the surface at the ball."""
        color = POSITIVE if sign > 0 else NEGATIVE
        return arrow_3d(*self.gradient_ends(k, sign), color)

    def arrow_name(self, tip: np.ndarray, formula: str, color) -> MathTex:
        """A name beside an arrow's tip on screen, on a dark patch so it reads over the surface.
        Placed where the camera projects the tip (the camera holds still while the name is up)."""
        name = tex(formula, size=40, color=color).next_to(self.renderer.camera.project_point(tip), RIGHT, buff=0.2)
        name.add_background_rectangle(color=BACKGROUND, opacity=0.7, buff=0.06)
        self.add_fixed_in_frame_mobjects(name)
        self.remove(name)
        return name

    def gradient_ends(self, k: int, sign: int) -> tuple[np.ndarray, np.ndarray]:
        """Where the gradient arrow at snapshot k starts (the ball) and ends; length scales with |grad|."""
        v = self.view
        u, y = self.path[k]
        X = float(v.display_x(u))
        ga, gb = self.rec["land_grad_ab"][k]
        dX = ga / (2 * max(X, 1e-6)) if v.sqrt_x else ga  # a displacement du is dX = du / (2 sqrt(u - u0))
        direction = np.array([dX, gb])
        start = self.where[k]
        rise = float(v.slope(X, y) @ direction)
        tip = v.axes.c2p(X + direction[0], y + direction[1], self.rec["land_path_plane_cost"][k] + rise)
        unit = (tip - start) / (np.linalg.norm(tip - start) or 1.0)
        length = self.ARROW * self.gradient_size(k) / self.gradient_size(0)
        return start, start + sign * length * unit

    def gradient_size(self, k: int) -> float:
        """|the recorded gradient's part in the surface| at snapshot k."""
        return float(self.rec["land_grad_share"][k] * np.linalg.norm(self.rec["grads"][k])) or 1e-12

    def rest(self, k: int) -> None:
        """Note that the ball sits at snapshot k now, with the camera as it is (the tests check it)."""
        cam = self.renderer.camera
        state = {"phi": cam.get_phi(), "theta": cam.get_theta(), "zoom": cam.get_zoom(),
                 "frame_center": np.array(cam.frame_center)}
        self.resting.append((float(self.renderer.time), k, state))

    def hidden(self, point: np.ndarray) -> bool:
        """True where the surface lies between the camera and `point` (sampled along the sight line)."""
        cam = self.renderer.camera
        eye = cam.frame_center + cam.get_focal_distance() * cam.get_rotation_matrix()[2]
        for s in np.linspace(0.04, 0.6, 24):
            q = point + s * (eye - point)
            X, y, z = self.view.axes.p2c(q)
            inside = self.view.X[0] <= X <= self.view.X[-1] and self.view.ys[0] <= y <= self.view.ys[-1]
            if inside and z < self.view.height(X, y) - 0.01 * self.view.top:
                return True
        return False
