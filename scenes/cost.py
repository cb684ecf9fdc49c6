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
    Indicate,
    LaggedStart,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Text,
    Transform,
    TransformMatchingShapes,
    TransformMatchingTex,
    VGroup,
    Write,
)

from nn.errors import UserError
from nn.examples import example_costs, output_spread, probe_costs, training_examples
from nn.recording import Recording
from scenes.blocks.network import NetworkDiagram, inked_pixels
from scenes.blocks.verdict import DigitVerdict, cost_text, row_y, value_tex
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
    digit_image,
    tex,
    text,
)
from scenes.words import a_noun, class_word, label, noun, nouns, spoken_count


def about(x: float) -> str:
    """A ratio rounded to two significant digits, for speech (19,734 -> 20,000)."""
    digits = max(0, math.floor(math.log10(x)) - 1)
    return f"{round(x, -digits):,.0f}"


def digit_cost_picture(rec: Recording) -> Group:
    """The bridge between the two scenes: test digit 0 and its cost under the trained network."""
    image = digit_image(rec["probe_x"][0], height=2.6).move_to([-1.7, 0, 0])
    cost = tex(rf"C = {cost_text(probe_costs(rec, -1)[0])}", size=56, color=GOOD)
    return Group(image, cost.next_to(image, RIGHT, buff=0.7))


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
        net = self.net = NetworkDiagram(rec, snapshot=0, digit=x, inputs=inked_pixels(x, 8), width=5.6, height=4.5)
        net.shift([-1.1, row_y((sizes[-1] - 1) / 2), 0])  # output j at the height of the table's row j
        out_x = net.neurons[-1].get_x()
        if max(len(name) for name in rec.classes) > 2:  # class names go right of the values, where there is room
            for name, c in zip(net.out_labels, net.neurons[-1]):
                name.move_to([out_x + 1.5, c.get_y(), 0], aligned_edge=LEFT)
        hidden = " and ".join(str(s) for s in sizes[1:-1])
        counts = VGroup(tex(tex_int(n_params), size=52, color=HIGHLIGHT), text("weights and biases", size=SMALL))
        counts.arrange(DOWN, buff=0.15).move_to([4.7, 0.2, 0])
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
        with self.say(f"Only {len(net.shown[0])} inputs are drawn. The edges are the real starting weights, "
                      f"blue positive, red negative.") as line:
            self.play(Indicate(net.neurons[0], color=HIGHLIGHT), run_time=line.duration)
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
            self.play(FadeOut(VGroup(net.edges, *net.neurons[:-1], net.labels, net.dots, self.counts)),
                      run_time=line.duration * 0.4)
            self.state = state_label("untrained", self.image, HIGHLIGHT)
            self.play(ReplacementTransform(self.outputs, VGroup(*(r[:3] for r in rows))), FadeIn(v.a_head),
                      FadeIn(self.state), run_time=line.duration * 0.4)
            self.play(*(GrowFromEdge(r[3], LEFT) for r in rows), run_time=line.duration * 0.2)
        with self.say(f"We wanted output {label(self.rec, self.label)} to be one, and every other output to be "
                      f"zero.") as line:
            self.play(FadeIn(v.desired_head), FadeIn(v.desired, lag_ratio=0.1), run_time=line.duration)
        with self.say("For each output, square its difference from what we wanted.") as line:
            self.play(Write(v.sq_head), run_time=line.duration * 0.3)
            self.play(LaggedStart(*(FadeIn(sq) for sq in v.squares), lag_ratio=0.15), run_time=line.duration * 0.7)
        biggest = int(np.argmax((v.outputs - v.wanted) ** 2))
        with self.say("Squaring makes big misses count far more than small ones.") as line:
            self.play(Indicate(v.squares[biggest], color=HIGHLIGHT), run_time=line.duration)
        with self.say(f"Add up all {len(v.outputs)} squares. That sum is the cost of this one example.") as line:
            lifted = v.sq_head.copy()
            self.add(lifted)
            # up over the column headers first, so the moving formula never crosses them
            self.play(lifted.animate.shift(UP * 0.75), run_time=line.duration * 0.15)
            self.play(TransformMatchingTex(lifted, v.formula), run_time=line.duration * 0.4)
            self.play(FadeIn(v.rule), Write(v.cost), run_time=line.duration * 0.45)
        with self.say(f"With untrained weights, this {noun(self.rec)}'s cost is {v.value:.2f}: very wrong.") as line:
            self.play(Indicate(v.cost, color=HIGHLIGHT), run_time=line.duration)
        self.hold()
        self.rows, self.squares, self.cost = rows, v.squares, v.cost
        self.table = VGroup(v.a_head, v.desired_head, v.desired, v.sq_head, v.rule, v.formula)

    def trained_cost(self) -> None:
        rec, v = self.rec, self.after
        c0, c1 = self.before.value, v.value
        epochs = rec["snap_epoch"][-1]
        rows, squares, cost = v.rows, v.squares, v.cost
        old = tex(cost_text(c0), size=40, color=MUTED).next_to(cost, LEFT, buff=1.2)
        arrow = Arrow(old.get_right(), cost.get_left(), buff=0.2, color=MUTED, stroke_width=3)
        state = state_label(f"trained, {epochs:g} epochs", self.image, GOOD)
        with self.say(f"Now the same {noun(rec)}, after {epochs:g} epochs of training.") as line:
            # the old numbers leave whole before the new ones come: numbers never cross-fade in place
            self.play(*(ReplacementTransform(r[i], new[i]) for r, new in zip(self.rows, rows) for i in (0, 1, 3)),
                      *(ReplacementTransform(s[0], new[0]) for s, new in zip(self.squares, squares)),
                      *(FadeOut(r[2]) for r in self.rows), *(FadeOut(s[1]) for s in self.squares),
                      ReplacementTransform(self.cost[0][2:], old[0]), FadeOut(self.cost[0][:2]),
                      FadeOut(self.state), run_time=line.duration * 0.5)
            self.play(*(FadeIn(r[2]) for r in rows), *(FadeIn(s[1]) for s in squares), FadeIn(cost),
                      GrowFromEdge(arrow, LEFT), FadeIn(state), run_time=line.duration * 0.5)
        self.rows, self.squares, self.cost, self.state = rows, squares, cost, state
        change = (f"about {about(c0 / c1)} times smaller" if 0 < c1 < c0 else "not smaller at all")
        notes = VGroup(old, arrow)
        with self.say(f"Its cost is now {change}.") as line:
            if 0 < c1 < c0:
                ratio = tex(rf"\approx {about(c0 / c1).replace(',', '{,}')}\times\ \text{{smaller}}", size=34,
                            color=HIGHLIGHT).next_to(old, LEFT, buff=0.5)
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


