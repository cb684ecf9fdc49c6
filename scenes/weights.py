"""Beats 8 and 9, learning seen in the weights, drawn from the recorded snapshots.

`WeightsLearning` opens on the update rule (where NegativeGradient ends) and plays the network's
edges, coloured (blue +, red -) and weighted by the recorded weights, through every snapshot, with
the training cost at each one read out; each frame shows one recorded snapshot, never a blend. It
then shows the pixels blank in every training example, whose weights never moved.
`FirstLayerWeights` opens on its last picture, turns the 16 first-layer neurons into the 28x28
pictures of their weights, goes back to the start, plays them from random to trained, sets a
labelled drawing of hoped-for strokes (same size and colours) beside them, and ends on
`scenes.bridges.first_layer_grid`, where LearningCurves opens. Both are built from
`scenes.network_view.NetworkView` and the blocks `NetworkDiagram` and `FirstLayerImages`.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Rectangle,
    ReplacementTransform,
    Square,
    SurroundingRectangle,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
)

from nn.examples import run_training_set
from nn.inspection import colour_scale, moved
from nn.snapshots import blank_pixels, still_blank_inputs
from scenes.blocks.images import FirstLayerImages, hoped_for_tiles
from scenes.bridges import first_layer_grid, update_rule
from scenes.narrated import NarratedScene
from scenes.network_view import NetworkView, blank_mask, small_rule
from scenes.run import load_run
from scenes.style import (
    BACKGROUND,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SMALL,
    TEXT,
    LiveText,
    fmt,
    pixel_image,
    tex,
    text,
    weights_rgb,
)
from scenes.words import noun, nouns, test_item

GRID_HEIGHT, GRID_AT = 6.9, [-2.85, -0.15, 0]  # FirstLayerWeights' grid, 1.3x the bridge's
RIGHT_X, TAG_Y = 3.9, 1.2  # its right-hand column: colour bar and scale, growth rows or tag, drawing
BAR_Y, ROW_Y = 2.85, 1.05  # the colour bar; the first of the growth rows (step, scale), 0.5 apart


class WeightsLearning(NarratedScene):
    """The network's edges, coloured and sized by the recorded weights, through all of training."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.view = NetworkView(rec)
        self.add(update_rule(rec))  # where NegativeGradient ends
        self.meet_the_network()
        self.untrained_answer()
        self.play_training()
        self.what_moved()
        self.trained_answer()

    def meet_the_network(self) -> None:
        rec, view = self.rec, self.view
        rule = self.mobjects[0]
        steps, epochs = int(rec["snap_step"][-1]), rec["snap_epoch"][-1]
        self.dark = dark = view.dark()  # unlit until the narration shows the network a test item
        self.bring_to_back(view.edges)
        with self.say(f"Training repeats that one step, over and over: here {steps:,} times, "
                      f"{epochs:g} passes through the training {nouns(rec)}.") as line:
            self.play(Transform(rule, small_rule(rec)), *(FadeIn(layer) for layer in dark), FadeIn(view.dots),
                      FadeIn(view.out_labels), FadeIn(view.counter), FadeIn(view.cost_note),
                      Create(view.edges, lag_ratio=0.002),
                      run_time=0.75 * line.duration)
        with self.say("Each line is one weight: blue when positive, red when negative, and bolder "
                      "when larger than the rest of its layer at that moment.") as line:
            self.play(FadeIn(view.legend), run_time=0.4 * line.duration)
        lines, size = len(view.edges), int(rec["params"].shape[1])
        with self.say(f"Only {len(view.shown[0])} of the {rec.sizes[0]} pixels are drawn, so these {lines} "
                      f"lines are a small sample of the {size:,} weights and biases.") as line:
            self.play(FadeIn(view.sample, shift=UP * 0.1), *(Indicate(dot, scale_factor=1.15) for dot in dark[0]),
                      run_time=0.4 * line.duration)
        self.hold()

    def untrained_answer(self) -> None:
        rec, view = self.rec, self.view
        self.label, first = int(rec["probe_y"][0]), view.answer(0)
        self.values = view.output_values(0)
        with self.say(f"These are the random weights it starts from. Shown a {test_item(rec, self.label)}, "
                      f"the untrained network answers {rec.classes[first]}.") as line:
            d = line.duration
            self.play(FadeIn(view.image), FadeIn(view.pixel_marks), FadeIn(view.digit_note), run_time=0.35 * d)
            self.play(*(ReplacementTransform(a, b) for a, b in zip(self.dark, view.neurons)), run_time=0.3 * d)
            self.play(FadeIn(view.ring), FadeIn(self.values), run_time=0.2 * d)
        self.hold()

    def play_training(self) -> None:
        rec, view = self.rec, self.view
        last = len(rec["snap_step"]) - 1
        half = last // 2
        self.dark = dark = view.dark()  # the answers stay hidden while the weights play, until the end
        moving = VGroup(view.edges, view.counter)
        look = SurroundingRectangle(VGroup(view.counter[0][2], view.cost, view.cost_note), color=HIGHLIGHT, buff=0.08)
        with self.say(f"Now play the recording. As the weights change, the training cost falls from "
                      f"{view.costs[0]:.2f} to {view.costs[-1]:.3f}.") as line:
            self.play(FadeOut(view.ring), FadeOut(self.values),
                      *(ReplacementTransform(a, b) for a, b in zip(view.neurons, dark)), Create(look), run_time=0.5)
            self.play(view.play_through(list(range(0, half + 1)), moving), run_time=line.duration - 0.5)
        with self.say("The run saved more snapshots early on, so the first steps play slowly and the "
                      "later ones fast.") as line:
            self.play(view.play_through(list(range(half, last + 1)), moving), run_time=line.duration - 0.4)
            self.play(FadeOut(look), run_time=0.4)
        self.hold()

    def what_moved(self) -> None:
        rec, view = self.rec, self.view
        cost = view.costs
        fell = tex(rf"C:\ {cost[0]:.2f} \to {cost[-1]:.3f}", size=34).to_edge(DOWN, buff=0.3).shift(LEFT * 2.2)
        with self.say("That is all learning means here: moving every weight, step by step, "
                      "to make the cost smaller.") as line:
            self.play(FadeOut(view.legend), run_time=0.4)
            self.play(FadeIn(fell, shift=DOWN * 0.2), run_time=0.3 * line.duration)
        self.notes, self.mask = VGroup(fell), None
        before, after = rec["params"][0], rec["params"][-1]
        still = int(np.sum(~moved(before, after)))
        x, _ = run_training_set(rec)
        blank = blank_pixels(x)
        if not (still and still_blank_inputs(before, after, blank, rec.sizes)):
            return
        count = text(f"{before.size - still:,} of {before.size:,} moved", size=SMALL + 2)
        count.next_to(fell, RIGHT, buff=1.0)
        self.notes.add(count)
        with self.say(f"{before.size - still:,} of the {before.size:,} weights and biases moved. "
                      f"The {still:,} that never did start at pixels blank in every training {noun(rec)}.") as line:
            self.play(FadeIn(count, shift=DOWN * 0.2), run_time=0.3 * line.duration)
        mask = blank_mask(blank, view.image.height).move_to(view.image)
        pixels, n = int(blank.sum()), rec.sizes[1]
        note = text(f"□ = blank in every\ntraining {noun(rec)}", size=22, color=TEXT, line_spacing=0.8,
                    t2c={"□": HIGHLIGHT}).next_to(mask, DOWN, buff=0.2)
        product = text(f"{pixels} × {n} = {still:,}", size=22, color=TEXT).next_to(note, DOWN, buff=0.15)
        product.align_to(note, LEFT)  # left of the input column's "pixels drawn"
        with self.say(f"Here are those {pixels} pixels. Each feeds all {n} neurons of the first layer, "
                      f"and {pixels} times {n} is {still:,}.") as line:
            self.play(FadeOut(view.image), FadeOut(view.pixel_marks), FadeOut(view.digit_note),
                      run_time=0.15 * line.duration)
            self.play(FadeIn(mask), FadeIn(note), run_time=0.25 * line.duration)
            self.wait(0.25 * line.duration)  # until "times" is said
            self.play(FadeIn(product, shift=DOWN * 0.1), run_time=0.2 * line.duration)
        self.hold()
        self.mask = Group(mask, note, product)

    def trained_answer(self) -> None:
        rec, view = self.rec, self.view
        values = view.output_values(-1)
        back = [FadeIn(view.image), FadeIn(view.pixel_marks), FadeIn(view.digit_note)] if self.mask else []
        with self.say(f"And shown the same {test_item(rec, self.label)}, the trained network now answers "
                      f"{rec.classes[view.answer(-1)]}.") as line:
            d = line.duration
            self.play(FadeOut(self.notes), *([FadeOut(self.mask)] if back else []), run_time=0.15 * d)
            self.play(*(ReplacementTransform(a, b) for a, b in zip(self.dark, view.neurons)), *back,
                      FadeIn(view.legend), run_time=0.25 * d)
            self.play(FadeIn(view.ring), FadeIn(values), run_time=0.1 * d)
            self.play(view.ring.animate.set_stroke(width=5), run_time=0.15 * d)
            self.play(view.ring.animate.set_stroke(width=3), run_time=0.15 * d)
        self.hold()


