"""How well the trained network does, and where it is fooled, from the recording.

`LearningCurves` plots the recorded cost and accuracy per epoch; `TestPredictions` shows the
recorded answers on the run's fixed test digits; `RandomNoiseInput` feeds uniform random noise
(a fixed seed, generated here and said on screen) to the trained network and shows its outputs,
then how sure it is (its highest output) on 1,000 such images vs on the run's real test digits.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    GrowFromEdge,
    Line,
    LogBase,
    Rectangle,
    RoundedRectangle,
    Scene,
    SurroundingRectangle,
    Transform,
    VGroup,
    Write,
    linear,
)

from nn.recording import Recording
from scenes.run import fail, load_run
from scenes.style import (
    BACKGROUND,
    BALL,
    GOOD,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    TEXT,
    digit_image,
    fmt,
    pct,
    pixel_image,
    run_tag,
    text,
    title,
)


def nice_step(span: float, most_ticks: int = 6) -> float:
    """A 1-2-5 tick step giving at most `most_ticks` intervals over `span`."""
    for step in (10.0**e * m for e in range(-3, 7) for m in (1, 2, 5)):
        if span / step <= most_ticks:
            return step
    return span


# -- LearningCurves ------------------------------------------------------------------------------


def smoothed_step_cost(rec: Recording, most_points: int = 600) -> tuple[np.ndarray, np.ndarray, int]:
    """The per-step mini-batch cost as a moving average: (epoch positions, values, window in steps)."""
    cost = rec["step_cost"]
    per_epoch = rec["snap_step"][-1] / rec["snap_epoch"][-1] if rec["snap_epoch"][-1] > 0 else len(cost)
    window = int(max(1, min(len(cost), round(per_epoch / 4))))
    avg = np.convolve(cost, np.ones(window) / window, mode="valid")
    x = (np.arange(len(avg)) + (window - 1) / 2) / per_epoch
    keep = np.unique(np.linspace(0, len(avg) - 1, min(most_points, len(avg))).round().astype(int))
    return x[keep], avg[keep], window


EPOCH_AXIS = {"include_numbers": True, "decimal_number_config": {"num_decimal_places": 0}}


class LearningCurves(Scene):
    """Cost (log scale) and accuracy after every epoch, exactly as the run recorded them.

    `self.acc_axes` is the accuracy Axes (y in [0, 1], the recorded fraction; x in epochs) and
    `self.final_acc_dot` the Dot at (last epoch, final recorded test accuracy) on it."""

    def construct(self) -> None:
        rec = load_run()
        epochs = rec.epochs_done
        ex = np.arange(epochs + 1)
        train_cost, test_cost = rec["epoch_train_cost"], rec["epoch_test_cost"]
        train_acc, test_acc = rec["epoch_train_acc"], rec["epoch_test_acc"]
        sx, sy, window = smoothed_step_cost(rec)
        x_range = [0, max(epochs, 1), max(1, nice_step(max(epochs, 1)))]

        # Cost, on a log axis so both the plunge and the later slow decline are visible.
        values = np.concatenate([train_cost, test_cost, sy])
        lo = math.floor(math.log10(max(values.min(), 1e-6)))
        hi = max(math.ceil(math.log10(values.max())), lo + 1)
        cost_axes = Axes(
            x_range=x_range, y_range=[lo, hi, 1], x_length=5.4, y_length=4.0, tips=False,
            axis_config={"color": MUTED, "font_size": 18},
            x_axis_config=EPOCH_AXIS,
            y_axis_config={"scaling": LogBase(custom_labels=True), "include_numbers": True},
        ).move_to([-3.45, -0.15, 0])
        acc_axes = Axes(
            x_range=x_range, y_range=[0, 1, 0.25], x_length=5.4, y_length=4.0, tips=False,
            axis_config={"color": MUTED, "font_size": 18}, x_axis_config=EPOCH_AXIS,
        ).move_to([3.55, -0.15, 0])
        acc_axes.y_axis.add_labels({v: text(f"{round(100 * v)}%", size=16, color=MUTED) for v in (0, 0.5, 1)})
        self.acc_axes = acc_axes
        names = VGroup(
            self.axis_names(cost_axes, "cost (log scale)"),
            self.axis_names(acc_axes, "accuracy"),
        )

        batch = rec.config["batch_size"]
        step_line = cost_axes.plot_line_graph(sx, np.maximum(sy, 10.0**lo), add_vertex_dots=False,
                                              line_color=MUTED, stroke_width=1.5)["line_graph"]
        step_line.set_stroke(opacity=0.55)
        curves = [
            cost_axes.plot_line_graph(ex, train_cost, add_vertex_dots=False, line_color=POSITIVE, stroke_width=3),
            cost_axes.plot_line_graph(ex, test_cost, add_vertex_dots=False, line_color=HIGHLIGHT, stroke_width=3),
            acc_axes.plot_line_graph(ex, train_acc, add_vertex_dots=False, line_color=POSITIVE, stroke_width=3),
            acc_axes.plot_line_graph(ex, test_acc, add_vertex_dots=False, line_color=HIGHLIGHT, stroke_width=3),
        ]
        chance = 1 / rec.sizes[-1]
        chance_line = DashedLine(acc_axes.c2p(0, chance), acc_axes.c2p(x_range[1], chance), color=MUTED,
                                 stroke_width=1.5)
        chance_label = text(f"chance: {pct(chance)}", size=14, color=MUTED).next_to(chance_line, UP, buff=0.06)
        chance_label.align_to(chance_line, RIGHT)
        legend = VGroup(
            text("training set", size=16, color=POSITIVE),
            text(f"test set ({rec.meta['dataset']['test_size']:,} digits)", size=16, color=HIGHLIGHT),
            text(f"each mini-batch of {batch} (mean of {window} steps)", size=16, color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.08).next_to(cost_axes.c2p(x_range[1], 10.0**hi), DOWN + LEFT,
                                                              buff=0.05)
        legend.align_to(cost_axes.x_axis, RIGHT)

        self.final_acc_dot = Dot(acc_axes.c2p(epochs, test_acc[-1]), radius=0.08, color=BALL)
        final_label = text(pct(test_acc[-1]), size=20, color=BALL).next_to(self.final_acc_dot, DOWN, buff=0.15)
        final_label.align_to(self.final_acc_dot, RIGHT)
        final_label.add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.04)
        size = rec.meta["dataset"]["test_size"]
        summary = text(
            f"after {epochs} epoch{'s' if epochs != 1 else ''}: test accuracy {pct(test_acc[-1])} "
            f"({round(test_acc[-1] * size):,} of {size:,} test digits), test cost {fmt(test_cost[-1])}, "
            f"training cost {fmt(train_cost[-1])}", size=18)
        summary.to_edge(DOWN, buff=0.6)

        self.add(run_tag(rec))
        self.play(Write(title("Learning curves")), Create(cost_axes), Create(acc_axes), FadeIn(names),
                  FadeIn(legend), FadeIn(chance_line), FadeIn(chance_label), run_time=1.2)
        self.play(*(Create(c) for c in [step_line, *curves]), run_time=3.0, rate_func=linear)
        self.play(FadeIn(self.final_acc_dot, scale=0.5), FadeIn(final_label), FadeIn(summary), run_time=0.8)
        self.wait(1.5)

    @staticmethod
    def axis_names(axes: Axes, y_name: str) -> VGroup:
        x = text("epoch", size=18, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.4)
        y = text(y_name, size=18, color=MUTED).next_to(axes.y_axis, UP, buff=0.15).align_to(axes.y_axis, LEFT)
        return VGroup(x, y)


# -- TestPredictions -----------------------------------------------------------------------------


class TestPredictions(Scene):
    """The trained network's answers on the recording's fixed test digits, then its full test accuracy.

    `self.answers[i]` is (predicted digit, true digit) for probe i; `self.digit_images` the images."""

    COLUMNS = 10
    IMAGE = 1.0

    def construct(self) -> None:
        rec = load_run()
        xs, ys = rec["probe_x"], rec["probe_y"].astype(int)
        predicted = rec["probe_out"][-1].argmax(axis=1)
        self.answers = list(zip(predicted.tolist(), ys.tolist()))
        n = len(ys)
        cols = min(self.COLUMNS, n)
        rows = math.ceil(n / cols)
        pitch_x, pitch_y = 1.25, min(1.85, 4.6 / max(rows, 1))
        size = min(self.IMAGE, pitch_y - 0.55)

        heading = title("Answers on test digits")
        sub = text(f"{n} fixed test digits from the recording, never trained on; "
                   "the answer is the output neuron with the highest activation", size=16, color=MUTED)
        sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)

        self.digit_images = []
        marks = []
        for i, (x, p, y) in enumerate(zip(xs, predicted, ys)):
            r, c = divmod(i, cols)
            center = np.array([(c - (cols - 1) / 2) * pitch_x, 1.2 - r * pitch_y - (0 if rows > 1 else -0.6), 0])
            img = digit_image(x, height=size).move_to(center)
            self.digit_images.append(img)
            right = bool(p == y)
            colour = GOOD if right else NEGATIVE
            frame = SurroundingRectangle(img, buff=0.03, color=colour, stroke_width=2)
            says = text(f"→ {p}" if right else f"→ {p} (is {y})", size=18, color=colour)
            says.next_to(img, DOWN, buff=0.1)
            marks.append((VGroup(frame, says), right))

        counter = self.counter(0, 0).to_edge(DOWN, buff=1.25)
        self.add(run_tag(rec))
        self.play(Write(heading), FadeIn(sub), FadeIn(Group(*self.digit_images), lag_ratio=0.03), run_time=1.2)
        self.play(FadeIn(counter), run_time=0.3)
        correct = 0
        per = min(0.3, 5.0 / max(n, 1))
        for i, (mark, right) in enumerate(marks):
            correct += right
            self.play(FadeIn(mark), Transform(counter, self.counter(correct, i + 1).move_to(counter)), run_time=per)
        self.wait(0.6)

        acc, total = rec["epoch_test_acc"][-1], rec.meta["dataset"]["test_size"]
        overall = text(f"on all {total:,} test digits: {pct(acc)} right ({round(acc * total):,} of {total:,})",
                       size=26, color=HIGHLIGHT).next_to(counter, DOWN, buff=0.3)
        self.play(FadeIn(overall, shift=UP * 0.2), run_time=0.8)
        self.wait(1.5)

    @staticmethod
    def counter(correct: int, seen: int) -> VGroup:
        share = f"  ({pct(correct / seen)})" if seen else ""
        return text(f"right so far: {correct} of {seen}{share}", size=24, color=TEXT)


# -- RandomNoiseInput ----------------------------------------------------------------------------


def noise_images(n: int, size: int, seed: int) -> np.ndarray:
    """n images of uniform random noise, every pixel in [0, 1), from a fixed seed."""
    return np.random.default_rng(seed).random((n, size))


def output_bars(outputs: np.ndarray, origin: np.ndarray, pitch: float = 0.52, height: float = 3.4) -> VGroup:
    """The outputs as vertical bars on a baseline at `origin` (left end), full height = activation 1.

    Returns VGroup(bars, digit labels, value labels, baseline); the largest output is yellow."""
    best = int(np.argmax(outputs))
    bars, digits, values = VGroup(), VGroup(), VGroup()
    for d, a in enumerate(outputs):
        x = origin + RIGHT * (pitch * (d + 0.5))
        h = max(float(a) * height, 0.01)
        colour = HIGHLIGHT if d == best else POSITIVE
        bars.add(Rectangle(width=0.62 * pitch, height=h, stroke_width=0, fill_color=colour, fill_opacity=0.9)
                 .move_to(x, aligned_edge=DOWN))
        digits.add(text(str(d), size=20, color=HIGHLIGHT if d == best else TEXT).next_to(x, DOWN, buff=0.12))
        values.add(text(fmt(float(a), 2), size=13, color=HIGHLIGHT if d == best else MUTED)
                   .next_to(bars[-1], UP, buff=0.06))
    base = Line(origin, origin + RIGHT * pitch * len(outputs), color=MUTED, stroke_width=1.5)
    return VGroup(bars, digits, values, base)


class RandomNoiseInput(Scene):
    """Uniform random noise fed to the trained network: it still names a digit, often confidently.

    The noise is made here (seed `SEED`: `NOISE_COUNT` images, of which the first `SAMPLES` are shown
    one by one, none picked) and said on screen. `self.noise` holds the shown inputs and `self.outputs`
    the network's outputs on them. Then the network's confidence (its highest output) on all the noise
    images vs on the run's whole test set (read with nn.data.load_dataset(config.data), checked by
    SHA-256): `self.noise_confidence`, `self.test_confidence` (one value per image), `self.bin_edges`,
    `self.noise_counts`, `self.test_counts` (the histograms drawn) and `self.confident_share`
    ({"noise": ..., "test": ...}: the share with highest output above `CONFIDENT`)."""

    SEED = 0
    SAMPLES = 3
    NOISE_COUNT = 1000
    BINS = 20
    CONFIDENT = 0.9
    BARS_ORIGIN = np.array([0.9, -1.9, 0])

    def construct(self) -> None:
        rec = load_run()
        net = rec.network(-1)
        all_noise = noise_images(max(self.NOISE_COUNT, self.SAMPLES), rec.sizes[0], self.SEED)
        self.noise = all_noise[: self.SAMPLES]
        self.outputs = net.forward(self.noise)

        heading = title("Random noise in, an answer out")
        sub = text(f"uniform random noise: every pixel drawn independently from [0, 1] "
                   f"(NumPy default_rng({self.SEED}), first {self.SAMPLES} draws, none picked)", size=16, color=MUTED)
        sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)
        box = RoundedRectangle(corner_radius=0.15, width=2.3, height=1.3, color=MUTED, stroke_width=2)
        box.move_to([-1.35, -0.2, 0])
        box_label = text(f"trained network\n{'-'.join(map(str, rec.sizes))}\n(step {int(rec['snap_step'][-1]):,})",
                         size=16, line_spacing=0.8).move_to(box)
        arrow_in = Arrow([-3.6, -0.2, 0], box.get_left(), buff=0.1, color=MUTED, stroke_width=3)
        arrow_out = Arrow(box.get_right(), self.BARS_ORIGIN + np.array([0, 1.7, 0]), buff=0.15, color=MUTED,
                          stroke_width=3)
        bars_name = text("output activations", size=16, color=MUTED)
        bars_name.next_to(self.BARS_ORIGIN + RIGHT * 2.6 + UP * 3.6, UP, buff=0.1)

        image, caption = self.noise_picture(0)
        bars = output_bars(self.outputs[0], self.BARS_ORIGIN)
        answer = self.answer(0)

        tag = run_tag(rec)
        self.add(tag)
        self.play(Write(heading), FadeIn(sub), FadeIn(image), FadeIn(caption), run_time=1.0)
        self.play(Create(arrow_in), FadeIn(box), FadeIn(box_label), Create(arrow_out), FadeIn(bars_name),
                  FadeIn(bars[3]), FadeIn(bars[1]), run_time=0.8)
        self.play(*(GrowFromEdge(b, DOWN) for b in bars[0]), FadeIn(bars[2]), run_time=0.9)
        self.play(FadeIn(answer), run_time=0.4)
        self.wait(0.6)
        for i in range(1, self.SAMPLES):
            new_image, new_caption = self.noise_picture(i)
            self.play(FadeIn(new_image), Transform(caption, new_caption),
                      Transform(bars, output_bars(self.outputs[i], self.BARS_ORIGIN)),
                      Transform(answer, self.answer(i)), run_time=0.8)
            self.remove(image)
            image = new_image
            self.wait(0.6)
        self.play(FadeIn(self.conclusion()), run_time=0.6)
        self.wait(1.0)

        # How sure is it? The highest output on every noise image vs on every real test digit.
        x_test, dataset_name = self.test_digits(rec)
        self.noise_confidence = net.forward(all_noise[: self.NOISE_COUNT]).max(axis=1)
        self.test_confidence = net.forward(x_test).max(axis=1)
        self.bin_edges = np.linspace(0, 1, self.BINS + 1)
        self.noise_counts = np.histogram(self.noise_confidence, self.bin_edges)[0]
        self.test_counts = np.histogram(self.test_confidence, self.bin_edges)[0]
        self.confident_share = {"noise": float(np.mean(self.noise_confidence > self.CONFIDENT)),
                                "test": float(np.mean(self.test_confidence > self.CONFIDENT))}
        n_noise, n_test = len(self.noise_confidence), len(self.test_confidence)
        noise_answers = np.bincount(net.forward(all_noise[: self.NOISE_COUNT]).argmax(axis=1), minlength=10)

        sub2 = text(f"how sure is it? its highest output (its confidence) on each of {n_noise:,} noise images "
                    f"(default_rng({self.SEED}), the {self.SAMPLES} above\nare the first) and on each of the run's "
                    f"{n_test:,} real test digits ({dataset_name}), counted in {self.BINS} bins",
                    size=16, color=MUTED, line_spacing=0.8).next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)
        top_share = max(self.noise_counts.max() / n_noise, self.test_counts.max() / n_test)
        top_share = min(1.0, math.ceil(top_share * 10) / 10)  # one share scale for both panels
        panels = [
            self.histogram(self.noise_counts, n_noise, top_share, f"{n_noise:,} random noise images", MUTED,
                           np.array([-3.55, 0.05, 0])),
            self.histogram(self.test_counts, n_test, top_share, f"{n_test:,} real test digits", POSITIVE,
                           np.array([3.45, 0.05, 0])),
        ]
        shares = []
        for (axes, *_), count, n, share in ((panels[0], self.noise_confidence, n_noise, self.confident_share["noise"]),
                                            (panels[1], self.test_confidence, n_test, self.confident_share["test"])):
            line = text(f"highest output > {self.CONFIDENT}: {int(np.sum(count > self.CONFIDENT)):,} of {n:,} "
                        f"({pct(share)})", size=18, color=HIGHLIGHT)
            shares.append(line.next_to(axes.x_axis, DOWN, buff=0.75))
        best = int(np.argmax(noise_answers))
        answers_note = text(f"its answer on the noise: {best} for {noise_answers[best]:,} of {n_noise:,}",
                            size=15, color=MUTED).next_to(shares[0], DOWN, buff=0.12)

        others = [m for m in self.mobjects if m not in (heading, sub, tag)]
        self.play(*(FadeOut(m) for m in others), Transform(sub, sub2), run_time=0.7)
        self.play(*(Create(axes) for axes, *_ in panels), *(FadeIn(Group(*rest)) for _, _, *rest in panels),
                  run_time=0.8)
        self.play(*(GrowFromEdge(b, DOWN) for _, bins, *_ in panels for b in bins), run_time=1.3)
        self.play(FadeIn(shares[0]), FadeIn(shares[1]), FadeIn(answers_note), run_time=0.6)
        self.wait(2.0)

    @staticmethod
    def test_digits(rec: Recording) -> tuple[np.ndarray, str]:
        """The run's own test set, from the data it names, checked against the recorded SHA-256."""
        from nn.data import load_dataset
        from nn.errors import UserError

        spec = str(rec.config.get("data", "default"))
        try:
            data = load_dataset(spec)
        except UserError as e:
            fail(f"{e} (RandomNoiseInput compares the noise with the test set of the run's data, {spec!r})")
        if data.sha256 != rec.meta["dataset"]["sha256"]:
            fail(f"data {spec!r} is not the data this run was tested on (SHA-256 differs from the recording's); "
                 "RandomNoiseInput needs the run's own test set")
        return data.x_test, data.name

    def histogram(self, counts: np.ndarray, n: int, top_share: float, name: str, colour, center: np.ndarray):
        """Axes (highest output 0..1 across, images up, same share scale in both panels), one bar per bin
        (bins above CONFIDENT in yellow), a dashed line at CONFIDENT and the panel's labels."""
        top = max(1, round(top_share * n))
        step = nice_step(top, 5)
        axes = Axes(x_range=[0, 1, 0.1], y_range=[0, top, step], x_length=5.4, y_length=3.0, tips=False,
                    axis_config={"color": MUTED, "font_size": 15}).move_to(center)
        axes.y_axis.add_labels({v: text(f"{round(v):,}", size=14, color=MUTED)
                                for v in np.arange(0, top + 1e-9, step) if v > 0})
        axes.x_axis.add_labels({v: text(f"{v:g}", size=15, color=MUTED) for v in (0, 0.5, self.CONFIDENT, 1)})
        bins = VGroup()
        width = axes.c2p(self.bin_edges[1], 0)[0] - axes.c2p(0, 0)[0]
        for lo, c in zip(self.bin_edges[:-1], counts):
            fill = HIGHLIGHT if lo >= self.CONFIDENT - 1e-9 else colour
            h = max(axes.c2p(0, c)[1] - axes.c2p(0, 0)[1], 0.005)
            bins.add(Rectangle(width=0.86 * width, height=h, stroke_width=0, fill_color=fill, fill_opacity=0.9)
                     .move_to(axes.c2p(lo + (self.bin_edges[1] - self.bin_edges[0]) / 2, 0), aligned_edge=DOWN))
        mark = DashedLine(axes.c2p(self.CONFIDENT, 0), axes.c2p(self.CONFIDENT, top), color=HIGHLIGHT, stroke_width=1.5)
        header = text(name, size=20, color=colour if colour != MUTED else TEXT).next_to(axes, UP, buff=0.2)
        y_name = text("images", size=14, color=MUTED).next_to(axes.y_axis, UP, buff=0.1)
        x_name = text("highest output activation", size=15, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.35)
        return axes, bins, mark, header, y_name, x_name

    def noise_picture(self, i: int):
        img = pixel_image((255 * self.noise[i].reshape(28, 28)).round().astype(np.uint8), height=2.9)
        img.move_to([-5.2, -0.2, 0])
        caption = text(f"noise image {i + 1} of {self.SAMPLES}", size=18, color=MUTED).next_to(img, DOWN, buff=0.2)
        return img, caption

    def answer(self, i: int) -> VGroup:
        out = self.outputs[i]
        top, second = np.sort(out)[::-1][:2]
        lines = VGroup(
            text(f"answer: {int(np.argmax(out))}", size=26, color=HIGHLIGHT),
            text(f"its output {fmt(top, 2)}; next highest {fmt(second, 2)}", size=16, color=MUTED),
        ).arrange(DOWN, buff=0.08)
        return lines.next_to(self.BARS_ORIGIN + RIGHT * 2.6, DOWN, buff=0.6)

    def conclusion(self) -> VGroup:
        tops = ", ".join(fmt(float(o.max()), 2) for o in self.outputs)
        lines = text(f"none of these is a digit, and the network has\nno \"not a digit\" output: it names one anyway\n"
                     f"(highest outputs: {tops})", size=18, line_spacing=0.9)
        return lines.to_corner(DOWN + LEFT, buff=0.7)
