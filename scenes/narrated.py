"""The base of every story scene: narration leads, the picture follows.

A beat is written as

    with self.say("The cost of one example is a single number.") as line:
        self.play(Write(formula), run_time=line.duration)
    self.hold()

`say` speaks the line (see scenes/voice.py), shows it as a subtitle and records it for the
narration script; the block's animations should fill `line.duration` (what is left is waited
out). `hold()` keeps a beat's result on screen for the storyboard's 2 s. After the render the
clip gets its `.vtt` and `NAME.narration.md` beside the `.srt` Manim writes. While a slide deck
is made (`DOWNHILL_SLIDES=1`, set by scenes/slides.py) every hold ends a section, and the lines
spoken in each go beside the clip as `NAME.slides.json` (scenes/deck.py).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from manim import Animation, Mobject, Scene, ThreeDScene, config
from manim_voiceover import VoiceoverScene
from manim_voiceover.tracker import VoiceoverTracker

from scenes.baked import SurfaceCamera
from scenes.deck import SLIDES_ENV, write_slide_notes
from scenes.subtitles import write_companions
from scenes.voice import speech_service

HOLD_SECONDS = 2.0  # the storyboard's "hold the result"
SUBTITLE_CHARS = 84  # longest subtitle cue before a line is split into two cues


class NarratedScene(VoiceoverScene):
    """A Scene whose beats are narrated lines (see the module docstring)."""

    def setup(self) -> None:
        super().setup()
        self.set_speech_service(speech_service())
        self.spoken: list[tuple[float, str]] = []
        # making slides: how many lines had been spoken at each hold (each hold ends a slide)
        self.slide_cuts: list[int] | None = [] if os.environ.get(SLIDES_ENV) == "1" else None

    @contextmanager
    def say(self, text: str) -> Iterator[VoiceoverTracker]:
        """Speak one line; animations inside the block should last the line (tracker.duration)."""
        line = " ".join(text.split())
        self.spoken.append((float(self.renderer.time), line))
        with self.voiceover(text=line, max_subcaption_len=SUBTITLE_CHARS, subcaption_buff=0.0) as tracker:
            yield tracker

    def add_wrapped_subcaption(self, subcaption: str, duration: float, subcaption_buff: float = 0.0,
                               max_subcaption_len: int = SUBTITLE_CHARS) -> None:
        """Subtitle cues for one spoken line: as few cues as fit `max_subcaption_len` characters,
        of about equal length, split at word boundaries, each given time in proportion to its
        words, back to back. So no cue runs faster than the line (manim-voiceover shares time by
        characters, which lets a cue of short words run fast)."""
        words = subcaption.split()
        count = max(1, math.ceil(len(subcaption) / max_subcaption_len))
        target = len(subcaption) / count
        cues: list[list[str]] = [[]]
        for word in words:
            if cues[-1] and len(cues) < count and len(" ".join(cues[-1] + [word])) > target:
                cues.append([])
            cues[-1].append(word)
        offset = 0.0
        for cue in cues:
            share = duration * len(cue) / len(words)
            self.add_subcaption(" ".join(cue), duration=max(share - subcaption_buff, 0), offset=offset)
            offset += share

    def wait_for_voiceover(self) -> None:
        """Wait out the line to the next whole frame: manim-voiceover skips waits under one frame,
        and Manim's clock moves in whole frames, either of which lets the next line (its sound
        and its subtitle) start before this one has finished."""
        tracker = getattr(self, "current_tracker", None)
        remaining = tracker.get_remaining_duration() if tracker else 0.0
        if remaining > 1e-6:  # the extra thousandth of a frame: Manim floors a frozen wait's frame count
            self.wait((math.ceil(remaining * config.frame_rate - 1e-9) + 1e-3) / config.frame_rate)

    def hold(self, seconds: float = HOLD_SECONDS) -> None:
        """Let the result stand before the next beat."""
        self.wait(seconds)
        if self.slide_cuts is not None:
            self.slide_cuts.append(len(self.spoken))
            super().next_section(f"slide {len(self.slide_cuts)}")

    def next_section(self, *args, **kwargs) -> None:
        """A chapter mark; while making slides only the holds cut sections (see `hold`)."""
        if self.slide_cuts is None:
            super().next_section(*args, **kwargs)

    def render(self, preview: bool = False) -> bool:
        rerun = super().render(preview)
        if config.save_last_frame or config.dry_run:  # a still or a dry run: no clip to go beside
            return rerun
        movie = Path(self.renderer.file_writer.movie_file_path)
        if movie.exists():
            write_companions(movie, type(self).__name__, self.spoken)
            if self.slide_cuts is not None:
                write_slide_notes(movie, self.renderer.file_writer, self.spoken, self.slide_cuts)
        return rerun


class NarratedThreeDScene(NarratedScene, ThreeDScene):
    """NarratedScene with ThreeDScene's camera (orientation, ambient rotation, fixed-in-frame text),
    one that also paints a cost surface's faces in one pass (scenes/baked.py)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(camera_class=SurfaceCamera, **kwargs)

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        """ThreeDScene redraws every mobject on every frame once the camera's trackers are in the
        scene, and a camera move leaves them there for good. Here the camera counts as moving only
        while an animation or updater moves it, so a still camera keeps a still background."""
        camera = self.renderer.camera
        trackers = [*camera.get_value_trackers(), camera._frame_center]
        animated = {id(a.mobject) for a in animations}
        if any(id(t) in animated or t.get_updaters() for t in trackers):
            return self.mobjects
        return Scene.get_moving_mobjects(self, *animations)
