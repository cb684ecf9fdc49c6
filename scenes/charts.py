"""Chart pieces shared by the results and experiment scenes: epoch axes for cost (log scale) and
accuracy (0-100%), axis names, the chance line, curves, end labels, legends, and shares as the
narrator reads them. One look for every chart in the chapter, written once.

Also the output bars of one input (results.RandomNoiseInput), and the confidence histograms
(noise vs real digits) that end results.RandomNoiseInput and open experiments.MemorisationRuns, so
they are drawn once. The seed runs' picture lives in scenes/minima.py."""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    PI,
    RIGHT,
    UP,
    Axes,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    LogBase,
    ManimColor,
    Mobject,
    Rectangle,
    Succession,
    Text,
    VGroup,
)

from nn.errors import UserError
from nn.probes import (
    NoiseProbe,
    probe_noise,
    run_dataset,
)
from nn.recording import Recording
from scenes.run import fail
from scenes.style import BACKGROUND, HIGHLIGHT, MUTED, POSITIVE, TEXT, fmt, pct, text, title

AXIS_STYLE = {"color": MUTED, "font_size": 18}
LONG_NAME = 1.15  # longest upright class name under output bars, in scene units
TICK_SIZE = 16  # tick numbers: sans-serif, like every other word on a chart
STEP_GREY = "#B8BCC4"  # the mini-batch line: a light grey that reads on the dark background


def scene_title(s: str) -> Text:
    """A scene title, a little lower than style.title's corner (clear of the frame's top edge)."""
    return title(s).shift(DOWN * 0.2)


def swap_heading(old: Mobject, new: Mobject) -> Succession:
    """The old title fades out fully before the new one fades in (no cross-fade of two texts)."""
    return Succession(FadeOut(old), FadeIn(new))


def spoken(x: float) -> str:
    """A share as the narrator reads it: '91.4 percent'."""
    return f"{100 * x:.1f} percent"


def train_count(rec: Recording) -> int:
    """How many digits the run trained on (config.train_size, else the dataset's whole training set)."""
    return int(rec.config.get("train_size") or rec.meta["dataset"]["train_size"])


def nice_step(span: float, most_ticks: int = 6) -> float:
    """A 1-2-5 tick step giving at most `most_ticks` intervals over `span`."""
    for step in (10.0**e * m for e in range(-3, 7) for m in (1, 2, 5)):
        if span / step <= most_ticks:
            return step
    return span


def epoch_range(epochs: float) -> list[float]:
    """x_range for an epoch axis from 0 to `epochs` with 1-2-5 ticks."""
    return [0, max(epochs, 1), max(1, nice_step(max(epochs, 1)))]


def log_cost_axes(values: np.ndarray, epochs: float, x_length: float, y_length: float) -> Axes:
    """Epochs across, cost on a log scale (powers of ten, written as decimals: 1, 0.1, 0.01)
    covering every value given."""
    lo = math.floor(math.log10(max(float(np.min(values)), 1e-6)))
    hi = max(math.ceil(math.log10(float(np.max(values)))), lo + 1)
    axes = Axes(x_range=epoch_range(epochs), y_range=[lo, hi, 1], x_length=x_length, y_length=y_length, tips=False,
                axis_config=AXIS_STYLE, y_axis_config={"scaling": LogBase()})
    axes.y_axis.add_labels({10.0**e: text(f"{10.0**e:g}", size=TICK_SIZE, color=MUTED) for e in range(lo, hi + 1)})
    return label_epochs(axes)


def accuracy_axes(epochs: float, x_length: float, y_length: float) -> Axes:
    """Epochs across, accuracy (a fraction in [0, 1]) up, labelled 0%, 50%, 100%."""
    axes = Axes(x_range=epoch_range(epochs), y_range=[0, 1, 0.25], x_length=x_length, y_length=y_length, tips=False,
                axis_config=AXIS_STYLE)
    axes.y_axis.add_labels({v: text(f"{round(100 * v)}%", size=TICK_SIZE, color=MUTED) for v in (0, 0.5, 1)})
    return label_epochs(axes)


def label_epochs(axes: Axes) -> Axes:
    """Whole-number epoch ticks under the x axis."""
    lo, hi, step = axes.x_range
    ticks = [e for e in np.arange(lo, hi + step / 2, step) if e <= hi + 1e-9]  # none past the axis's end
    axes.x_axis.add_labels({e: text(f"{e:g}", size=TICK_SIZE, color=MUTED) for e in ticks})
    return axes


