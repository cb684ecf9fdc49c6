"""The cost surface: fast grid = naive evaluation, projections exact, directions normalised."""

import shutil

import numpy as np
import pytest

from nn.cli import main
from nn.data import one_hot
from nn.errors import UserError
from nn.landscape import (
    PlaneCost,
    add_landscape,
    naive_cost,
    naive_plane_cost,
    pca_directions,
    project,
    random_directions,
    surface_of,
    surface_params,
)
from nn.network import Network, layer_views
from nn.recording import load
from nn.surface import chord_knots, curve_weights, swept_sheet, tangent_projection
from nn.train import TrainConfig, train

SIZES = [784, 6, 5, 10]


@pytest.fixture(scope="module")
def plane(digits):
    rng = np.random.default_rng(0)
    center = Network(SIZES, seed=1).params
    dirs = rng.standard_normal((2, center.size)) * 0.3
    X, Y = digits.x_train[:300], one_hot(digits.y_train[:300])
    ab = rng.uniform(-2, 2, (37, 2))
    return center, dirs, X, Y, ab, naive_plane_cost(SIZES, center, dirs, X, Y, ab)


def test_fast_grid_equals_naive_forward_pass_in_float64(plane) -> None:
    center, dirs, X, Y, ab, naive = plane
    fast = PlaneCost(SIZES, center, dirs, X, Y, dtype=np.float64)(ab)
    np.testing.assert_allclose(fast, naive, rtol=1e-10)


def test_fast_grid_in_float32_within_1e_5(plane) -> None:
    center, dirs, X, Y, ab, naive = plane
    fast = PlaneCost(SIZES, center, dirs, X, Y, dtype=np.float32)(ab)
    np.testing.assert_allclose(fast, naive, rtol=1e-5)


def test_path_in_a_plane_projects_exactly_with_explained_variance_one() -> None:
    rng = np.random.default_rng(2)
    center = rng.standard_normal(500)
    basis = rng.standard_normal((2, 500))
    coords = rng.standard_normal((12, 2)) * [5.0, 1.0]
    coords[-1] = 0.0  # the path ends at the center, as a recording's does
    params = center + coords @ basis
    dirs, explained = pca_directions(params, center)
    assert explained.sum() == pytest.approx(1.0, abs=1e-12)
    assert explained[0] > explained[1]
    path = project(params, center, dirs)
    np.testing.assert_allclose(center + path @ dirs, params, atol=1e-10)


def test_random_directions_are_filter_normalised() -> None:
    center = Network([784, 16, 16, 10], seed=4).params
    dirs = random_directions([784, 16, 16, 10], center, np.random.default_rng(0))
    (cw, cb) = layer_views(center, [784, 16, 16, 10])
    for d in dirs:
        dw, db = layer_views(d, [784, 16, 16, 10])
        for w, b, x, y in zip(dw, db, cw, cb):
            np.testing.assert_allclose(np.sqrt((w**2).sum(1) + b**2), np.sqrt((x**2).sum(1) + y**2))
    assert abs(np.dot(*dirs)) / np.prod(np.linalg.norm(dirs, axis=1)) < 0.1  # nearly orthogonal


def test_landscape_command_adds_arrays_and_keeps_the_rest(small_run, tmp_path) -> None:
    path = tmp_path / "run.npz"
    shutil.copy(small_run.path, path)
    assert main(["landscape", str(path), "--method", "pca", "--grid", "9", "--eval-samples", "200"]) == 0
    rec = load(path)
    for name, array in small_run.arrays.items():
        np.testing.assert_array_equal(rec[name], array)
    assert rec["land_cost"].shape == (9, 9)
    meta = rec.landscape_meta
    assert meta["method"] == "pca" and 0 < meta["captured"] <= 1 and meta["eval_samples"] == 200
    # the plane passes through the final weights: the last point projects to (0, 0), cost exact
    np.testing.assert_allclose(rec["land_path"][-1], 0, atol=1e-9)
    assert rec["land_path_plane_cost"][-1] == pytest.approx(rec["land_path_true_cost"][-1], rel=1e-9)
    # the grid covers the path
    assert rec["land_x"][0] <= rec["land_path"][:, 0].min() and rec["land_x"][-1] >= rec["land_path"][:, 0].max()


def test_random_method_and_explicit_span(small_run, digits) -> None:
    rec = load(small_run.path)
    add_landscape(rec, digits, method="random", grid=5, eval_samples=100, span=2.0)
    assert rec["land_x"][0] == -2.0 and rec["land_y"][-1] == 2.0
    assert rec.landscape_meta["explained"] is None
    assert 0 <= rec.landscape_meta["captured"] <= 1


def test_too_few_snapshots_for_pca_gets_a_clear_message(digits) -> None:
    rec = train(TrainConfig(epochs=1, snapshots=2), digits)
    with pytest.raises(UserError, match="--method random"):
        add_landscape(rec, digits, grid=5, eval_samples=50)
    add_landscape(rec, digits, method="random", grid=5, eval_samples=50)  # the documented fallback
    assert rec["land_path"].shape == (2, 2)


def test_interrupted_run_gets_a_landscape_around_its_last_snapshot(digits) -> None:
    import signal

    def stop(progress):
        if progress.step >= 400:
            signal.raise_signal(signal.SIGINT)

    rec = train(TrainConfig(epochs=3, snapshots=20), digits, on_progress=stop)
    assert rec.status == "interrupted"
    add_landscape(rec, digits, grid=5, eval_samples=50)
    assert rec.landscape_meta["run_status"] == "interrupted"


