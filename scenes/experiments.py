"""Two experiments from groups of recorded runs (`python -m nn group ...`), each a published finding.

`MemorisationRuns` (Zhang et al. 2016, arXiv:1611.03530): the same network on the same training
digits with true labels and with labels shuffled across the set. Both training costs fall; only
the true labels give test accuracy above chance, while the shuffled run memorises its digits.

`ManyMinima` (Choromanska et al. 2015, arXiv:1412.0233): the same run from several random starts.
Each path goes down to a similar cost and accuracy, yet the final weights lie far apart.

Every number and curve is read from the group's recordings (scenes.run.load_group_runs).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    FadeIn,
    GrowFromEdge,
    Line,
    LogBase,
    ManimColor,
    Rectangle,
    Scene,
    Square,
    Text,
    VGroup,
    Write,
    interpolate_color,
    linear,
)
from scipy.optimize import linear_sum_assignment

from nn.network import layer_views
from nn.recording import Recording
from scenes.results import EPOCH_AXIS, nice_step
from scenes.run import ROOT, fail, load_group_runs
from scenes.style import (
    BACKGROUND,
    GOOD,
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SHUFFLED,
    SURFACE_HIGH,
    SURFACE_MID,
    TEXT,
    fmt,
    pct,
    tex,
    text,
    title,
)

# -- shared helpers ------------------------------------------------------------------------------


def train_count(rec: Recording) -> int:
    """How many digits the run trained on (config.train_size, else the dataset's whole training set)."""
    return int(rec.config.get("train_size") or rec.meta["dataset"]["train_size"])


def folder_name(rec: Recording) -> str:
    """The group's folder, relative to the project when it is inside it."""
    folder = rec.path.parent.resolve() if rec.path else Path(".")
    try:
        return str(folder.relative_to(ROOT)) + "/"
    except ValueError:
        return str(folder) + "/"


def group_note(runs: dict[str, Recording], details: str) -> Text:
    """Small bottom-left provenance: the folder, the runs in it, and what they share."""
    first = next(iter(runs.values()))
    odd = [f"{n} {r.status}" for n, r in runs.items() if r.status != "complete"]
    names = ", ".join(f"{n}.npz" for n in runs)
    line = f"{folder_name(first)}: {names}; {details}" + (f" ({', '.join(odd)})" if odd else "")
    return text(line, size=14, color=MUTED).to_corner(LEFT + DOWN, buff=0.2)


def log_cost_axes(values: np.ndarray, epochs: int, x_length: float, y_length: float) -> Axes:
    """Epochs across, cost on a log scale covering every value given."""
    lo = math.floor(math.log10(max(float(values.min()), 1e-6)))
    hi = max(math.ceil(math.log10(float(values.max()))), lo + 1)
    return Axes(
        x_range=[0, max(epochs, 1), max(1, nice_step(max(epochs, 1)))], y_range=[lo, hi, 1],
        x_length=x_length, y_length=y_length, tips=False,
        axis_config={"color": MUTED, "font_size": 18}, x_axis_config=EPOCH_AXIS,
        y_axis_config={"scaling": LogBase(custom_labels=True), "include_numbers": True},
    )


def axis_names(axes: Axes, y_name: str, color: ManimColor = MUTED) -> VGroup:
    x = text("epoch", size=16, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.35)
    y = text(y_name, size=18, color=color).next_to(axes.y_axis, UP, buff=0.15).align_to(axes.y_axis, LEFT)
    return VGroup(x, y)


def curve(axes: Axes, values: np.ndarray, color: ManimColor, width: float = 3) -> VGroup:
    return axes.plot_line_graph(np.arange(len(values)), values, add_vertex_dots=False, line_color=color,
                                stroke_width=width)["line_graph"]


def end_label(axes: Axes, x: float, y: float, s: str, color: ManimColor) -> Text:
    label = text(s, size=15, color=color).next_to(axes.c2p(x, y), RIGHT, buff=0.08)
    return label.add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.03)


def hbar(length: float, color: ManimColor, height: float = 0.22) -> Rectangle:
    return Rectangle(width=max(length, 0.01), height=height, stroke_width=0, fill_color=color, fill_opacity=0.9)