def state_label(words: str, image, color) -> Text:
    """A short note under the digit: which network the table is for ("untrained", "trained, 30 epochs")."""
    return text(words, size=SMALL, color=color).next_to(image, DOWN, buff=0.3)


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
            # set aside inside the safe area, without its trained cost (the costs here are untrained)
            corner = self.picture[0].copy().scale(0.45).move_to([-5.7, 2.5, 0])
            label = text("test", size=SMALL, color=MUTED).next_to(corner, DOWN, buff=0.1)
            self.play(Transform(self.picture[0], corner), FadeOut(self.picture[1]), FadeIn(label),
                      run_time=line.duration * 0.35)
            self.play(FadeIn(images, lag_ratio=0.2), run_time=line.duration * 0.65)
        self.test = Group(self.picture[0], label)
        self.cells = VGroup(*(tex(cost_text(c), size=32, color=BALL).next_to(img, DOWN, buff=0.2)
                              for c, img in zip(first.costs, images)))
        with self.say("Each has its own cost under the untrained weights.") as line:
            self.play(LaggedStart(*(FadeIn(c) for c in self.cells), lag_ratio=0.3), run_time=line.duration)
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
            # the digits' costs and the average change together: old numbers out whole, then the new ones
            self.play(FadeOut(self.cells, shift=UP * 0.2), FadeOut(value, shift=UP * 0.3), run_time=line.duration * 0.3)
            self.play(FadeIn(cells, shift=UP * 0.2), FadeIn(after, shift=UP * 0.3), run_time=line.duration * 0.3)
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
            # the digits and their costs are gone before the formula moves up through their place
            self.play(FadeOut(Group(self.images, self.cells, self.test)), run_time=line.duration * 0.15)
            self.play(self.mean.animate.scale(0.75).move_to([cost.get_x(), 2.3, 0]), run_time=line.duration * 0.2)
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
