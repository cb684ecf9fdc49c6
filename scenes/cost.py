"""Beats 1-3: the network as a function, the cost of one example, the cost of the network.

Every number is read from the recording or computed by nn/ from its weights: the probe digit and
the network's outputs on it (`probe_x`, `probe_y`, `probe_out`), the hidden activations and a few
training digits' costs (nn.examples), and the whole-training-set cost at each epoch end
(`epoch_train_cost`). CostOfOneExample ends on `digit_cost_picture(rec)`, where AverageCost
begins; AverageCost ends on `bridges.cost_function(rec)`, where the descent scenes begin.
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
    Create,
    FadeIn,
    FadeOut,
    Group,
    GrowFromEdge,
    ImageMobject,
    Indicate,
    Line,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Transform,
    TransformFromCopy,
    TransformMatchingShapes,
    TransformMatchingTex,
    VGroup,
    Write,
)

from nn.data import one_hot
from nn.errors import UserError
from nn.examples import example_costs, layer_activations, output_spread, probe_costs, training_examples
from nn.recording import Recording
from scenes.bridges import cost_function, tex_int
from scenes.narrated import NarratedScene
from scenes.run import fail, load_run
from scenes.style import (
    BALL,
    GOOD,
    HIGHLIGHT,
    MUTED,
    POSITIVE,
    SMALL,
    TEXT,
    digit_image,
    edge,
    fmt,
    neuron,
    tex,
    text,
)
from scenes.words import a_noun, class_label, class_word, label, noun, nouns, spoken_count

ROW = 0.5  # vertical distance between output rows
TOP_ROW = 2.0  # y of output 0
BAR = 1.6  # scene units for a value of 1 (activations and squared errors both lie in [0, 1])
X_INDEX, X_NEURON, X_BAR, X_VALUE = -2.45, -2.0, -1.7, 0.5
X_DESIRED, X_SQ_BAR, X_SQ_VALUE = 1.85, 2.85, 5.15
IMAGE_AT, IMAGE_HEIGHT = np.array([-5.6, -0.25, 0]), 2.0


def cost_text(c: float) -> str:
    """A cost with three significant digits in plain decimals (3.98, 0.0368, 0.000152)."""
    c = float(c)
    if c <= 0:
        return "0"
    return f"{c:.{max(0, 2 - math.floor(math.log10(c)))}f}"


def about(x: float) -> str:
    """A ratio rounded to two significant digits, for speech (19,734 -> 20,000)."""
    digits = max(0, math.floor(math.log10(x)) - 1)
    return f"{round(x, -digits):,.0f}"


def digit_costs(rec: Recording) -> tuple[float, float]:
    """Probe digit 0's cost at the first and the last snapshot."""
    return float(probe_costs(rec, 0)[0]), float(probe_costs(rec, -1)[0])


def digit_cost_picture(rec: Recording) -> Group:
    """The bridge between the two scenes: test digit 0 and its cost under the trained network."""
    image = digit_image(rec["probe_x"][0], height=2.6).move_to([-1.7, 0, 0])
    cost = tex(rf"C = {cost_text(digit_costs(rec)[1])}", size=56, color=GOOD)
    return Group(image, cost.next_to(image, RIGHT, buff=0.7))


def row_y(j: int) -> float:
    return TOP_ROW - j * ROW


def bar(value: float, x_left: float, y: float, color) -> Rectangle:
    """A horizontal bar BAR * value long, left end at x_left (a sliver when the value is ~0)."""
    r = Rectangle(width=max(BAR * float(value), 0.01), height=0.24, stroke_width=0)
    r.set_fill(color, opacity=0.9)
    return r.move_to([x_left, y, 0], aligned_edge=LEFT)


def value_tex(value: float, x_center: float, y: float, color=TEXT) -> MathTex:
    return tex(fmt(value, 3), size=28, color=color).move_to([x_center, y, 0])