# -- FirstLayerWeights ---------------------------------------------------------------------------


class FirstLayerWeights(NarratedScene):
    """The 16 first-layer neurons' weights as 28x28 pictures, from random to trained.

    The final frame is `first_layer_grid(rec)`; `self.weight_images` holds its images in
    row-major neuron order (neuron j is row j // columns, column j % columns of the grid)."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        view = NetworkView(rec)
        view.show(len(rec["snap_step"]) - 1)
        picture = view.picture()
        self.add(small_rule(rec), picture)  # where WeightsLearning ends
        self.bring_to_back(view.edges)
        grid = FirstLayerImages(rec, snapshot=-1, height=GRID_HEIGHT).move_to(GRID_AT)  # the bridge size at the end
        self.weight_images = list(grid)
        n, m = rec.sizes[1], rec.sizes[0]
        last = len(rec["snap_step"]) - 1

        squares = VGroup(*(Square(img.height, color=TEXT, stroke_width=1).move_to(img) for img in grid))
        neurons = view.neurons[1]
        with self.say(f"Now look closer at the first layer. Each of its {n} neurons has {m} weights, "
                      "one for every pixel.") as line:
            d = line.duration
            counter = VGroup(view.counter, view.cost_note)
            rest = [mob for mob in self.mobjects if mob is not neurons and mob not in counter]
            self.play(*(FadeOut(mob) for mob in rest), neurons.animate.set_fill(BACKGROUND, 1),  # no test item here
                      counter.animate.shift(UP * 0.25), run_time=0.3 * d)  # above the grid's top row
            circles = VGroup(*(c.copy().move_to(sq) for c, sq in zip(neurons, squares)))
            self.play(Transform(neurons, circles), run_time=0.35 * d)
            self.play(Transform(neurons, squares), run_time=0.35 * d)
        scale = LiveText(fmt(grid.scale_value, 2), size=40)
        legend = self.legend(scale)
        scales = np.array([colour_scale(rec.network(k).weights[0]) for k in range(last + 1)])
        growth = scales[-1] / scales[0]
        pause = int(np.argmax(scales >= 2 * scales[0])) if growth >= 2 else last // 2  # first doubling
        rows = [self.growth_row(k, scales[k], i) for i, k in enumerate((0, pause, last))]
        rows[-1].add(text(f"(×{growth:.0f})", size=22, color=MUTED).next_to(rows[-1], RIGHT, buff=0.15))

        def show(k: int) -> None:
            grid.set_snapshot(k)
            scale.set_text(fmt(grid.scale_value, 2))
            view.show(k)  # the counter (the network itself is off screen)

        def playback(frames: list[int]) -> UpdateFromAlphaFunc:
            return UpdateFromAlphaFunc(Group(grid, scale, view.counter),
                                       lambda _, a: show(frames[min(int(a * len(frames)), len(frames) - 1)]),
                                       rate_func=linear)

        with self.say("Draw each weight on the pixel it multiplies: blue where it is positive, "
                      "red where negative, dark near zero.") as line:
            self.play(FadeIn(grid), FadeOut(neurons), FadeIn(legend), run_time=0.4 * line.duration)
        self.hold()
        with self.say(f"Go back to the start of training, step {int(rec['snap_step'][0]):,}, "
                      "where the pictures were random noise.") as line:
            self.play(playback(list(range(last, -1, -1))), run_time=0.35 * line.duration)
            self.play(FadeIn(rows[0]), run_time=0.15 * line.duration)
        self.hold()

        with self.say(f"Now play the recording. Each frame gets its own colour scale: the weights grow "
                      f"about {growth:.0f}-fold.") as line:
            scale.set_color(HIGHLIGHT)  # yellow while it grows
            self.play(playback(list(range(pause + 1))), run_time=line.duration)
        with self.say(f"Pause at step {int(rec['snap_step'][pause]):,}: the weights have doubled in size, "
                      f"and the pictures are no longer pure noise.") as line:
            scale.set_color(TEXT)
            self.play(FadeIn(rows[1], shift=DOWN * 0.1), run_time=0.3 * line.duration)
            self.play(Indicate(VGroup(rows[0][1], rows[1][1]), scale_factor=1.1), run_time=0.3 * line.duration)
        with self.say(f"Then on to the end of training, step {int(rec['snap_step'][-1]):,}.") as line:
            scale.set_color(HIGHLIGHT)
            self.play(playback(list(range(pause, last + 1))), run_time=0.85 * line.duration)
            scale.set_color(TEXT)
            self.play(FadeIn(rows[2], shift=DOWN * 0.1), run_time=0.15 * line.duration)
        self.hold()
        self.compare_with_a_drawing(grid, legend, VGroup(view.counter, view.cost_note), VGroup(*rows))

    def growth_row(self, k: int, scale: float, i: int) -> VGroup:
        """Row i of the growth strip: snapshot k's step, and its colour scale (the full-colour weight)."""
        step = text(f"step {int(self.rec['snap_step'][k]):,}", size=24, color=MUTED)
        value = text(f"±{fmt(scale, 2)}", size=28, color=TEXT)
        y = ROW_Y - 0.55 * i
        return VGroup(step.move_to([RIGHT_X - 2.0, y, 0], aligned_edge=LEFT),
                      value.move_to([RIGHT_X + 1.5, y, 0], aligned_edge=RIGHT))

    def compare_with_a_drawing(self, grid: FirstLayerImages, legend: Group, counter: VGroup, rows: VGroup) -> None:
        """The hoped-for strokes, drawn by hand at the real pictures' size and colours, beside them."""
        side = int(round(np.sqrt(self.rec.sizes[0])))  # as FirstLayerImages draws them
        drawing = hoped_for_tiles(side, grid[0].height).move_to([RIGHT_X, -1.25, 0])
        label = text("a drawing of what one might hope for", size=SMALL, color=MUTED)
        label.next_to(drawing, UP, buff=0.2)
        real = text("left: the real weights, trained", size=SMALL + 2, color=TEXT).move_to([RIGHT_X, TAG_Y, 0])
        with self.say(f"One might hope for tidy pieces of {nouns(self.rec)}: short strokes, edges and loops, "
                      "like these.") as line:
            self.play(FadeOut(rows), run_time=0.15 * line.duration)
            self.play(FadeIn(real), FadeIn(label), FadeIn(drawing, lag_ratio=0.3), run_time=0.45 * line.duration)
        with self.say("That is our drawing, made by hand. It does not come from the run.") as line:
            self.play(label.animate.set_color(TEXT), run_time=0.3 * line.duration)
        with self.say("The real weights are not like that. They are patchy blobs of blue and red, "
                      "with no clean strokes or loops.") as line:
            look = SurroundingRectangle(grid, color=HIGHLIGHT, buff=-0.03)  # on the tiles' edges, inset
            self.play(FadeIn(look), Indicate(real, color=HIGHLIGHT, scale_factor=1.05), run_time=0.4 * line.duration)
            self.play(FadeOut(look), run_time=0.2 * line.duration)
        with self.say("Whatever the network found works, but it is not the neat pattern we imagined.") as line:
            look = SurroundingRectangle(drawing, color=HIGHLIGHT, buff=0.1)
            self.play(Create(look), run_time=0.3 * line.duration)
            self.play(FadeOut(look), run_time=0.2 * line.duration)
        bridge = first_layer_grid(self.rec)  # where LearningCurves opens
        self.play(FadeOut(drawing), FadeOut(label), FadeOut(legend), FadeOut(counter), FadeOut(real),
                  *(img.animate.scale(b.height / img.height).move_to(b) for img, b in zip(grid, bridge)),
                  run_time=1.2)
        self.hold()

    @staticmethod
    def legend(scale: LiveText) -> Group:
        """A colour bar from red (-) through dark (0) to blue (+), and under it, large, the weight size
        that gets full colour (`scale`)."""
        ramp = np.linspace(-1, 1, 129)[None, :].repeat(4, axis=0)
        bar = pixel_image(weights_rgb(ramp, 1.0), height=0.25)
        bar.stretch_to_fit_width(3.0)
        frame = Rectangle(width=bar.width, height=bar.height, color=MUTED, stroke_width=1).move_to(bar)
        ticks = VGroup(text("−", size=22, color=NEGATIVE).next_to(bar, LEFT, buff=0.12),
                       text("+", size=22, color=POSITIVE).next_to(bar, RIGHT, buff=0.12))
        note = text("full colour at weight", size=18, color=MUTED).next_to(bar, DOWN, buff=0.15)
        sign = text("±", size=40).next_to(note, DOWN, buff=0.2)
        scale.next_to(sign, RIGHT, buff=0.08).align_to(sign, DOWN)
        VGroup(sign, scale).set_x(bar.get_x())
        legend = Group(bar, frame, ticks, note, sign, scale)
        return legend.shift([RIGHT_X, BAR_Y, 0] - bar.get_center())
