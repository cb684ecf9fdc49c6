"""Scenes render from a recording, and what they draw sits where the recorded data says.

Renders are tiny (192x108 at 5 fps for whole clips; 480x270 last frames for pixel checks) so the
whole file runs in about a minute on two cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from manim import tempconfig

from nn.recording import load

ROOT = Path(__file__).resolve().parent.parent
TINY = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 5}
STILL = {"pixel_width": 480, "pixel_height": 270, "frame_rate": 5, "save_last_frame": True}


def render(scene_cls, run: Path, media: Path, settings: dict, env: dict | None = None):
    """Render a scene in this process; returns (scene, last frame as an RGB uint8 array)."""
    env = {"DOWNHILL_RUN": str(run), **{k: str(v) for k, v in (env or {}).items()}}
    os.environ.update(env)
    try:
        with tempconfig({**settings, "media_dir": str(media), "disable_caching": True, "verbosity": "WARNING",
                         "progress_bar": "none"}):
            scene = scene_cls()
            scene.render()
            frame = np.array(scene.renderer.get_frame())[..., :3]
    finally:
        for key in env:
            del os.environ[key]
    return scene, frame


def scene_class(module: str, name: str):
    return getattr(__import__(f"scenes.{module}", fromlist=[name]), name)


def test_the_manim_cli_renders_a_scene_from_downhill_run(scene_run, tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-r", "192,108", "--fps", "5", "--media_dir", str(tmp_path),
         "scenes/descent.py", "DescentOnACurve"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "DOWNHILL_RUN": str(scene_run)}, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert list(tmp_path.rglob("DescentOnACurve.mp4"))


@pytest.mark.parametrize("problem", ["missing", "corrupt", "no landscape"])
def test_bad_recording_gives_one_clear_error(problem, small_run, tmp_path) -> None:
    run = tmp_path / "run.npz"
    if problem == "corrupt":
        run.write_bytes(b"PK\x03\x04 definitely not a recording")
    elif problem == "no landscape":
        shutil.copy(small_run.path, run)
    done = subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-r", "192,108", "--media_dir", str(tmp_path / "media"),
         "scenes/surface_descent.py", "CostSurfaceDescent"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "DOWNHILL_RUN": str(run)}, timeout=300,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    expected = {"missing": "python -m nn train", "corrupt": "python -m nn train",
                "no landscape": "python -m nn landscape"}[problem]
    assert expected in done.stderr and str(run) in done.stderr


def _blob_center(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    assert len(xs) > 0, "nothing of that colour on screen"
    return np.array([xs.mean(), ys.mean()])


def test_the_ball_sits_on_the_projection_of_the_recorded_point_whenever_it_rests(scene_run, tmp_path) -> None:
    """At the start, after each shown step and at the end, the ball on screen is where the recorded
    snapshot's surface coordinates and true cost project, with the camera of that moment."""
    from scenes.surface_descent import CostSurfaceDescent, view_of

    scene, _ = render(CostSurfaceDescent, scene_run, tmp_path, {**STILL, "save_last_frame": False},
                      env={"DOWNHILL_VOICE": "none"})
    rec = load(scene_run)
    view = view_of(rec)  # an independent copy of the drawing's coordinates
    camera = scene.renderer.camera
    with av.open(scene.renderer.file_writer.movie_file_path) as clip:
        frames = [(f.time, f.to_ndarray(format="rgb24")) for f in clip.decode(video=0)]
    assert len(scene.resting) >= 3
    for when, k, state in scene.resting:
        u, y = rec["land_path"][k]
        point = view.point(u, y, rec["land_path_true_cost"][k])
        camera.set_phi(state["phi"]), camera.set_theta(state["theta"]), camera.set_zoom(state["zoom"])
        camera.frame_center = state["frame_center"]
        camera.reset_rotation_matrix()  # the projection reads a cached matrix
        expected = _projected_pixel(camera, point)
        _, frame = min(frames, key=lambda f: abs(f[0] - (when + 0.05)))
        # the ball's yellows (body #FFD400 and its lighter shade; not the trail's #FFFF00), searched
        # within 20 px of where it should be: the ball is 10 px across here
        x0, y0 = (expected - 20).astype(int)
        rgb = frame[max(y0, 0) : y0 + 41, max(x0, 0) : x0 + 41].astype(int)
        ball = (rgb[..., 0] > 235) & (rgb[..., 1] > 195) & (rgb[..., 1] < 242) & (rgb[..., 2] < 130)
        found = _blob_center(ball) + [max(x0, 0), max(y0, 0)]
        assert np.linalg.norm(found - expected) < 3.0, (k, when)