def square_text(s: float) -> str:
    """A squared error with three significant digits: plain down to 0.001, then m x 10^e."""
    s = float(s)
    if s <= 0 or s >= 1e-3:
        return cost_text(s)
    mantissa, exponent = f"{s:.2e}".split("e")
    return rf"{mantissa}\times 10^{{{int(exponent)}}}"


def squares_column(a: np.ndarray, y_desired: np.ndarray) -> VGroup:
    """(a_j - y_j)^2 for each output: a bar and its value."""
    sq = (a - y_desired) ** 2
    return VGroup(*(VGroup(bar(s, X_SQ_BAR, row_y(j), BALL),
                           tex(square_text(s), size=28, color=BALL).move_to([X_SQ_VALUE, row_y(j), 0]))
                    for j, s in enumerate(sq)))


def total(c: float, color, outputs: int) -> MathTex:
    """The cost C under the table of `outputs` rows."""
    return tex(rf"C = {cost_text(c)}", size=40, color=color).move_to([X_SQ_BAR + 1.3, row_y(outputs) - 0.3, 0])


def shown_indices(n: int, x: np.ndarray | None, at_most: int) -> np.ndarray:
    """Which neurons of a layer of n are drawn: all of them, or `at_most` of them. For the input,
    pixels evenly spaced between the digit's first and last inked pixel (some ink, some blank)."""
    if n <= 16:
        return np.arange(n)
    if x is not None and np.any(x > 0):
        ink = np.flatnonzero(x > 0)
        return np.unique(np.linspace(ink[0], ink[-1], at_most).round().astype(int))
    return np.arange(at_most)


