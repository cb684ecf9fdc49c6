"""Three findings from groups of recorded runs (beats 12-14), every number read from the recordings.

`MemorisationRuns` (Zhang et al. 2016, arXiv:1611.03530; Arpit et al. 2017, arXiv:1706.05394): the
same network on the same digits with true and with shuffled labels. Both training costs fall; only
the true labels lift test accuracy above chance; zoomed in, the true-label cost falls sooner.

`ManyMinima` (Choromanska et al. 2015, arXiv:1412.0233): the same run from several random starts.
The costs and accuracies end close together, the weights far apart (nn/probes.py measures how far).

Groups come from scenes.run.load_group_runs; runs that differ in more than the one setting the
experiment varies (another dataset, another learning rate, ...) get a warning on stderr, a note
on screen and a narrated caveat, never a silent render.
"""

from __future__ import annotations

import sys

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Group,
    GrowFromEdge,
    Indicate,
    ReplacementTransform,
    SurroundingRectangle,
    Text,
    ValueTracker,
    VGroup,
    linear,
)

from nn.errors import UserError
from nn.probes import labelled_examples, run_dataset
from nn.recording import Recording
from scenes.blocks.swap import NeuronSwap
from scenes.charts import (
    accuracy_axes,
    axis_names,
    chance_line,
    confidence_picture,
    curve,
    end_label,
    hbar,
    noise_probe,
    scene_title,
    separate,
    spoken,
    swap_heading,
    train_count,
)
from scenes.memorisation import (
    COLORS,
    SIDE,
    arpit,
    cost_axes_at,
    cost_view,
    early_window,
    know_nothing,
    layout_between,
    level_shown,
    memorisation_keys,
    memorisation_picture,
    memorisation_runs,
)
from scenes.minima import MinimaPicture, group_if_made, seed_runs
from scenes.narrated import NarratedScene
from scenes.run import load_run
from scenes.style import BACKGROUND, COMPARE_B, HIGHLIGHT, MUTED, TEXT, digit_image, fmt, pct, text
from scenes.words import class_word, noun, nouns, spoken_count

EXAMPLES = 6  # training digits shown with their true and shuffled labels


def group_problems(runs: dict[str, Recording], varied: str) -> list[str]:
    """What makes a group's runs unfair to compare: other data, other settings than `varied`, unfinished runs."""
    problems = []
    datasets = {(r.meta["dataset"]["name"], r.meta["dataset"]["sha256"]) for r in runs.values()}
    if len(datasets) > 1:
        problems.append("the runs used different data (" + ", ".join(
            f"{n}: {r.meta['dataset']['name']}" for n, r in runs.items()) + ")")
    configs = [r.config for r in runs.values()]
    keys = sorted({k for c in configs for k in c} - {varied, "data"})
    differ = [k for k in keys if len({repr(c.get(k)) for c in configs}) > 1]
    if differ:
        problems.append(f"the runs also differ in {', '.join(differ)}")
    problems += [f"{n} is {r.status}" for n, r in runs.items() if r.status != "complete"]
    return problems


def warn(problems: list[str], kind: str) -> Text | None:
    """Each problem on stderr; one short note for the screen (None when there is none)."""
    for p in problems:
        print(f"warning: {kind} group: {p}", file=sys.stderr, flush=True)
    if not problems:
        return None
    return text("note: " + "; ".join(problems), size=14, color=HIGHLIGHT).to_edge(DOWN, buff=0.25)