def _projected_pixel(camera, point: np.ndarray) -> np.ndarray:
    """Where the 3-D camera draws `point`: projected (which subtracts frame_center), then mapped to
    pixels once. (Camera.points_to_pixel_coords would subtract frame_center a second time: the
    Cairo context keeps the translation it was made with, the origin.)"""
    x, y = camera.project_points(np.array([point]))[0][:2]
    scale = camera.pixel_width / camera.frame_width
    return np.array([camera.pixel_width / 2 + x * scale, camera.pixel_height / 2 - y * scale])


def _to_pixels(scene, mob, points) -> np.ndarray:
    return scene.renderer.camera.points_to_pixel_coords(mob, np.asarray(points, dtype=float))


def test_first_layer_pixels_have_the_sign_of_the_recorded_weights(scene_run, tmp_path) -> None:
    from manim import DR, UL

    from scenes.weights import FirstLayerWeights

    scene, frame = render(FirstLayerWeights, scene_run, tmp_path,
                          {**STILL, "pixel_width": 960, "pixel_height": 540})
    W1 = load(scene_run).network(-1).weights[0]
    rgb = frame.astype(int)
    checked = agree = 0
    for j, image in enumerate(scene.weight_images):
        (x0, y0), (x1, y1) = _to_pixels(scene, image, [image.get_corner(UL), image.get_corner(DR)])
        weights = W1[j].reshape(28, 28)
        strong = np.abs(weights) > 0.5 * np.percentile(np.abs(W1), 99)
        for r, c in zip(*np.nonzero(strong)):
            px = int(x0 + (c + 0.5) * (x1 - x0) / 28)
            py = int(y0 + (r + 0.5) * (y1 - y0) / 28)
            red, _, blue = rgb[py, px]
            checked += 1
            agree += (blue > red + 40) if weights[r, c] > 0 else (red > blue + 40)
    assert checked > 100
    assert agree / checked > 0.97
    # the last frame is the bridge picture LearningCurves opens on, at its own place
    from scenes.bridges import first_layer_grid

    bridge = first_layer_grid(load(scene_run))
    assert np.allclose([i.get_center() for i in scene.weight_images], [i.get_center() for i in bridge])


def test_network_edges_have_the_sign_and_size_of_the_recorded_weights(scene_run) -> None:
    from scenes.style import NEGATIVE, POSITIVE
    from scenes.weights import NetworkView

    rec = load(scene_run)
    view = NetworkView(rec)
    view.show(len(rec["snap_step"]) - 1)
    layers = [w[np.ix_(view.shown[l + 1], view.shown[l])].ravel() for l, w in enumerate(rec.network(-1).weights)]
    weights = np.concatenate(layers)
    assert len(view.edges) == weights.size
    colours = [e.get_stroke_color().to_hex() for e in view.edges]
    assert colours == [(POSITIVE if w >= 0 else NEGATIVE).to_hex() for w in weights]
    widths = np.array([e.get_stroke_width() for e in view.edges])
    start = 0
    for layer in layers:  # each layer on its own scale: within a layer, bolder for larger |w|
        order = np.argsort(np.abs(layer))
        assert np.all(np.diff(widths[start:start + layer.size][order]) >= -1e-9)
        start += layer.size


def test_learning_curve_ends_at_the_recorded_final_accuracy(scene_run, tmp_path) -> None:
    from scenes.results import LearningCurves

    scene, frame = render(LearningCurves, scene_run, tmp_path, STILL)
    rec = load(scene_run)
    epochs, final = len(rec["epoch_test_acc"]) - 1, rec["epoch_test_acc"][-1]
    np.testing.assert_allclose(scene.acc_axes.p2c(scene.final_acc_dot.get_center())[:2], [epochs, final], atol=1e-9)
    expected = _to_pixels(scene, scene.acc_axes, [scene.acc_axes.c2p(epochs, final)])[0]
    rgb = frame.astype(int)
    dot = (rgb[..., 0] > 235) & (np.abs(rgb[..., 1] - 212) < 18) & (rgb[..., 2] < 50)  # BALL = #FFD400
    near = np.zeros_like(dot)
    x, y = expected.astype(int)
    near[y - 8 : y + 9, x - 8 : x + 9] = True
    assert np.linalg.norm(_blob_center(dot & near) - expected) < 2.0


