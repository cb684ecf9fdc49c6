"""The seed runs' picture: the end of experiments.ManyMinima and the start of credits.Credits.

Several runs of the same network from different random starts: their costs and test accuracies
side by side, and how far apart their final weights are (nn/probes.py measures it), drawn once."""

from __future__ import annotations

import sys

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Line,
    ManimColor,
    Square,
    VGroup,
    interpolate_color,
)

from nn.probes import (
    matched_distances,
    moved_from_start,
    relative_distances,
    weight_sizes,
)
from nn.recording import Recording
from scenes.charts import axis_names, curve, hbar, log_cost_axes
from scenes.run import fail, group_folder, load_group_runs
from scenes.style import BACKGROUND, HIGHLIGHT, MUTED, POSITIVE, TEXT, fmt, pct, text

# apart from the blue and orange of compared pairs (true / shuffled labels) and from each other
SEED_COLORS = [ManimColor(c) for c in ("#F06292", "#83C167", "#B189F5", "#E8E8E8", "#C8A27A", "#26A69A", "#D4E157",
                                        "#8A8F98")]


def group_if_made(kind: str) -> dict[str, Recording] | None:
    """An experiment group's runs, or None (with a warning) when its folder was never made: for
    scenes that only open on, or list, a group another scene is about."""
    if not group_folder(kind).is_dir():
        print(f"warning: no {kind} runs at {group_folder(kind)}; make them with `python -m nn group {kind}`",
              file=sys.stderr, flush=True)
        return None
    return load_group_runs(kind)


def seed_runs() -> dict[str, Recording]:
    """The seeds group in seed order; at least two runs of one network shape, else a clear error."""
    group = load_group_runs("seeds")
    if len(group) < 2:
        fail(f"only {len(group)} readable seed run; the seeds group needs at least 2; make them with "
             "`python -m nn group seeds`")
    names = sorted(group, key=lambda n: (group[n].config["seed"], n))
    if len({tuple(group[n].sizes) for n in names}) > 1:
        fail("the seed runs have different layer sizes, so their weights cannot be compared; remake them with "
             "`python -m nn group seeds`")
    return {n: group[n] for n in names}


