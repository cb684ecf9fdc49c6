"""Measuring rendered clips: their sound, their subtitles, their pace (shared by the narration tests)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import srt

MAX_WPM = 165  # the storyboard's pace
SPEECH_RMS = 0.01  # Piper's speech is ~0.1 RMS; the silent fallback is exactly 0


def audio(path: Path) -> tuple[np.ndarray, int]:
    """Mono float samples of a clip's sound and their rate."""
    with av.open(str(path)) as box:
        stream = box.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        parts = [f.to_ndarray().ravel() for frame in box.decode(stream) for f in resampler.resample(frame)]
    return np.concatenate(parts), rate


def rms(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    piece = samples[int(start * rate) : int(end * rate)]
    return float(np.sqrt(np.mean(piece**2))) if len(piece) else 0.0


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as box:
        return float(box.duration / av.time_base)


def cues(path: Path) -> list[srt.Subtitle]:
    return list(srt.parse(path.read_text(encoding="utf-8")))


def check_pace_and_order(subtitles: list[srt.Subtitle], length: float) -> None:
    """Every cue lies in the clip, in order, and is spoken at most MAX_WPM words a minute."""
    last_end = 0.0
    for c in subtitles:
        start, end = c.start.total_seconds(), c.end.total_seconds()
        assert last_end - 1e-3 <= start < end <= length + 1e-3, (f"cue {c.index} {start:.3f}-{end:.3f} after one "
                                                                 f"ending {last_end:.3f}, clip {length:.3f} s")
        wpm = 60 * len(c.content.split()) / (end - start)
        assert wpm <= MAX_WPM, f"{wpm:.0f} words a minute: {c.content!r}"
        last_end = end


def check_spoken(clip: Path) -> None:
    """Sound under every subtitle cue."""
    samples, rate = audio(clip)
    for c in cues(clip.with_suffix(".srt")):
        assert rms(samples, rate, c.start.total_seconds(), c.end.total_seconds()) > SPEECH_RMS, c.content
