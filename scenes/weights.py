"""What training does to the weights, drawn from the recorded snapshots.

`WeightsLearning` draws the network with every edge coloured (blue +, red -) and sized by its
recorded weight, and steps through a handful of snapshots. `FirstLayerWeights` lays each
first-layer neuron's 784 incoming weights out as the 28x28 picture of the pixels they multiply.
Between two snapshots the pictures blend; every snapshot they stop on is a recorded one.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Circle,
    Create,
    FadeIn,
    Group,
    Line,
    Rectangle,
    Scene,
    Square,
    SurroundingRectangle,
    Transform,
    VGroup,
    Write,
    interpolate_color,
)

from nn.network import sigmoid
from nn.recording import Recording
from scenes.run import load_run
from scenes.style import (
    BACKGROUND,
    HIGHLIGHT,
    MUTED,
    SMALL,
    TEXT,
    digit_image,
    fmt,
    pixel_image,
    run_tag,
    text,
    title,
    weight_color,
    weights_rgb,
)

# -- shared by both scenes -----------------------------------------------------------------------


def spread_snapshots(rec: Recording, n: int) -> list[int]:
    """Up to n recorded snapshots: the untrained one, then the ones nearest to geometrically spaced
    epochs ending at the last (for 30 epochs and n = 6: 0, 0.37, 1.1, 3.3, 10, 30), so the early
    fast change and the slow growth afterwards both get frames. Always the first and the last."""
    epochs = rec["snap_epoch"]
    last = len(epochs) - 1
    if n < 2 or last == 0:
        return [0, last] if last else [0]
    targets = epochs[-1] / 3.0 ** np.arange(n - 2, -1, -1)
    picked = {int(np.argmin(np.abs(epochs - t))) for t in targets}
    return sorted(picked | {0, last})


def step_text(rec: Recording, k: int) -> str:
    return f"step {int(rec['snap_step'][k]):,} / epoch {rec['snap_epoch'][k]:.2f}"


def stage_text(rec: Recording, k: int) -> str:
    """'before training', 'after 30 epochs', or 'during training' for snapshot k."""
    if rec["snap_step"][k] == 0:
        return "before training: random weights"
    if k == len(rec["snap_step"]) - 1:
        e = rec["snap_epoch"][k]
        return f"after {e:g} epoch{'s' if e != 1 else ''}: trained weights"
    return "during training"


def layer_activations(net, x: np.ndarray) -> list[np.ndarray]:
    """The activations of every layer (input included) for one input x, from the network's weights."""
    acts = [np.asarray(x, dtype=float)]
    for w, b in zip(net.weights, net.biases):
        acts.append(sigmoid(w @ acts[-1] + b))
    return acts


# -- WeightsLearning -----------------------------------------------------------------------------


def lit_neuron(radius: float, activation: float) -> Circle:
    """An opaque neuron (edges stay behind it) whose brightness is its activation."""
    c = Circle(radius=radius, color=TEXT, stroke_width=1.5)
    return c.set_fill(interpolate_color(BACKGROUND, TEXT, float(np.clip(activation, 0, 1))), opacity=1)


def shown_units(rec: Recording, snaps: list[int], input_sample: int, max_hidden: int) -> list[np.ndarray]:
    """Which units of each layer are drawn: the inputs (and, in wide hidden layers, the neurons)
    whose outgoing/incoming weights change most across the shown snapshots; all units otherwise."""
    nets = [rec.network(k) for k in snaps]
    shown = []
    for l, n in enumerate(rec.sizes):
        cap = input_sample if l == 0 else max_hidden
        if n <= cap or l == len(rec.sizes) - 1:
            shown.append(np.arange(n))
            continue
        # l == 0: weights out of each input (columns of W1); else weights into each neuron (rows of W_l)
        stack = np.stack([net.weights[0].T if l == 0 else net.weights[l - 1] for net in nets])
        change = stack.var(axis=0).sum(axis=1)
        shown.append(np.sort(np.argsort(change)[-cap:]))
    return shown