class MemorisationRuns(NarratedScene):
    """Beats 12-13: true vs shuffled labels (Zhang et al. 2016), then the early costs (Arpit et al. 2017).

    `self.runs` is {"true": Recording, "shuffled": Recording}; `self.cost_axes`, `self.acc_axes` the
    two Axes of the full runs (x in epochs; cost on a log axis, accuracy as a fraction in [0, 1])."""

    def construct(self) -> None:
        self.runs = memorisation_runs()
        self.note = warn(group_problems(self.runs, "labels"), "memorisation")
        self.heading = scene_title("Noise in, an answer out")
        self.add(self.heading, confidence_picture(noise_probe(load_run())))
        self.shuffled_labels()
        self.both_runs()
        self.structure_first()

    def shuffled_labels(self) -> None:
        runs = self.runs
        true, shuffled = runs["true"], runs["shuffled"]
        try:
            data = run_dataset(shuffled)
        except UserError as e:  # without the data only the row of examples is lost
            print(f"warning: memorisation examples not shown: {e}", file=sys.stderr, flush=True)
            data = None
        heading = scene_title("Learning or memorising?")
        self.zhang = text("Zhang et al. 2016", size=24, color=TEXT).to_corner(DOWN + RIGHT, buff=0.5)
        old = Group(*(m for m in self.mobjects if m is not self.heading))
        images, rows, names = Group(), [VGroup(), VGroup()], [VGroup(), VGroup()]
        if data is not None:
            x, y_true = labelled_examples(true.config, data, EXAMPLES)
            _, y_shuffled = labelled_examples(shuffled.config, data, EXAMPLES)
            images = Group(*(digit_image(d, height=1.3) for d in x)).arrange(RIGHT, buff=0.5).move_to([0.6, 0.9, 0])
            rows = [VGroup(*(text(str(v), size=30, color=COLORS[n]).next_to(img, DOWN, buff=0.25 + 0.55 * i)
                             for img, v in zip(images, ys)))
                    for i, (n, ys) in enumerate((("true", y_true), ("shuffled", y_shuffled)))]
            names = [text(f"{n} label", size=20, color=COLORS[n]).next_to(images, LEFT, buff=0.4).match_y(row)
                     for n, row in zip(("true", "shuffled"), rows)]
        what = "the digit that was written" if noun(true) == "digit" else "the class it belongs to"
        with self.say(f"Here is a stranger experiment. Take {train_count(shuffled):,} training {nouns(shuffled)}, "
                      f"each with its true label: {what}.") as line:
            self.play(FadeOut(old), swap_heading(self.heading, heading), run_time=0.3 * line.duration)
            self.play(FadeIn(images, lag_ratio=0.1), run_time=0.35 * line.duration)
            self.play(FadeIn(rows[0]), FadeIn(names[0]), run_time=0.35 * line.duration)
        self.heading = heading
        with self.say(f"Now shuffle the labels among all {train_count(shuffled):,} of them: a picture may carry "
                      f"another {class_word(true)}'s label.") as line:
            self.play(ReplacementTransform(rows[0].copy(), rows[1]), FadeIn(names[1]), run_time=line.duration)
        with self.say("Nothing links picture and label any more. Yet Zhang and colleagues showed in 2016 that a "
                      "network can learn such labels by heart.") as line:
            self.play(FadeIn(self.zhang), run_time=line.duration)
        self.hold()

    def both_runs(self) -> None:
        runs, shuffled = self.runs, self.runs["shuffled"]
        epochs = max(r.epochs_done for r in runs.values())
        n_test = shuffled.meta["dataset"]["test_size"]
        self.view = cost_view(runs, epochs, alone=0.0)  # the cost plot the zoom grows from
        self.cost_axes = cost_axes = self.view[0]
        width, height, centre = SIDE
        # a little narrower than the cost plot, so the end labels (and their boxes) stay inside the frame
        acc_axes = accuracy_axes(epochs, width - 0.4, height).move_to(centre * [-1, 1, 0] + [-0.45, 0, 0])
        self.acc_axes = acc_axes
        names = VGroup(self.view[1], axis_names(acc_axes, f"test accuracy ({n_test:,} new {nouns(shuffled)})"))
        self.keys = keys = memorisation_keys(runs)
        cost_curves = list(self.view[2])
        acc_curves = [curve(acc_axes, r["epoch_test_acc"], COLORS[n]) for n, r in runs.items()]
        acc_ends = [end_label(acc_axes, r.epochs_done, r["epoch_test_acc"][-1], pct(r["epoch_test_acc"][-1]),
                              COLORS[n]) for n, r in runs.items()]
        separate(acc_ends, 0.05)
        tr, te = float(shuffled["epoch_train_acc"][-1]), float(shuffled["epoch_test_acc"][-1])
        rows = self.shuffled_rows(tr, te, train_count(shuffled), n_test, nouns(shuffled), shuffled.epochs_done)

        old = Group(*(m for m in self.mobjects if m is not self.heading))
        with self.say("We train the same network twice: once with the true labels, once with the shuffled "
                      "ones.") as line:
            self.play(FadeOut(old), run_time=0.35 * line.duration)  # the digits leave before the axes come
            self.play(FadeIn(keys), Create(cost_axes), FadeIn(names[0]), run_time=0.65 * line.duration)
        if self.note is not None:
            with self.say("Careful: these runs differ in more than their labels, so the comparison is not "
                          "fair; the note says how.") as line:
                self.play(FadeIn(self.note), run_time=line.duration)
        with self.say("Both training costs fall. The shuffled run is learning each picture's label by "
                      "heart.") as line:
            self.play(*(Create(c) for c in cost_curves), run_time=line.duration, rate_func=linear)
        with self.say(f"But on new {nouns(shuffled)} only the true labels help: the shuffled run stays near "
                      f"chance, one in {spoken_count(shuffled.sizes[-1])}.") as line:
            self.play(Create(acc_axes), FadeIn(names[1]), FadeIn(chance_line(acc_axes, 1 / shuffled.sizes[-1])),
                      run_time=0.3 * line.duration)
            self.play(*(Create(c) for c in acc_curves), run_time=0.6 * line.duration, rate_func=linear)
            self.play(*(FadeIn(e) for e in acc_ends), run_time=0.1 * line.duration)
        true, main = runs["true"], load_run()
        boxes = VGroup(*(SurroundingRectangle(e, buff=0.05, color=HIGHLIGHT, stroke_width=2) for e in acc_ends))
        with self.say(f"These runs train on only {train_count(true):,} {nouns(true)} for {epochs} epochs, so even "
                      f"the true labels reach {spoken(true['epoch_test_acc'][-1])} on new {nouns(true)}.") as line:
            self.play(Create(boxes), run_time=0.3 * line.duration)  # an outline: the numbers keep their colours
        with self.say(f"The main run, trained on {train_count(main):,} {nouns(main)}, reached "
                      f"{spoken(main['epoch_test_acc'][-1])}.") as line:
            self.wait(0.8 * line.duration)
            self.play(FadeOut(boxes), run_time=0.2 * line.duration)
        with self.say(f"In the end the shuffled run is right on {spoken(tr)} of its training {nouns(true)}, "
                      f"and on {spoken(te)} of new ones.") as line:
            self.play(FadeIn(rows[2:]), *(FadeIn(r[1]) for r in rows[:2]), run_time=0.3 * line.duration)
            self.play(*(GrowFromEdge(r[0], LEFT) for r in rows[:2]), *(FadeIn(r[2]) for r in rows[:2]),
                      run_time=0.5 * line.duration)
        self.hold(3.0)

    @staticmethod
    def shuffled_rows(tr: float, te: float, n_train: int, n_test: int, items: str, epochs: int) -> VGroup:
        """Bars of the shuffled run's accuracy on its training digits and on test digits, 0 to 100%.
        The values sit right of the dashed 100% line, so the line never crosses text."""
        x0, scale = -0.4, 3.6
        rows = VGroup()
        for y, acc, where in ((-2.75, tr, f"its {n_train:,} training {items}"), (-3.3, te, f"{n_test:,} new {items}")):
            bar = hbar(scale * acc, COMPARE_B, height=0.3).move_to([x0, y, 0], aligned_edge=LEFT)
            label = text(where, size=20, color=TEXT).next_to([x0, y, 0], LEFT, buff=0.2)
            value = text(pct(acc), size=22, color=COMPARE_B).move_to([x0 + scale + 0.25, y, 0], aligned_edge=LEFT)
            rows.add(VGroup(bar, label, value))
        full = DashedLine([x0 + scale, -2.5, 0], [x0 + scale, -3.55, 0], color=MUTED, stroke_width=1.5)
        full_label = text("100%", size=18, color=MUTED).next_to(full, UP, buff=0.05)
        head = text(f"shuffled labels: share answered right after {epochs} epochs", size=20, color=COMPARE_B)
        head.move_to([-6.4, -2.3, 0], aligned_edge=LEFT)
        return VGroup(rows[0], rows[1], full, full_label, head)

    def structure_first(self) -> None:
        runs = self.runs
        epochs = max(r.epochs_done for r in runs.values())
        window, k = early_window(epochs)
        at_k = {n: float(r["epoch_train_cost"][k]) for n, r in runs.items()}
        heading = scene_title("Structure learns faster")
        zoom, alone = ValueTracker(epochs), ValueTracker(0.0)
        view = self.view
        keep = [self.heading, self.note, self.keys, *self.view[:2], *self.view[2]]  # the rest fades
        old = Group(*(m for m in self.mobjects if not any(m is k for k in keep)))
        self.remove(*self.view[:2], *self.view[2])
        self.add(view)
        with self.say(f"Now zoom in on the first {window} epochs of the two training costs.") as line:
            # the accuracy panel and bars leave first; then the cost plot, redrawn from the data every
            # frame (nothing morphs), grows to fill the frame, then its x range narrows
            self.play(FadeOut(old), swap_heading(self.heading, heading), run_time=0.3 * line.duration)
            view.add_updater(lambda m: m.become(cost_view(runs, zoom.get_value(), alone=alone.get_value())))
            self.play(alone.animate.set_value(1.0), run_time=0.3 * line.duration)
            self.play(zoom.animate.set_value(window), run_time=0.4 * line.duration)
            view.clear_updaters()
        axes = cost_view(runs, window)[0]  # the zoomed axes' coordinates (become() copied only their drawing)
        marker = DashedLine(axes.c2p(k, 10.0 ** axes.y_range[0]), axes.c2p(k, 10.0 ** axes.y_range[1]),
                            color=HIGHLIGHT, stroke_width=1.5)
        dots, labels = VGroup(), []
        for n, v in at_k.items():  # each value above and right of its point, clear of its own falling curve
            dots.add(Dot(axes.c2p(k, v), radius=0.07, color=COLORS[n]))
            labels.append(text(f"{n} labels: {fmt(v)}", size=22, color=COLORS[n])
                          .next_to(axes.c2p(k, v), UP + RIGHT, buff=0.2)
                          .add_background_rectangle(color=BACKGROUND, opacity=0.8, buff=0.04))
        separate(labels, 0.08)
        readouts = VGroup(dots, *labels)
        with self.say(f"By epoch {k}, the true-label cost is down to {fmt(at_k['true'])}; the shuffled cost "
                      f"is still {fmt(at_k['shuffled'])}.") as line:
            self.play(Create(marker), FadeIn(readouts), run_time=line.duration)
        level = level_shown(runs)
        box = VGroup()
        if level:
            mark = cost_view(runs, window, level=True)[-1]
            box = SurroundingRectangle(labels[list(runs).index("shuffled")], buff=0.06, color=HIGHLIGHT,
                                       stroke_width=2)
            c, outputs = know_nothing(runs), runs["shuffled"].sizes[-1]
            with self.say(f"A cost of {fmt(at_k['shuffled'])} is about {fmt(c, 1)}: the cost of answering "
                          f"{fmt(1 / outputs, 1)} for every {noun(runs['shuffled'])}, knowing nothing.") as line:
                self.play(Create(box), run_time=0.3 * line.duration)
                self.play(Create(mark[0]), FadeIn(mark[1]), run_time=0.4 * line.duration)
            self.remove(*mark)
            view.become(cost_view(runs, window, level=True))  # the level line now zooms with the plot
        if at_k["true"] < at_k["shuffled"]:
            explain = (f"Patterns shared by many {nouns(runs['true'])} are found first; learning each picture's "
                       "label on its own takes far longer.")
        else:
            explain = "In these runs the true labels do not pull ahead early, so this finding does not show here."
        with self.say(explain) as line:  # back out to the whole runs: the picture ManyMinima opens on
            self.play(FadeOut(marker), FadeOut(readouts), FadeOut(box), run_time=0.15 * line.duration)
            view.add_updater(lambda m: m.become(cost_view(runs, zoom.get_value(), level)))
            self.play(zoom.animate.set_value(epochs), run_time=0.6 * line.duration)
            view.clear_updaters()
        with self.say("Arpit and colleagues saw the same in 2017: networks learn real structure before they "
                      "memorise noise.") as line:
            self.play(FadeIn(arpit(view[0])), run_time=line.duration)
        self.hold()