def separate(labels: list[Text], min_gap: float) -> None:
    """Nudge vertically stacked end labels apart so none overlaps the next (keeps their order)."""
    order = sorted(labels, key=lambda m: m.get_center()[1])
    for below, above in zip(order, order[1:]):
        gap = above.get_bottom()[1] - below.get_top()[1]
        if gap < min_gap:
            above.shift(UP * (min_gap - gap))


# -- MemorisationRuns ----------------------------------------------------------------------------


class MemorisationRuns(Scene):
    """True vs shuffled labels (Zhang et al. 2016): training cost falls for both, test accuracy rises
    for one only, and the shuffled run ends up right on many of its training digits (memorised).

    `self.runs` is {"true": Recording, "shuffled": Recording}; `self.cost_axes`, `self.acc_axes` the
    two Axes (x in epochs; cost on a log axis, accuracy as a fraction in [0, 1])."""

    COLORS = {"true": GOOD, "shuffled": SHUFFLED}

    def construct(self) -> None:
        group = load_group_runs("memorisation")
        missing = [n for n in ("true", "shuffled") if n not in group]
        if missing:
            where = folder_name(next(iter(group.values())))
            fail(f"{where}: missing {', '.join(m + '.npz' for m in missing)}; make both runs with "
                 f"`python -m nn group memorisation --out {where}`")
        self.runs = runs = {n: group[n] for n in ("true", "shuffled")}
        true, shuffled = runs["true"], runs["shuffled"]
        epochs = max(r.epochs_done for r in runs.values())
        n_train, n_test = train_count(shuffled), shuffled.meta["dataset"]["test_size"]
        c = true.config
        s = shuffled.config
        differ = sorted(k for k in set(c) | set(s) if k != "labels" and c.get(k) != s.get(k))

        heading = title("Learning or memorising?")
        sub = text(f"the same {'-'.join(map(str, c['sizes']))} network on the same {train_count(true):,} training "
                   f"digits for {epochs} epochs, once with their true labels and once\nwith the labels shuffled "
                   "across the set (Zhang et al. 2016, arXiv:1611.03530)"
                   + (f"; note: the runs also differ in {', '.join(differ)}" if differ else ""),
                   size=16, color=MUTED, line_spacing=0.8)
        sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)

        costs = np.concatenate([r["epoch_train_cost"] for r in runs.values()])
        self.cost_axes = cost_axes = log_cost_axes(costs, epochs, 5.2, 2.8).move_to([-3.55, 0.2, 0])
        self.acc_axes = acc_axes = Axes(
            x_range=[0, epochs, max(1, nice_step(epochs))], y_range=[0, 1, 0.25], x_length=5.2, y_length=2.8,
            tips=False, axis_config={"color": MUTED, "font_size": 18}, x_axis_config=EPOCH_AXIS,
        ).move_to([3.45, 0.2, 0])
        acc_axes.y_axis.add_labels({v: text(f"{round(100 * v)}%", size=16, color=MUTED) for v in (0, 0.5, 1)})
        names = VGroup(
            axis_names(cost_axes, "training cost (log scale)"),
            axis_names(acc_axes, f"test accuracy ({n_test:,} digits never trained on)"),
        )
        legend = VGroup(*(
            VGroup(Line(LEFT * 0.2, RIGHT * 0.2, color=self.COLORS[n], stroke_width=4),
                   text(f"{n} labels", size=18, color=self.COLORS[n])).arrange(RIGHT, buff=0.12)
            for n in runs
        )).arrange(RIGHT, buff=0.5).to_corner(UP + RIGHT, buff=0.4)

        chance = 1 / true.sizes[-1]
        chance_line = DashedLine(acc_axes.c2p(0, chance), acc_axes.c2p(epochs, chance), color=MUTED,
                                 stroke_width=1.5)
        chance_label = text(f"chance {pct(chance)}", size=14, color=MUTED).next_to(chance_line, UP, buff=0.05)
        chance_label.align_to(chance_line, RIGHT)

        cost_curves = [curve(cost_axes, r["epoch_train_cost"], self.COLORS[n]) for n, r in runs.items()]
        acc_curves = [curve(acc_axes, r["epoch_test_acc"], self.COLORS[n]) for n, r in runs.items()]
        cost_ends = [end_label(cost_axes, r.epochs_done, r["epoch_train_cost"][-1], fmt(r["epoch_train_cost"][-1]),
                               self.COLORS[n]) for n, r in runs.items()]
        acc_ends = [end_label(acc_axes, r.epochs_done, r["epoch_test_acc"][-1], pct(r["epoch_test_acc"][-1]),
                              self.COLORS[n]) for n, r in runs.items()]
        separate(cost_ends, 0.05)
        separate(acc_ends, 0.05)

        # The shuffled run on its own training digits (with the labels it was given) vs on test digits.
        tr, te = float(shuffled["epoch_train_acc"][-1]), float(shuffled["epoch_test_acc"][-1])
        scale, x0 = 4.2, -0.9
        rows = VGroup()
        for y, acc, where, note in (
            (-2.7, tr, f"its {n_train:,} training digits (shuffled labels)",
             f"{pct(tr)} right ({round(tr * n_train):,}): memorised"),
            (-3.15, te, f"{n_test:,} test digits", f"{pct(te)} right ({round(te * n_test):,}): no better than chance"),
        ):
            bar = hbar(scale * acc, SHUFFLED).move_to([x0, y, 0], aligned_edge=LEFT)
            label = text(where, size=16, color=TEXT).next_to([x0, y, 0], LEFT, buff=0.15)
            value = text(note, size=16, color=SHUFFLED).next_to(bar, RIGHT, buff=0.12)
            rows.add(VGroup(bar, label, value))
        frame = Line([x0, -2.5, 0], [x0, -3.35, 0], color=MUTED, stroke_width=1.5)
        full = DashedLine([x0 + scale, -2.5, 0], [x0 + scale, -3.35, 0], color=MUTED, stroke_width=1)
        rows_title = text(f"shuffled labels after {shuffled.epochs_done} epochs:", size=16, color=SHUFFLED)
        rows_title.next_to(rows[0][1], UP, buff=0.12).align_to(rows[0][1], LEFT)
        full_label = text("100%", size=13, color=MUTED).next_to(full, UP, buff=0.04)

        note = group_note(runs, f"{true.meta['dataset']['name']}, seed {c['seed']}, lr {c['lr']}, "
                                f"batch {c['batch_size']}")
        self.add(note)
        self.play(Write(heading), FadeIn(sub), Create(cost_axes), FadeIn(names[0]), FadeIn(legend), run_time=1.2)
        self.play(*(Create(k) for k in cost_curves), run_time=2.6, rate_func=linear)
        self.play(*(FadeIn(e) for e in cost_ends), run_time=0.4)
        self.play(Create(acc_axes), FadeIn(names[1]), FadeIn(chance_line), FadeIn(chance_label), run_time=0.7)
        self.play(*(Create(k) for k in acc_curves), run_time=2.6, rate_func=linear)
        self.play(*(FadeIn(e) for e in acc_ends), run_time=0.4)
        self.play(FadeIn(rows_title), FadeIn(frame), FadeIn(full), FadeIn(full_label),
                  *(GrowFromEdge(r[0], LEFT) for r in rows), *(FadeIn(r[1]) for r in rows), run_time=1.0)
        self.play(*(FadeIn(r[2]) for r in rows), run_time=0.5)
        self.wait(2.0)


