"""The memorisation runs' cost picture, drawn once: MemorisationRuns builds and zooms it, ManyMinima
opens on its last state. True vs shuffled labels (blue vs orange), both training costs on log axes,
the 'knows nothing' level, the legend and the Arpit et al. citation."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Axes,
    DashedLine,
    Mobject,
    Text,
    VGroup,
)

from nn.recording import Recording
from scenes.charts import (
    axis_names,
    curve,
    legend,
    log_cost_axes,
)
from scenes.run import fail, load_group_runs
from scenes.style import COMPARE_A, COMPARE_B, TEXT, fmt, text

COLORS = {"true": COMPARE_A, "shuffled": COMPARE_B}
# (width, height, centre) of the cost plot beside the accuracy plot, and of the cost plot alone (zoomed)
SIDE = (5.5, 3.2, np.array([-3.55, 0.45, 0.0]))
ALONE = (8.2, 4.4, np.array([-1.6, -0.1, 0.0]))


def memorisation_runs() -> dict[str, Recording]:
    group = load_group_runs("memorisation")
    missing = [n for n in ("true", "shuffled") if n not in group]
    if missing:
        fail(f"the memorisation group lacks {', '.join(m + '.npz' for m in missing)}; make both runs with "
             "`python -m nn group memorisation`")
    return {n: group[n] for n in ("true", "shuffled")}


def early_window(epochs: int) -> tuple[int, int]:
    """(K, k): zoom on the first K epochs (a fifth of the run, at least 3) and read both costs at epoch k."""
    window = min(epochs, max(3, round(epochs / 5)))
    return window, max(1, round(window / 3))


def know_nothing(runs: dict[str, Recording]) -> float:
    """The cost of answering 1/n on every one of n outputs: (1 - 1/n)^2 + (n - 1)/n^2 = 1 - 1/n."""
    return 1 - 1 / runs["shuffled"].sizes[-1]


def level_shown(runs: dict[str, Recording]) -> bool:
    """Whether the shuffled cost at the early reading (epoch k) is within 5% of `know_nothing`."""
    epochs = max(r.epochs_done for r in runs.values())
    k = early_window(epochs)[1]
    return abs(float(runs["shuffled"]["epoch_train_cost"][k]) - know_nothing(runs)) < 0.05 * know_nothing(runs)


def partial(values: np.ndarray, x_max: float) -> tuple[np.ndarray, np.ndarray]:
    """(x, values) of one value per epoch up to epoch x_max; a fractional end is interpolated (on the log)."""
    n = min(int(np.floor(x_max)), len(values) - 1)
    xs, vs = np.arange(n + 1, dtype=float), np.asarray(values[: n + 1], dtype=float)
    if x_max > n and n + 1 < len(values):
        t = x_max - n
        end = np.exp((1 - t) * np.log(values[n]) + t * np.log(values[n + 1]))
        xs, vs = np.append(xs, x_max), np.append(vs, end)
    return xs, vs


def layout_between(a: tuple, b: tuple, t: float) -> tuple:
    """The (width, height, centre) of a plot `t` of the way (0 to 1) from layout `a` to layout `b`."""
    return tuple(p + t * (q - p) for p, q in zip(a, b))


def cost_axes_at(values: np.ndarray, x_max: float, layout: tuple) -> Axes:
    """Log cost axes over `values` from epoch 0 to `x_max`, at `layout` (width, height, centre): a zoom
    or a move redraws these each frame, so nothing is morphed."""
    width, height, centre = layout
    return log_cost_axes(values, x_max, width, height).move_to(centre)


def cost_view(runs: dict[str, Recording], x_max: float, level: bool = False, alone: float = 1.0) -> VGroup:
    """Both training costs from epoch 0 to `x_max` on log axes (the y range covers the whole runs, so
    zooming changes only x), `alone` of the way from beside the accuracy plot to filling the frame:
    VGroup(axes, axis names, curves, level), where level is the dashed line at `know_nothing`
    labelled 'cost 0.9 = every output 0.1' right of its end (or empty)."""
    costs = np.concatenate([r["epoch_train_cost"] for r in runs.values()])
    axes = cost_axes_at(costs, x_max, layout_between(SIDE, ALONE, alone))
    names = axis_names(axes, "training cost (log scale)")
    curves = VGroup(*(curve(axes, v, COLORS[n], width=3 + alone, x=x)
                      for n, (x, v) in ((n, partial(r["epoch_train_cost"], x_max)) for n, r in runs.items())))
    mark = VGroup()
    if level:
        c, outputs = know_nothing(runs), runs["shuffled"].sizes[-1]
        line = DashedLine(axes.c2p(0, c), axes.c2p(x_max, c), color=TEXT, stroke_width=2)
        mark = VGroup(line, text(f"cost {fmt(c, 1)} = every output {fmt(1 / outputs, 1)}", size=18, color=TEXT)
                      .next_to(line, RIGHT, buff=0.15))  # right of the plot: clear of both curves
    return VGroup(axes, names, curves, mark)


def memorisation_picture(runs: dict[str, Recording]) -> VGroup:
    """The picture MemorisationRuns ends on: both whole runs (the level line when it was spoken),
    the legend and the Arpit citation."""
    epochs = max(r.epochs_done for r in runs.values())
    view = cost_view(runs, epochs, level_shown(runs))
    return VGroup(view, memorisation_keys(runs), arpit(view[0]))


def memorisation_keys(runs: dict[str, Recording]) -> VGroup:
    return legend([(f"{n} labels", COLORS[n]) for n in runs]).to_corner(UP + RIGHT, buff=0.5)


def arpit(axes: Mobject) -> Text:
    return text("Arpit et al. 2017", size=24, color=TEXT).next_to(axes, DOWN, buff=0.6).align_to(axes, RIGHT)


