"""The negative gradient as one long list of nudges, read from a real recorded training step.

`grads[k]` is the mini-batch gradient the run recorded at snapshot k (the step taken from
`params[k]` was -lr * grads[k]). The scene shows -grads[k]: a sample of its 13,002 entries, how
its squared length splits across the weight and bias blocks, and its largest entries by name.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    GrowFromEdge,
    Indicate,
    Line,
    Rectangle,
    Scene,
    VGroup,
    Write,
)

from nn.network import layer_views
from nn.recording import Recording
from scenes.run import load_run
from scenes.style import (
    HIGHLIGHT,
    MUTED,
    NEGATIVE,
    POSITIVE,
    SMALL,
    TEXT,
    pct,
    run_tag,
    tex,
    tex_number,
    text,
    title,
)


def blocks(sizes: list[int]) -> list[tuple[str, str, np.ndarray]]:
    """(LaTeX name, kind, flat indices) of each weight and bias block, in the flat layout's order."""
    weights, biases = layer_views(np.arange(sum(o * i + o for i, o in zip(sizes[:-1], sizes[1:]))), sizes)
    out = []
    for layer, (w, b) in enumerate(zip(weights, biases), start=1):
        out += [(f"W^{{({layer})}}", "weights", w.ravel()), (f"b^{{({layer})}}", "biases", b.ravel())]
    return out


def entry_name(i: int, sizes: list[int]) -> str:
    """LaTeX name of flat entry i: w^{(l)}_{j,k} (to neuron j from input k) or b^{(l)}_j, 0-based."""
    start = 0
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        if i < start + n_out * n_in:
            j, k = divmod(i - start, n_in)
            return f"w^{{({layer})}}_{{{j},{k}}}"
        start += n_out * n_in
        if i < start + n_out:
            return f"b^{{({layer})}}_{{{i - start}}}"
        start += n_out
    raise IndexError(i)


def nudge_color(v: float):
    return MUTED if v == 0 else (POSITIVE if v > 0 else NEGATIVE)


def share_text(x: float) -> str:
    """A share of the total for the screen: one decimal, or two significant digits when tiny."""
    return pct(x) if x >= 0.001 or x == 0 else f"{100 * x:.2g}%"


def chosen_snapshot(rec: Recording) -> int:
    """The recorded gradient with the largest length (the biggest push, usually at the very start)."""
    return int(np.argmax(np.linalg.norm(rec["grads"], axis=1)))


def zero_columns_explained(grad: np.ndarray, sizes: list[int]) -> bool:
    """True when every exact zero is a whole first-layer input column (an input that was 0 in every digit)."""
    zero = grad == 0
    w1 = layer_views(grad, sizes)[0][0]
    dead_inputs = np.all(w1 == 0, axis=0)
    return bool(zero.sum() == dead_inputs.sum() * w1.shape[0])


