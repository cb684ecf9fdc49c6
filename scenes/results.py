"""How well the trained network works, and where it is fooled (beats 10-11), from the recording.

`LearningCurves` opens on the trained first-layer weights (where weights.FirstLayerWeights ends)
and draws the recorded cost and accuracy per epoch. `TestPredictions` opens on those curves: the
recorded answers on the run's fixed test digits, the accuracy on all test digits, and why it
differs from the 3Blue1Brown video's. `RandomNoiseInput` opens on that comparison, feeds uniform
noise to the trained network (nn/probes.py) and ends on its confidence on noise vs on real digits.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    Group,
    GrowFromEdge,
    Indicate,
    LaggedStart,
    MoveToTarget,
    ReplacementTransform,
    RoundedRectangle,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
    linear,
)

from nn.probes import image_shape
from scenes.blocks.charts import LearningChart
from scenes.bridges import first_layer_grid
from scenes.charts import (
    CONFIDENT,
    confidence_picture,
    noise_probe,
    output_bars,
    scene_title,
    spoken,
    swap_heading,
    train_count,
)
from scenes.comparison import STRIP_Y, comparison_lines, final_accuracy, final_comparison, headline
from scenes.narrated import NarratedScene
from scenes.run import load_run
from scenes.style import (
    COMPARE_A,
    COMPARE_B,
    GOOD,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    TEXT,
    digit_image,
    fmt,
    pixel_image,
    text,
)
from scenes.words import a_noun, class_word, label, none_of_these, nouns, short_label, spoken_count


class LearningCurves(NarratedScene):
    """Beat 10, part 1: the recorded cost and accuracy after every epoch.

    `self.acc_axes` is the accuracy Axes (y in [0, 1], x in epochs) and `self.final_acc_dot` the Dot
    at (last epoch, final recorded test accuracy) on it."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.chart = LearningChart(rec)
        self.acc_axes, self.final_acc_dot = self.chart.acc_axes, self.chart.final_dot
        self.from_the_weights()
        self.cost_per_epoch()
        self.accuracy()

    def cost_parts(self) -> VGroup:
        c = self.chart
        return VGroup(c.cost_axes, c.names[0], c.legend, c.train_cost, c.steps, c.test_cost, c.cost_labels)

    def from_the_weights(self) -> None:
        rec, c = self.rec, self.chart
        self.cost_parts().shift(RIGHT * 3.45)  # centred until the accuracy chart joins it
        grid = first_layer_grid(rec)
        self.add(grid)
        with self.say(f"Those weights came out of {rec.epochs_done} passes over {train_count(rec):,} training "
                      f"{nouns(rec)}. So how well does the network work?") as line:
            # the grid shrinks away to the left, clear of the axes before they grow there: never an empty frame
            self.play(AnimationGroup(FadeOut(grid, scale=0.5, shift=LEFT * 3),
                                     AnimationGroup(Create(c.cost_axes), FadeIn(c.names[0]), lag_ratio=0.3),
                                     lag_ratio=0.55),
                      Write(scene_title("How well it works")), run_time=line.duration)

    def cost_per_epoch(self) -> None:
        rec, c = self.rec, self.chart
        with self.say(f"The blue curve is the cost on all the training {nouns(rec)} after each pass, "
                      "on a log scale.") as line:
            self.play(FadeIn(c.legend[0]), Create(c.train_cost), run_time=line.duration, rate_func=linear)
        with self.say(f"The faint line is the cost of each mini-batch of {rec.config['batch_size']} {nouns(rec)}, "
                      "averaged over a quarter epoch: noisy, but falling too.") as line:
            self.add(c.steps)  # before the blue curve in drawing order: the faint line stays behind it
            self.bring_to_front(c.train_cost)
            self.play(FadeIn(c.legend[2]), Create(c.steps), run_time=line.duration, rate_func=linear)
        with self.say(f"The orange curve is the cost on {rec.meta['dataset']['test_size']:,} test {nouns(rec)} "
                      "that the network never trained on.") as line:
            self.play(FadeIn(c.legend[1]), Create(c.test_cost), run_time=line.duration, rate_func=linear)
        train, test = float(rec["epoch_train_cost"][-1]), float(rec["epoch_test_cost"][-1])
        with self.say(f"Look at the gap: in the end the test cost is {fmt(test, 2)}, about {test / train:.0f} "
                      f"times the training cost of {fmt(train, 3)}.") as line:
            self.play(Indicate(c.test_cost, color=COMPARE_B, scale_factor=1.0), FadeIn(c.cost_labels[1]),
                      run_time=0.45 * line.duration)  # each number appears as it is spoken: test, then training
            self.play(Indicate(c.train_cost, color=COMPARE_A, scale_factor=1.0), FadeIn(c.cost_labels[0]),
                      run_time=0.55 * line.duration)
        with self.say(f"The network does better on the {nouns(rec)} it trained on than on new ones.") as line:
            self.wait(line.duration)
        self.hold()

    def accuracy(self) -> None:
        rec, c = self.rec, self.chart
        with self.say(f"Accuracy asks a simpler question: is the highest output the right {class_word(rec)}? "
                      f"Guessing would be right one time in {spoken_count(rec.sizes[-1])}.") as line:
            self.play(self.cost_parts().animate.shift(LEFT * 3.45), run_time=min(1.0, 0.3 * line.duration))
            self.play(Create(c.acc_axes), FadeIn(c.names[1]), run_time=min(1.2, 0.3 * line.duration))
            self.play(FadeIn(c.chance), run_time=0.3 * line.duration)
        with self.say(f"After {rec.epochs_done} epochs the network gets {spoken(rec['epoch_test_acc'][-1])} "
                      f"of the test {nouns(rec)} right.") as line:
            self.play(Create(c.train_acc), Create(c.test_acc), run_time=0.7 * line.duration, rate_func=linear)
            self.play(FadeIn(c.final_dot, scale=0.5), FadeIn(c.final_label), run_time=0.3 * line.duration)
        with self.say(f"On the {nouns(rec)} it trained on, the blue curve, it gets "
                      f"{spoken(rec['epoch_train_acc'][-1])}.") as line:
            self.play(Indicate(c.train_acc, color=COMPARE_A, scale_factor=1.0), FadeIn(c.train_dot, scale=0.5),
                      FadeIn(c.train_label), run_time=line.duration)
        self.hold()


