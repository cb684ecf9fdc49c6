"""Beat 7, minus the gradient as 13,002 numbers, read from one real recorded training step.

`grads[k]` is the mini-batch gradient the run recorded at snapshot k, about to be applied to
`params[k]`. The scene opens on the update rule (where the descent scenes end), shows -grads[k]
as a long column (a sample of its entries, dots between), picks out its largest entries by name,
then applies w <- w - eta * grad C to the real weights of those entries and, when the run saved
its weights again one step later, shows that the result is exactly what it recorded. It ends on
the update rule alone, where WeightsLearning opens.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Brace,
    FadeIn,
    FadeOut,
    Group,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    ReplacementTransform,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
)

from nn.inspection import (
    Entry,
    blank_inputs,
    decimals_that_add_up,
    entry,
    largest,
    one_step_apart,
    sgd_update,
    step_to_show,
    typical_size,
    zeros_are_blank_inputs,
)
from scenes.blocks.gradient import GradientColumn, entry_tex, nudge_color
from scenes.bridges import update_rule
from scenes.narrated import NarratedScene
from scenes.run import load_run
from scenes.style import GOOD, HIGHLIGHT, MUTED, NEGATIVE, POSITIVE, SMALL, TEXT, pixel_image, tex, tex_number, text
from scenes.words import noun, nouns

TOP = 5  # largest entries listed
ROWS = 3  # entries the update is worked through for


def whole(values: VGroup, shift: np.ndarray = ORIGIN) -> LaggedStart:
    """Fade numbers in one after the other, each whole (a lag_ratio on FadeIn staggers the glyphs
    of every number, which shows half-drawn numbers)."""
    return LaggedStart(*(FadeIn(v, shift=shift) for v in values), lag_ratio=0.3)


def entry_words(e: Entry, sizes: list[int]) -> str:
    """The entry in spoken words: which weight or bias of which neuron."""
    last = len(sizes) - 1
    into = f"output neuron {e.j}" if e.layer == last else f"neuron {e.j} of hidden layer {e.layer}"
    if e.kind == "b":
        return f"the bias of {into}"
    side = int(round(np.sqrt(sizes[0])))
    if e.layer == 1 and side * side == sizes[0]:
        source = f"the pixel in row {e.k // side}, column {e.k % side}"
    else:
        source = f"neuron {e.k} of hidden layer {e.layer - 1}"
    return f"the weight from {source} into {into}"


def entry_label(e: Entry, sizes: list[int]) -> str:
    """A short on-screen name in words: "bias of output neuron 4", "weight into hidden neuron 3"."""
    last = len(sizes) - 1
    into = f"output neuron {e.j}" if e.layer == last else f"neuron {e.j}, layer {e.layer}"
    return f"{'bias of' if e.kind == 'b' else 'weight into'} {into}"


def entry_key(e: Entry, sizes: list[int]) -> str:
    """What a name like b^(3)_4 or w^(1)_{0,0} says, in words."""
    layer = "output layer" if e.layer == len(sizes) - 1 else f"layer {e.layer}"
    if e.kind == "b":
        return f"bias of neuron {e.j}, {layer}"
    source = f"pixel {e.k}" if e.layer == 1 else f"neuron {e.k} of layer {e.layer - 1}"
    return f"weight into neuron {e.j}, {layer},\nfrom {source}"


class NegativeGradient(NarratedScene):
    """-grad C of a real step: a sample of its entries, its largest ones, the update applied."""

    def construct(self) -> None:
        self.rec = rec = load_run()
        self.k = step_to_show(rec["snap_step"], rec["grads"])
        self.nudge = -rec["grads"][self.k]
        self.rule = update_rule(rec)
        self.add(self.rule)  # where the descent scenes end
        self.the_column()
        self.largest_nudges()
        self.apply_the_step()
        self.back_to_the_rule()

    # -- beat 7a: one long column of nudges ---------------------------------------------------

    def the_column(self) -> None:
        rec, nudge = self.rec, self.nudge
        n, step, batch = nudge.size, int(rec["snap_step"][self.k]), int(rec.config["batch_size"])
        when = "very first step" if step == 0 else f"step number {step:,}"
        vector = GradientColumn(rec, self.k).move_to([-4.2, -0.25, 0])
        picks, lhs, col = vector.entries, vector.lhs, vector.column
        self.lhs, self.col = lhs, col

        with self.say(f"Here is minus the gradient from the run's {when}, computed on a batch of "
                      f"{batch} training {nouns(rec)}.") as line:
            d = line.duration
            self.play(self.rule.animate.scale(0.7).to_edge(UP, buff=0.25), run_time=0.3 * d)
            # - (of -eta), nabla, C in the rule become the column's name
            self.play(TransformFromCopy(VGroup(self.rule[0][3], self.rule[0][5], self.rule[0][6]), lhs[0][:3]),
                      FadeIn(lhs[0][3:]), GrowFromCenter(col[0]), GrowFromCenter(col[2]), run_time=0.3 * d)
            self.play(whole(col[1]), run_time=0.4 * d)

        brace = Brace(VGroup(col[0], col[2]), RIGHT, buff=0.1).next_to(col[3], RIGHT, buff=0.3)
        count = text(f"{n:,} entries", size=SMALL + 2, color=TEXT).next_to(brace, RIGHT, buff=0.15)
        with self.say(f"It is one long column of {n:,} numbers, one for every weight and bias. "
                      f"Only {len(picks)} are shown here.") as line:
            self.play(whole(col[3]), run_time=0.6 * line.duration)
            self.play(GrowFromCenter(brace), FadeIn(count), run_time=0.4 * line.duration)
        self.brace, self.count = brace, count

        key = self.name_key(picks)
        with self.say("Each entry is named by its layer, in brackets, and its neuron: "
                      "b for a bias, w for a weight.") as line:
            self.play(whole(key), run_time=0.6 * line.duration)
        self.key = key

        legend = text("blue: increase the weight   red: decrease it", size=SMALL, color=MUTED,
                      t2c={"blue: increase the weight": POSITIVE, "red: decrease it": NEGATIVE})
        legend.next_to(col, DOWN, buff=0.3).set_x(col.get_x())
        shown = nudge[picks]
        pos, neg = (int(np.argmax(shown)), int(np.argmin(shown)))
        with self.say("Each number says how much its own weight should change, and which way: "
                      "up when positive, down when negative.") as line:
            self.play(FadeIn(legend), run_time=0.3 * line.duration)
            for m in (col[1][2 * pos], col[1][2 * neg]):  # a pulse in its own colour: blue/red keep their meaning
                self.play(Indicate(m, color=m.get_color(), scale_factor=1.3), run_time=0.35 * line.duration)
        self.legend = legend

        zeros = int(np.sum(nudge == 0))
        if zeros and zeros_are_blank_inputs(nudge, rec.sizes) and np.any(shown == 0):
            zero_row = int(np.flatnonzero(shown == 0)[0])
            box = SurroundingRectangle(col[1][2 * zero_row], color=HIGHLIGHT, buff=0.08)
            label = text(f"{zeros:,} zeros", size=SMALL + 2, color=HIGHLIGHT)
            label.next_to(col[0], LEFT, buff=0.3).set_y(box.get_y())
            blank = self.blank_pixels()
            with self.say(f"{zeros:,} entries are exactly zero: weights from pixels that are blank "
                          f"in every {noun(rec)} of this batch.") as line:
                self.play(FadeIn(box), FadeIn(label), run_time=0.3 * line.duration)
                self.play(FadeIn(blank), run_time=0.3 * line.duration)
            self.hold()
            self.play(FadeOut(box), FadeOut(label), FadeOut(blank), run_time=0.5)
        self.hold()

    def name_key(self, picks: list[int]) -> VGroup:
        """What the entry names mean, read off a bias and a weight of the column itself."""
        sizes = self.rec.sizes
        shown = [entry(int(i), sizes) for i in picks]
        examples = [next(e for e in reversed(shown) if e.kind == "b"), next(e for e in shown if e.kind == "w")]
        rows = VGroup(*(VGroup(tex(entry_tex(e), size=36, color=MUTED),
                               text(entry_key(e, sizes), size=SMALL, color=TEXT, line_spacing=0.8))
                        .arrange(RIGHT, buff=0.3)
                        for e in examples))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        return rows.next_to(self.count, RIGHT, buff=0.6).align_to(self.col, UP)

    def blank_pixels(self) -> VGroup:
        """The inputs whose weights got a zero nudge, as an image: yellow where blank in the whole batch."""
        blank = blank_inputs(-self.nudge, self.rec.sizes)
        side = int(round(np.sqrt(blank.size)))
        if side * side != blank.size:  # not a square image: the count says it alone
            return VGroup()
        rgb = np.where(blank[:, None], np.array(HIGHLIGHT.to_rgb()) * 0.8, np.array(MUTED.to_rgb()) * 0.35)
        image = pixel_image((255 * rgb).round().astype(np.uint8).reshape(side, side, 3), height=2.4)
        neurons = int(self.rec.sizes[1])
        caption = text(f"yellow: blank in all {int(self.rec.config['batch_size'])} {nouns(self.rec)}\n"
                       f"{int(blank.sum())} pixels × {neurons} neurons = {int(blank.sum()) * neurons:,} zeros",
                       size=SMALL, color=HIGHLIGHT, line_spacing=0.8)
        picture = Group(image, caption.next_to(image, DOWN, buff=0.15))
        return picture.next_to(self.key, DOWN, buff=0.45).align_to(self.key, LEFT)

    # -- beat 7a: which nudges matter most ----------------------------------------------------

    def largest_nudges(self) -> None:
        nudge, sizes = self.nudge, self.rec.sizes
        top = largest(nudge, TOP)
        self.top = top
        new = GradientColumn(self.rec, self.k, entries=top).column
        new.move_to(self.col, aligned_edge=LEFT).set_y(self.col.get_y())
        self.lhs.generate_target().next_to(new, LEFT, buff=0.2)
        brace = Brace(VGroup(new[0], new[2]), RIGHT, buff=0.1).next_to(new[3], RIGHT, buff=0.3)
        count = text(f"the {TOP} largest\nin size, of {nudge.size:,}", size=SMALL + 2, line_spacing=0.8)
        count.next_to(brace, RIGHT, buff=0.15)
        with self.say("The sizes matter too. The entries largest in size are the changes that lower "
                      "this cost the fastest.") as line:
            self.play(FadeOut(self.col), FadeOut(self.count), FadeOut(self.legend), FadeOut(self.key),
                      run_time=0.3 * line.duration)
            self.play(FadeIn(new), ReplacementTransform(self.brace, brace), FadeIn(count), run_time=0.4 * line.duration)
        self.col, self.brace, self.count = new, brace, count

        biggest = entry(int(top[0]), sizes)
        typical = typical_size(nudge)
        ratio = abs(nudge[top[0]]) / typical
        boxes = VGroup(SurroundingRectangle(new[1][0], color=HIGHLIGHT, buff=0.08),
                       SurroundingRectangle(new[3][0], color=HIGHLIGHT, buff=0.08))
        words = text(entry_label(biggest, sizes), size=SMALL, color=HIGHLIGHT)
        times = tex(rf"{ratio:,.0f}\times \text{{the median size, }} {typical:.2g}", size=30, color=HIGHLIGHT)
        notes = VGroup(words, times).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        notes.next_to(new, UP, buff=0.3).align_to(new[3], LEFT)
        with self.say(f"The largest is {entry_words(biggest, sizes)}. "
                      f"Its nudge is {ratio:,.0f} times the median size of a nonzero entry.") as line:
            self.play(FadeIn(boxes), FadeIn(words), run_time=0.3 * line.duration)
            self.play(FadeIn(times), run_time=0.3 * line.duration)
        self.hold()
        last = len(sizes) - 1
        if np.all(nudge[top] < 0) and all(entry(int(i), sizes).layer == last for i in top):
            # a negative nudge on a bias or weight into an output lowers that output: it was too high
            with self.say(f"All {TOP} are negative, and all belong to the output layer. The untrained "
                          "outputs are too high, so the step pushes them down.") as line:
                self.play(Indicate(new[3], color=HIGHLIGHT, scale_factor=1.1), run_time=0.5 * line.duration)
        self.hold()
        self.play(FadeOut(boxes), FadeOut(notes), run_time=0.5)

    # -- beat 7b: the update on real weights --------------------------------------------------

    def apply_the_step(self) -> None:
        rec, k, rows = self.rec, self.k, self.top[:ROWS]
        lr = float(rec.config["lr"])
        before, after = rec["params"][k][rows], sgd_update(rec["params"][k], rec["grads"][k], lr)[rows]
        move = -lr * rec["grads"][k][rows]
        digits = decimals_that_add_up(before, move, after)  # so each row's sum checks out by hand
        heads = [tex(s, size=38, color=MUTED) for s in (r"w", r"-\eta\,\nabla C", r"w_{\text{new}}")]
        cols = [VGroup(*(tex(tex_number(x, digits, signed=signed), size=38, color=c or nudge_color(x)) for x in vals))
                for vals, signed, c in ((before, False, TEXT), (move, True, None), (after, False, TEXT))]
        xs, y0, dy = (-5.2, -2.8, 0.0, 2.8), 1.3, 0.9
        for r in range(ROWS):
            for c in range(3):
                cols[c][r].move_to([xs[c + 1], y0 - (r + 1) * dy, 0])
        for c, head in enumerate(heads):
            head.move_to([xs[c + 1], y0, 0])
        ops = VGroup(*(tex(op, size=38, color=MUTED).move_to([(xs[c] + xs[c + 1]) / 2, y0, 0])
                       for op, c in (("+", 1), ("=", 2))))
        names, nudges = VGroup(*self.col[3][:ROWS]), VGroup(*self.col[1][:ROWS])
        eta = tex(rf"\eta = {lr:g}", size=38, color=HIGHLIGHT).next_to(heads[1], UP, buff=0.35)

        with self.say(f"Now apply the rule to the three biggest, with the run's learning rate, "
                      f"eta equals {lr:g}.") as line:
            d = line.duration
            self.play(FadeOut(VGroup(self.lhs, self.col[0], self.col[2], self.brace, self.count)),
                      FadeOut(VGroup(*self.col[1][ROWS:], *self.col[3][ROWS:])), run_time=0.25 * d)
            self.play(*(names[r].animate.scale(1.2).move_to([xs[0], y0 - (r + 1) * dy, 0]) for r in range(ROWS)),
                      *(nudges[r].animate.move_to([xs[2], y0 - (r + 1) * dy, 0]) for r in range(ROWS)),
                      run_time=0.35 * d)
            self.play(FadeIn(heads[0]), whole(cols[0]), run_time=0.4 * d)

        with self.say(f"Each one moves by {lr:g} times its nudge, in the nudge's direction.") as line:
            # each value leaves and arrives whole: a morph between two numbers shows half-drawn digits
            self.play(FadeIn(heads[1]), FadeIn(ops[0]), FadeIn(eta), FadeOut(nudges, shift=DOWN * 0.2),
                      run_time=0.35 * line.duration)
            self.play(whole(cols[1], shift=DOWN * 0.2), run_time=0.35 * line.duration)

        with self.say("The old weight plus its move is the new weight.") as line:
            self.play(FadeIn(heads[2]), FadeIn(ops[1]), run_time=0.3 * line.duration)
            self.play(whole(cols[2], shift=RIGHT * 0.3), run_time=0.5 * line.duration)
        self.table = VGroup(*heads, *cols, names, ops, eta)

        if one_step_apart(rec["snap_step"], k):
            saved = rec["params"][k + 1][rows]
            head = text("recorded\none step later", size=SMALL, color=GOOD, line_spacing=0.8)
            head.move_to([xs[3] + 2.5, y0, 0])
            recorded = VGroup(*(tex(rf"= {tex_number(x, digits)}", size=38, color=GOOD)
                                .move_to([xs[3] + 2.5, cols[2][r].get_y(), 0]) for r, x in enumerate(saved)))
            exact = bool(np.array_equal(after, saved))
            with self.say(f"The run saved its weights again one step later, at step "
                          f"{int(rec['snap_step'][k + 1]):,}. "
                          f"{'They are exactly these numbers.' if exact else 'They agree to rounding.'}") as line:
                self.play(FadeIn(head), whole(recorded), run_time=0.6 * line.duration)
            self.table.add(head, recorded)
        else:
            gap = int(rec["snap_step"][k + 1] - rec["snap_step"][k]) if k + 1 < len(rec["snap_step"]) else 0
            later = f"{gap:,} steps later" if gap else "never again"
            note = text("computed, not recorded", size=SMALL, color=MUTED).next_to(heads[2], UP, buff=0.3)
            with self.say(f"These new weights are computed: the run saved its weights next {later}.") as line:
                self.play(FadeIn(note), run_time=0.4 * line.duration)
            self.table.add(note)
        self.hold()

    def back_to_the_rule(self) -> None:
        n = self.nudge.size
        with self.say(f"All {n:,} weights and biases move together like this. That is one step of "
                      "gradient descent.") as line:
            self.play(Indicate(self.table, color=HIGHLIGHT, scale_factor=1.03), run_time=0.6 * line.duration)
        self.play(FadeOut(self.table), run_time=0.6)
        self.play(self.rule.animate.become(update_rule(self.rec)), run_time=0.8)
        self.hold()
