"""GradientColumn: minus the recorded gradient of one step, as a column vector of named entries."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, ManimColor, VGroup

from nn.inspection import Entry, block_starts, entry, step_to_show
from nn.recording import Recording
from scenes.style import MUTED, NEGATIVE, POSITIVE, TEXT, tex, tex_number


def entry_tex(e: Entry) -> str:
    """w^{(l)}_{j,k} or b^{(l)}_j."""
    return f"w^{{({e.layer})}}_{{{e.j},{e.k}}}" if e.kind == "w" else f"b^{{({e.layer})}}_{{{e.j}}}"


def nudge_color(v: float) -> ManimColor:
    """Blue for a positive nudge, red for a negative one, grey for exactly zero."""
    return MUTED if v == 0 else (POSITIVE if v > 0 else NEGATIVE)


def bracket(height: float, flip: bool = False) -> VGroup:
    """One square bracket of a column vector."""
    h, d = height / 2, -0.12 if flip else 0.12
    b = VGroup(Line(UP * h, DOWN * h), Line(UP * h, UP * h + RIGHT * d), Line(DOWN * h, DOWN * h + RIGHT * d))
    return b.set_stroke(TEXT, 2)


def column(values: np.ndarray, names: list[str], dots: bool) -> VGroup:
    """[values] with each entry's name on its right; vertical dots between entries when `dots`.

    Returns VGroup(left bracket, values, right bracket, names); dots rows are part of values."""
    vals, named = VGroup(), VGroup()
    for r, (v, name) in enumerate(zip(values, names)):
        if dots and r:
            vals.add(tex(r"\vdots", size=30, color=MUTED))
        vals.add(tex(tex_number(v, 3, signed=True), size=36, color=nudge_color(v)))
        named.add(tex(name, size=36, color=MUTED))
    vals.arrange(DOWN, buff=0.16 if dots else 0.3)
    for m, v in zip(named, vals[:: 2 if dots else 1]):
        m.move_to([0, v.get_y(), 0])
    left, right = bracket(vals.height + 0.25), bracket(vals.height + 0.25, flip=True)
    left.next_to(vals, LEFT, buff=0.18)
    right.next_to(vals, RIGHT, buff=0.18)
    named.next_to(right, RIGHT, buff=0.45)
    for m in named:
        m.align_to(named, LEFT)
    return VGroup(left, vals, right, named)


class GradientColumn(VGroup):
    """-grad C at one recorded step: "-grad C =" and a column of some of its entries, each named.

    Reads `rec["grads"][snapshot]` (the gradient about to be applied at that snapshot; by default
    the snapshot nn.inspection.step_to_show picks) and the layer sizes (to name each entry
    w^(l)_{j,k} or b^(l)_j). `entries` are flat indices into the parameter vector: by default the
    first entry of every weight and bias block and the last one, with vertical dots between (the
    column has 13,002 entries for the default network); given entries are listed without dots.
    Blue entries raise their weight, red ones lower it. Parts: `lhs`, `column` = VGroup(left
    bracket, values, right bracket, names); `snapshot`, `entries`, `nudge` (the whole -grad C).
    """

    def __init__(self, rec: Recording, snapshot: int | None = None, entries: list[int] | None = None) -> None:
        self.snapshot = step_to_show(rec["snap_step"], rec["grads"]) if snapshot is None else snapshot
        self.nudge = -rec["grads"][self.snapshot]
        dots = entries is None
        self.entries = block_starts(rec.sizes) + [self.nudge.size - 1] if dots else list(entries)
        names = [entry_tex(entry(int(i), rec.sizes)) for i in self.entries]
        self.column = column(self.nudge[self.entries], names, dots=dots)
        self.lhs = tex(r"-\nabla C =", size=40)
        super().__init__(self.lhs, self.column)
        self.arrange(RIGHT, buff=0.2)