# -- ManyMinima ----------------------------------------------------------------------------------


SEED_COLORS = [ManimColor(c) for c in (POSITIVE, HIGHLIGHT, NEGATIVE, GOOD, "#B189F5", SURFACE_HIGH, "#F28C28",
                                        SURFACE_MID)]


def relative_distances(finals: list[np.ndarray]) -> np.ndarray:
    """D[a, b] = ||w_a - w_b|| / ||w_a|| for the final weight vectors."""
    return np.array([[np.linalg.norm(a - b) / np.linalg.norm(a) for b in finals] for a in finals])


def match_hidden_neurons(ref: np.ndarray, w: np.ndarray, sizes: list[int]) -> np.ndarray:
    """w with each hidden layer's neurons reordered to best match ref (the same function as w).

    Layer by layer, the neurons are paired to maximise the summed dot product of their incoming
    weights and bias (an assignment problem), and the next layer's columns follow the new order.
    """
    w = w.copy()
    rw, rb = layer_views(ref, sizes)
    ws, bs = layer_views(w, sizes)
    for l in range(len(sizes) - 2):
        a = np.hstack([rw[l], rb[l][:, None]])
        b = np.hstack([ws[l], bs[l][:, None]])
        _, order = linear_sum_assignment(-a @ b.T)
        ws[l][:], bs[l][:] = ws[l][order], bs[l][order]
        ws[l + 1][:] = ws[l + 1][:, order]
    return w


