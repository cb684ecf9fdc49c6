"""Our test accuracy beside the 3Blue1Brown video's: the picture results.TestPredictions ends on and
results.RandomNoiseInput opens on, so it is drawn once, and the lines that explain it.

The bars compare how many training items each network learned from; the test accuracies stand
in a column of their own beside them (bar length is training-set size, never accuracy). Ours
carries its 95% interval (nn/uncertainty.py: the normal approximation to the binomial count of
right answers); under the bars, a few training items of one class show how differently one class
is written.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Group, Line, Text, VGroup

from nn.errors import UserError
from nn.probes import is_mnist, run_dataset
from nn.recording import Recording
from nn.train import TrainConfig, training_set
from nn.uncertainty import enough_for_normal, half_width
from scenes.charts import hbar, spoken, train_count
from scenes.run import fail
from scenes.style import BACKGROUND, COMPARE_A, COMPARE_B, HIGHLIGHT, MUTED, digit_image, pct, text
from scenes.words import label, noun, nouns

# What the 3Blue1Brown video reports for its network (not from any recording: the video's numbers).
VIDEO_ACCURACY = 0.96
VIDEO_TRAIN_SIZE = 60_000
EXAMPLES = 10  # training items of one class shown under the bars
X0, LENGTH = -4.2, 5.0  # the bars' common left end and the longest bar's length
COLUMN_X = 1.6  # the left edge of the accuracy column
STRIP_Y = -2.75  # the strip of images under the bars


def final_accuracy(rec: Recording) -> tuple[float, int, int]:
    """(test accuracy, test items right, test items) at the end of the run."""
    acc, total = float(rec["epoch_test_acc"][-1]), int(rec.meta["dataset"]["test_size"])
    return acc, round(acc * total), total


def give_or_take(rec: Recording) -> float | None:
    """The 95% half-width of the final test accuracy, or None when too few right or wrong answers
    make the normal approximation untrustworthy (nn/uncertainty.py)."""
    acc, _, total = final_accuracy(rec)
    return half_width(acc, total) if enough_for_normal(acc, total) else None


def headline(rec: Recording) -> Text:
    """'914 of 1,000 test digits right: 91.4%', in yellow at the top."""
    acc, right, total = final_accuracy(rec)
    return text(f"{right:,} of {total:,} test {nouns(rec)} right: {pct(acc)}", size=30, color=HIGHLIGHT)


def comparison_lines(rec: Recording) -> list[str]:
    """Narrated lines: our accuracy vs the video's, why, and how sure our number is."""
    acc, n_train, name = float(rec["epoch_test_acc"][-1]), train_count(rec), rec.meta["dataset"]["name"]
    n_test = int(rec.meta["dataset"]["test_size"])
    video = f"The network in the 3Blue1Brown video gets about {round(100 * VIDEO_ACCURACY)} percent."
    sure = (f"And our {spoken(acc)} is measured on only {n_test:,} test {nouns(rec)}, so it is itself a little "
            "uncertain")
    margin = give_or_take(rec)
    sure += f": give or take {spoken(margin)}." if margin is not None else "."
    if not is_mnist(name):
        return [f"{video} Ours read {name}, not the video's MNIST, so the two do not compare.",
                f"Our network trained on {n_train:,} examples for {rec.epochs_done} epochs.", sure]
    if n_train < VIDEO_TRAIN_SIZE:
        why = (f"Ours learned from only {n_train:,} training digits; the video's network saw all "
               f"{VIDEO_TRAIN_SIZE:,} of MNIST.")
    else:
        why = f"Ours learned from {n_train:,} digits, as many as the video's, so the gap lies in other settings."
    return [f"{video} Ours gets {spoken(acc)}. Why the difference?", why,
            "More examples show more ways to write each digit: that probably explains most of the gap.", sure]


def training_examples(rec: Recording, cls: int, n: int = EXAMPLES) -> np.ndarray:
    """The first n training items of class `cls` (true labels) among those the run trained on."""
    try:
        data = run_dataset(rec)
    except UserError as e:
        fail(f"{e} (the accuracy scene shows some of the run's own training {nouns(rec)})")
    config = dataclasses.replace(TrainConfig(**rec.config), labels="true")
    x, y = training_set(config, data)
    return x[np.flatnonzero(y == cls)[:n]], int(np.sum(y == cls))


