"""The story order of the chapter, and joining its clips into one video."""

from __future__ import annotations

import os
from pathlib import Path

import av

# (module, scene) in the order the video tells the story.
STORY = [
    ("cost", "CostOfOneExample"),
    ("cost", "AverageCost"),
    ("descent", "DescentOnACurve"),
    ("descent", "CostSurfaceDescent"),
    ("gradient", "NegativeGradient"),
    ("weights", "WeightsLearning"),
    ("weights", "FirstLayerWeights"),
    ("results", "LearningCurves"),
    ("results", "TestPredictions"),
    ("results", "RandomNoiseInput"),
    ("experiments", "MemorisationRuns"),
    ("experiments", "ManyMinima"),
]


def select(names: str | None) -> list[tuple[str, str]]:
    """The story's (module, scene) pairs for comma-separated scene names, in story order (None: all)."""
    if not names:
        return STORY
    wanted = names.split(",")
    unknown = set(wanted) - {s for _, s in STORY}
    if unknown:
        raise ValueError(f"unknown scenes: {', '.join(sorted(unknown))}")
    return [(m, s) for m, s in STORY if s in wanted]


def concat_videos(clips: list[Path], out: Path) -> int:
    """Join clips of one resolution and frame rate into `out` without re-encoding.

    Packets are copied with their timestamps shifted by the clips before them; the result is
    written to a temp file and renamed, so a failed join leaves no half video. Returns the frame count.
    """
    tmp = out.with_name(f".{out.name}.part")
    frames, offset = 0, 0
    with av.open(str(clips[0])) as first, av.open(str(tmp), "w", format="mp4") as dst:
        stream = dst.add_stream_from_template(first.streams.video[0])
        for clip in clips:
            with av.open(str(clip)) as src:
                end = offset
                for packet in src.demux(src.streams.video[0]):
                    if packet.dts is None:
                        continue
                    packet.pts += offset
                    packet.dts += offset
                    end = max(end, packet.pts + (packet.duration or 1))
                    packet.stream = stream
                    dst.mux(packet)
                    frames += 1
                offset = end
    os.replace(tmp, out)
    return frames
