"""The end card (beat 15): what run and data made this video, and the works it builds on.

`Credits` opens on the seed runs' picture (where experiments.ManyMinima ends) and turns it into
the card: the recording's file name, its data and size, network, seed, epochs, batch size,
learning rate and test accuracy; the experiment groups' runs; the references, and the MNIST
licence when the data is MNIST. This is the one frame that names the run file and its seed.
"""

from __future__ import annotations

from manim import DOWN, LEFT, UP, FadeIn, FadeOut, ReplacementTransform, VGroup

from nn.network import parameter_count
from nn.probes import is_mnist
from nn.recording import Recording
from scenes.charts import MinimaPicture, group_if_made, seed_runs, train_count
from scenes.narrated import NarratedScene
from scenes.run import group_folder, load_run
from scenes.style import MUTED, TEXT, pct, text, title

REFERENCES = [
    "M. Nielsen, Neural Networks and Deep Learning",
    "3Blue1Brown, Gradient descent, how neural networks learn",
    "H. Li et al. 2018, Visualizing the Loss Landscape of Neural Nets",
    "C. Zhang et al. 2016, Understanding deep learning requires rethinking generalization",
    "D. Arpit et al. 2017, A closer look at memorization in deep networks",
    "A. Choromanska et al. 2015, The loss surfaces of multilayer networks",
]
MNIST_CREDIT = "MNIST by LeCun, Cortes and Burges, CC BY-SA 3.0"


def run_facts(rec: Recording) -> list[tuple[str, str]]:
    """(name, value) rows describing the run, every value read from the recording."""
    c, d = rec.config, rec.meta["dataset"]
    n_train = train_count(rec)
    used = f", {n_train:,} used for training" if n_train != d["train_size"] else ""
    status = "" if rec.status == "complete" else f" ({rec.status})"
    return [
        ("run", (rec.path.name if rec.path else "unsaved run") + status),
        ("data", f"{d['name']}: {d['train_size']:,} training / {d['test_size']:,} test images{used}"),
        ("network", f"{'-'.join(map(str, rec.sizes))}, {parameter_count(rec.sizes):,} weights and biases"),
        ("training", f"seed {c['seed']}, {rec.epochs_done} epochs, batch {c['batch_size']}, "
                     f"learning rate {c['lr']:g}, labels {c['labels']}"),
        ("test accuracy", pct(float(rec["epoch_test_acc"][-1]))),
    ]


def group_facts(groups: dict[str, dict[str, Recording] | None]) -> list[tuple[str, str]]:
    """One row per experiment group: its folder and the runs read from it (or that it was not made)."""
    return [(kind, f"{group_folder(kind).name}/: " + (", ".join(f"{n}.npz" for n in runs) if runs else "not made"))
            for kind, runs in groups.items()]


def table(heading: str, rows: list[tuple[str, str]]) -> VGroup:
    """A heading over rows of a muted name and its value."""
    names = [text(name, size=16, color=MUTED) for name, _ in rows]
    column = max(n.width for n in names) + 0.3
    lines = VGroup()
    for i, (name, (_, value)) in enumerate(zip(names, rows)):
        name.move_to([0, -0.36 * i, 0], aligned_edge=LEFT)
        lines.add(VGroup(name, text(value, size=16, color=TEXT).move_to([column, -0.36 * i, 0], aligned_edge=LEFT)))
    return VGroup(text(heading, size=22, color=TEXT), lines).arrange(DOWN, aligned_edge=LEFT, buff=0.2)


class Credits(NarratedScene):
    """Beat 15: the end card. `self.facts` are the run's rows as shown, `self.references` the works cited."""

    def construct(self) -> None:
        rec = load_run()
        groups = {kind: group_if_made(kind) for kind in ("memorisation", "seeds")}
        # the picture ManyMinima ends on, when the seed runs were made
        before = MinimaPicture(seed_runs()).whole() if groups["seeds"] else VGroup()
        heading = title("Many ways down")
        self.add(heading, before)

        self.facts = run_facts(rec)
        runs = [rec, *(r for g in groups.values() if g for r in g.values())]
        self.references = REFERENCES + ([MNIST_CREDIT] if any(is_mnist(r.meta["dataset"]["name"]) for r in runs)
                                        else [])
        run_table = table("This video's run", self.facts)
        groups_table = table("Experiment runs", group_facts(groups))
        refs = VGroup(text("References", size=22, color=TEXT),
                      VGroup(*(text(r, size=15, color=TEXT) for r in self.references))
                      .arrange(DOWN, aligned_edge=LEFT, buff=0.12)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        card = VGroup(run_table, groups_table, refs).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        card.scale_to_fit_height(min(card.height, 6.4)).next_to(title("Credits"), DOWN, buff=0.3, aligned_edge=LEFT)

        with self.say("Every number and picture in this chapter came from real recorded training runs. "
                      "Here they are.") as line:
            self.play(FadeOut(before), ReplacementTransform(heading, title("Credits")), run_time=0.4 * line.duration)
            self.play(FadeIn(run_table, shift=UP * 0.2), FadeIn(groups_table, shift=UP * 0.2),
                      run_time=0.6 * line.duration)
        with self.say("And these are the works it builds on. Train a run of your own, and the chapter retells "
                      "itself from it.") as line:
            self.play(FadeIn(refs, lag_ratio=0.1), run_time=line.duration)
        self.hold(4.0)
