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
    PI,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    FadeTransform,
    Group,
    GrowFromEdge,
    Indicate,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformMatchingTex,
    VGroup,
    Write,
)

from nn.errors import UserError
from nn.examples import example_costs, output_spread, probe_costs, training_examples
from scenes.blocks.network import NetworkDiagram, inked_pixels
from scenes.blocks.verdict import DigitVerdict, cost_text, row_y, value_tex
from scenes.bridges import cost_function, tex_int
from scenes.cost_parts import FunctionBox, OutputChart, colour_key, digit_cost_picture, state_label
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
    fmt,
    tex,
    text,
)
from scenes.words import a_noun, class_word, label, noun, nouns, spoken_count


def about(x: float) -> str:
    """A ratio rounded to two significant digits, for speech (19,734 -> 20,000)."""
    digits = max(0, math.floor(math.log10(x)) - 1)
    return f"{round(x, -digits):,.0f}"


class CostOfOneExample(NarratedScene):
    """Beat 1: a real digit through the network; beat 2: its outputs, the desired ones, the cost.

    Built from the blocks NetworkDiagram (the network at the first snapshot, lit by the digit) and
    DigitVerdict (the digit's outputs and cost, untrained then trained)."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.before, self.after = DigitVerdict(rec, 0, snapshot=0, color=HIGHLIGHT), DigitVerdict(rec, 0, snapshot=-1)
        self.label = int(rec["probe_y"][0])
        self.image = self.before.image
        self.where_we_left_off()
        self.cost_of_one_example()
        self.trained_cost()

    # -- beat 1 ---------------------------------------------------------------------------

    def where_we_left_off(self) -> None:
        rec, sizes = self.rec, self.rec.sizes
        n_params = int(rec["params"].shape[1])
        x = rec["probe_x"][0]
        net = self.net = NetworkDiagram(rec, snapshot=0, digit=x, inputs=inked_pixels(x, 8), width=6.0, height=4.5)
        net.shift([-0.5, row_y((sizes[-1] - 1) / 2), 0])  # output j at the height of the table's row j
        out_x = net.neurons[-1].get_x()
        if max(len(name) for name in rec.classes) > 2:  # class names go right of the values, where there is room
            for name, c in zip(net.out_labels, net.neurons[-1]):
                name.move_to([out_x + 1.5, c.get_y(), 0], aligned_edge=LEFT)
        hidden = " and ".join(str(s) for s in sizes[1:-1])
        counts = VGroup(tex(tex_int(n_params), size=52, color=HIGHLIGHT), text("weights and biases", size=SMALL))
        counts.arrange(DOWN, buff=0.15).move_to([5.4, 0.2, 0])
        feeds = net.feeds(self.image)
        dark = net.dark()
        values = VGroup(*(value_tex(a, out_x + 1.0, c.get_y())
                          for a, c in zip(net.outputs(), net.neurons[-1])))
        if counts.get_left()[0] < net.out_labels.get_right()[0] + 0.3:  # long class names: above the outputs
            counts.next_to(VGroup(values, net.out_labels), UP, buff=0.35)
        self.add(self.image, *dark, net.dots)
        with self.say(f"Last time: a network that reads {a_noun(rec)} and guesses which "
                      f"{class_word(rec)} it is.") as line:
            self.add(net.edges)
            self.bring_to_back(net.edges)
            self.play(Create(net.edges, lag_ratio=0.002), run_time=line.duration)
        with self.say(f"Here is a real test {noun(rec)}. Its {sizes[0]} pixels go in on the left.") as line:
            self.play(Create(feeds, lag_ratio=0.1), FadeIn(net.labels[0]), run_time=line.duration * 0.5)
            self.play(ReplacementTransform(dark[0], net.neurons[0]), FadeOut(feeds), run_time=line.duration * 0.5)
        with self.say(f"They flow through hidden layers of {hidden} neurons, and {sizes[-1]} numbers come "
                      f"out, one for each {class_word(rec)}.") as line:
            steps = len(dark) - 1
            for layer in range(1, len(dark)):
                extra = [FadeIn(net.out_labels), FadeIn(values)] if layer == steps else []
                self.play(ReplacementTransform(dark[layer], net.neurons[layer]), FadeIn(net.labels[layer]),
                          *extra, run_time=line.duration / steps)
        outputs = VGroup(*(VGroup(*parts) for parts in zip(net.out_labels, net.neurons[-1], values)))
        self.key = colour_key().scale(0.85).move_to([self.image.get_x(), self.image.get_top()[1] + 0.75, 0])
        self.key.shift(RIGHT * max(0.0, -6.6 - self.key.get_left()[0]))  # clear of the frame's left edge
        with self.say(f"Only {len(net.shown[0])} inputs are drawn. The edges are the real starting weights, "
                      f"blue positive, red negative.") as line:
            self.play(Indicate(net.neurons[0], color=HIGHLIGHT), run_time=line.duration * 0.5)
            self.play(FadeIn(self.key, shift=UP * 0.2), run_time=line.duration * 0.5)
        with self.say(f"Each edge is a weight, each neuron has a bias: {n_params:,} numbers in all.") as line:
            self.play(FadeIn(counts, shift=UP * 0.2), run_time=line.duration)
        with self.say(f"So the network is a function: pixels in, {spoken_count(sizes[-1])} numbers out, its "
                      "behaviour set by those weights.") as line:
            self.play(Indicate(outputs, color=HIGHLIGHT, scale_factor=1.05), run_time=line.duration)
        self.hold()
        self.counts, self.outputs = counts, outputs

    # -- beat 2 ---------------------------------------------------------------------------

    def cost_of_one_example(self) -> None:
        net, v = self.net, self.before
        rows = v.rows
        with self.say(f"With random weights, these {spoken_count(len(v.outputs))} outputs mean almost nothing."
                      ) as line:
            self.play(FadeOut(VGroup(net.edges, *net.neurons[:-1], net.labels, net.dots, self.counts, self.key)),
                      run_time=line.duration * 0.4)
            self.state = state_label("untrained", self.image, HIGHLIGHT)
            self.play(ReplacementTransform(self.outputs, VGroup(*(r[:3] for r in rows))), FadeIn(v.a_head),
                      FadeIn(v.a_name), FadeIn(self.state), run_time=line.duration * 0.4)
            self.play(*(GrowFromEdge(r[3], LEFT) for r in rows), run_time=line.duration * 0.2)
        with self.say(f"We wanted output {label(self.rec, self.label)} to be one, and every other output to be "
                      f"zero.") as line:
            self.play(FadeIn(v.desired_head), FadeIn(v.desired_name), FadeIn(v.desired, lag_ratio=0.1),
                      run_time=line.duration)
        with self.say("For each output, square its difference from what we wanted.") as line:
            self.play(Write(v.sq_head), run_time=line.duration * 0.3)
            self.play(LaggedStart(*(FadeIn(sq) for sq in v.squares), lag_ratio=0.15), run_time=line.duration * 0.7)
        misses = (v.outputs - v.wanted) ** 2
        biggest, smallest = int(np.argmax(misses)), int(np.argmin(misses))
        # the biggest miss and the smallest, side by side: outlined together, their squares written out
        boxes = VGroup(*(SurroundingRectangle(VGroup(v.rows[j], v.squares[j]), color=HIGHLIGHT, buff=0.06,
                                              stroke_width=2.5) for j in (biggest, smallest)))
        worked = MathTex(*(rf"({fmt(v.outputs[j], 3)} - {v.wanted[j]:.0f})^2 = {cost_text(misses[j])}"
                           for j in (biggest, smallest)), font_size=32, color=HIGHLIGHT)
        worked.arrange(RIGHT, buff=0.6).move_to([1.4, row_y(len(v.outputs)) - 0.3, 0])
        versus = text("vs", size=SMALL, color=MUTED).move_to((worked[0].get_right() + worked[1].get_left()) / 2)
        with self.say("Squaring makes big misses count far more than small ones.") as line:
            self.play(Create(boxes, lag_ratio=0), FadeIn(worked), FadeIn(versus), run_time=line.duration * 0.5)
        self.worked = VGroup(boxes, worked, versus)
        with self.say(f"Add up all {len(v.outputs)} squares. That sum is the cost of this one example.") as line:
            lifted = v.sq_head.copy()
            self.add(lifted)
            # up over the column headers, across above them, then down into the formula: it never crosses them
            self.play(lifted.animate.shift(UP * 0.7), FadeOut(self.worked), run_time=line.duration * 0.1)
            self.play(lifted.animate.set_x(v.formula[-1].get_x()), run_time=line.duration * 0.2)
            self.play(TransformMatchingTex(lifted, v.formula), run_time=line.duration * 0.25)
            self.play(FadeIn(v.rule), FadeIn(v.cost), run_time=line.duration * 0.45)
        self.scale_note = text("0 = perfect", size=SMALL + 6, color=TEXT).next_to(v.cost, LEFT, buff=0.6)
        with self.say(f"With untrained weights, this {noun(self.rec)}'s cost is {v.value:.2f}: very wrong.") as line:
            self.play(FadeIn(self.scale_note, shift=RIGHT * 0.2), run_time=line.duration * 0.3)
            self.play(Indicate(v.cost, color=HIGHLIGHT), run_time=line.duration * 0.7)
        self.hold()
        self.rows, self.squares, self.cost = rows, v.squares, v.cost
        self.table = VGroup(v.a_head, v.a_name, v.desired_head, v.desired_name, v.desired, v.sq_head, v.rule,
                            v.formula)

    def trained_cost(self) -> None:
        rec, v = self.rec, self.after
        c0, c1 = self.before.value, v.value
        epochs = rec["snap_epoch"][-1]
        rows, squares, cost = v.rows, v.squares, v.cost
        old = tex(cost_text(c0), size=40, color=MUTED).next_to(cost, LEFT, buff=2.9)  # room for the ratio under it
        arrow = Arrow(old.get_right(), cost.get_left(), buff=0.2, color=MUTED, stroke_width=3)
        state = state_label(f"trained, {epochs:g} epochs", self.image, GOOD)
        with self.say(f"Now the same {noun(rec)}, after {epochs:g} epochs of training.") as line:
            # the old numbers leave whole before the new ones come: numbers never cross-fade in place
            self.play(*(ReplacementTransform(r[i], new[i]) for r, new in zip(self.rows, rows) for i in (0, 1, 3)),
                      *(ReplacementTransform(s[0], new[0]) for s, new in zip(self.squares, squares)),
                      *(FadeOut(r[2]) for r in self.rows), *(FadeOut(s[1]) for s in self.squares),
                      FadeOut(self.cost), FadeOut(self.scale_note), FadeOut(self.state), run_time=line.duration * 0.5)
            # the old cost comes back, muted, as the start of the arrow: faded, never morphed
            self.play(*(FadeIn(r[2]) for r in rows), *(FadeIn(s[1]) for s in squares), FadeIn(cost), FadeIn(old),
                      GrowFromEdge(arrow, LEFT), FadeIn(state), run_time=line.duration * 0.5)
        self.rows, self.squares, self.cost, self.state = rows, squares, cost, state
        change = (f"about {about(c0 / c1)} times smaller" if 0 < c1 < c0 else "not smaller at all")
        notes = VGroup(old, arrow)
        with self.say(f"Its cost is now {change}.") as line:
            if 0 < c1 < c0:
                ratio = tex(rf"\approx {about(c0 / c1).replace(',', '{,}')}\times\ \text{{smaller}}", size=28,
                            color=HIGHLIGHT).next_to(arrow, DOWN, buff=0.05)
                notes.add(ratio)
                self.play(FadeIn(ratio, shift=RIGHT * 0.2), Indicate(self.cost, color=HIGHLIGHT),
                          run_time=line.duration)
            else:
                self.play(Indicate(self.cost, color=HIGHLIGHT), run_time=line.duration)
        self.hold()
        picture = digit_cost_picture(rec)
        with self.say(f"So one number says how wrong the network is on one {noun(rec)}.") as line:
            # the table folds into its cost, then the digit and its cost become the next scene's picture
            table = VGroup(*self.rows, self.squares, self.table, notes)
            self.play(FadeOut(table, target_position=self.cost.get_center(), scale=0.05), run_time=line.duration * 0.4)
            self.play(Transform(self.image, picture[0]), ReplacementTransform(self.cost, picture[1]),
                      FadeOut(self.state), run_time=line.duration * 0.6)
        self.remove(self.image)
        self.add(picture)
        self.final_picture = picture
        self.hold()


class AverageCost(NarratedScene):
    """Beat 3: the cost of the network is the average over the training digits, a function of its weights."""

    SHOWN = 5  # training digits drawn with their outputs and their own cost

    def construct(self) -> None:
        self.rec = load_run()
        self.picture = digit_cost_picture(self.rec)
        self.was = None  # the test digit's untrained cost, when same_as_the_test shows it
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
        images = Group(*(digit_image(x, height=1.4) for x in first.x)).arrange(RIGHT, buff=0.75).move_to([0.9, 2.25, 0])
        self.images = images
        with self.say(f"One {noun(rec)}, one cost. But a network must do well on every {noun(rec)} it learns "
                      "from.") as line:
            self.play(Indicate(self.picture[1], color=HIGHLIGHT), run_time=line.duration)
        with self.say(f"That was a test {noun(rec)}, kept apart. Training uses other {nouns(rec)}, like these "
                      f"{shown}.") as line:
            # set aside inside the safe area, without its trained cost (the costs here are untrained)
            corner = self.picture[0].copy().scale(0.45).move_to([-5.7, 2.5, 0])
            tag = text("test", size=SMALL, color=MUTED).next_to(corner, DOWN, buff=0.1)
            self.play(Transform(self.picture[0], corner), FadeOut(self.picture[1]), FadeIn(tag),
                      run_time=line.duration * 0.35)
            self.play(FadeIn(images, lag_ratio=0.2), run_time=line.duration * 0.65)
        self.test = Group(self.picture[0], tag)
        outputs = rec.network(0).forward(first.x)
        charts = VGroup(*(OutputChart(a, int(y), img.get_x()) for a, y, img in zip(outputs, first.labels, images)))
        names = VGroup(text("outputs", size=SMALL, color=POSITIVE),
                       text("wanted 1", size=SMALL, color=GOOD)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        names.move_to([-5.7, 0.35, 0])
        spread = output_spread(rec.network(0), first.x)
        if spread < 0.01:  # true of a freshly initialised sigmoid network: say it only when the data shows it
            first_line = (f"Untrained, the outputs barely depend on the input: across these {shown} {nouns(rec)} "
                          f"no output moves by more than {spread:.3f}.")
        else:
            first_line = f"Here are the untrained network's {spoken_count(rec.sizes[-1])} outputs for each of them."
        with self.say(first_line) as line:
            self.play(*(GrowFromEdge(c.bars, DOWN) for c in charts), FadeIn(names[0]), run_time=line.duration)
        self.cells = VGroup(*(tex(cost_text(c), size=36, color=BALL).move_to([img.get_x(), -0.85, 0])
                              for c, img in zip(first.costs, images)))
        self.tag = text("untrained", size=SMALL, color=MUTED).move_to([names.get_x(), self.cells.get_y(), 0])
        with self.say("Each has its own cost, because each wants a different output to be one.") as line:
            self.play(*(Create(c.want) for c in charts), FadeIn(names[1]), run_time=line.duration * 0.5)
            self.play(LaggedStart(*(FadeIn(c) for c in self.cells), lag_ratio=0.3), FadeIn(self.tag),
                      run_time=line.duration * 0.5)
        self.charts = VGroup(charts, names)
        self.same_as_the_test(first)
        self.sum_of_a_few(first)

    def same_as_the_test(self, first) -> None:
        """The training item with the test item's label costs what the test item cost: only y differs."""
        rec = self.rec
        test_cost = cost_text(probe_costs(rec, 0)[0])
        twins = [i for i, (y, c) in enumerate(zip(first.labels, first.costs))
                 if y == rec["probe_y"][0] and cost_text(c) == test_cost]
        if not twins:  # say it only where the recording shows it
            return
        name = label(rec, int(rec["probe_y"][0]))
        was = tex(test_cost, size=30, color=BALL).next_to(self.test, DOWN, buff=0.2)
        self.test.add(was)
        self.was = was
        with self.say(f"The training {name} wants the same answer as our test {name}, so it costs the same "
                      f"{test_cost}.") as line:
            self.play(FadeIn(was), run_time=line.duration * 0.3)
            self.play(Indicate(VGroup(was, self.cells[twins[0]]), color=HIGHLIGHT, scale_factor=1.0),
                      run_time=line.duration * 0.7)

    def sum_of_a_few(self, first) -> None:
        shown = len(first.labels)
        parts = [rf"\tfrac{{1}}{{{shown}}}\big("]
        for i, c in enumerate(first.costs):
            parts += ([] if i == 0 else ["+"]) + [cost_text(c)]
        mean = float(first.costs.mean())
        parts += [r"\big)", "=", cost_text(mean)]
        self.few = MathTex(*parts, font_size=46).move_to([0.4, -2.3, 0])
        numbers = [self.few[1 + 2 * i].set_color(BALL) for i in range(shown)]
        rest = VGroup(*(m for i, m in enumerate(self.few) if not (i % 2 and i < 2 * shown)))
        # clean copies of the costs move into the sum (the same glyphs moved and scaled: no morphing)
        copies = [c.copy() for c in self.cells]
        with self.say(f"Add the {shown} costs and divide by {shown}: their average is {mean:.2f}.") as line:
            self.play(*(c.animate.scale(n.height / c.height).move_to(n) for c, n in zip(copies, numbers)),
                      FadeIn(rest[:-2]), run_time=line.duration * 0.6)
            self.remove(*copies)
            self.add(*numbers)
            self.play(FadeIn(rest[-2:]), run_time=line.duration * 0.4)
        self.hold()

    def average_of_all(self) -> None:
        rec = self.rec
        n = self.examples.train_size
        c_first, c_last = float(rec["epoch_train_cost"][0]), float(rec["epoch_train_cost"][-1])
        mean = MathTex("C", "=", rf"\frac{{1}}{{{tex_int(n)}}}", r"\sum_{x}", "C_x", "=", font_size=50)
        value = tex(cost_text(c_first), size=50, color=HIGHLIGHT).next_to(mean, RIGHT, buff=0.2)
        first_value = value.get_tex_string()
        VGroup(mean, value).move_to([0.4, -2.35, 0])
        where = text(f"x: each training {noun(rec)}", size=SMALL, color=MUTED).next_to(mean[3], DOWN, buff=0.15)
        few, shown = self.few, len(self.examples.labels)
        with self.say(f"The network's cost is the same average, taken over all {n:,} training "
                      f"{nouns(rec)}.") as line:
            # 1/5 becomes 1/N; the five costs and their bracket go into the sum of every C_x (faded, not morphed)
            self.play(FadeOut(few[-1], shift=UP * 0.3), FadeIn(mean[:2]), ReplacementTransform(few[0], mean[2]),
                      FadeTransform(few[1:2 * shown + 1], mean[3:5]), ReplacementTransform(few[-2], mean[5]),
                      run_time=line.duration * 0.6)
            self.play(FadeIn(where), run_time=line.duration * 0.4)
        with self.say(f"Before any training, the recorded average was {c_first:.2f}.") as line:
            self.play(FadeIn(value), run_time=line.duration)
        epochs = self.rec.epochs_done
        after = tex(cost_text(c_last), size=50, color=GOOD).move_to(value, aligned_edge=LEFT)
        cells = VGroup(*(tex(cost_text(c), size=36, color=GOOD).move_to(cell)
                         for c, cell in zip(self.last_costs, self.cells)))
        tag = text("trained", size=SMALL, color=GOOD).move_to(self.tag)
        old_test, new_test = [], []
        if self.was is not None:  # the test digit's cost is on screen: it shows the trained network's too
            now = tex(cost_text(probe_costs(rec, -1)[0]), size=30, color=GOOD).move_to(self.was)
            old_test, new_test = [FadeOut(self.was, shift=UP * 0.2)], [FadeIn(now, shift=UP * 0.2)]
            self.test.remove(self.was)
            self.test.add(now)
        charts, bars = self.charts[0], VGroup(*(chart.bars for chart in self.charts[0]))
        trained = VGroup(*(OutputChart(a, int(y), chart.get_x()).bars for a, y, chart in
                           zip(rec.network(-1).forward(self.examples.x), self.examples.labels, charts)))
        with self.say(f"After {epochs} epochs, every cost has shrunk; the average over all {n:,} is now "
                      f"{c_last:.2g}.") as line:
            # the digits' costs and the average change together: old numbers out whole, then the new ones;
            # the output bars grow into the trained network's (bars, not numbers: they may move)
            self.play(FadeOut(self.cells, shift=UP * 0.2), FadeOut(value, shift=UP * 0.3), FadeOut(self.tag),
                      *old_test, Transform(bars, trained),
                      run_time=line.duration * 0.3)
            self.play(FadeIn(cells, shift=UP * 0.2), FadeIn(after, shift=UP * 0.3), FadeIn(tag), *new_test,
                      run_time=line.duration * 0.3)
        self.cells, self.tag, value = cells, tag, after
        self.hold()
        self.where = where
        self.mean, self.shown_train_costs = VGroup(mean, value), (first_value, value.get_tex_string())

    def function_of_the_weights(self) -> None:
        rec = self.rec
        sizes, n_params = rec.sizes, int(rec["params"].shape[1])
        network = FunctionBox(text("network", size=36), POSITIVE, -3.6, (tex_int(sizes[0]), "pixels"),
                         (tex_int(sizes[-1]), "outputs"))
        weights = VGroup(tex(tex_int(n_params), size=40), text("weights & biases", size=SMALL + 2, color=MUTED))
        weights.arrange(DOWN, buff=0.12).next_to(network.box, DOWN, buff=0.3)
        cost = FunctionBox(MathTex("C", font_size=72), BALL, 3.5, (tex_int(n_params), "weights & biases"),
                           ("1", "cost"), reach=2.8)
        with self.say(f"The network takes {sizes[0]} pixels in and gives {sizes[-1]} numbers out, set by "
                      f"{n_params:,} weights and biases.") as line:
            # the network comes in as the digits leave: the frame is never empty; the digits are gone
            # before the formula moves up through their place
            self.play(FadeOut(Group(self.images, self.cells, self.tag, self.test, self.where, self.charts)),
                      FadeIn(network), run_time=line.duration * 0.2)
            self.play(self.mean.animate.scale(0.75).move_to([cost.box.get_x(), 2.2, 0]), run_time=line.duration * 0.2)
            self.play(FadeIn(weights, shift=UP * 0.2), run_time=line.duration * 0.3)
        with self.say(f"The cost turns this around: {n_params:,} weights and biases in, one number out.") as line:
            # the rest of the formula leaves first, so the C crosses nothing on its way into the box
            self.play(FadeOut(VGroup(self.mean[0][1:], self.mean[1])), run_time=line.duration * 0.15)
            self.play(ReplacementTransform(self.mean[0][0], cost.title), FadeIn(cost.box),
                      run_time=line.duration * 0.25)
            # the very weights under the network move across before the cost's arrows are drawn: they are
            # what the cost takes in. A positive arc goes left to right through the bottom, clear of the network
            self.play(ReplacementTransform(weights[0], cost.count_in, path_arc=PI / 3),
                      ReplacementTransform(weights[1], cost.word_in, path_arc=PI / 3), run_time=line.duration * 0.35)
            self.play(FadeIn(VGroup(cost.arrow_in, cost.arrow_out, cost.count_out, cost.word_out)),
                      run_time=line.duration * 0.25)
        goal = text("learning = making this number small", size=SMALL + 4, color=HIGHLIGHT)
        goal.next_to(cost.box, DOWN, buff=0.8)
        with self.say("Learning means finding the weights that make this one number small.") as line:
            self.play(cost.count_out.animate.set_color(HIGHLIGHT), FadeIn(goal, shift=UP * 0.2), run_time=line.duration)
        self.hold()
        final = cost_function(rec)
        with self.say(f"From now on, we write the cost as a function of all {n_params:,} of them.") as line:
            self.play(FadeOut(VGroup(network, goal, *(m for m in cost if m is not cost.title))),
                      run_time=line.duration * 0.3)
            # the C goes to its place first; its arguments come in after it, so nothing crosses them
            self.play(ReplacementTransform(cost.title, final[0][0]), run_time=line.duration * 0.35)
            self.play(FadeIn(final[0][1:], shift=RIGHT * 0.2), run_time=line.duration * 0.35)
        self.remove(*self.mobjects)
        self.add(final)
        self.hold()