class NetworkDrawing:
    """The network drawn small, with one digit's activations under the untrained weights.

    Layers of up to 16 neurons are drawn whole; bigger ones (the 784 inputs) as a few neurons
    around a vertical ellipsis. Edges between drawn neurons are the real starting weights (blue +,
    red -). Output j sits at height row_y(j), with its index and value to its right.
    """

    def __init__(self, rec: Recording, x: np.ndarray, outputs_x: float) -> None:
        sizes, net = rec.sizes, rec.network(0)
        self.size_in = sizes[0]
        acts = layer_activations(net, x)
        xs = np.linspace(-3.9, outputs_x, len(sizes))
        mid = row_y((sizes[-1] - 1) / 2)
        self.shown = [shown_indices(n, x if layer == 0 else None, 8) for layer, n in enumerate(sizes)]
        self.empty, self.lit, self.labels, self.dots = [], [], VGroup(), VGroup()
        for layer, (n, idx) in enumerate(zip(sizes, self.shown)):
            cut = len(idx) < n
            slots = len(idx) + cut
            step = ROW if layer == len(sizes) - 1 else min(0.55, 5.2 / max(slots - 1, 1))
            ys = mid + step * ((slots - 1) / 2 - np.arange(slots))
            if cut:
                self.dots.add(tex(r"\vdots", size=30, color=MUTED).move_to([xs[layer], ys[len(idx) // 2], 0]))
                ys = np.delete(ys, len(idx) // 2)
            radius = 0.15 if layer in (0, len(sizes) - 1) else 0.11
            self.empty.append(VGroup(*(neuron(radius).move_to([xs[layer], y, 0]) for y in ys)))
            self.lit.append(VGroup(*(neuron(radius, acts[layer][i]).move_to([xs[layer], y, 0])
                                     for i, y in zip(idx, ys))))
            name = {0: f"{n} pixels", len(sizes) - 1: f"{n} outputs"}.get(layer, str(n))
            self.labels.add(text(name, size=SMALL, color=MUTED).move_to([xs[layer], row_y(sizes[-1]) - 0.3, 0]))
        self.edges = []
        for layer, w in enumerate(net.weights):
            scale = float(np.percentile(np.abs(w), 95))
            self.edges.append(VGroup(*(edge(a, b, w[j, i], scale, max_width=2.0)
                                       for j, b in zip(self.shown[layer + 1], self.empty[layer + 1])
                                       for i, a in zip(self.shown[layer], self.empty[layer]))))
        # names longer than a digit or two go right of the values, where there is room
        wide = max(len(name) for name in rec.classes) > 2
        self.outputs = VGroup(*(VGroup(
            class_label(rec, j, SMALL, MUTED, 1.2).move_to([outputs_x + 1.5, c.get_y(), 0], aligned_edge=LEFT) if wide
            else text(rec.classes[j], size=SMALL, color=MUTED).next_to(c, RIGHT, buff=0.2),
            c, value_tex(a, outputs_x + 1.0, c.get_y())) for j, (c, a) in enumerate(zip(self.lit[-1], acts[-1]))))

    def feeds(self, image: ImageMobject) -> VGroup:
        """Thin lines from each drawn input pixel in the digit's image to its input neuron."""
        side = int(round(math.sqrt(self.size_in)))
        cell = image.height / side
        corner = image.get_corner(UP + LEFT)
        return VGroup(*(Line(corner + [(p % side + 0.5) * cell, -(p // side + 0.5) * cell, 0], c.get_left(),
                             stroke_width=1.5, color=TEXT, stroke_opacity=0.6)
                        for p, c in zip(self.shown[0], self.empty[0])))


class CostOfOneExample(NarratedScene):
    """Beat 1: a real digit through the network; beat 2: its outputs, the desired ones, the cost."""

    def construct(self) -> None:
        self.rec = load_run()
        rec = self.rec
        self.label = int(rec["probe_y"][0])
        self.y_desired = one_hot(rec["probe_y"][:1], rec.sizes[-1])[0]
        self.image = digit_image(rec["probe_x"][0], height=IMAGE_HEIGHT).move_to(IMAGE_AT)
        self.where_we_left_off()
        self.cost_of_one_example()
        self.trained_cost()

    # -- beat 1 ---------------------------------------------------------------------------

    def where_we_left_off(self) -> None:
        rec, sizes = self.rec, self.rec.sizes
        n_params = int(rec["params"].shape[1])
        net = self.net = NetworkDrawing(rec, rec["probe_x"][0], outputs_x=1.7)
        hidden = " and ".join(str(s) for s in sizes[1:-1])
        counts = VGroup(tex(tex_int(n_params), size=52, color=HIGHLIGHT), text("weights and biases", size=SMALL))
        counts.arrange(DOWN, buff=0.15).move_to([4.7, 0.2, 0])
        feeds = net.feeds(self.image)
        self.add(self.image, *net.empty, net.dots)
        with self.say(f"Last time: a network that reads {a_noun(rec)} and guesses which "
                      f"{class_word(rec)} it is.") as line:
            self.play(Create(VGroup(*net.edges), lag_ratio=0.002), run_time=line.duration)
        with self.say(f"Here is a real test {noun(rec)}. Its {sizes[0]} pixels go in on the left.") as line:
            self.play(Create(feeds, lag_ratio=0.1), FadeIn(net.labels[0]), run_time=line.duration * 0.5)
            self.play(ReplacementTransform(net.empty[0], net.lit[0]), FadeOut(feeds), run_time=line.duration * 0.5)
        with self.say(f"They flow through hidden layers of {hidden} neurons, and {sizes[-1]} numbers come "
                      f"out, one for each {class_word(rec)}.") as line:
            steps = len(net.lit) - 1
            for layer in range(1, len(net.lit)):
                extra = [FadeIn(VGroup(*(r[::2] for r in net.outputs)))] if layer == steps else []
                self.play(ReplacementTransform(net.empty[layer], net.lit[layer]), FadeIn(net.labels[layer]),
                          *extra, run_time=line.duration / steps)
            self.remove(net.lit[-1])  # the output neurons live on in net.outputs, with their index and value
            self.add(net.outputs)
        with self.say(f"Only {len(net.shown[0])} inputs are drawn. The edges are the real starting weights, "
                      f"blue positive, red negative.") as line:
            self.play(Indicate(net.lit[0], color=HIGHLIGHT), run_time=line.duration)
        with self.say(f"Each edge is a weight, each neuron has a bias: {n_params:,} numbers in all.") as line:
            self.play(FadeIn(counts, shift=UP * 0.2), run_time=line.duration)
        with self.say(f"So the network is a function: pixels in, {spoken_count(sizes[-1])} numbers out, its "
                      "behaviour set by those weights.") as line:
            self.play(Indicate(net.outputs, color=HIGHLIGHT, scale_factor=1.05), run_time=line.duration)
        self.hold()
        self.counts = counts

    # -- beat 2 ---------------------------------------------------------------------------

    def cost_of_one_example(self) -> None:
        net, a0 = self.net, self.rec["probe_out"][0][0]
        rows = self.table_rows(a0)
        head_y = TOP_ROW + 0.5
        a_head = tex("a_j", size=42, color=POSITIVE).move_to([X_VALUE, head_y, 0])
        with self.say(f"With random weights, these {spoken_count(len(a0))} outputs mean almost nothing.") as line:
            self.play(FadeOut(VGroup(*net.edges, *net.lit[:-1], *net.labels, net.dots, self.counts)),
                      run_time=line.duration * 0.4)
            self.play(ReplacementTransform(net.outputs, VGroup(*(r[:3] for r in rows))), FadeIn(a_head),
                      run_time=line.duration * 0.4)
            self.play(*(GrowFromEdge(r[3], LEFT) for r in rows), run_time=line.duration * 0.2)
        self.rows = rows
        desired_head = tex(r"y_j", size=42, color=GOOD).move_to([X_DESIRED, head_y, 0])
        desired = VGroup(*(tex(f"{int(v)}", size=28, color=GOOD if v else MUTED).move_to([X_DESIRED, row_y(j), 0])
                           for j, v in enumerate(self.y_desired)))
        with self.say(f"We wanted output {label(self.rec, self.label)} to be one, and every other output to be "
                      f"zero.") as line:
            self.play(FadeIn(desired_head), FadeIn(desired, lag_ratio=0.1), run_time=line.duration)
        sq_head = MathTex("(a_j - y_j)^2", font_size=38, color=BALL).move_to([X_SQ_BAR + 1.3, head_y, 0])
        squares = squares_column(a0, self.y_desired)
        with self.say("For each output, square its difference from what we wanted.") as line:
            self.play(Write(sq_head), run_time=line.duration * 0.3)
            self.play(FadeIn(squares, lag_ratio=0.15), run_time=line.duration * 0.7)
        biggest = int(np.argmax((a0 - self.y_desired) ** 2))
        with self.say("Squaring makes big misses count far more than small ones.") as line:
            self.play(Indicate(squares[biggest], color=HIGHLIGHT), run_time=line.duration)
        formula = MathTex("C", "=", rf"\sum_{{j=0}}^{{{len(a0) - 1}}}", "(a_j - y_j)^2", font_size=44)
        formula.move_to([-4.9, 2.4, 0])  # above the digit: the table fills the rest
        rule_y = row_y(len(a0) - 1) - ROW / 2 - 0.02
        rule = Line([X_SQ_BAR, rule_y, 0], [X_SQ_VALUE + 0.5, rule_y, 0], color=MUTED, stroke_width=2)
        c0 = digit_costs(self.rec)[0]
        cost = total(c0, HIGHLIGHT, len(self.y_desired))
        with self.say(f"Add up all {len(a0)} squares. That sum is the cost of this one example.") as line:
            lifted = sq_head.copy()
            self.add(lifted)
            # up over the column headers first, so the moving formula never crosses them
            self.play(lifted.animate.shift(UP * 0.75), run_time=line.duration * 0.15)
            self.play(TransformMatchingTex(lifted, formula), run_time=line.duration * 0.4)
            self.play(FadeIn(rule), Write(cost), run_time=line.duration * 0.45)
        with self.say(f"With untrained weights, this {noun(self.rec)}'s cost is {c0:.2f}: very wrong.") as line:
            self.play(Indicate(cost, color=HIGHLIGHT), run_time=line.duration)
        self.hold()
        self.squares, self.cost, self.table = squares, cost, VGroup(a_head, desired_head, desired, sq_head, rule,
                                                                     formula)

    def table_rows(self, a: np.ndarray) -> list[VGroup]:
        """Per output: its index, its neuron (fill = activation), its value, its bar."""
        rows = []
        for j, value in enumerate(a):
            y = row_y(j)
            name = class_label(self.rec, j, SMALL, MUTED, 1.6)
            rows.append(VGroup(name.move_to([X_INDEX, y, 0]) if name.width < 0.5 else
                               name.move_to([X_INDEX + 0.2, y, 0], aligned_edge=RIGHT),
                               neuron(0.15, value).move_to([X_NEURON, y, 0]), value_tex(value, X_VALUE, y),
                               bar(value, X_BAR, y, POSITIVE)))
        return rows

    def trained_cost(self) -> None:
        rec = self.rec
        c0, c1 = digit_costs(rec)
        a1 = rec["probe_out"][-1][0]
        epochs = rec["snap_epoch"][-1]
        rows, squares = self.table_rows(a1), squares_column(a1, self.y_desired)
        cost = total(c1, GOOD, len(self.y_desired))
        old = tex(cost_text(c0), size=40, color=MUTED).next_to(cost, LEFT, buff=0.5)
        with self.say(f"Now the same {noun(rec)}, after {epochs:g} epochs of training.") as line:
            # shapes morph; numbers cross-fade whole (a digit-by-digit morph reads as garbage)
            self.play(*(ReplacementTransform(r[i], new[i]) for r, new in zip(self.rows, rows) for i in (0, 1, 3)),
                      *(ReplacementTransform(s[0], new[0]) for s, new in zip(self.squares, squares)),
                      *(FadeOut(r[2]) for r in self.rows), *(FadeOut(s[1]) for s in self.squares),
                      *(FadeIn(r[2]) for r in rows), *(FadeIn(s[1]) for s in squares),
                      ReplacementTransform(self.cost[0][2:], old[0]), FadeOut(self.cost[0][:2]), FadeIn(cost),
                      run_time=line.duration)
        self.rows, self.squares, self.cost = rows, squares, cost
        change = (f"about {about(c0 / c1)} times smaller" if 0 < c1 < c0 else "not smaller at all")
        with self.say(f"Its cost is now {change}.") as line:
            self.play(Indicate(self.cost, color=HIGHLIGHT), run_time=line.duration)
        self.hold()
        picture = digit_cost_picture(rec)
        with self.say(f"So one number says how wrong the network is on one {noun(rec)}.") as line:
            self.play(FadeOut(VGroup(*self.rows, self.squares, self.table, old)), run_time=line.duration * 0.4)
            self.play(Transform(self.image, picture[0]), ReplacementTransform(self.cost, picture[1]),
                      run_time=line.duration * 0.6)
        self.remove(self.image)
        self.add(picture)
        self.final_picture = picture
        self.hold()


class AverageCost(NarratedScene):
    """Beat 3: the cost of the network is the average over the training digits, a function of its weights."""

    SHOWN = 5  # training digits drawn with their own cost

    def construct(self) -> None:
        self.rec = load_run()
        self.picture = digit_cost_picture(self.rec)
        self.add(self.picture)
        self.average_of_a_few()
        self.average_of_all()
        self.function_of_the_weights()

    def average_of_a_few(self) -> None:
        rec = self.rec
        try:
            first = training_examples(rec, self.SHOWN, snapshot=0)
        except UserError as e:  # data missing or changed: one clear line, no traceback
            fail(f"cannot read this run's training {nouns(rec)}: {e}")
        last = example_costs(rec.network(-1), first.x, first.labels)
        shown = len(first.labels)
        self.examples, self.last_costs = first, last
        images = Group(*(digit_image(x, height=1.3) for x in first.x)).arrange(RIGHT, buff=0.6).move_to([0.7, 1.9, 0])
        self.images = images
        with self.say(f"One {noun(rec)}, one cost. But a network must do well on every {noun(rec)} it learns "
                      "from.") as line:
            self.play(Indicate(self.picture[1], color=HIGHLIGHT), run_time=line.duration)
        with self.say(f"That was a test {noun(rec)}, kept apart. Training uses other {nouns(rec)}, like these "
                      f"{shown}.") as line:
            corner = self.picture.copy().scale(0.45).to_corner(UP + LEFT, buff=0.3)
            label = text("test", size=SMALL, color=MUTED).next_to(corner, DOWN, buff=0.1)
            self.play(Transform(self.picture, corner), FadeIn(label), run_time=line.duration * 0.35)
            self.play(FadeIn(images, lag_ratio=0.2), run_time=line.duration * 0.65)
        self.test = Group(self.picture, label)
        self.cells = VGroup(*(tex(cost_text(c), size=32, color=BALL).next_to(img, DOWN, buff=0.2)
                              for c, img in zip(first.costs, images)))
        with self.say("Each has its own cost under the untrained weights.") as line:
            self.play(FadeIn(self.cells, lag_ratio=0.2), run_time=line.duration)
        spread = output_spread(rec.network(0), first.x)
        if spread < 0.01:  # true of a freshly initialised sigmoid network: say it only when the data shows it
            with self.say(f"Untrained, the outputs barely depend on the input: across these {shown} {nouns(rec)} "
                          f"no output moves by more than {spread:.3f}.") as line:
                self.play(Indicate(self.cells, color=HIGHLIGHT, scale_factor=1.05), run_time=line.duration)
        parts = [rf"\tfrac{{1}}{{{shown}}}\big("]
        for i, c in enumerate(first.costs):
            parts += ([] if i == 0 else ["+"]) + [cost_text(c)]
        mean = float(first.costs.mean())
        parts += [r"\big)", "=", cost_text(mean)]
        self.few = MathTex(*parts, font_size=40).move_to([0, -0.6, 0])
        numbers = [self.few[1 + 2 * i] for i in range(shown)]
        rest = VGroup(*(m for i, m in enumerate(self.few) if not (i % 2 and i < 2 * shown)))
        with self.say(f"Add the {shown} costs and divide by {shown}: their average is {mean:.2f}.") as line:
            self.play(*(TransformFromCopy(c, n) for c, n in zip(self.cells, numbers)), FadeIn(rest),
                      run_time=line.duration)
        self.hold()

    def average_of_all(self) -> None:
        rec = self.rec
        n = self.examples.train_size
        c_first, c_last = float(rec["epoch_train_cost"][0]), float(rec["epoch_train_cost"][-1])
        mean = MathTex("C", "=", rf"\frac{{1}}{{{tex_int(n)}}}", r"\sum_{x}", "C_x", "=", font_size=48)
        value = tex(cost_text(c_first), size=48, color=HIGHLIGHT).next_to(mean, RIGHT, buff=0.2)
        first_value = value.get_tex_string()
        VGroup(mean, value).move_to([0, -0.8, 0])
        with self.say(f"The network's cost is the same average, taken over all {n:,} training "
                      f"{nouns(rec)}.") as line:
            self.play(FadeOut(self.few, shift=UP * 0.4), run_time=line.duration * 0.4)
            self.play(FadeIn(mean, shift=UP * 0.4), run_time=line.duration * 0.6)
        with self.say(f"Before any training, the recorded average was {c_first:.2f}.") as line:
            self.play(Write(value), run_time=line.duration)
        epochs = self.rec.epochs_done
        after = tex(cost_text(c_last), size=48, color=GOOD).move_to(value, aligned_edge=LEFT)
        cells = VGroup(*(tex(cost_text(c), size=32, color=GOOD).move_to(cell)
                         for c, cell in zip(self.last_costs, self.cells)))
        with self.say(f"After {epochs} epochs, every cost has shrunk; the average over all {n:,} is now "
                      f"{c_last:.2g}.") as line:
            self.play(FadeOut(self.cells), FadeIn(cells), run_time=line.duration * 0.5)
            self.play(FadeOut(value), FadeIn(after), run_time=line.duration * 0.5)
        self.cells, value = cells, after
        self.hold()
        self.mean, self.shown_train_costs = VGroup(mean, value), (first_value, value.get_tex_string())

    def function_of_the_weights(self) -> None:
        rec = self.rec
        sizes, n_params = rec.sizes, int(rec["params"].shape[1])
        network = io_box("network", tex_int(sizes[0]), tex_int(sizes[-1]), f"{n_params:,} parameters", POSITIVE)
        cost = io_box("C", tex_int(n_params), "1", "", BALL)
        VGroup(network, cost).arrange(RIGHT, buff=1.6).move_to([0, 0.3, 0])
        with self.say(f"The network takes {sizes[0]} pixels in and gives {sizes[-1]} numbers out, set by "
                      f"{n_params:,} weights and biases.") as line:
            self.play(FadeOut(Group(self.images, self.cells, self.test)),
                      self.mean.animate.scale(0.75).move_to([cost.get_x(), 2.3, 0]), run_time=line.duration * 0.35)
            self.play(FadeIn(network), run_time=line.duration * 0.35)
            self.play(Indicate(network[-1], color=HIGHLIGHT), run_time=line.duration * 0.3)
        with self.say(f"The cost turns this around: {n_params:,} weights and biases in, one number out.") as line:
            self.play(ReplacementTransform(self.mean[0][0], cost[0]), FadeOut(VGroup(self.mean[0][1:], self.mean[1])),
                      FadeIn(cost[1:]), run_time=line.duration)
        goal = text("learning = making this number small", size=SMALL + 4, color=HIGHLIGHT)
        goal.next_to(cost, DOWN, buff=0.6)
        with self.say("Learning means finding the weights that make this one number small.") as line:
            self.play(cost[5].animate.set_color(HIGHLIGHT), FadeIn(goal, shift=UP * 0.2), run_time=line.duration)
        self.hold()
        final = cost_function(rec)
        with self.say(f"From now on, we write the cost as a function of all {n_params:,} of them.") as line:
            self.play(FadeOut(VGroup(network, goal, *cost[1:])), run_time=line.duration * 0.4)
            self.play(TransformMatchingShapes(cost[0], final), run_time=line.duration * 0.6)
        self.hold()


def io_box(name: str, n_in: str, n_out: str, note: str, color) -> VGroup:
    """[label, box, in-arrow, in-count, out-arrow, out-count, note]: a function drawn as a box."""
    label = MathTex("C", font_size=56) if name == "C" else text(name, size=30)
    box = Rectangle(width=2.4, height=1.3, color=color)
    label.move_to(box)
    arrow_in = Arrow(box.get_left() + LEFT * 1.4, box.get_left(), buff=0.05, color=MUTED)
    arrow_out = Arrow(box.get_right(), box.get_right() + RIGHT * 1.0, buff=0.05, color=MUTED)
    count_in = tex(n_in, size=36).next_to(arrow_in, UP, buff=0.1)
    count_out = tex(n_out, size=36).next_to(arrow_out, UP, buff=0.1)
    note_mob = text(note, size=SMALL, color=MUTED).next_to(box, DOWN, buff=0.3) if note else VGroup()
    return VGroup(label, box, arrow_in, count_in, arrow_out, count_out, note_mob)