class ManyMinima(NarratedScene):
    """Beat 14: the same run from several random starts (Choromanska et al. 2015): paths down, final
    costs and test accuracies close together, final weights far apart (scenes.charts.MinimaPicture).

    `self.final_costs` / `self.final_test_acc`: run name -> last recorded training cost / test accuracy;
    `self.distances[a, b]` = ||w_a - w_b|| / sqrt(||w_a|| ||w_b||) (runs in `self.names` order),
    `self.matched_distances` the same after reordering hidden neurons to match."""

    def construct(self) -> None:
        mem = group_if_made("memorisation") or {}  # the picture MemorisationRuns ends on, when it was made
        pair = {n: mem[n] for n in ("true", "shuffled") if n in mem}
        before = memorisation_picture(pair) if len(pair) == 2 else VGroup()
        heading = scene_title("Structure learns faster")
        self.add(heading, before)
        runs = seed_runs()
        self.names = list(runs)
        note = warn(group_problems(runs, "seed"), "seeds")
        m = MinimaPicture(runs)
        self.final_costs, self.final_test_acc = m.final_costs, m.final_test_acc
        self.distances, self.matched_distances = m.distances, m.matched_distances
        first = runs[self.names[0]]
        with self.say(f"One last experiment: train the same network {len(runs)} times, each time from different "
                      "random starting weights.") as line:
            self.open_on(before, m, heading, 0.5 * line.duration)
            self.play(*(Create(p) for p in m.paths), run_time=0.5 * line.duration, rate_func=linear)
        if note is not None:
            with self.say("Careful: these runs differ in more than their starting weights; the note says "
                          "how.") as line:
                self.play(FadeIn(note), run_time=line.duration)
        costs = list(m.final_costs.values())
        with self.say(f"After {first.epochs_done} epochs every run is still going down, and their training costs "
                      f"are within a factor of about {max(costs) / min(costs):.0f}: {fmt(min(costs), 3)} to "
                      f"{fmt(max(costs), 3)}.") as line:
            self.play(*(GrowFromEdge(b, LEFT) for b in m.cost_bars), FadeIn(m.cost_rest), run_time=line.duration)
        accs = list(m.final_test_acc.values())
        with self.say(f"On the test {nouns(first)} they score between {spoken(min(accs))} and "
                      f"{spoken(max(accs))}.") as line:
            self.play(*(GrowFromEdge(b, LEFT) for b in m.acc_bars), FadeIn(m.acc_rest), run_time=line.duration)
        lo, hi, mlo, mhi = m.spreads()
        with self.say(f"Yet their final weights are far apart: the gap between two runs is {fmt(lo, 2)} to "
                      f"{fmt(hi, 2)} times the size of the weights themselves.") as line:
            self.play(FadeIn(m.matrix, lag_ratio=0.02), FadeIn(m.states[0]), run_time=0.7 * line.duration)
            self.play(FadeIn(m.notes[0]), run_time=0.3 * line.duration)
        self.own_starts(m)
        drawing = NeuronSwap(np.array([-0.4, -2.7, 0]))  # under the bars, clear of every label
        drawing[-1].next_to(VGroup(drawing[0], drawing[1]), DOWN, buff=0.12)
        with self.say("But swapping two hidden neurons, with all their weights, gives the same network "
                      "written in a different order.") as line:
            self.play(FadeIn(drawing), run_time=0.3 * line.duration)
            self.play(*drawing.swap(), run_time=0.4 * line.duration)
        cells = m.matrix[-1]
        with self.say(f"Even after lining up neurons that merely swapped places, the gap is still "
                      f"{fmt(mlo, 2)} to {fmt(mhi, 2)}.") as line:  # the matrix now shows the lined-up distances
            # the old numbers leave, the cells dim to their new values, then the new numbers come
            self.play(FadeOut(drawing), FadeOut(m.states[0]), *(FadeOut(old[1]) for old in cells),
                      run_time=0.2 * line.duration)
            self.play(*(ReplacementTransform(old[0], new[0]) for old, new in zip(cells, m.matched_cells)),
                      FadeIn(m.states[1]), run_time=0.3 * line.duration)
            self.play(*(FadeIn(new[1]) for new in m.matched_cells), run_time=0.2 * line.duration)
            self.play(FadeIn(m.notes[1]), run_time=0.3 * line.duration)
        _, _, slo, shi = m.start_spread()
        if mhi < slo:
            verdict = "closer together than their random starts were"
        elif mlo > shi:
            verdict = "farther apart than their random starts were"
        else:
            verdict = "about as far apart as their random starts were"
        with self.say(f"Random starting weights, lined up the same way, are {fmt(slo, 2)} to {fmt(shi, 2)} apart: "
                      f"the trained runs are {verdict}.") as line:
            self.play(FadeIn(m.notes[2]), run_time=0.3 * line.duration)
            self.play(Indicate(VGroup(m.notes[1], m.notes[2]), color=HIGHLIGHT, scale_factor=1.05),
                      run_time=0.7 * line.duration)
        with self.say(f"So different starts end at different weights, with training costs within a factor of "
                      f"about {max(costs) / min(costs):.0f} of each other.") as line:
            self.wait(line.duration)
        with self.say("Choromanska and colleagues argued in 2015 that large networks have many such low points, "
                      "or minima, of similar cost.") as line:
            self.play(FadeIn(m.cite), run_time=line.duration)
        self.hold(4.0)

    def open_on(self, before: VGroup, m: MinimaPicture, heading: Text, duration: float) -> None:
        """From the memorisation picture to the seed runs' empty axes: its curves, legend and citation go,
        then its axes, redrawn each frame (nothing morphs), move and resize into the new cost axes."""
        new_heading = scene_title("Many ways down")
        if not len(before) or list(before[0][0].y_range) != list(m.axes.y_range):  # no common axes to keep
            self.play(FadeOut(before), swap_heading(heading, new_heading), run_time=0.5 * duration)
            self.play(Create(m.axes), FadeIn(m.axes_names), run_time=0.5 * duration)
            return
        old, new = before[0][0], m.axes
        lo, hi = old.y_range[:2]
        ends = np.array([10.0**lo, 10.0**hi])
        start, end = ((a.x_length, a.y_length, a.get_center()) for a in (old, new))
        t = ValueTracker(0.0)

        def frame() -> VGroup:
            s = t.get_value()
            axes = cost_axes_at(ends, old.x_range[1] + s * (new.x_range[1] - old.x_range[1]),
                                layout_between(start, end, s))
            return VGroup(axes, axis_names(axes, "training cost (log scale)"))

        moving = frame()
        self.remove(before)
        self.add(moving, *before[0][2:], *before[1:])
        self.play(FadeOut(VGroup(*before[0][2:], *before[1:])), swap_heading(heading, new_heading),
                  run_time=0.4 * duration)
        moving.add_updater(lambda g: g.become(frame()))
        self.play(t.animate.set_value(1.0), run_time=0.6 * duration)
        moving.clear_updaters()
        self.remove(moving)
        self.add(m.axes, m.axes_names)

    def own_starts(self, m: MinimaPicture) -> None:
        """Each run's gap from its own start under the matrix: training grew the weights far beyond their start."""
        a, b = m.start_spread()[:2]
        start, final = float(np.mean(m.start_sizes)), float(np.mean(m.final_sizes))
        with self.say(f"Did each run just stay near its random start? No: training made the weights about "
                      f"{final / start:.0f} times larger, from size {start:.0f} to {final:.0f}.") as line:
            self.wait(line.duration)
        with self.say(f"So the start is a small part of where each run ended: the gap from it is {fmt(a, 2)} to "
                      f"{fmt(b, 2)} times the final size.") as line:
            self.play(FadeIn(m.moved_row), run_time=0.4 * line.duration)
            self.play(Indicate(m.moved_row[0], color=HIGHLIGHT, scale_factor=1.1), run_time=0.6 * line.duration)
