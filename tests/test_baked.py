"""The one-pass surface (scenes/baked.py) draws what one Manim mobject per face draws."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Arrow3D, tempconfig

from nn.recording import load
from scenes.baked import SurfaceCamera
from scenes.surface import CAMERA, VALLEY_CAMERA, view_of


def photograph(mobjects: list, orientation: dict, centre: np.ndarray) -> np.ndarray:
    with tempconfig({"pixel_width": 320, "pixel_height": 180}):
        camera = SurfaceCamera(should_apply_shading=False)
        camera.set_phi(orientation["phi"])
        camera.set_theta(orientation["theta"])
        camera.set_zoom(orientation["zoom"])
        camera.frame_center = centre
        camera.capture_mobjects(mobjects)
        return np.asarray(camera.get_image())[..., :3].astype(int)


@pytest.mark.parametrize("orientation", [CAMERA, VALLEY_CAMERA], ids=["first view", "along the valley"])
@pytest.mark.parametrize("opacity", [1.0, 0.4])
def test_baked_surface_matches_one_mobject_per_face(scene_run, orientation, opacity) -> None:
    view = view_of(load(scene_run))
    reference = photograph([view.reference_faces(opacity)], orientation, view.middle())
    baked = photograph([view.faces(opacity)], orientation, view.middle())
    assert (reference.sum(axis=-1) > 60).mean() > 0.05  # the surface covers a good part of the frame
    difference = np.abs(reference - baked).max(axis=-1)
    assert (difference > 8).mean() < 0.002, "the two drawings differ"


def test_baked_surface_is_painted_under_what_stands_on_it(scene_run) -> None:
    """An arrow at the surface's middle shows whole over the baked surface, even where a face
    between it and the camera would paint over it in depth order."""
    view = view_of(load(scene_run))
    start = view.point(view.xs[len(view.xs) // 2], view.ys[len(view.ys) // 2], 0.0)
    arrow = Arrow3D(start, start + np.array([0, 0, 0.01]) + 1.5 * (view.middle() - start), color="#FF0000")
    frame = photograph([arrow, view.faces()], CAMERA, view.middle())
    red = (frame[..., 0] > 200) & (frame[..., 1] < 60) & (frame[..., 2] < 60)
    alone = photograph([arrow], CAMERA, view.middle())
    red_alone = (alone[..., 0] > 200) & (alone[..., 1] < 60) & (alone[..., 2] < 60)
    assert red_alone.sum() > 20
    assert red.sum() >= 0.9 * red_alone.sum()
