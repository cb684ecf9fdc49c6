"""A two-line narrated scene for the narration tests (rendered with the plain manim CLI)."""

from manim import RIGHT, Circle, Create

from scenes.narrated import NarratedScene

LINES = ["A circle appears while this line is spoken, one idea at a time.",
         "Then it moves to the right, and the result is held for two seconds."]


class Example(NarratedScene):
    def construct(self) -> None:
        circle = Circle()
        with self.say(LINES[0]) as line:
            self.play(Create(circle), run_time=line.duration)
        with self.say(LINES[1]) as line:
            self.play(circle.animate.shift(RIGHT), run_time=line.duration)
        self.hold()
