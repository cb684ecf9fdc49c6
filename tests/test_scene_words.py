"""Scenes rendered from non-digit runs say the run's own words: class names and nouns, never "digit"."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import MathTex, Scene, Text

from nn.cli import main
from nn.data import reload
from nn.landscape import add_landscape
from nn.recording import load
from tests.test_classes import _fashion_like, image_folder
from tests.test_scenes import TINY, render, scene_class

SCENES = [("cost", "CostOfOneExample"), ("results", "TestPredictions"), ("results", "RandomNoiseInput"),
          ("weights", "WeightsLearning")]


@pytest.fixture(scope="module")
def word_runs(tmp_path_factory) -> dict[str, Path]:
    """A 3-class folder-of-images run and a Fashion-MNIST-named run, each with a coarse landscape."""
    root = tmp_path_factory.mktemp("word-runs")
    runs = {"shapes": (str(image_folder(root / "shapes")), []),
            "fashion": (str(_fashion_like(root / "fashion-idx")), ["--classes", "fashion-mnist"])}
    paths = {}
    for name, (data, extra) in runs.items():
        path = root / f"{name}.npz"
        assert main(["train", "--data", data, *extra, "--epochs", "3", "--snapshots", "6", "--out", str(path)]) == 0
        rec = load(path)
        add_landscape(rec, reload(rec.meta), grid=5, eval_samples=20)
        rec.save(path)
        paths[name] = path
    return paths


def _words(scene_cls, run: Path, media: Path, monkeypatch) -> tuple[list[str], list[str]]:
    """(every text and tex string the scene put on screen, every narrated line) of one tiny render."""
    shown: list[str] = []
    real_add = Scene.add

    def add(self, *mobjects):
        for m in mobjects:
            for part in m.get_family():
                if isinstance(part, Text):
                    shown.append(part.original_text)
                elif isinstance(part, MathTex):
                    shown.append(part.get_tex_string())
        return real_add(self, *mobjects)

    monkeypatch.setattr(Scene, "add", add)
    scene, _ = render(scene_cls, run, media, TINY, env={"DOWNHILL_VOICE": "none"})
    return shown, [line for _, line in scene.spoken]


@pytest.mark.parametrize("module, name", SCENES)
def test_scenes_say_the_runs_own_words(word_runs, module, name, tmp_path, monkeypatch) -> None:
    for run, names, plural in ((word_runs["shapes"], ["circle", "cross", "square"], "images"),
                               (word_runs["fashion"], ["Trouser", "Dress", "Bag"], "clothing items")):
        shown, spoken = _words(scene_class(module, name), run, tmp_path / run.stem, monkeypatch)
        everything = " ".join(shown + spoken)
        assert "digit" not in everything.lower(), [s for s in shown + spoken if "digit" in s.lower()]
        assert any(n in everything for n in names), (name, run.stem)
        if name != "WeightsLearning":
            assert any(plural in line or f"{plural[:-1]}" in line for line in spoken)


def test_a_three_class_run_draws_three_outputs(word_runs) -> None:
    from scenes.blocks import DigitVerdict, NetworkDiagram
    from scenes.charts import output_bars

    rec = load(word_runs["shapes"])
    diagram = NetworkDiagram(rec, digit=rec["probe_x"][0])
    assert len(diagram.neurons[-1]) == 3
    assert [label.original_text for label in diagram.out_labels] == ["circle", "cross", "square"]
    verdict = DigitVerdict(rec)
    assert [row[0].original_text for row in verdict.rows] == ["circle", "cross", "square"]
    bars = output_bars(rec["probe_out"][-1][0], [0.0, 0.0, 0.0], rec.classes)
    assert len(bars[0]) == 3 and all(label.width <= 0.52 for label in bars[1])


def test_blocks_name_fashion_outputs(word_runs) -> None:
    """The blocks users build scenes from label a Fashion-MNIST run's outputs with its class names,
    whole or shortened to fit, never with the digits 0-9."""
    from scenes.blocks import DigitVerdict, NetworkDiagram
    from scenes.blocks.network import LABEL_WIDTH
    from scenes.blocks.verdict import NAME_WIDTH

    rec = load(word_runs["fashion"])
    names = [label.original_text for label in NetworkDiagram(rec).out_labels]
    assert names == list(rec.classes)
    assert all(label.width <= LABEL_WIDTH + 1e-6 for label in NetworkDiagram(rec).out_labels)
    rows = DigitVerdict(rec).rows
    assert [row[0].original_text for row in rows] == names
    assert all(row[0].width <= NAME_WIDTH + 1e-6 and row[0].get_right()[0] < row[1].get_left()[0] for row in rows)
