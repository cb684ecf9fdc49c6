"""The end card (beat 15): what run and data made this video, and the works it builds on.

`Credits` opens on the seed runs' picture (where experiments.ManyMinima ends) and turns it into
the card: the recording's file name, its data and size, network, seed, epochs, batch size,
learning rate and test accuracy; the experiment groups' runs and settings (memorisation, seeds,
learning rates; a group never made is left out with a warning); the command for full MNIST; the
references (a column of their own), and the MNIST licence when the data is MNIST. This is the one
frame that names the run file and its seed.
"""

from __future__ import annotations

import textwrap

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Text, VGroup, config

from nn.classes import FASHION
from nn.network import parameter_count
from nn.probes import is_mnist
from nn.recording import Recording
from scenes.charts import scene_title, swap_heading, train_count
from scenes.minima import MinimaPicture, group_if_made, seed_runs
from scenes.narrated import NarratedScene
from scenes.run import load_run
from scenes.style import MUTED, TEXT, pct, text
from scenes.words import noun, nouns

REFERENCES = [
    "M. Nielsen, Neural Networks and Deep Learning",
    "3Blue1Brown, Gradient descent, how neural networks learn",
    "H. Li et al. 2018, Visualizing the Loss Landscape of Neural Nets",
    "C. Zhang et al. 2016, Understanding deep learning requires rethinking generalization",
    "D. Arpit et al. 2017, A closer look at memorization in deep networks",
    "A. Choromanska et al. 2015, The loss surfaces of multilayer networks",
]
MNIST_CREDIT = "MNIST by LeCun, Cortes and Burges, CC BY-SA 3.0"
FASHION_CREDIT = "Fashion-MNIST by Xiao, Rasul and Vollgraf (Zalando Research), MIT licence"


def run_facts(rec: Recording) -> list[tuple[str, str]]:
    """(name, value) rows describing the run, every value read from the recording."""
    c, d = rec.config, rec.meta["dataset"]
    n_train = train_count(rec)
    used = f", {n_train:,} used for training" if n_train != d["train_size"] else ""
    status = "" if rec.status == "complete" else f" ({rec.status})"
    kinds = [] if noun(rec) == "digit" else [(nouns(rec), ", ".join(rec.classes))]  # digits need no list
    return [
        ("data", f"{d['name']}: {d['train_size']:,} training / {d['test_size']:,} test {nouns(rec)}{used}"),
        *kinds,
        ("network", f"{'-'.join(map(str, rec.sizes))}, {parameter_count(rec.sizes):,} weights and biases"),
        ("training", f"seed {c['seed']}, {rec.epochs_done} epochs, batch {c['batch_size']}, "
                     f"learning\u00a0rate\u00a0{c['lr']:g}, {c['labels']} labels"),  # no break inside "learning rate 3"
        ("test accuracy", pct(float(rec["epoch_test_acc"][-1]))),
        ("saved as", (rec.path.name if rec.path else "not saved") + status),  # the file, last: secondary
    ]


def group_facts(groups: dict[str, dict[str, Recording] | None]) -> list[tuple[str, str]]:
    """One row per experiment group that was made: its runs and what sets them apart,
    read from the recordings (groups that were never made are left out; group_if_made warned)."""
    rows = []
    for kind, runs in groups.items():
        if not runs:
            continue
        first = next(iter(runs.values()))
        if kind == "learning-rates":
            detail = "learning rates " + ", ".join(f"{r.config['lr']:g}" for r in
                                                  sorted(runs.values(), key=lambda r: r.config["lr"]))
        elif kind == "seeds":  # numbered as ManyMinima numbers them: start 1, 2, ... in seed order
            seeds = sorted(int(r.config["seed"]) for r in runs.values())
            listed = (f"{seeds[0]}–{seeds[-1]}" if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1))
                      else ", ".join(map(str, seeds)))
            detail = f"starts 1–{len(seeds)} (seeds {listed})"
        else:
            detail = ", ".join(f"{n} labels" for n in runs)
        rows.append((kind, f"{detail}; {train_count(first):,} {nouns(first)}, {first.epochs_done} epochs"))
    return rows