def axis_names(axes: Axes, y_name: str, color: ManimColor = MUTED) -> VGroup:
    """'epoch' under the x axis and `y_name` above the y axis."""
    x = text("epoch", size=16, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.35)
    y = text(y_name, size=18, color=color).next_to(axes.y_axis, UP, buff=0.15).align_to(axes.y_axis, LEFT)
    return VGroup(x, y)


def chance_line(axes: Axes, chance: float) -> VGroup:
    """A dashed line at accuracy `chance` (guessing) across the axes, labelled above its right end."""
    end = axes.x_range[1]
    line = DashedLine(axes.c2p(0, chance), axes.c2p(end, chance), color=MUTED, stroke_width=1.5)
    label = text(f"chance {pct(chance)}", size=14, color=MUTED).next_to(line, UP, buff=0.05).align_to(line, RIGHT)
    return VGroup(line, label)


def curve(axes: Axes, values: np.ndarray, color: ManimColor, width: float = 3, x: np.ndarray | None = None) -> VGroup:
    """A line through (x, values); x defaults to 0, 1, 2, ... (one value per epoch, 0 = before training)."""
    xs = np.arange(len(values)) if x is None else x
    return axes.plot_line_graph(xs, values, add_vertex_dots=False, line_color=color,
                                stroke_width=width)["line_graph"]


def end_label(axes: Axes, x: float, y: float, s: str, color: ManimColor, size: float = 15) -> Text:
    """A value written just right of the point (x, y), on a patch of background."""
    label = text(s, size=size, color=color).next_to(axes.c2p(x, y), RIGHT, buff=0.08)
    return label.add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.03)


def separate(labels: list, min_gap: float) -> None:
    """Nudge vertically stacked labels apart so none overlaps the next (keeps their order)."""
    order = sorted(labels, key=lambda m: m.get_center()[1])
    for below, above in zip(order, order[1:]):
        gap = above.get_bottom()[1] - below.get_top()[1]
        if gap < min_gap:
            above.shift(UP * (min_gap - gap))


def legend(entries: list[tuple[str, ManimColor]], size: float = 18) -> VGroup:
    """A row of (short line, name) pairs in their colours."""
    return VGroup(*(
        VGroup(Line(LEFT * 0.2, RIGHT * 0.2, color=c, stroke_width=4), text(name, size=size, color=c))
        .arrange(RIGHT, buff=0.12) for name, c in entries
    )).arrange(RIGHT, buff=0.5)


def hbar(length: float, color: ManimColor, height: float = 0.22) -> Rectangle:
    """A horizontal bar `length` long, to be placed by its left edge."""
    return Rectangle(width=max(length, 0.01), height=height, stroke_width=0, fill_color=color, fill_opacity=0.9)


# -- the confidence picture: the end of RandomNoiseInput, the start of MemorisationRuns ------------

NOISE_SEED = 0  # default_rng(NOISE_SEED) draws the noise images
NOISE_COUNT = 1000
BINS = 20
CONFIDENT = 0.9  # "sure": highest output above this


def noise_probe(rec: Recording) -> NoiseProbe:
    """The trained network's outputs on NOISE_COUNT noise images and on the run's own test digits."""
    try:
        data = run_dataset(rec)
    except UserError as e:
        fail(f"{e} (the noise scene compares noise with the run's own test digits)")
    return probe_noise(rec.network(-1), data.x_test, NOISE_COUNT, NOISE_SEED)