class TestPredictions(NarratedScene):
    """Beat 10, part 2: the recorded answers on the run's fixed test digits, the accuracy on all test
    digits, and why it differs from the video's (how many digits each network trained on, how
    differently one digit is written, how sure our number is).

    `self.answers[i]` is (predicted digit, true digit) for probe i; `self.digit_images` the images."""

    COLUMNS = 10

    def construct(self) -> None:
        self.rec = rec = load_run()
        chart = LearningChart(rec)
        self.heading = scene_title("How well it works")
        self.add(self.heading, chart.whole())
        self.answers_on_probes(chart)
        self.compare_with_the_video()

    def answers_on_probes(self, chart: LearningChart) -> None:
        rec = self.rec
        xs, ys = rec["probe_x"], rec["probe_y"].astype(int)
        predicted = rec["probe_out"][-1].argmax(axis=1)
        self.answers = list(zip(predicted.tolist(), ys.tolist()))
        n, cols = len(ys), min(self.COLUMNS, len(ys))
        rows = math.ceil(n / cols)
        pitch_y = min(1.85, 4.6 / rows)
        size = min(0.95, pitch_y - 0.85)
        self.digit_images, self.frames, verdicts = [], [], []
        for i, (x, p, y) in enumerate(zip(xs, predicted, ys)):
            r, col = divmod(i, cols)
            img = digit_image(x, height=size).move_to([(col - (cols - 1) / 2) * 1.25, 2.0 - r * pitch_y, 0])
            self.digit_images.append(img)
            colour = GOOD if p == y else NEGATIVE
            self.frames.append(SurroundingRectangle(img, buff=0.03, color=colour, stroke_width=3))
            says = VGroup(text(f"✓ {short_label(rec, p)}" if p == y else f"said {short_label(rec, p)}", size=28,
                               color=colour, weight="BOLD"))
            if p != y:
                says.add(text(f"true {short_label(rec, y)}", size=26, color=colour))
            verdicts.append((img, says))
        fit = 1.0  # one size for every answer, one for every "true ..." (never larger): no name louder than another
        for row, size in ((0, 28), (1, 26)):
            parts = [says[row] for _, says in verdicts if len(says) > row]
            fit = min([1.0, fit * 28 / size] + [1.2 / part.width for part in parts])
            for part in parts:
                part.scale(fit)
        self.says = VGroup()
        for img, says in verdicts:
            self.says.add(says.arrange(DOWN, buff=0.05).next_to(img, DOWN, buff=0.1))
        right = int(sum(p == y for p, y in self.answers))
        self.tally = text(f"{right} of {n} right", size=28).move_to([0, 2.0 - rows * pitch_y + 0.1, 0])
        counts = np.bincount(ys, minlength=rec.sizes[-1])
        each = (f", {'two' if counts[0] == 2 else counts[0]} of each {class_word(rec)}"
                if counts.min() == counts.max() and counts[0] > 1 else "")

        with self.say(f"Now look at single test {nouns(rec)}: {n} of them{each}, kept aside and never used "
                      "for training.") as line:
            self.play(FadeOut(chart.whole()), run_time=0.4 * line.duration)
            self.play(FadeIn(Group(*self.digit_images), lag_ratio=0.05), run_time=0.6 * line.duration)
        # a miss shows its answer in plain colours (no true class) until the line that explains the red
        misses = [i for i, (p, y) in enumerate(self.answers) if p != y]
        for i in misses:
            self.frames[i].set_color(MUTED)
            self.says[i][0].set_color(TEXT)
        first = VGroup(*(VGroup(f, s[0] if i in misses else s) for i, (f, s) in enumerate(zip(self.frames, self.says))))
        with self.say("Under each one is the network's answer: the output neuron with the highest "
                      "activation.") as line:
            self.play(FadeIn(first, lag_ratio=0.5), run_time=line.duration)
        score = f"It gets {right} of these {n} right" + (
            f"; each miss is framed in red, with the true {class_word(rec)} under its answer." if right < n else ".")
        with self.say(score) as line:
            self.play(FadeIn(self.tally, shift=UP * 0.2), run_time=min(1.0, 0.3 * line.duration))
            if misses:
                self.play(*(m.animate.set_color(NEGATIVE) for i in misses for m in (self.frames[i], self.says[i][0])),
                          *(FadeIn(self.says[i][1]) for i in misses), run_time=min(1.5, 0.4 * line.duration))
        acc, total = final_accuracy(rec)[::2]
        self.overall = headline(rec).move_to(self.tally).shift(DOWN * 0.75)
        with self.say(f"Over all {total:,} test {nouns(rec)} it is right {spoken(acc)} of the time: "
                      f"{round(acc * total):,} {nouns(rec)}.") as line:
            self.play(FadeIn(self.overall, shift=UP * 0.2), run_time=min(1.5, line.duration))
        self.hold()

    def compare_with_the_video(self) -> None:
        rec, picture = self.rec, final_comparison(self.rec)
        lines = comparison_lines(rec)
        # the test digits shrink into a strip under the chart, keeping their frames; their words go
        strip = Group(*(Group(img, frame) for img, frame in zip(self.digit_images, self.frames)))
        strip.generate_target()
        strip.target.scale(min(0.62, 12.6 / strip.width)).move_to([0, STRIP_Y, 0])
        with self.say(lines[0]) as line:  # the video's number is said first, then ours
            # the words go before the headline moves, so it never crosses their ghosts
            self.play(FadeOut(self.says), FadeOut(self.tally), run_time=min(0.5, 0.1 * line.duration))
            self.play(MoveToTarget(strip), ReplacementTransform(self.overall, picture.headline),
                      run_time=min(1.2, 0.2 * line.duration))
            self.play(Create(picture.column[0]), FadeIn(picture.column[1]), FadeIn(picture.who[1]),
                      FadeIn(picture.scores[1]), run_time=0.35 * line.duration)
            self.play(FadeIn(picture.who[0]), FadeIn(picture.scores[0]), run_time=0.25 * line.duration)
        with self.say(lines[1]) as line:
            self.play(Create(picture.axis), run_time=0.3 * line.duration)
            self.play(*(GrowFromEdge(b, LEFT) for b in picture.bars), FadeIn(picture.counts),
                      run_time=0.7 * line.duration)
        rest = lines[2:]
        if len(picture.examples):  # a few training digits of one class: how differently it is written
            with self.say(rest.pop(0)) as line:
                self.play(FadeOut(strip), run_time=0.2 * line.duration)
                self.play(FadeIn(picture.examples[1]), LaggedStart(*(FadeIn(i, shift=UP * 0.2)
                                                                     for i in picture.examples[0]), lag_ratio=0.15),
                          run_time=0.5 * line.duration)
        with self.say(rest[0]) as line:
            if not len(picture.examples):
                self.play(FadeOut(strip), run_time=0.2 * line.duration)
            if len(picture.margin):
                self.play(Indicate(picture.scores[0], color=COMPARE_A, scale_factor=1.1),  # clear of the divider
                          run_time=0.4 * line.duration)
                self.play(FadeIn(picture.margin, shift=LEFT * 0.2), run_time=0.4 * line.duration)
        self.hold()


