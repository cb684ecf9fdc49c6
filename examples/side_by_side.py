"""The trained network beside its learning curves, from your own recording (see README, "Your own scenes")."""

from manim import LEFT, RIGHT, Create, FadeIn, Scene

from scenes.blocks import LearningCurve, NetworkDiagram, load
from scenes.style import BACKGROUND


class SideBySide(Scene):
    def construct(self) -> None:
        self.camera.background_color = BACKGROUND
        rec = load()  # the run named by $DOWNHILL_RUN (else the project's default run)
        network = NetworkDiagram(rec).scale_to_fit_width(5.6).to_edge(LEFT)
        curves = LearningCurve(rec).scale_to_fit_width(7.4).to_edge(RIGHT)
        self.play(Create(network), FadeIn(curves), run_time=2)
        self.wait()