class NegativeGradient(Scene):
    """-grad C from a real step: a sample of its entries, where its size lives, its biggest nudges."""

    TOP = 8  # largest entries listed by name

    def construct(self) -> None:
        rec = load_run()
        sizes = rec.sizes
        k = chosen_snapshot(rec)
        nudge = -rec["grads"][k]
        n = nudge.size
        step, batch = int(rec["snap_step"][k]), int(rec.config["batch_size"])
        when = "the very first step, from the untrained weights" if step == 0 else f"epoch {rec['snap_epoch'][k]:.2f}"

        heading = title(f"−∇C: {n:,} nudges")
        sub = text(f"recorded at step {step:,}: {when}\ngradient of the cost of one mini-batch ({batch} training "
                   f"digits), the largest of the {len(rec['snap_step'])} recorded", size=SMALL - 2, color=MUTED,
                   line_spacing=0.8)
        sub.next_to(heading, DOWN, aligned_edge=LEFT, buff=0.15)
        self.add(run_tag(rec))
        self.play(Write(heading), FadeIn(sub), run_time=1.0)

        # A sample of the column: the first entry of every block, and the very last entry.
        parts = blocks(sizes)
        picks = [int(idx[0]) for _, _, idx in parts] + [n - 1]
        column = self.vector_column(nudge, picks, sizes)
        sample_note = text(f"{len(picks)} of the {n:,} entries shown\nblue: increase  red: decrease",
                           size=SMALL - 2, color=MUTED, line_spacing=0.8,
                           t2c={"blue: increase": POSITIVE, "red: decrease": NEGATIVE}).next_to(column, DOWN, buff=0.2)
        sample_note.align_to(column, LEFT)
        left = VGroup(column, sample_note)
        top_y, bottom_y = sub.get_bottom()[1] - 0.3, -3.55  # under the subtitle, above the run tag
        if left.height > top_y - bottom_y:
            left.scale_to_fit_height(top_y - bottom_y)
        left.set_y((top_y + bottom_y) / 2).to_edge(LEFT, buff=0.4)
        self.play(FadeIn(column, lag_ratio=0.06), FadeIn(sample_note), run_time=2.0)

        # The right-hand panel, laid out once: where the length of -grad C lives (share of its squared
        # length per block), its biggest entries by name, and how many entries are exactly zero.
        chart = self.share_chart(nudge, parts)
        top = self.top_entries(nudge, sizes)
        zeros = int(np.sum(nudge == 0))
        why = f": weights from\npixels that are 0 in all {batch} digits of the batch" if (
            zero_columns_explained(nudge, sizes)) else ""
        zero_note = text(f"{zeros:,} entries ({share_text(zeros / n)}) are exactly 0{why}", size=SMALL - 2,
                         color=MUTED, line_spacing=0.8)
        panel = VGroup(chart, top, zero_note) if zeros else VGroup(chart, top)
        panel.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        room = sub.get_bottom()[1] - 0.3 - (-3.75)  # from under the subtitle to the bottom margin
        if panel.height > room:
            panel.scale_to_fit_height(room)
        panel.next_to(sub, DOWN, buff=0.3).to_edge(RIGHT, buff=0.45)

        bars = [row[1] for row in chart[1:]]
        self.play(FadeIn(chart[0]), *(FadeIn(VGroup(row[0], row[2])) for row in chart[1:]), run_time=0.8)
        self.play(*(GrowFromEdge(b, LEFT) for b in bars), run_time=1.2)
        self.play(FadeIn(top, lag_ratio=0.08), run_time=1.5)
        self.play(Indicate(top[1][0][0], color=HIGHLIGHT, scale_factor=1.1), run_time=0.8)
        if zeros:
            self.play(FadeIn(zero_note), run_time=0.6)
        self.wait(1.5)

    @staticmethod
    def vector_column(nudge: np.ndarray, picks: list[int], sizes: list[int]) -> VGroup:
        """-grad C = [values] with each entry's name beside it, and vertical dots between the picks."""
        values, names = VGroup(), VGroup()
        for r, i in enumerate(picks):
            if r:
                values.add(tex(r"\vdots", size=26, color=MUTED))
                names.add(tex(r"\vdots", size=26, color=MUTED).set_opacity(0))
            values.add(tex(tex_number(nudge[i], 3, signed=True), size=28, color=nudge_color(nudge[i])))
            names.add(tex(entry_name(i, sizes), size=26, color=MUTED))
        values.arrange(DOWN, buff=0.12)
        for v, m in zip(values, names):
            m.move_to([0, v.get_y(), 0])
        names.next_to(values, RIGHT, buff=0.55)
        for m in names:
            m.align_to(names, LEFT)
        h = values.height + 0.2
        left = VGroup(Line(UP * h / 2, DOWN * h / 2), Line(UP * h / 2, UP * h / 2 + RIGHT * 0.12),
                      Line(DOWN * h / 2, DOWN * h / 2 + RIGHT * 0.12)).set_stroke(TEXT, 2)
        right = left.copy().flip(UP)
        left.next_to(values, LEFT, buff=0.15)
        right.next_to(values, RIGHT, buff=0.15)
        lhs = tex(r"-\nabla C =", size=34).next_to(left, LEFT, buff=0.15)
        group = VGroup(lhs, left, values, right, names)
        return group

    @staticmethod
    def share_chart(nudge: np.ndarray, parts: list[tuple[str, str, np.ndarray]]) -> VGroup:
        """Header, then per block: label with entry count, a bar of its share of |grad C|^2, the share."""
        total = float(nudge @ nudge)
        head = text("share of |∇C|² in each block", size=SMALL, color=TEXT)
        rows = VGroup(head)
        bar_max = 3.6
        for name, kind, idx in parts:
            share = float(nudge[idx] @ nudge[idx]) / total
            label = VGroup(tex(name, size=30), text(f"{idx.size:,} {kind}", size=SMALL - 4, color=MUTED))
            label.arrange(RIGHT, buff=0.15)
            bar = Rectangle(width=max(bar_max * share, 0.02), height=0.26, stroke_width=0)
            bar.set_fill(HIGHLIGHT, opacity=0.85)
            value = text(share_text(share), size=SMALL - 2, color=HIGHLIGHT)
            rows.add(VGroup(label, bar, value))
        label_w = max(r[0].width for r in rows[1:])
        for r, row in enumerate(rows[1:]):
            y = -0.38 * (r + 1)
            row[0].move_to([0, y, 0], aligned_edge=LEFT)
            row[1].move_to([label_w + 0.2, y, 0], aligned_edge=LEFT)
            row[2].next_to(row[1], RIGHT, buff=0.12)
        head.move_to([0, 0, 0], aligned_edge=LEFT)
        return rows

    def top_entries(self, nudge: np.ndarray, sizes: list[int]) -> VGroup:
        """Header, then the TOP largest |entries| by name and value, in two columns."""
        order = np.argsort(-np.abs(nudge), kind="stable")[: self.TOP]
        head = text(f"the {len(order)} largest nudges (of {nudge.size:,})", size=SMALL, color=TEXT)
        cells = VGroup(*(VGroup(tex(entry_name(int(i), sizes), size=28, color=MUTED),
                                tex(tex_number(nudge[i], 3, signed=True), size=28, color=nudge_color(nudge[i])))
                         .arrange(RIGHT, buff=0.25) for i in order))
        half = (len(cells) + 1) // 2
        cols = VGroup(VGroup(*cells[:half]), VGroup(*cells[half:]))
        for col in cols:
            col.arrange(DOWN, buff=0.08, aligned_edge=LEFT)
        cols.arrange(RIGHT, buff=0.8, aligned_edge=UP)
        return VGroup(head, cols.next_to(head, DOWN, buff=0.15, aligned_edge=LEFT))
