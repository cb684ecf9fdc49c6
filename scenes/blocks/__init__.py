"""Building blocks: Manim objects that each draw one real thing from a recorded training run.

Use them in your own scenes (a plain `Scene` is enough); the chapter's scenes are built from them.

    from manim import Scene
    from scenes.blocks import LearningCurve, NetworkDiagram, load

    class Mine(Scene):
        def construct(self):
            rec = load("assets/runs/mine.npz")       # or load(): $DOWNHILL_RUN, else the default run
            self.add(NetworkDiagram(rec).scale(0.5))

| block | draws | reads |
| --- | --- | --- |
| `NetworkDiagram(rec, snapshot=-1, digit=None)` | the network: edges are weights, neurons lit by an input | `params` |
| `FirstLayerImages(rec, snapshot=-1)` | each first-layer neuron's weights as a picture | `params` |
| `LearningCurve(rec)` | cost (log) and accuracy per epoch, training vs test | `epoch_*`, `step_cost` |
| `GradientColumn(rec, snapshot=None)` | -grad C of one step as a column of named entries | `grads` |
| `DigitVerdict(rec, index=0, snapshot=-1)` | a test item, its outputs vs the wanted ones, its cost | `probe_*` |
| `CostSurface(rec, snapshot=-1)` | the cost surface, the path so far and the ball | `land_*` |

`snapshot` indexes the recorded snapshots (`rec["snap_step"]`; negative counts from the end).
Blocks name things in the words of `rec.classes` (scenes/words.py): the outputs of a Fashion-MNIST
run are "T-shirt/top" .. "Ankle boot", those of a folder of images its class folders' names.
Every block is a Manim Group: move, scale and animate it like any mobject; its docstring names
its parts for animating them one by one. A recording is loaded once and checked (`load`).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from nn.recording import Recording
from scenes.blocks.charts import LearningCurve
from scenes.blocks.gradient import GradientColumn
from scenes.blocks.images import FirstLayerImages
from scenes.blocks.network import NetworkDiagram
from scenes.blocks.surface import CostSurface
from scenes.blocks.verdict import DigitVerdict
from scenes.run import load_run

__all__ = ["CostSurface", "DigitVerdict", "FirstLayerImages", "GradientColumn", "LearningCurve", "NetworkDiagram",
           "load"]


def load(path: str | PathLike | None = None) -> Recording:
    """A recording, checked: `path`, else $DOWNHILL_RUN, else the project's default run.

    A missing, damaged or outdated file ends the render with one line saying what to do."""
    return load_run(Path(path) if path else None)
