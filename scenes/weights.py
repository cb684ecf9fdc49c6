"""Beats 8 and 9, learning seen in the weights, drawn from the recorded snapshots.

`WeightsLearning` opens on the update rule (where NegativeGradient ends) and plays the network's
edges, coloured (blue +, red -) and weighted by the recorded weights, through every snapshot;
each frame shows one recorded snapshot, never a blend. `FirstLayerWeights` opens on its last
picture, turns the 16 first-layer neurons into the 28x28 pictures of their weights, plays them
from random to trained, sets a labelled drawing of hoped-for strokes beside them, and ends on
`scenes.bridges.first_layer_grid`, where LearningCurves opens. Both are built from the blocks
`NetworkDiagram` and `FirstLayerImages` (scenes/blocks).
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arc,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Line,
    MathTex,
    Rectangle,
    ReplacementTransform,
    Square,
    Transform,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
)

from nn.inspection import colour_scale, moved, zeros_are_blank_inputs
from nn.recording import Recording
from scenes.blocks.images import FirstLayerImages
from scenes.blocks.network import NetworkDiagram
from scenes.bridges import first_layer_grid, update_rule
from scenes.narrated import NarratedScene
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
    digit_image,
    fmt,
    pixel_image,
    tex,
    text,
    weights_rgb,
)
from scenes.words import noun, nouns, test_item

GRID_HEIGHT, GRID_AT = 6.9, [-2.85, 0.0, 0]  # FirstLayerWeights' grid, 1.3x the bridge's
RIGHT_X, TAG_Y = 3.9, 0.6  # its right-hand column: colour bar, state tag, drawing


def counter_text(rec: Recording, k: int) -> tuple[str, str]:
    return f"{int(rec['snap_step'][k]):,}", f"{rec['snap_epoch'][k]:.2f}"


class NetworkView(NetworkDiagram):
    """The network block lit by one test item, with that item (its drawn pixels marked), the output
    class names, a ring on the answer, a step/epoch counter and the colour legend.

    Built the same way by both scenes, so FirstLayerWeights opens on WeightsLearning's last frame."""

    def __init__(self, rec: Recording) -> None:
        super().__init__(rec, snapshot=0, digit=rec["probe_x"][0], width=7.5, height=4.9)
        self.shift([0.75, 0.05, 0])
        self.image = digit_image(self.digit, height=2.6).move_to([-4.95, 0.4, 0])  # inside the safe area
        self.pixel_marks = self.marks(self.image)
        self.digit_note = text(f"a test {noun(rec)}\n□ = the {len(self.shown[0])} pixels\ndrawn of {rec.sizes[0]}",
                               size=22, color=TEXT, line_spacing=0.8,
                               t2c={"□": HIGHLIGHT}).next_to(self.image, DOWN, buff=0.2)
        self.ring = Circle(self.neurons[-1][0].radius + 0.07, color=HIGHLIGHT, stroke_width=3)
        self.step, self.epoch = LiveText("0", size=26), LiveText("0.00", size=26)
        labels = VGroup(text("step", size=22, color=MUTED), text("epoch", size=22, color=MUTED))
        labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.22).to_corner(UR, buff=0.4).shift(LEFT * 1.7)
        self.step.next_to(labels[0], RIGHT, buff=0.2)
        self.epoch.next_to(labels[1], RIGHT, buff=0.2)
        self.counter = VGroup(labels, self.step, self.epoch)
        self.legend = text("blue +, red −; bolder = larger |w| in its layer, in this frame", size=20,
                           color=MUTED, t2c={"blue +": POSITIVE, "red −": NEGATIVE}).to_edge(DOWN, buff=0.35)
        self.show(0)

    def show(self, k: int) -> None:
        """The network, the ring and the counter at snapshot k (in place: cheap every frame)."""
        self.set_snapshot(k)
        self.ring.move_to(self.neurons[-1][int(np.argmax(self.outputs()[self.shown[-1]]))])
        step, epoch = counter_text(self.rec, self.snapshot)
        self.step.set_text(step)
        self.epoch.set_text(epoch)

    def answer(self, k: int) -> int:
        return int(np.argmax(self.rec.network(k).forward(self.digit[None, :])[0]))

    def picture(self) -> Group:
        """Everything, edges behind the neurons."""
        return Group(self.edges, *self.neurons, self.dots, self.image, self.pixel_marks, self.digit_note,
                     self.out_labels, self.ring, self.counter, self.legend)

    def play_through(self, snapshots: list[int], moving: VGroup) -> UpdateFromAlphaFunc:
        """An animation stepping `moving` (parts of this view) through the given snapshots, each
        frame one recorded snapshot."""
        last = len(snapshots) - 1
        return UpdateFromAlphaFunc(moving, lambda _, a: self.show(snapshots[min(int(a * len(snapshots)), last)]),
                                   rate_func=linear)