# -- RandomNoiseInput ----------------------------------------------------------------------------


class RandomNoiseInput(NarratedScene):
    """Beat 11: uniform noise into the trained network; it still names a digit, often surely.

    `self.probe` (nn.probes.NoiseProbe) holds the noise images, the network's outputs on them and on
    the run's test digits; the first `SAMPLES` noise images are shown, none picked."""

    SAMPLES = 3
    BARS_ORIGIN = np.array([1.2, -1.9, 0])

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.probe = noise_probe(rec)
        heading = scene_title("How well it works")
        before = final_comparison(rec)
        self.add(heading, before)
        self.heading = scene_title("Noise in, an answer out")
        self.noise_in(heading, before)
        self.how_sure()

    def noise_picture(self, i: int) -> Group:
        shape = image_shape(self.rec.sizes[0])
        img = pixel_image((255 * self.probe.noise[i].reshape(shape)).round().astype(np.uint8), height=2.9)
        img.move_to([-4.9, -0.3, 0])
        caption = text(f"random noise {i + 1}", size=18, color=MUTED).next_to(img, DOWN, buff=0.2)
        return Group(img, caption)

    def answer(self, i: int) -> VGroup:
        out = self.probe.noise_out[i]
        return text(f"answer: {label(self.rec, int(np.argmax(out)))}", size=26, color=HIGHLIGHT).next_to(
            self.BARS_ORIGIN + RIGHT * 2.6 + UP * 3.6, UP, buff=0.1)  # clear of the winner's value

    def output_sum(self, outputs: np.ndarray) -> tuple[VGroup, list]:
        """'0.83 + 0.36 + 0.03 + ... = 1.22' under the bars: the outputs written on the bars (the winner and
        those not 0.00), largest first, then the total of all of them. Returns (the sum, its terms in the
        order of the bars' value labels)."""
        best = int(np.argmax(outputs))
        written = [d for d, a in enumerate(outputs) if d == best or fmt(float(a), 2) != "0.00"]  # as output_bars
        terms = {d: text(fmt(float(outputs[d]), 2), size=24) for d in written}
        parts = VGroup()
        for d in sorted(written, key=lambda d: -outputs[d]):
            parts.add(terms[d], text("+", size=24, color=MUTED))
        if len(written) == len(outputs):
            parts.remove(parts[-1])
        else:
            parts.add(text("...", size=24, color=MUTED))
        parts.add(text("=", size=24, color=MUTED), text(fmt(float(outputs.sum()), 2), size=24, color=HIGHLIGHT))
        parts.arrange(RIGHT, buff=0.15).move_to(self.BARS_ORIGIN + RIGHT * 2.6 + DOWN * 1.0)
        return parts, [terms[d] for d in written]

    def noise_in(self, old_heading, before: VGroup) -> None:
        out = self.probe.noise_out
        image = self.noise_picture(0)
        box = RoundedRectangle(corner_radius=0.15, width=2.0, height=1.2, color=MUTED, stroke_width=2)
        box.move_to([-1.45, -0.3, 0])
        box_label = text("the trained\nnetwork", size=22, line_spacing=0.8).move_to(box)
        arrows = VGroup(Arrow([-3.35, -0.3, 0], box.get_left(), buff=0.1, color=MUTED, stroke_width=3),
                        Arrow(box.get_right(), self.BARS_ORIGIN + UP * 1.4, buff=0.15, color=MUTED, stroke_width=3))
        names = [short_label(self.rec, k) for k in range(self.rec.sizes[-1])]
        bars, answer = output_bars(out[0], self.BARS_ORIGIN, names), self.answer(0)
        with self.say(f"Now a harder test: what does the network do with a picture that is {none_of_these(self.rec)}?"
                      ) as line:
            self.play(swap_heading(old_heading, self.heading),
                      LaggedStart(FadeOut(before), FadeIn(image), lag_ratio=0.45), run_time=line.duration)
        with self.say(f"This is random noise: each of its {self.rec.sizes[0]} pixels gets a random brightness, "
                      "all equally likely.") as line:
            self.play(Indicate(image[1], color=TEXT), run_time=0.5 * line.duration)
            self.play(Create(arrows[0]), FadeIn(box), FadeIn(box_label), run_time=0.5 * line.duration)
        with self.say(f"The trained network still lights up its {spoken_count(len(names))} outputs, and one of "
                      "them is the highest.") as line:
            self.play(Create(arrows[1]), FadeIn(bars[1]), FadeIn(bars[3]), run_time=0.4 * line.duration)
            self.play(*(GrowFromEdge(b, DOWN) for b in bars[0]), FadeIn(bars[2]), run_time=0.6 * line.duration)
        first = label(self.rec, int(np.argmax(out[0])))
        with self.say(f"So it answers {first}, with an output of {fmt(out[0].max(), 2)}.") as line:
            self.play(FadeIn(answer), run_time=line.duration)
        total = VGroup()  # the sum of the outputs, shown once
        for i in range(1, self.SAMPLES):
            new_image, new_answer = self.noise_picture(i), self.answer(i)
            new_bars = output_bars(out[i], self.BARS_ORIGIN, names)
            winner, value = label(self.rec, int(np.argmax(out[i]))), fmt(out[i].max(), 2)
            said = (f"Another noise image, and again it answers {winner}, now with an output of {value}."
                    if np.argmax(out[i]) == np.argmax(out[i - 1]) else
                    f"Another noise image, and another answer: {winner}, with an output of {value}.")
            with self.say(said) as line:  # cause before effect: the image, then the bars
                self.play(FadeOut(image), FadeOut(bars[2]), FadeOut(answer), FadeOut(total),
                          run_time=min(0.6, 0.2 * line.duration))
                self.play(FadeIn(new_image), run_time=min(0.8, 0.25 * line.duration))
                self.play(Transform(bars[0], new_bars[0]), Transform(bars[1], new_bars[1]),
                          run_time=min(1.0, 0.25 * line.duration))
                self.play(FadeIn(new_bars[2]), FadeIn(new_answer), run_time=min(0.6, 0.2 * line.duration))
            image, answer = new_image, new_answer
            bars = VGroup(bars[0], bars[1], new_bars[2], bars[3])
            if i == 1:
                total, shown = self.output_sum(out[i])
                with self.say("Each output is a separate number between 0 and 1, so together they need not add "
                              f"up to 1: here they add up to {fmt(out[i].sum(), 2)}.") as line:
                    self.play(Indicate(bars[2], color=HIGHLIGHT, scale_factor=1.1), run_time=min(1.5, line.duration))
                    self.play(LaggedStart(*(TransformFromCopy(v, t) for v, t in zip(bars[2], shown)), lag_ratio=0.3),
                              run_time=0.35 * line.duration)
                    self.play(FadeIn(VGroup(*(m for m in total if all(m is not t for t in shown)))),
                              run_time=0.2 * line.duration)
        note = text("never taught a “none” answer", size=24, color=TEXT).move_to([-1.45, -2.7, 0])
        with self.say("It was never taught a 'none' answer, and we always read off the highest output.") as line:
            self.play(FadeIn(note, shift=UP * 0.2), run_time=line.duration)
        self.hold()

    def how_sure(self) -> None:
        probe = self.probe
        picture = confidence_picture(probe, nouns(self.rec))
        n_noise, n_test = len(probe.noise_out), len(probe.test_out)
        noise_share, test_share = probe.confident_share(CONFIDENT)
        others = Group(*(m for m in self.mobjects if m is not self.heading))
        with self.say(f"How sure is it? Take its highest output as its confidence, on {n_noise:,} noise images "
                      f"and on {n_test:,} real test {nouns(self.rec)}.") as line:
            self.play(FadeOut(others), run_time=0.3 * line.duration)
            self.play(*(Create(p[0]) for p in picture[:2]), *(FadeIn(p[3]) for p in picture[:2]),
                      run_time=0.3 * line.duration)
            self.play(*(GrowFromEdge(b, DOWN) for p in picture[:2] for b in p[1]), run_time=0.4 * line.duration)
        with self.say(f"Its highest output is above {CONFIDENT:g} on {spoken(noise_share)} of the noise, "
                      f"and on {spoken(test_share)} of the real {nouns(self.rec)}.") as line:
            self.play(*(Create(p[2]) for p in picture[:2]), FadeIn(picture[2]), run_time=line.duration)
        with self.say(f"So a confident answer does not mean the input was {a_noun(self.rec)}.") as line:
            self.wait(line.duration)
        self.hold()