class ComparisonPicture(Group):
    """Training-set size as bars (this run vs the video's network), each bar carrying its count, and
    the test accuracies in a column of their own to the right, apart from the bars.

    Parts: `headline`, `bars` (ours, the video's), `who` and `counts` (per bar: its name; "4,000
    training digits"), `column` (a dividing line and the heading "test accuracy"), `scores` (the two
    accuracies, one under the other), `axis` (the bars' two lines), `margin` (ours +- its 95%
    interval, with a note; empty when not shown), `examples` (a strip of training items of class
    `cls` and its label; empty when `cls` is None)."""

    def __init__(self, rec: Recording, cls: int | None = None) -> None:
        acc, n_train = float(rec["epoch_test_acc"][-1]), train_count(rec)
        self.headline = headline(rec).move_to([0, 2.45, 0])
        longest = max(n_train, VIDEO_TRAIN_SIZE)
        self.bars, self.who, self.counts, self.scores = VGroup(), VGroup(), VGroup(), VGroup()
        for y, n, colour, who, score in ((0.95, n_train, COMPARE_A, "this run", pct(acc)),
                                         (-0.4, VIDEO_TRAIN_SIZE, COMPARE_B, "the video",
                                          f"about {VIDEO_ACCURACY:.0%}")):
            bar = hbar(LENGTH * n / longest, colour, height=0.7).move_to([X0, y, 0], aligned_edge=LEFT)
            self.bars.add(bar)
            self.who.add(text(who, size=28, color=colour).next_to(bar.get_left(), LEFT, buff=0.25))
            count = text(f"{n:,} training {nouns(rec)}", size=22, color=colour)
            if count.width + 0.3 < bar.width:  # on the bar when it fits, else just past its end
                count.set_color(BACKGROUND).next_to(bar.get_left(), RIGHT, buff=0.15)
            else:
                count.next_to(bar, RIGHT, buff=0.15)
            self.counts.add(count)
            self.scores.add(text(score, size=36, color=colour, weight="BOLD")
                            .move_to([COLUMN_X, y, 0], aligned_edge=LEFT))
        bottom = -1.0
        self.column = VGroup(Line([COLUMN_X - 0.4, 1.6, 0], [COLUMN_X - 0.4, bottom, 0], color=MUTED, stroke_width=1.5),
                             text("test accuracy", size=22, color=MUTED).move_to([COLUMN_X, 1.75, 0],
                                                                                aligned_edge=LEFT))
        self.axis = VGroup(Line([X0, 1.6, 0], [X0, bottom, 0], color=MUTED, stroke_width=1.5),
                           Line([X0, bottom, 0], [X0 + LENGTH, bottom, 0], color=MUTED, stroke_width=1.5))
        self.margin = VGroup()
        margin = give_or_take(rec)
        if margin is not None:
            plus = text(f"± {100 * margin:.1f}%", size=30, color=COMPARE_A).next_to(self.scores[0], RIGHT, buff=0.2)
            note = text(f"95% interval from {final_accuracy(rec)[2]:,} test {nouns(rec)}", size=20, color=MUTED)
            self.margin = VGroup(plus, note.next_to(VGroup(self.scores[0], plus), DOWN, buff=0.12)
                                 .align_to(self.scores[0], LEFT))
        self.examples = Group()
        if cls is not None:
            xs, count = training_examples(rec, cls)
            images = Group(*(digit_image(x, height=0.95) for x in xs)).arrange(RIGHT, buff=0.12)
            images.move_to([0, STRIP_Y, 0])
            name = (f"{len(xs)} of the {count:,} training {label(rec, cls)}s" if noun(rec) == "digit"
                    else f"{len(xs)} of the {count:,} training {nouns(rec)} labelled {label(rec, cls)}")
            self.examples = Group(images, text(name, size=20, color=MUTED).next_to(images, UP, buff=0.12))
        super().__init__(self.headline, self.bars, self.who, self.counts, self.column, self.scores, self.axis,
                         self.margin, self.examples)


def example_class(rec: Recording) -> int:
    """The class whose training items are shown: the true class of the first missed probe, else of
    the first probe."""
    ys, predicted = rec["probe_y"].astype(int), rec["probe_out"][-1].argmax(axis=1)
    missed = np.flatnonzero(predicted != ys)
    return int(ys[missed[0]] if len(missed) else ys[0])


def final_comparison(rec: Recording) -> ComparisonPicture:
    """The picture as TestPredictions ends on it (and RandomNoiseInput opens on it): for an MNIST
    run with the training examples and the interval; otherwise just the bars."""
    return ComparisonPicture(rec, example_class(rec) if is_mnist(rec.meta["dataset"]["name"]) else None)