def spread(values, show) -> str:
    return f"{show(min(values))} – {show(max(values))}"


class ManyMinima(Scene):
    """The same run from N random starts (Choromanska et al. 2015): the paths down, the final costs and
    test accuracies close together, the final weights far apart.

    `self.final_costs` / `self.final_test_acc`: run name -> last recorded training cost / test accuracy;
    `self.distances[a, b]` = ||w_a - w_b|| / ||w_a|| for the final weights (runs in `self.names` order),
    `self.matched_distances` the same after reordering hidden neurons to match."""

    def construct(self) -> None:
        group = load_group_runs("seeds")
        if len(group) < 2:
            where = folder_name(next(iter(group.values())))
            fail(f"{where}: only {len(group)} readable run; the seeds group needs at least 2; make them with "
                 f"`python -m nn group seeds --out {where}`")
        self.names = names = sorted(group, key=lambda n: (group[n].config["seed"], n))
        runs = {n: group[n] for n in names}
        sizes = runs[names[0]].sizes
        if any(r.sizes != sizes for r in runs.values()):
            fail(f"{folder_name(runs[names[0]])}: the runs have different layer sizes, so their weights cannot be "
                 "compared; remake them with `python -m nn group seeds`")
        colors = {n: SEED_COLORS[i % len(SEED_COLORS)] for i, n in enumerate(names)}
        seeds = {n: runs[n].config["seed"] for n in names}
        epochs = max(r.epochs_done for r in runs.values())
        self.final_costs = {n: float(r["epoch_train_cost"][-1]) for n, r in runs.items()}
        self.final_test_acc = {n: float(r["epoch_test_acc"][-1]) for n, r in runs.items()}
        finals = [runs[n]["params"][-1] for n in names]
        self.distances = relative_distances(finals)
        matched = [[match_hidden_neurons(a, b, sizes) for b in finals] for a in finals]
        self.matched_distances = np.array([[np.linalg.norm(a - m) / np.linalg.norm(a) for m in row]
                                           for a, row in zip(finals, matched)])
        first = runs[names[0]]
        n_test = first.meta["dataset"]["test_size"]

        heading = title("Many ways down")
        sub = text(f"the same {'-'.join(map(str, sizes))} network on the same {train_count(first):,} training digits "
                   f"for {epochs} epochs, from {len(names)} different random starting weights\n(seeds "
                   f"{', '.join(str(seeds[n]) for n in names)}); Choromanska et al. 2015, arXiv:1412.0233",
                   size=16, color=MUTED, line_spacing=0.8)
        sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)

        # 1. The paths down: training cost per epoch, one line per start.
        costs = np.concatenate([r["epoch_train_cost"] for r in runs.values()])
        axes = log_cost_axes(costs, epochs, 3.8, 3.4).move_to([-4.6, -0.3, 0])
        paths = [curve(axes, runs[n]["epoch_train_cost"], colors[n], width=2.5) for n in names]
        axes_names = axis_names(axes, "training cost per epoch (log scale)")

        # 2. Where they ended: final training cost and test accuracy, one bar each.
        x0, length, pitch = -0.55, 1.9, 0.27
        cost_top = max(self.final_costs.values())

        def bar_block(top_y: float, heading_s: str, values: dict, full: float, show) -> tuple[VGroup, VGroup, Text]:
            """Header, one labelled bar per run, and the spread line: (bars, the rest, spread)."""
            head = text(heading_s, size=16, color=TEXT).move_to([x0 - 0.9, top_y, 0], aligned_edge=LEFT)
            bars, rest = VGroup(), VGroup(head)
            for i, n in enumerate(names):
                y = top_y - 0.35 - i * pitch
                bar = hbar(length * values[n] / full, colors[n], height=0.18).move_to([x0, y, 0], aligned_edge=LEFT)
                bars.add(bar)
                rest.add(text(f"seed {seeds[n]}", size=14, color=colors[n]).next_to([x0, y, 0], LEFT, buff=0.1),
                         text(show(values[n]), size=14, color=colors[n]).next_to(bar, RIGHT, buff=0.08))
            bottom = top_y - 0.5 - (len(names) - 1) * pitch
            rest.add(Line([x0, top_y - 0.2, 0], [x0, bottom, 0], color=MUTED, stroke_width=1.5))
            spread_line = text(f"spread {spread(list(values.values()), show)}", size=15, color=HIGHLIGHT)
            spread_line.move_to([x0 - 0.9, bottom - 0.15, 0], aligned_edge=LEFT)
            return bars, rest, spread_line

        cost_bars, cost_rest, cost_spread = bar_block(1.5, "final training cost", self.final_costs, cost_top, fmt)
        acc_bars, acc_rest, acc_spread = bar_block(
            1.5 - 0.95 - len(names) * pitch, f"final test accuracy ({n_test:,} digits)", self.final_test_acc, 1.0, pct)
        acc_rest.add(text("(bars from 0 to 100%)", size=13, color=MUTED).next_to(acc_spread, RIGHT, buff=0.15))

        # 3. How far apart the final weights are: a matrix of relative distances.
        cell = min(0.48, 2.4 / len(names))
        top = float(self.distances.max()) or 1.0
        origin = np.array([4.75 - cell * (len(names) - 1) / 2, 0.55, 0])
        matrix = VGroup()
        for a in range(len(names)):
            for b in range(len(names)):
                d = float(self.distances[a, b])
                where = origin + np.array([b * cell, -a * cell, 0])
                sq = Square(side_length=cell * 0.94, stroke_width=0).move_to(where)
                sq.set_fill(interpolate_color(BACKGROUND, POSITIVE, 0.15 + 0.6 * d / top), opacity=1)
                matrix.add(VGroup(sq, text(fmt(d, 2), size=12 if cell < 0.5 else 13, color=TEXT).move_to(where)))
        row_labels = VGroup(*(text(str(seeds[n]), size=14, color=colors[n]).next_to(
            origin + np.array([0, -i * cell, 0]), LEFT, buff=cell / 2 + 0.08) for i, n in enumerate(names)))
        col_labels = VGroup(*(text(str(seeds[n]), size=14, color=colors[n]).next_to(
            origin + np.array([i * cell, 0, 0]), UP, buff=cell / 2 + 0.06) for i, n in enumerate(names)))
        row_name = text("seed a", size=13, color=MUTED).rotate(math.pi / 2).next_to(row_labels, LEFT, buff=0.12)
        col_name = text("seed b", size=13, color=MUTED).next_to(col_labels, UP, buff=0.08)
        formula = tex(r"\frac{\lVert w_a - w_b \rVert}{\lVert w_a \rVert}", size=26).next_to(col_name, UP, buff=0.12)
        m_head = text("how far apart the final weights are", size=16).next_to(formula, UP, buff=0.12)
        off = ~np.eye(len(names), dtype=bool)
        lo, hi = float(self.distances[off].min()), float(self.distances[off].max())
        mlo, mhi = float(self.matched_distances[off].min()), float(self.matched_distances[off].max())
        m_notes = VGroup(
            text(f"every pair: {fmt(lo, 2)} – {fmt(hi, 2)}", size=16, color=HIGHLIGHT),
            text("(identical weights would give 0)", size=13, color=MUTED),
            text("after reordering hidden neurons to\nmatch (the networks are unchanged):\n"
                 f"still {fmt(mlo, 2)} – {fmt(mhi, 2)}",
                 size=14, color=MUTED, line_spacing=0.8),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        m_notes.next_to(matrix, DOWN, buff=0.25).align_to(row_name, LEFT)
        matrix_all = VGroup(m_head, formula, col_name, col_labels, row_labels, row_name, matrix)

        c = first.config
        note = group_note(runs, f"{first.meta['dataset']['name']}, labels {c['labels']}, lr {c['lr']}, "
                                f"batch {c['batch_size']}")
        self.add(note)
        self.play(Write(heading), FadeIn(sub), Create(axes), FadeIn(axes_names), run_time=1.0)
        self.play(*(Create(p) for p in paths), run_time=3.0, rate_func=linear)
        self.play(*(GrowFromEdge(b, LEFT) for b in [*cost_bars, *acc_bars]), FadeIn(cost_rest), FadeIn(acc_rest),
                  run_time=1.2)
        self.play(FadeIn(cost_spread), FadeIn(acc_spread), run_time=0.5)
        self.wait(0.6)
        self.play(FadeIn(matrix_all, lag_ratio=0.02), run_time=1.4)
        self.play(FadeIn(m_notes), run_time=0.6)
        self.wait(2.0)