def test_bad_options(small_run, digits) -> None:
    rec = load(small_run.path)
    for kwargs, words in [({"grid": 1}, "--grid"), ({"eval_samples": 0}, "--eval-samples"),
                          ({"span": -1.0}, "--span")]:
        with pytest.raises(UserError, match=words):
            add_landscape(rec, digits, **kwargs)


# -- the sheet through every snapshot ------------------------------------------------------------


@pytest.fixture(scope="module")
def sheet_run(small_run, digits):
    rec = load(small_run.path)
    add_landscape(rec, digits, grid=7, eval_samples=150)
    return rec


def test_sheet_grid_values_are_the_costs_of_the_weights_surface_params_returns(sheet_run, digits) -> None:
    rec = sheet_run
    assert rec.landscape_meta["method"] == "sheet" and rec.landscape_meta["describe"]
    rng = np.random.default_rng(3)
    i, j = rng.integers(0, 7, 6), rng.integers(0, 7, 6)
    thetas = surface_params(rec, rec["land_x"][j], rec["land_y"][i])
    idx = rec["land_eval_idx"]
    X, Y = digits.x_train[idx], one_hot(digits.y_train[idx])
    np.testing.assert_allclose(rec["land_cost"][i, j], naive_cost(rec.sizes, thetas, X, Y), rtol=1e-5)


def test_sheet_passes_through_every_snapshot_at_its_true_cost(sheet_run) -> None:
    rec = sheet_run
    path, params = rec["land_path"], rec["params"]
    np.testing.assert_allclose(surface_params(rec, path[:, 0], path[:, 1]), params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(rec["land_path_plane_cost"], rec["land_path_true_cost"], rtol=1e-9)
    assert rec.landscape_meta["max_plane_gap"] < 1e-9
    assert np.all(np.diff(path[:, 0]) > 0)  # progress only grows: the sheet cannot fold
    # the grid covers the whole path, the untrained weights included
    assert rec["land_x"][0] < path[0, 0] and rec["land_x"][-1] > path[-1, 0]
    assert rec["land_y"][0] < path[:, 1].min() and rec["land_y"][-1] > path[:, 1].max()


def test_sheet_slice_runs_along_the_path(sheet_run) -> None:
    rec = sheet_run
    t, y = rec["land_slice_t"], rec["land_slice_y"]
    inside = (t > rec["land_path"][0, 0]) & (t < rec["land_path"][-1, 0])
    # on the path: the slice's y follows the snapshots' b between them
    np.testing.assert_allclose(y[inside], np.interp(t[inside], *rec["land_path"].T),
                               atol=0.5 * np.ptp(rec["land_path"][:, 1]))
    assert rec["land_slice_cost"].shape == t.shape and np.all(np.isfinite(rec["land_slice_cost"]))


def test_a_folding_path_lies_on_its_sheet_and_tangents_are_derivatives() -> None:
    rng = np.random.default_rng(5)
    a = np.array([0.0, 2.0, 1.0, 3.0, 2.5, 4.0, 4.0])  # a reverses, and repeats
    params = np.outer(a, [1.0] + [0.0] * 9) + rng.standard_normal((7, 10)) * 0.3
    params[-1] = params[-2]  # a repeated snapshot still gets its own knot
    sweep = np.eye(10)[1]
    sheet, where = swept_sheet(params, params[-1], sweep)
    np.testing.assert_allclose(sheet.params(where[:, 0], where[:, 1]), params, atol=1e-12)
    assert np.all(np.diff(chord_knots(params)) > 0)
    for x, y in [(where[2, 0], where[2, 1]), (0.37, 0.2), (where[-1, 0] + 1.0, -0.4)]:
        tangents, eps = sheet.tangents(x, y), 1e-6
        for axis, t in enumerate(tangents):
            step = np.eye(2)[axis] * eps
            fd = (sheet.params(x + step[0], y + step[1]) - sheet.params(x - step[0], y - step[1]))[0] / (2 * eps)
            np.testing.assert_allclose(t, fd, atol=1e-6)
        assert abs(tangents[0] @ sweep) < 1e-12  # d theta/du is perpendicular to the sweep
    _, w, _ = curve_weights(np.linspace(-1, 5, 13), chord_knots(params))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)  # a curve through points, not a scaled one


def test_gradient_in_the_tangent_plane_projects_onto_itself() -> None:
    rng = np.random.default_rng(6)
    tangents = rng.standard_normal((2, 50))
    coef, share = tangent_projection(0.3 * tangents[0] - 2.0 * tangents[1], tangents)
    np.testing.assert_allclose(coef, [0.3, -2.0], atol=1e-12)
    assert share == pytest.approx(1.0, abs=1e-12)
    q, _ = np.linalg.qr(tangents.T)
    normal = rng.standard_normal(50)
    normal -= q @ (q.T @ normal)
    coef, share = tangent_projection(normal + tangents[0], tangents)
    np.testing.assert_allclose(coef, [1.0, 0.0], atol=1e-12)
    assert share == pytest.approx(1.0 / np.sqrt(1.0 + (normal @ normal) / (tangents[0] @ tangents[0])))


def test_recorded_gradients_are_projected_on_the_sheet(sheet_run) -> None:
    rec = sheet_run
    share, ab = rec["land_grad_share"], rec["land_grad_ab"]
    assert np.all((share >= 0) & (share <= 1 + 1e-12))
    sheet = surface_of(rec)
    k = 3
    tangents = sheet.tangents(*rec["land_path"][k])
    inside = ab[k] @ tangents
    # what is left is perpendicular to the tangent plane, and has the stated size
    np.testing.assert_allclose(tangents @ (rec["grads"][k] - inside), 0, atol=1e-9 * np.linalg.norm(rec["grads"][k]))
    assert np.linalg.norm(inside) / np.linalg.norm(rec["grads"][k]) == pytest.approx(share[k])