class WeightsLearning(Scene):
    """The network's edges, coloured and sized by the recorded weights, changing over training."""

    SNAPSHOTS = 6
    INPUT_SAMPLE = 10
    MAX_HIDDEN = 16
    COLUMN_TOP = 2.65  # the columns run from here down to just above the notes
    X_FIRST, X_LAST = -2.4, 3.6

    def construct(self) -> None:
        rec = load_run()
        sizes = rec.sizes
        snaps = spread_snapshots(rec, self.SNAPSHOTS)
        shown = shown_units(rec, snaps, self.INPUT_SAMPLE, self.MAX_HIDDEN)
        probe, probe_label = rec["probe_x"][0], int(rec["probe_y"][0])
        scale = self.edge_scale(rec, shown)

        notes = self.notes(rec, shown, scale)
        # Where each drawn neuron sits.
        self.centers = self.layout(shown, notes.get_top()[1] + 0.3)
        radius = min(0.15, 0.36 * self.spacing)

        heading = title("Training reshapes every weight")
        readout = self.readout(rec, snaps[0], shown)
        digit, marks = self.probe_picture(probe, shown[0])
        outputs = VGroup(*(text(str(i), size=18, color=MUTED).next_to(c, RIGHT, buff=radius + 0.14)
                           for i, c in zip(shown[-1], self.centers[-1])))
        in_labels = self.input_labels(sizes[0], shown[0], radius)
        edges = self.edges(rec.network(snaps[0]), shown, scale)
        neurons, answer = self.neurons(rec.network(snaps[0]), probe, probe_label, shown, radius)

        self.add(run_tag(rec))
        self.play(Write(heading), FadeIn(readout), FadeIn(digit), FadeIn(notes), run_time=0.8)
        self.play(FadeIn(neurons), FadeIn(outputs), FadeIn(in_labels), FadeIn(marks), run_time=0.6)
        self.bring_to_back(edges)
        self.play(Create(edges), FadeIn(answer), run_time=1.0)
        self.wait(0.5)
        for k in snaps[1:]:
            new_edges = self.edges(rec.network(k), shown, scale)
            new_neurons, new_answer = self.neurons(rec.network(k), probe, probe_label, shown, radius)
            self.play(Transform(edges, new_edges), Transform(neurons, new_neurons), Transform(answer, new_answer),
                      Transform(readout, self.readout(rec, k, shown)), run_time=0.9)
            self.wait(0.45)
        self.wait(0.8)

    # -- pieces ------------------------------------------------------------------------------

    def layout(self, shown: list[np.ndarray], bottom: float) -> list[list[np.ndarray]]:
        most = max(len(s) for s in shown)
        self.spacing = (self.COLUMN_TOP - bottom) / max(most - 1, 1)
        middle = (self.COLUMN_TOP + bottom) / 2
        xs = np.linspace(self.X_FIRST, self.X_LAST, len(shown))
        centers = []
        for x, units in zip(xs, shown):
            ys = (np.arange(len(units))[::-1] - (len(units) - 1) / 2) * self.spacing + middle
            centers.append([np.array([x, y, 0.0]) for y in ys])
        return centers

    @staticmethod
    def edge_scale(rec: Recording, shown: list[np.ndarray]) -> float:
        """Full colour and width at the 95th percentile of the drawn |w| in the trained network."""
        net = rec.network(-1)
        drawn = np.concatenate([np.abs(w[np.ix_(shown[l + 1], shown[l])]).ravel() for l, w in enumerate(net.weights)])
        return float(np.percentile(drawn, 95)) or 1.0

    def edges(self, net, shown: list[np.ndarray], scale: float) -> VGroup:
        """Every drawn edge, in a fixed order (so Transform maps each edge to itself)."""
        lines = VGroup()
        for l, w in enumerate(net.weights):
            for j, cj in zip(shown[l + 1], self.centers[l + 1]):
                for i, ci in zip(shown[l], self.centers[l]):
                    t = float(np.clip(abs(w[j, i]) / scale, 0, 1))
                    lines.add(Line(ci, cj, stroke_width=0.3 + 3.0 * t, color=weight_color(float(w[j, i]), scale)))
        return lines

    def neurons(self, net, probe: np.ndarray, label: int, shown: list[np.ndarray], radius: float):
        """Neurons lit by their activations on the probe digit, and the network's answer."""
        acts = layer_activations(net, probe)
        group = VGroup(*(lit_neuron(radius, a[i]).move_to(c)
                         for a, units, centers in zip(acts, shown, self.centers) for i, c in zip(units, centers)))
        out = acts[-1]
        best = int(np.argmax(out))
        ring = Circle(radius=radius + 0.07, color=HIGHLIGHT, stroke_width=3).move_to(self.centers[-1][best])
        verdict = text(f"answer: {best}\n(output {fmt(out[best], 2)})\nlabel: {label}", size=SMALL,
                       color=HIGHLIGHT, line_spacing=0.8)
        verdict.next_to(self.centers[-1][len(self.centers[-1]) // 2], RIGHT, buff=0.6)
        return group, VGroup(ring, verdict)

    @staticmethod
    def readout(rec: Recording, k: int, shown: list[np.ndarray]) -> VGroup:
        net = rec.network(k)
        biggest = max(float(np.abs(w[np.ix_(shown[l + 1], shown[l])]).max()) for l, w in enumerate(net.weights))
        lines = VGroup(text(step_text(rec, k), size=24), text(stage_text(rec, k), size=SMALL, color=MUTED),
                       text(f"largest drawn |w|: {fmt(biggest, 2)}", size=SMALL, color=MUTED))
        return lines.arrange(DOWN, aligned_edge=RIGHT, buff=0.1).to_corner(UR, buff=0.35)

    def input_labels(self, n_inputs: int, inputs: np.ndarray, radius: float) -> VGroup:
        """Each drawn input's pixel as (row, column) when the input is a square image, else its index."""
        side = int(round(np.sqrt(n_inputs)))
        square = side * side == n_inputs
        labels = VGroup(*(text(f"({i // side},{i % side})" if square else str(i), size=14, color=MUTED)
                          .next_to(c, LEFT, buff=radius + 0.08) for i, c in zip(inputs, self.centers[0])))
        head = text("pixel\n(row,col)" if square else "input", size=14, color=MUTED, line_spacing=0.8)
        return VGroup(labels, head.next_to(labels, UP, buff=0.2))

    def probe_picture(self, probe: np.ndarray, inputs: np.ndarray):
        """The probe digit, with the drawn input pixels marked."""
        img = digit_image(probe, height=2.6).move_to([-5.3, 0.5, 0])
        side = int(round(np.sqrt(probe.size)))
        px = img.height / side
        top_left = img.get_corner(UP + LEFT)
        marks = VGroup(*(Square(px, color=HIGHLIGHT, stroke_width=1.5)
                         .move_to(top_left + px * np.array([i % side + 0.5, -(i // side + 0.5), 0])) for i in inputs))
        caption = text("a test digit\n(□ = drawn inputs)", size=16, color=MUTED, line_spacing=0.8)
        caption.next_to(img, DOWN, buff=0.15)
        return Group(img, caption), marks

    def notes(self, rec: Recording, shown: list[np.ndarray], scale: float) -> VGroup:
        lines = []
        if len(shown[0]) < rec.sizes[0]:
            lines.append(f"showing {len(shown[0])} of {rec.sizes[0]:,} inputs: those whose weights change most")
        hidden = [f"{len(units)} of {n:,} layer-{l}" for l, (n, units) in enumerate(zip(rec.sizes, shown))
                  if 0 < l and len(units) < n]
        if hidden:
            lines.append(f"and {' and '.join(hidden)} neurons, chosen the same way")
        lines.append(f"blue +, red −; full colour and width at |w| ≥ {fmt(scale, 2)}")
        lines.append("brightness = activation on the test digit")
        group = VGroup(*(text(s, size=16, color=MUTED) for s in lines)).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        return group.to_edge(DOWN, buff=0.42).shift(RIGHT * 1.2)


# -- FirstLayerWeights ---------------------------------------------------------------------------


class FirstLayerWeights(Scene):
    """Each layer-1 neuron's 784 incoming weights as a 28x28 image, from random to trained.

    The final frame shows the last snapshot's weights; `self.weight_images` holds those images
    in row-major neuron order (neuron j is row j // columns, column j % columns of the grid)."""

    SNAPSHOTS = 6
    PERCENTILE = 99
    GRID_BOX = (6.2, 6.2)  # width, height the grid may take
    GRID_CENTER = np.array([-2.7, -0.3, 0])

    def construct(self) -> None:
        rec = load_run()
        snaps = spread_snapshots(rec, self.SNAPSHOTS)
        final = rec.network(-1).weights[0]
        scale = float(np.percentile(np.abs(final), self.PERCENTILE)) or 1.0
        n = final.shape[0]
        self.columns = math.ceil(math.sqrt(n))

        heading = title("What the first layer learned")
        explain = text(f"each square: the {final.shape[1]} weights into one\nlayer-1 neuron, each drawn on the "
                       f"pixel it\nmultiplies; neurons 1–{n}, row by row", size=18, color=MUTED, line_spacing=0.9)
        legend = self.legend(scale)
        readout = self.readout(rec, snaps[0], rec.network(snaps[0]).weights[0])
        side = Group(explain, readout, legend).arrange(DOWN, aligned_edge=LEFT, buff=0.55)
        side.move_to([0, -0.2, 0]).to_edge(RIGHT, buff=0.5)
        readout_anchor = readout.get_corner(UP + LEFT)

        images = self.grid(rec.network(snaps[0]).weights[0], scale)
        frames = VGroup(*(SurroundingRectangle(img, buff=0.03, color=MUTED, stroke_width=1) for img in images))
        self.add(run_tag(rec))
        self.play(Write(heading), FadeIn(explain), FadeIn(legend), FadeIn(readout), run_time=0.8)
        self.play(FadeIn(Group(*images), lag_ratio=0.05), Create(frames), run_time=1.0)
        self.wait(0.8)
        for k in snaps[1:]:
            w = rec.network(k).weights[0]
            new = self.grid(w, scale)
            new_readout = self.readout(rec, k, w).move_to(readout_anchor, aligned_edge=UP + LEFT)
            # The new snapshot fades in over the old one; the old images go once it is fully there.
            self.play(FadeIn(Group(*new)), Transform(readout, new_readout), run_time=0.8)
            self.remove(*images)
            images = new
            self.wait(0.8 if k != snaps[-1] else 0.3)
        self.weight_images = images
        self.wait(1.2)

    def grid(self, w: np.ndarray, scale: float) -> list:
        """One pixel image per neuron, in row-major order, laid out in a grid."""
        n, m = w.shape
        side = int(round(math.sqrt(m)))
        rows = math.ceil(n / self.columns)
        gap = 0.1
        cell = min((self.GRID_BOX[0] + gap) / self.columns, (self.GRID_BOX[1] + gap) / rows) - gap
        images = []
        for j in range(n):
            img = pixel_image(weights_rgb(w[j].reshape(side, side), scale), height=cell)
            r, c = divmod(j, self.columns)
            offset = np.array([(c - (self.columns - 1) / 2) * (cell + gap), -(r - (rows - 1) / 2) * (cell + gap), 0])
            images.append(img.move_to(self.GRID_CENTER + offset))
        return images

    @staticmethod
    def legend(scale: float) -> Group:
        """A colour bar from -scale (red) through 0 (dark) to +scale (blue), with the fixed scale stated."""
        ramp = np.linspace(-scale, scale, 129)[None, :].repeat(4, axis=0)
        bar = pixel_image(weights_rgb(ramp, scale), height=0.25)
        bar.stretch_to_fit_width(3.4)
        frame = Rectangle(width=bar.width, height=bar.height, color=MUTED, stroke_width=1).move_to(bar)
        ticks = VGroup(*(text(s, size=16, color=MUTED).next_to(bar.get_corner(DOWN + d), DOWN, buff=0.1)
                         for s, d in ((f"−{fmt(scale, 2)}", LEFT), ("0", np.zeros(3)), (f"+{fmt(scale, 2)}", RIGHT))))
        ticks[1].next_to(bar, DOWN, buff=0.1)
        note = text(f"fixed scale for every frame: full colour at\n|w| ≥ {fmt(scale, 2)}, the 99th percentile "
                    "of the\ntrained |w|; brighter = larger", size=16, color=MUTED, line_spacing=0.9)
        note.next_to(ticks, DOWN, aligned_edge=LEFT, buff=0.2).align_to(bar, LEFT)
        return Group(bar, frame, ticks, note)

    @staticmethod
    def readout(rec: Recording, k: int, w: np.ndarray) -> VGroup:
        return VGroup(
            text(step_text(rec, k), size=24),
            text(stage_text(rec, k), size=SMALL, color=HIGHLIGHT),
            text(f"largest |w| now: {fmt(float(np.abs(w).max()), 2)}", size=SMALL, color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