class MinimaPicture:
    """The seed runs side by side: cost paths per epoch (left), final training cost and test accuracy
    bars (middle), the matrix of relative distances between final weights (right), every piece named.
    The runs are called "start 1", "start 2", ... (in seed order; the seeds go on the end card).

    `final_costs`, `final_test_acc`: run -> last recorded value; `distances`, `matched_distances`:
    nn.probes.relative_distances / matched_distances of the final weights, runs in seed order;
    `moved`: each run's gap from its own first snapshot over its final size (nn.probes.moved_from_start);
    `start_sizes`, `final_sizes`: the size ||w|| of each run's first and last weights (nn.probes.weight_sizes);
    `start_distances`: matched_distances of the first snapshots (the yardstick for the lined-up cells).
    `matrix[-1]` the cells as trained, `matched_cells` the same cells lined up, `states` their two
    labels, `moved_row` the row of distances from each run's start under the matrix, `notes` the
    three ranges (as trained, lined up, starts lined up)."""

    def __init__(self, runs: dict[str, Recording]) -> None:
        names = list(runs)
        first = runs[names[0]]
        colors = {n: SEED_COLORS[i % len(SEED_COLORS)] for i, n in enumerate(names)}
        self.labels = {n: f"start {i + 1}" for i, n in enumerate(names)}
        self.final_costs = {n: float(r["epoch_train_cost"][-1]) for n, r in runs.items()}
        self.final_test_acc = {n: float(r["epoch_test_acc"][-1]) for n, r in runs.items()}
        finals = [runs[n]["params"][-1] for n in names]
        starts = [runs[n]["params"][0] for n in names]
        self.start_step = max(int(runs[n]["snap_step"][0]) for n in names)  # 0: the random starting weights
        self.distances = relative_distances(finals)
        self.matched_distances = matched_distances(finals, first.sizes)
        self.moved = moved_from_start(starts, finals)
        self.start_sizes, self.final_sizes = weight_sizes(starts), weight_sizes(finals)
        self.start_distances = matched_distances(starts, first.sizes)

        costs = np.concatenate([r["epoch_train_cost"] for r in runs.values()])
        epochs = max(r.epochs_done for r in runs.values())
        self.axes = log_cost_axes(costs, epochs, 3.6, 5.2).move_to([-4.75, -0.3, 0])
        self.axes_names = axis_names(self.axes, "training cost (log scale)")
        self.paths = [curve(self.axes, runs[n]["epoch_train_cost"], colors[n], width=2.5) for n in names]

        pitch = min(0.34, 1.7 / len(names))  # two blocks of bars share the height of the cost plot

        def block(top_y: float, heading: str, values: dict, full: float, show) -> tuple[VGroup, VGroup]:
            x0, length = -1.25, 1.5
            bars, rest = VGroup(), VGroup(text(heading, size=22).move_to([x0 - 1.0, top_y, 0], aligned_edge=LEFT))
            for i, n in enumerate(names):
                y = top_y - 0.42 - i * pitch
                bars.add(hbar(length * values[n] / full, colors[n], height=0.24).move_to([x0, y, 0], aligned_edge=LEFT))
                rest.add(text(self.labels[n], size=20, color=colors[n]).next_to([x0, y, 0], LEFT, buff=0.12),
                         text(show(values[n]), size=20, color=colors[n]).next_to(bars[-1], RIGHT, buff=0.1))
            rest.add(Line([x0, top_y - 0.22, 0], [x0, top_y - 0.62 - (len(names) - 1) * pitch, 0], color=MUTED,
                          stroke_width=1.5))
            return bars, rest

        self.cost_bars, self.cost_rest = block(2.3, f"training cost at epoch {epochs}", self.final_costs,
                                               max(self.final_costs.values()), fmt)
        self.acc_bars, self.acc_rest = block(2.3 - 0.8 - len(names) * pitch, "test accuracy", self.final_test_acc,
                                             1.0, pct)
        self.matrix = self.distance_matrix(names, colors)
        cells = self.matrix[-1]
        self.matched_cells = self.cells(self.matched_distances)
        self.moved_row = self.own_start_row(names, colors)
        # what the cells show: the weights as trained, then with hidden neurons lined up (one at a time)
        self.states = VGroup(*(text(s, size=20, color=MUTED).next_to(self.moved_row, DOWN, buff=0.15).match_x(cells)
                               for s in ("cells: as trained", "cells: hidden neurons lined up")))
        lo, hi, mlo, mhi = self.spreads()
        _, _, slo, shi = self.start_spread()
        self.notes = VGroup(
            text(f"as trained: {fmt(lo, 2)} – {fmt(hi, 2)}", size=20, color=HIGHLIGHT),
            text(f"lined up: {fmt(mlo, 2)} – {fmt(mhi, 2)}", size=20, color=HIGHLIGHT),
            text(f"random starts, lined up: {fmt(slo, 2)} – {fmt(shi, 2)}", size=20, color=HIGHLIGHT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12).next_to(self.states, DOWN, buff=0.18)
        self.notes.align_to(self.matrix[3], LEFT)
        self.cite = text("Choromanska et al. 2015", size=22, color=TEXT).move_to([-0.6, -3.55, 0])  # under the bars

    def distance_matrix(self, names: list[str], colors: dict) -> VGroup:
        """Cells of ||w_a - w_b|| / sqrt(||w_a|| ||w_b||), brighter = farther, with run labels and a heading
        that says it in words: the gap over the size of the weights."""
        cell = min(0.72, 3.6 / len(names))
        self.cell = cell
        origin = np.array([6.6 - cell * (len(names) - 0.5), 1.8, 0])
        self.squares = VGroup(*(Square(side_length=cell * 0.94, stroke_width=0).move_to(
            origin + np.array([b * cell, -a * cell, 0])) for a in range(len(names)) for b in range(len(names))))
        self.cell_text = min(20, 28 * cell)
        cells = self.cells(self.distances)
        rows = VGroup(*(text(self.labels[n], size=20, color=colors[n]).next_to(
            origin + np.array([0, -i * cell, 0]), LEFT, buff=cell / 2 + 0.12) for i, n in enumerate(names)))
        cols = VGroup(*(text(str(i + 1), size=20, color=colors[n]).next_to(
            origin + np.array([i * cell, 0, 0]), UP, buff=cell / 2 + 0.08) for i, n in enumerate(names)))
        words = text("gap / size of the weights", size=20, color=MUTED).next_to(cols, UP, buff=0.12)
        head = text("final weights apart", size=22).next_to(words, UP, buff=0.1)
        return VGroup(head, words, cols, rows, cells)

    def own_start_row(self, names: list[str], colors: dict) -> VGroup:
        """Under the matrix: each run's gap from its own start over its final size (the cells' scale)."""
        where = "from own start" if self.start_step == 0 else f"from step {self.start_step:,}"
        bottom = self.squares[-len(names):]
        values = VGroup(*(text(fmt(float(m), 2), size=self.cell_text, color=colors[n]).next_to(sq, DOWN, buff=0.22)
                          for m, n, sq in zip(self.moved, names, bottom)))
        name = text(where, size=20, color=TEXT).next_to(values, DOWN, buff=0.12)  # below: clear of the bars
        return VGroup(values, name)

    def cells(self, values: np.ndarray) -> VGroup:
        """One cell per pair showing `values[a, b]`, brighter = farther, on one scale for the plain and
        the lined-up distances (0 darkest, the largest plain distance brightest; squared, so the drop
        from about 1.4 to about 1.05 reads as a clear dimming)."""
        top = float(self.distances.max()) or 1.0
        cells = VGroup()
        for d, square in zip(values.ravel().tolist(), self.squares):
            shade = 0.08 + 0.8 * min(d / top, 1.0) ** 2
            sq = square.copy().set_fill(interpolate_color(BACKGROUND, POSITIVE, shade), opacity=1)
            cells.add(VGroup(sq, text(fmt(d, 2), size=self.cell_text, color=TEXT).move_to(sq)))
        return cells

    def spreads(self) -> tuple[float, float, float, float]:
        """Smallest and largest distance between two different runs, plain and after matching neurons."""
        off = ~np.eye(len(self.distances), dtype=bool)
        return (float(self.distances[off].min()), float(self.distances[off].max()),
                float(self.matched_distances[off].min()), float(self.matched_distances[off].max()))

    def start_spread(self) -> tuple[float, float, float, float]:
        """(least, most) distance of a run from its own start, (least, most) between two starts lined up."""
        off = ~np.eye(len(self.start_distances), dtype=bool)
        return (float(self.moved.min()), float(self.moved.max()), float(self.start_distances[off].min()),
                float(self.start_distances[off].max()))

    def whole(self) -> VGroup:
        """The picture as ManyMinima ends on it: the cells with hidden neurons lined up."""
        return VGroup(self.axes, self.axes_names, *self.paths, self.cost_bars, self.cost_rest, self.acc_bars,
                      self.acc_rest, self.matrix[:-1], self.matched_cells, self.moved_row, self.states[1], self.notes,
                      self.cite)