def table(heading: str, rows: list[tuple[str, str]], size: float = 20) -> VGroup:
    """A heading over rows of a muted name and its value (a long value wraps onto more lines)."""
    names = [text(name, size=size, color=MUTED) for name, _ in rows]
    column = max(n.width for n in names) + 0.3
    lines = VGroup()
    for name, (_, value) in zip(names, rows):
        shown = text(textwrap.fill(value, 44), size=size, color=TEXT, line_spacing=0.8)
        shown.next_to(name, RIGHT, buff=column - name.width).align_to(name, UP)
        lines.add(VGroup(name.shift(UP * (baseline(shown, value) - baseline(name, name.text))), shown))
    lines.arrange(DOWN, aligned_edge=LEFT, buff=0.16)
    return VGroup(text(heading, size=26, color=TEXT), lines).arrange(DOWN, aligned_edge=LEFT, buff=0.22)


def baseline(shown: Text, s: str) -> float:
    """Where the first line of `shown` (the text of `s`) sits: the median bottom of its glyphs, so that
    a name and its value line up on the line they are written on, whatever their ascenders."""
    first = textwrap.fill(s, 44).split("\n")[0]
    glyphs = shown[: max(1, len(first.replace(" ", "")))]
    return float(np.median([g.get_bottom()[1] for g in glyphs]))


def reference(ref: str) -> VGroup:
    """A reference as 'who, year' over its title (muted, wrapped), so it fits one column; a data
    credit as who over its licence."""
    who, _, what = ref.rpartition(", ") if ref in (MNIST_CREDIT, FASHION_CREDIT) else ref.partition(", ")
    rows = VGroup(text(textwrap.fill(who, 48), size=20, color=TEXT, line_spacing=0.8))
    if what:
        rows.add(text(textwrap.fill(what, 48), size=20, color=MUTED, line_spacing=0.8))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)


def fit_column(column: VGroup, width: float, top: float) -> VGroup:
    """`column` shrunk (never grown) to at most `width` wide and to reach from `top` no lower than the
    frame's bottom margin (a long class list, three experiment groups), its top at `top`."""
    room = top - (-config.frame_height / 2 + 0.35)
    column.scale(min(1.0, width / column.width, room / column.height))
    return column.shift(UP * (top - column.get_top()[1]))


class Credits(NarratedScene):
    """Beat 15: the end card. `self.facts` are the run's rows as shown, `self.references` the works cited."""

    def construct(self) -> None:
        rec = load_run()
        groups = {kind: group_if_made(kind) for kind in ("memorisation", "seeds", "learning-rates")}
        # the picture ManyMinima ends on, when the seed runs were made
        before = MinimaPicture(seed_runs()).whole() if groups["seeds"] else VGroup()
        heading = scene_title("Many ways down")
        self.add(heading, before)

        self.facts = run_facts(rec)
        runs = [rec, *(r for g in groups.values() if g for r in g.values())]
        self.references = REFERENCES + ([MNIST_CREDIT] if any(is_mnist(r.meta["dataset"]["name"]) for r in runs)
                                        else []) + ([FASHION_CREDIT] if any(r.classes == FASHION for r in runs) else [])
        new_heading = scene_title("Credits")
        run_table = table("The main run", self.facts)
        groups_table = table("Experiment runs", group_facts(groups))
        goal = "train on full MNIST" if is_mnist(rec.meta["dataset"]["name"]) else "train on other data"
        command = text(f"{goal}:  python -m nn train --data DIR", size=20, color=MUTED)
        left = VGroup(run_table, groups_table, command).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        top = new_heading.get_bottom()[1] - 0.4
        fit_column(left, 7.2, top).align_to(new_heading, LEFT)
        refs = VGroup(text("References", size=26, color=TEXT),
                      VGroup(*(reference(r) for r in self.references)).arrange(DOWN, aligned_edge=LEFT, buff=0.2))
        refs.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        fit_column(refs, 6.0, top).to_edge(RIGHT, buff=0.35)

        with self.say("Every number and picture in this chapter came from real recorded training runs, except "
                      "where labelled. Here they are.") as line:
            self.play(swap_heading(heading, new_heading), FadeOut(before), run_time=0.4 * line.duration)
            self.play(FadeIn(left, shift=UP * 0.2), run_time=0.6 * line.duration)
        with self.say("And these are the works it builds on. Train a run of your own, and the chapter retells "
                      "itself from it.") as line:
            self.play(FadeIn(refs, lag_ratio=0.1), run_time=0.6 * line.duration)
        self.hold(10.0)  # the whole card, about 120 words, stays some 12 s after its last part comes in
