"""The story order of the chapter, and joining its clips into one video."""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np

# (module, scene) in the order the video tells the story.
STORY = [
    ("cost", "CostOfOneExample"),
    ("cost", "AverageCost"),
    ("descent", "DescentOnACurve"),
    ("surface_descent", "CostSurfaceDescent"),
    ("rates", "LearningRates"),
    ("gradient", "NegativeGradient"),
    ("weights", "WeightsLearning"),
    ("weights", "FirstLayerWeights"),
    ("results", "LearningCurves"),
    ("results", "TestPredictions"),
    ("results", "RandomNoiseInput"),
    ("experiments", "MemorisationRuns"),
    ("experiments", "ManyMinima"),
    ("credits", "Credits"),
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


AUDIO_RATE = 48000


def concat_videos(clips: list[Path], out: Path) -> list[float]:
    """Join clips of one resolution and frame rate into `out`; returns each clip's start (s).

    Video packets are copied without re-encoding, their timestamps shifted by the clips before
    them. Each clip's sound is decoded and laid on one timeline at the clip's start (so audio
    stays in step with the picture even where a clip's audio is shorter or longer than its
    video), then encoded once as AAC. Written to a temp file and renamed: a failed join leaves
    no half video.
    """
    tmp = out.with_name(f".{out.name}.part")
    video, starts, tracks = [], [], []
    with av.open(str(clips[0])) as first, av.open(str(tmp), "w", format="mp4") as dst:
        stream = dst.add_stream_from_template(first.streams.video[0])
        offset = 0
        for clip in clips:
            with av.open(str(clip)) as src:
                starts.append(float(offset * stream.time_base))
                end = offset
                for packet in src.demux(src.streams.video[0]):
                    if packet.dts is None:
                        continue
                    packet.pts += offset
                    packet.dts += offset
                    end = max(end, packet.pts + (packet.duration or 1))
                    packet.stream = stream
                    video.append(packet)
                tracks.append(_decoded_audio(src))
                offset = end
        total = float(offset * stream.time_base)
        audio = _encode_audio(dst, _timeline(tracks, starts, total)) if any(len(t) for t in tracks) else []
        for packet in sorted(video + audio, key=lambda p: float(p.dts * p.time_base)):
            dst.mux(packet)
    os.replace(tmp, out)
    return starts


def _decoded_audio(container) -> np.ndarray:
    """A clip's sound as float32 stereo samples at AUDIO_RATE, shape (n, 2); empty if silent."""
    if not container.streams.audio:
        return np.zeros((0, 2), np.float32)
    container.seek(0)
    resampler = av.AudioResampler(format="flt", layout="stereo", rate=AUDIO_RATE)
    parts = [f.to_ndarray().reshape(-1, 2) for frame in container.decode(audio=0) for f in resampler.resample(frame)]
    parts += [f.to_ndarray().reshape(-1, 2) for f in resampler.resample(None)]
    return np.concatenate(parts) if parts else np.zeros((0, 2), np.float32)


def _timeline(tracks: list[np.ndarray], starts: list[float], total: float) -> np.ndarray:
    """Each clip's samples placed at its start, cut at the next clip's start."""
    ends = starts[1:] + [total]
    out = np.zeros((int(round(total * AUDIO_RATE)), 2), np.float32)
    for samples, start, end in zip(tracks, starts, ends):
        a, b = int(round(start * AUDIO_RATE)), int(round(end * AUDIO_RATE))
        piece = samples[: b - a]
        out[a : a + len(piece)] = piece
    return out


def _encode_audio(dst, samples: np.ndarray, frame_size: int = 1024) -> list:
    stream = dst.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
    packets = []
    for i in range(0, len(samples), frame_size):
        chunk = np.ascontiguousarray(samples[i : i + frame_size].reshape(1, -1))
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts = i
        packets += stream.encode(frame)
    packets += stream.encode(None)
    return packets