def small_rule(rec: Recording) -> MathTex:
    """The update rule, shrunk into the top-left corner (a reminder of what each step does)."""
    return update_rule(rec).scale(0.6).to_corner(UL, buff=0.6)


class WeightsLearning(NarratedScene):
    """The network's edges, coloured and sized by the recorded weights, through all of training."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.view = view = NetworkView(rec)
        rule = update_rule(rec)
        self.add(rule)  # where NegativeGradient ends
        last = len(rec["snap_step"]) - 1
        steps, epochs = int(rec["snap_step"][-1]), rec["snap_epoch"][-1]

        dark = view.dark()  # unlit until the narration shows the network a test item
        with self.say(f"Training repeats that one step, over and over: here {steps:,} times, "
                      f"{epochs:g} passes through the training {nouns(rec)}.") as line:
            d = line.duration
            self.play(Transform(rule, small_rule(rec)), FadeIn(view.counter), run_time=0.25 * d)
            self.play(*(FadeIn(layer) for layer in dark), FadeIn(view.dots), FadeIn(view.out_labels),
                      run_time=0.25 * d)
            self.bring_to_back(view.edges)
            self.play(Create(view.edges, lag_ratio=0.002), run_time=0.5 * d)
        with self.say("Each line is one weight: blue when positive, red when negative, and bolder "
                      "when larger than the rest of its layer at that moment.") as line:
            self.play(FadeIn(view.legend), run_time=0.4 * line.duration)
        self.hold()

        label, first = int(rec["probe_y"][0]), view.answer(0)
        with self.say(f"These are the random weights it starts from. Shown a {test_item(rec, label)}, "
                      f"the untrained network answers {rec.classes[first]}.") as line:
            d = line.duration
            self.play(FadeIn(view.image), FadeIn(view.pixel_marks), FadeIn(view.digit_note), run_time=0.4 * d)
            self.play(*(ReplacementTransform(a, b) for a, b in zip(dark, view.neurons)), run_time=0.3 * d)
            self.play(FadeIn(view.ring), run_time=0.2 * d)
        self.hold()

        cost = rec["epoch_train_cost"]
        half = last // 2
        dark = view.dark()  # the answers stay hidden while the weights play, until the last line asks again
        moving = VGroup(view.edges, view.counter)
        with self.say(f"Now play the recording. As the weights change, the training cost falls from "
                      f"{cost[0]:.2f} to {cost[-1]:.3f}.") as line:
            self.play(FadeOut(view.ring), *(ReplacementTransform(a, b) for a, b in zip(view.neurons, dark)),
                      run_time=0.5)
            self.play(view.play_through(list(range(0, half + 1)), moving), run_time=line.duration - 0.5)
        with self.say("The run saved more snapshots early on, so the first steps play slowly and the "
                      "later ones fast.") as line:
            self.play(view.play_through(list(range(half, last + 1)), moving), run_time=line.duration)
        self.hold()

        fell = tex(rf"C:\ {cost[0]:.2f} \to {cost[-1]:.3f}", size=34).to_edge(DOWN, buff=0.3).shift(LEFT * 2.2)
        with self.say("That is all learning means here: moving every weight, step by step, "
                      "to make the cost smaller.") as line:
            self.play(FadeOut(view.legend), FadeIn(fell, shift=DOWN * 0.2), run_time=0.3 * line.duration)
        before, after = rec["params"][0], rec["params"][-1]
        still = int(np.sum(~moved(before, after)))
        notes = VGroup(fell)
        if still and zeros_are_blank_inputs(after - before, rec.sizes):
            count = text(f"{before.size - still:,} of {before.size:,} moved", size=SMALL + 2)
            count.next_to(fell, RIGHT, buff=1.0)
            with self.say(f"{before.size - still:,} of the {before.size:,} weights and biases moved. "
                          f"The {still:,} that never did start at pixels blank in every training {noun(rec)}.") as line:
                self.play(FadeIn(count, shift=DOWN * 0.2), run_time=0.3 * line.duration)
            notes.add(count)
        with self.say(f"And shown the same {test_item(rec, label)}, the trained network now answers "
                      f"{rec.classes[view.answer(-1)]}.") as line:
            self.play(*(ReplacementTransform(a, b) for a, b in zip(dark, view.neurons)), FadeOut(notes),
                      FadeIn(view.legend), run_time=0.3 * line.duration)
            self.play(FadeIn(view.ring), run_time=0.1 * line.duration)
            self.play(view.ring.animate.set_stroke(width=5), run_time=0.15 * line.duration)
            self.play(view.ring.animate.set_stroke(width=3), run_time=0.15 * line.duration)
        self.hold()


# -- FirstLayerWeights ---------------------------------------------------------------------------


def hoped_for_drawing(cell: float) -> VGroup:
    """Four hand-drawn strokes (a bar, an upright, a loop, a curve) in weight-picture-like boxes.

    A DRAWING of what one might hope a first layer learns; it is not data."""
    boxes = VGroup(*(Square(cell, color=MUTED, stroke_width=1).set_fill(BACKGROUND, 1) for _ in range(4)))
    boxes.arrange_in_grid(2, 2, buff=0.15)
    s = cell * 0.3
    strokes = VGroup(
        Line(LEFT * s, RIGHT * s).move_to(boxes[0]).shift(UP * 0.1 * cell),
        Line(UP * s, DOWN * s).move_to(boxes[1]),
        Circle(radius=0.25 * cell).move_to(boxes[2]),
        Arc(radius=0.28 * cell, start_angle=-np.pi / 2, angle=np.pi).move_to(boxes[3]),
    ).set_stroke(POSITIVE, width=7)
    return VGroup(boxes, strokes)


class FirstLayerWeights(NarratedScene):
    """The 16 first-layer neurons' weights as 28x28 pictures, from random to trained.

    The final frame is `first_layer_grid(rec)`; `self.weight_images` holds its images in
    row-major neuron order (neuron j is row j // columns, column j % columns of the grid)."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        view = NetworkView(rec)
        view.show(len(rec["snap_step"]) - 1)
        rule = small_rule(rec)
        self.add(rule, view.picture())  # where WeightsLearning ends
        self.bring_to_back(view.edges)
        grid = FirstLayerImages(rec, snapshot=0, height=GRID_HEIGHT).move_to(GRID_AT)  # the bridge size at the end
        self.weight_images = list(grid)
        n, m = rec.sizes[1], rec.sizes[0]
        last = len(rec["snap_step"]) - 1

        squares = VGroup(*(Square(img.height, color=TEXT, stroke_width=1).move_to(img) for img in grid))
        neurons = view.neurons[1]
        with self.say(f"Now look closer at the first layer. Each of its {n} neurons has {m} weights, "
                      "one for every pixel.") as line:
            d = line.duration
            rest = Group(rule, view.edges, view.neurons[0], *view.neurons[2:], view.dots, view.image,
                         view.pixel_marks, view.digit_note, view.out_labels, view.ring, view.legend)
            self.play(FadeOut(rest), run_time=0.3 * d)
            circles = VGroup(*(c.copy().move_to(sq) for c, sq in zip(neurons, squares)))
            self.play(Transform(neurons, circles), run_time=0.35 * d)
            self.play(Transform(neurons, squares), run_time=0.35 * d)
        scale = LiveText(fmt(grid.scale_value, 2), size=22)
        legend = self.legend(scale)

        def show(k: int) -> None:
            grid.set_snapshot(k)
            scale.set_text(fmt(grid.scale_value, 2))
            step, epoch = counter_text(rec, k)
            view.step.set_text(step)
            view.epoch.set_text(epoch)

        show(0)  # the boxes fill with the starting weights, the ones the next line speaks of
        start = text(f"before training (step {int(rec['snap_step'][0]):,})", size=SMALL + 2, color=TEXT)
        start.move_to([RIGHT_X, TAG_Y, 0])
        with self.say("Draw each weight on the pixel it multiplies: blue where it is positive, "
                      "red where negative, dark near zero.") as line:
            self.play(FadeIn(grid), FadeOut(neurons), FadeIn(legend), FadeIn(start), run_time=0.4 * line.duration)
        self.wait(0.5)  # a breath between the two lines
        with self.say("Before training, the pictures were random noise.") as line:
            self.wait(0.1 * line.duration)
        self.hold()
        scales = np.array([colour_scale(rec.network(k).weights[0]) for k in range(last + 1)])
        growth = scales[-1] / scales[0]
        pause = int(np.argmax(scales >= 2 * scales[0])) if growth >= 2 else last // 2  # first doubling

        def playback(frames: list[int]) -> UpdateFromAlphaFunc:
            return UpdateFromAlphaFunc(Group(grid, scale, view.counter),
                                       lambda _, a: show(frames[min(int(a * len(frames)), len(frames) - 1)]),
                                       rate_func=linear)

        with self.say(f"Now play the recording. Each frame gets its own colour scale: the weights grow "
                      f"about {growth:.0f}-fold.") as line:
            self.play(FadeOut(start), run_time=0.5)  # from here the counter tells the step
            self.play(playback(list(range(pause + 1))), run_time=line.duration - 0.5)
        with self.say(f"Pause at step {int(rec['snap_step'][pause]):,}: the weights have doubled in size, "
                      f"and the pictures are no longer pure noise.") as line:
            look = Rectangle(width=grid.width + 0.2, height=grid.height + 0.2, color=HIGHLIGHT).move_to(grid)
            self.play(Create(look), run_time=0.3 * line.duration)
            self.play(FadeOut(look), run_time=0.2 * line.duration)
        with self.say(f"Then on to the end of training, step {int(rec['snap_step'][-1]):,}.") as line:
            self.play(playback(list(range(pause, last + 1))), run_time=line.duration)
        self.hold()

        drawing = hoped_for_drawing(1.1).move_to([RIGHT_X, -2.0, 0])
        label = text("a drawing: what\none might hope for", size=SMALL, color=MUTED, line_spacing=0.8)
        label.next_to(drawing, UP, buff=0.2)
        real = text("left: the real weights, trained", size=SMALL + 2, color=TEXT).move_to([RIGHT_X, TAG_Y, 0])
        with self.say(f"One might hope for tidy pieces of {nouns(self.rec)}: short strokes, edges and loops, "
                      "like these.") as line:
            self.play(FadeIn(real), FadeIn(label), Create(drawing), run_time=0.6 * line.duration)
        with self.say("That is our drawing, made by hand. It does not come from the run.") as line:
            self.play(label.animate.set_color(TEXT), run_time=0.3 * line.duration)
        with self.say("The real weights are not like that. They are patchy blobs of blue and red, "
                      "with no clean strokes or loops.") as line:
            self.play(Indicate(real, color=HIGHLIGHT, scale_factor=1.05), run_time=0.4 * line.duration)
        with self.say("Whatever the network found works, but it is not the neat pattern we imagined.") as line:
            self.play(Indicate(drawing, color=MUTED, scale_factor=1.0), run_time=0.4 * line.duration)
        bridge = first_layer_grid(rec)  # where LearningCurves opens
        self.play(FadeOut(drawing), FadeOut(label), FadeOut(legend), FadeOut(view.counter), FadeOut(real),
                  *(img.animate.scale(b.height / img.height).move_to(b) for img, b in zip(grid, bridge)),
                  run_time=1.2)
        self.hold()

    @staticmethod
    def legend(scale: LiveText) -> Group:
        """A colour bar from red (-) through dark (0) to blue (+), with the full-colour |w| beside it."""
        ramp = np.linspace(-1, 1, 129)[None, :].repeat(4, axis=0)
        bar = pixel_image(weights_rgb(ramp, 1.0), height=0.25)
        bar.stretch_to_fit_width(3.0)
        frame = Rectangle(width=bar.width, height=bar.height, color=MUTED, stroke_width=1).move_to(bar)
        ticks = VGroup(text("−", size=22, color=NEGATIVE).next_to(bar, LEFT, buff=0.12),
                       text("+", size=22, color=POSITIVE).next_to(bar, RIGHT, buff=0.12))
        note = text("full colour at |w| =", size=18, color=MUTED).next_to(bar, DOWN, buff=0.2).align_to(bar, LEFT)
        scale.next_to(note, RIGHT, buff=0.15)
        return Group(bar, frame, ticks, note, scale).move_to([RIGHT_X, 1.9, 0])
