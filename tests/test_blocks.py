"""The building blocks draw what the recording holds, and the README's user scene renders with the
plain `manim` CLI from a fresh recording, its pixels where the recording puts them."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from manim import tempconfig

from nn.examples import layer_activations
from nn.recording import Recording, load
from scenes.blocks import CostSurface, DigitVerdict, FirstLayerImages, GradientColumn, LearningCurve, NetworkDiagram
from scenes.style import BACKGROUND, NEGATIVE, POSITIVE, weights_rgb

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "side_by_side.py"


def test_network_diagram_edges_and_neurons_are_the_recorded_weights_and_activations(small_run: Recording) -> None:
    k = 3
    digit = small_run["probe_x"][1]
    diagram = NetworkDiagram(small_run, snapshot=k, digit=digit)
    net = small_run.network(k)
    weights = np.concatenate([w[np.ix_(diagram.shown[l + 1], diagram.shown[l])].ravel()
                              for l, w in enumerate(net.weights)])
    assert [e.get_stroke_color().to_hex() for e in diagram.edges] == [
        (POSITIVE if w >= 0 else NEGATIVE).to_hex() for w in weights]
    acts = layer_activations(net, digit)
    for layer, idx, circles in zip(acts, diagram.shown, diagram.neurons):
        brightness = [np.mean(c.get_fill_color().to_rgb()) for c in circles]
        assert np.corrcoef(brightness, layer[idx])[0, 1] > 0.99 or np.ptp(layer[idx]) < 1e-3
    np.testing.assert_allclose(diagram.outputs(), small_run["probe_out"][k][1], rtol=1e-6)


def test_first_layer_images_are_the_weights_of_the_snapshot(small_run: Recording) -> None:
    images = FirstLayerImages(small_run, snapshot=2)
    w = small_run.network(2).weights[0]
    assert len(images) == w.shape[0]
    for img, row in zip(images, w):
        np.testing.assert_array_equal(img.pixel_array[..., :3], weights_rgb(row.reshape(28, 28), images.scale_value))


def test_gradient_column_and_digit_verdict_show_the_recorded_numbers(small_run: Recording) -> None:
    column = GradientColumn(small_run, snapshot=1, entries=[0, 5, 13001])
    np.testing.assert_array_equal(column.nudge[column.entries], -small_run["grads"][1][[0, 5, 13001]])
    verdict = DigitVerdict(small_run, index=2, snapshot=-1)
    out = small_run.network(-1).forward(small_run["probe_x"][2][None, :])[0]
    cost = float(((out - np.eye(10)[small_run["probe_y"][2]]) ** 2).sum())
    assert verdict.value == pytest.approx(cost, rel=1e-6)
    shown = float(verdict.cost.get_tex_string().removeprefix("C = "))
    assert abs(shown - cost) <= 0.005 * cost  # three significant digits


def test_cost_surface_puts_the_ball_at_the_end_of_the_drawn_path(scene_run: Path) -> None:
    rec = load(scene_run)
    surface = CostSurface(rec, snapshot=5)
    np.testing.assert_allclose(surface.trail.points[-1][:2], surface.ball.get_center()[:2], atol=0.05)
    assert np.allclose(surface.get_all_points()[:, 2], 0)  # flat: drawable by a plain Scene


def _example_scene():
    spec = importlib.util.spec_from_file_location("side_by_side", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SideBySide


def test_the_readme_shows_the_example_scene_exactly() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```python\n{EXAMPLE.read_text(encoding='utf-8')}```" in readme


def test_the_example_scene_renders_with_the_manim_cli_from_a_fresh_recording(small_run: Recording, tmp_path) -> None:
    size = (960, 540)
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-r", f"{size[0]},{size[1]}", "--fps", "5", "--media_dir",
         str(tmp_path), str(EXAMPLE), "SideBySide"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "DOWNHILL_RUN": str(small_run.path)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (clip,) = tmp_path.rglob("SideBySide.mp4")
    with av.open(str(clip)) as box:
        frame = [f.to_ndarray(format="rgb24") for f in box.decode(video=0)][-1].astype(int)
    assert frame.shape[:2] == (size[1], size[0])
    assert np.abs(frame[0, 0] - np.array(BACKGROUND.to_rgb()) * 255).max() <= 2  # the scene sets our background

    # the same layout, built in this process without drawing, says where things are
    with tempconfig({"dry_run": True, "pixel_width": size[0], "pixel_height": size[1], "verbosity": "WARNING",
                     "progress_bar": "none"}):
        os.environ["DOWNHILL_RUN"] = str(small_run.path)
        try:
            scene = _example_scene()()
            scene.render()
        finally:
            del os.environ["DOWNHILL_RUN"]
        network = next(m for m in scene.mobjects if isinstance(m, NetworkDiagram))
        curves = next(m for m in scene.mobjects if isinstance(m, LearningCurve))
        camera = scene.renderer.camera

        def pixel(point: np.ndarray) -> np.ndarray:
            return camera.points_to_pixel_coords(curves, np.array([point]))[0]

        # the learning curve ends at the recorded final test accuracy: its yellow dot is there
        epochs, final = len(small_run["epoch_test_acc"]) - 1, small_run["epoch_test_acc"][-1]
        x, y = pixel(curves.chart.acc_axes.c2p(epochs, final)).astype(int)
        patch = frame[y - 6 : y + 7, x - 6 : x + 7]
        dot = (patch[..., 0] > 220) & (patch[..., 1] > 180) & (patch[..., 2] < 80)
        assert dot.sum() >= 8
        # the strongest drawn weight into the outputs has its sign's colour along its middle
        w = small_run.network(-1).weights[-1]
        shown = w[np.ix_(network.shown[-1], network.shown[-2])]
        j, i = np.unravel_index(np.argmax(np.abs(shown)), shown.shape)
        line = network.edges[len(network.edges) - shown.size + j * shown.shape[1] + i]
        agree = 0
        for t in np.linspace(0.3, 0.7, 9):
            px, py = pixel(line.point_from_proportion(t)).astype(int)
            r, _, b = frame[py - 1 : py + 2, px - 1 : px + 2].reshape(-1, 3).mean(axis=0)
            agree += (b > r + 30) if shown[j, i] > 0 else (r > b + 30)
        assert agree >= 6