def histogram(counts: np.ndarray, edges: np.ndarray, top: int, name: str, color: ManimColor) -> VGroup:
    """Axes (highest output 0..1 across, images up to `top`), one bar per bin (bins above CONFIDENT
    in yellow), a dashed line at CONFIDENT, the panel's name: VGroup(axes, bars, mark, labels)."""
    step = nice_step(top, 4)
    axes = Axes(x_range=[0, 1, 0.1], y_range=[0, top, step], x_length=5.2, y_length=2.8, tips=False,
                axis_config={"color": MUTED, "font_size": 15})
    axes.y_axis.add_labels({v: text(f"{round(v):,}", size=20, color=MUTED)
                            for v in np.arange(step, top + 1e-9, step)})
    axes.x_axis.add_labels({v: text(f"{v:g}", size=20, color=MUTED) for v in (0, 0.5, CONFIDENT, 1)})
    width = axes.c2p(edges[1], 0)[0] - axes.c2p(edges[0], 0)[0]
    bars = VGroup()
    for lo, hi, c in zip(edges[:-1], edges[1:], counts):
        fill = HIGHLIGHT if lo >= CONFIDENT - 1e-9 else color
        h = max(axes.c2p(0, c)[1] - axes.c2p(0, 0)[1], 0.005)
        bars.add(Rectangle(width=0.86 * width, height=h, stroke_width=0, fill_color=fill, fill_opacity=0.9)
                 .move_to(axes.c2p((lo + hi) / 2, 0), aligned_edge=DOWN))
    mark = DashedLine(axes.c2p(CONFIDENT, 0), axes.c2p(CONFIDENT, top), color=HIGHLIGHT, stroke_width=1.5)
    labels = VGroup(
        text(name, size=20, color=color).next_to(axes, UP, buff=0.2),
        text("images", size=18, color=MUTED).next_to(axes.y_axis, UP, buff=0.1),
        text("highest output", size=18, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.45),
    )
    return VGroup(axes, bars, mark, labels)


def confidence_picture(probe: NoiseProbe, items: str = "digits") -> VGroup:
    """Two histograms of the highest output, on noise (grey) and on real test `items` (blue), on one
    share scale, each with the count above CONFIDENT under it: VGroup(noise panel, test panel, shares)."""
    edges, noise_counts, test_counts = probe.histograms(BINS)
    n_noise, n_test = len(probe.noise_out), len(probe.test_out)
    top_share = max(noise_counts.max() / n_noise, test_counts.max() / n_test)
    top_share = min(1.0, math.ceil(top_share * 10) / 10)
    panels = [
        histogram(noise_counts, edges, max(1, round(top_share * n_noise)), f"{n_noise:,} noise images", MUTED)
        .move_to([-3.5, 0.2, 0]),
        histogram(test_counts, edges, max(1, round(top_share * n_test)), f"{n_test:,} real test {items}", POSITIVE)
        .move_to([3.5, 0.2, 0]),
    ]
    shares = VGroup()
    for panel, share, n in zip(panels, probe.confident_share(CONFIDENT), (n_noise, n_test)):
        shares.add(text(f"above {CONFIDENT:g}: {round(share * n):,} ({pct(share)})", size=18, color=HIGHLIGHT)
                   .next_to(panel, DOWN, buff=0.25))
    return VGroup(*panels, shares)


def output_bars(outputs: np.ndarray, origin: np.ndarray, names: list[str], pitch: float = 0.52,
                height: float = 3.0) -> VGroup:
    """The outputs as vertical bars on a baseline at `origin` (left end), full height = activation 1,
    each named below by `names[k]`: class names wider than the bar's pitch are all turned upright, at
    one size (the longest shrunk to `LONG_NAME`), so no name looks louder than another.

    Returns VGroup(bars, class labels, value labels, baseline); the largest output is yellow."""
    best = int(np.argmax(outputs))
    bars, digits, values = VGroup(), VGroup(), VGroup()
    for d, a in enumerate(outputs):
        x = origin + RIGHT * (pitch * (d + 0.5))
        colour = HIGHLIGHT if d == best else POSITIVE
        bars.add(Rectangle(width=0.62 * pitch, height=max(float(a) * height, 0.01), stroke_width=0,
                           fill_color=colour, fill_opacity=0.9).move_to(x, aligned_edge=DOWN))
        digits.add(text(names[d], size=20, color=HIGHLIGHT if d == best else TEXT))
        if d == best or fmt(float(a), 2) != "0.00":  # the winner large; no row of 0.00s
            values.add(text(fmt(float(a), 2), size=26 if d == best else 16, color=HIGHLIGHT if d == best else MUTED)
                       .next_to(bars[-1], UP, buff=0.08))
    widest = max(name.width for name in digits)
    if widest > 0.95 * pitch:
        for name in digits:
            name.scale(min(1.0, LONG_NAME / widest)).rotate(PI / 2)
    for name, b in zip(digits, bars):
        name.next_to([b.get_x(), origin[1], 0], DOWN, buff=0.12)
    base = Line(origin, origin + RIGHT * pitch * len(outputs), color=MUTED, stroke_width=1.5)
    return VGroup(bars, digits, values, base)
