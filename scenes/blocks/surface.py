"""CostSurface: the run's cost surface with its path and ball, drawn flat for any Scene."""

from __future__ import annotations

import numpy as np
from manim import DEGREES, ORIGIN, RIGHT, VGroup, VMobject, rotation_about_z, rotation_matrix

from nn.recording import Recording
from scenes.run import fail
from scenes.style import BALL
from scenes.surface import VALLEY_CAMERA, ball_mobject, view_of


def camera_matrix(phi: float, theta: float, zoom: float = 1.0) -> np.ndarray:
    """The rotation Manim's ThreeDCamera applies for (phi, theta), times its zoom."""
    return zoom * rotation_matrix(-phi, RIGHT) @ rotation_about_z(-theta - 90 * DEGREES)


class CostSurface(VGroup):
    """The recorded cost landscape seen from a fixed camera, with the path and the ball at a snapshot.

    Reads the landscape `nn landscape` adds: `rec["land_x"]`, `rec["land_y"]`, `rec["land_cost"]`
    (the grid of real costs, drawn by scenes.surface.SurfaceView, the surface CostSurfaceDescent
    shows), `rec["land_path"]` and `rec["land_path_plane_cost"]` (each snapshot's place and height
    on it): the path up to `snapshot` in yellow and the ball there. The 3-D picture is projected
    once (orthographic, faces sorted far to near, contour lines over them), so it is a plain VGroup
    for a 2-D Scene: no ThreeDScene needed. Parts: `faces`, `contours`, `labels`, `trail`, `ball`;
    `view` is the SurfaceView. `camera` is ThreeDCamera-style {"phi", "theta", "zoom"}.
    """

    def __init__(self, rec: Recording, snapshot: int = -1, camera: dict | None = None) -> None:
        if not rec.has_landscape:
            fail("this recording has no cost landscape yet; add it with `python -m nn landscape RUN.npz`")
        super().__init__()
        self.view = view = view_of(rec)
        k = snapshot % len(rec["land_path"])
        cam = {**VALLEY_CAMERA, **(camera or {})}
        matrix, centre = camera_matrix(cam["phi"], cam["theta"], cam["zoom"]), view.middle()

        def flat(points: np.ndarray) -> np.ndarray:
            return ((np.asarray(points) - centre) @ matrix.T) * [1, 1, 0]

        # one mobject per face, drawn back to front (nearer = larger depth); contour lines over them
        faces = view.reference_faces()
        for face in faces:  # a hairline of its own colour closes the seams between neighbours
            face.set_stroke(face.get_fill_color(), width=0.8, opacity=1)
        depth = [float((f.get_center() - centre) @ matrix[2]) for f in faces]
        self.faces = VGroup(*(faces[i] for i in np.argsort(depth, kind="stable")))
        self.contours = view.contours(view.tick_levels())
        edges, *texts = view.labels()
        self.labels = VGroup(edges, *texts)
        where = view.path_points(rec["land_path"][: k + 1], rec["land_path_plane_cost"][: k + 1])
        self.trail = view.trail(where) if k else VMobject()
        for mob in (self.faces, self.contours, edges, self.trail):
            mob.apply_points_function_about_point(flat, about_point=ORIGIN)
        for t in texts:  # words face the viewer: only their places move
            t.move_to(flat(t.get_center()[None, :])[0])
        self.ball = ball_mobject(0.14, BALL).move_to(flat(where[-1][None, :])[0])
        self.add(self.faces, self.contours, self.labels, self.trail, self.ball)