def test_many_minima_final_costs_match_a_recomputation_on_the_runs_data(scene_run, groups, digits, tmp_path) -> None:
    from nn.data import one_hot
    from nn.network import Network
    from nn.train import TrainConfig, training_set
    from scenes.experiments import ManyMinima

    scene, _ = render(ManyMinima, scene_run, tmp_path, STILL, env=groups)
    assert len(scene.names) == 3
    finals = []
    for name in scene.names:
        rec = load(groups["DOWNHILL_SEEDS"] / f"{name}.npz")
        net = Network(rec.sizes)
        net.params[:] = rec["params"][-1]
        x, y = training_set(TrainConfig(**rec.config), digits)
        assert scene.final_costs[name] == pytest.approx(net.cost(x, one_hot(y)), rel=1e-9)
        assert scene.final_test_acc[name] == pytest.approx(net.accuracy(digits.x_test, digits.y_test))
        finals.append(net.params.copy())
    expected = np.linalg.norm(finals[0] - finals[1]) / np.sqrt(np.linalg.norm(finals[0]) * np.linalg.norm(finals[1]))
    assert scene.distances[0, 1] == pytest.approx(expected)
    assert scene.distances[1, 0] == pytest.approx(expected)  # symmetric


def test_a_group_mixing_datasets_is_named_not_rendered_silently(groups, capsys) -> None:
    from scenes.experiments import group_problems, warn

    runs = {n: load(groups["DOWNHILL_MEMORISATION"] / f"{n}.npz") for n in ("true", "shuffled")}
    assert group_problems(runs, "labels") == []
    runs["shuffled"].meta["dataset"] = {**runs["shuffled"].meta["dataset"], "name": "fashion-mnist", "sha256": "f" * 64}
    problems = group_problems(runs, "labels")
    assert any("different data" in p and "fashion-mnist" in p for p in problems)
    note = warn(problems, "memorisation")
    assert note is not None and "fashion-mnist" in note.text
    assert "warning: memorisation group: the runs used different data" in capsys.readouterr().err


def test_credits_name_the_run_its_settings_and_the_mnist_licence(scene_run, groups, tmp_path) -> None:
    from scenes.credits import MNIST_CREDIT, Credits

    scene, frame = render(Credits, scene_run, tmp_path, STILL, env=groups)
    rec = load(scene_run)
    facts = dict(scene.facts)
    assert facts["saved as"] == scene_run.name
    assert f"seed {rec.config['seed']}" in facts["training"]
    assert f"batch {rec.config['batch_size']}" in facts["training"]
    assert f"{rec.meta['dataset']['test_size']:,} test" in facts["data"]
    assert MNIST_CREDIT in scene.references  # the embedded digits are MNIST
    assert frame.std() > 10


def _bright_box(frame: np.ndarray, threshold: int = 60) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.nonzero(frame.max(axis=2) > threshold)
    assert len(xs) > 0, "nothing bright on screen"
    return np.array([xs.min(), ys.min()]), np.array([xs.max(), ys.max()])


def test_cost_of_one_example_ends_on_the_digit_and_its_recorded_trained_cost(scene_run, tmp_path) -> None:
    from manim import DR, UL

    from scenes.cost import CostOfOneExample

    scene, frame = render(CostOfOneExample, scene_run, tmp_path, STILL)
    rec = load(scene_run)
    desired = np.eye(10)[rec["probe_y"][0]]
    recorded = float(((rec["probe_out"][-1][0] - desired) ** 2).sum())
    image, cost = scene.final_picture
    shown = float(cost.get_tex_string().removeprefix("C = "))
    assert abs(shown - recorded) <= 0.005 * recorded  # three significant digits of the recorded cost
    # the digit on screen is the recorded probe digit, pixel for pixel
    (x0, y0), (x1, y1) = _to_pixels(scene, image, [image.get_corner(UL), image.get_corner(DR)])
    centres = (np.arange(28) + 0.5) / 28
    px = (x0 + centres * (x1 - x0)).astype(int)
    py = (y0 + centres * (y1 - y0)).astype(int)
    drawn = frame[np.ix_(py, px)].mean(axis=2)
    assert np.corrcoef(drawn.ravel(), rec["probe_x"][0])[0, 1] > 0.95


def test_average_cost_shows_the_recorded_training_costs_and_ends_on_the_cost_function(scene_run, tmp_path) -> None:
    from manim import DR, UL

    from scenes.bridges import cost_function
    from scenes.cost import AverageCost

    scene, frame = render(AverageCost, scene_run, tmp_path, STILL)
    rec = load(scene_run)
    for shown, recorded in zip(scene.shown_train_costs, rec["epoch_train_cost"][[0, -1]]):
        assert abs(float(shown) - recorded) <= 0.005 * recorded
    # the last frame holds only C(w_1, ..., w_n), where the next scene opens on it
    formula = cost_function(rec)
    lo, hi = _to_pixels(scene, formula, [formula.get_corner(UL), formula.get_corner(DR)])
    top_left, bottom_right = _bright_box(frame)
    assert np.all(top_left >= lo - 3) and np.all(bottom_right <= hi + 3)
