"""The files that carry the narration beside a clip: `.srt`, `.vtt` and a Markdown script.

One source of text: the lines a scene speaks (`NarratedScene.say`). Manim writes the `.srt` from
them (as subcaptions); we write the WebVTT twin browsers want, and `NAME.narration.md`, one line
per spoken line with its start time, for teachers who record their own voice. The chapter's
files are the clips' files joined, each clip's times shifted by the clips before it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import srt

from nn.atomic import atomic_write

SCRIPT_LINE = re.compile(r"^- `(\d+):(\d\d\.\d)` (.*)$")


def clock(seconds: float) -> str:
    """m:ss.s, the script's time stamp."""
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def vtt_time(t: timedelta) -> str:
    ms = round(t.total_seconds() * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def to_vtt(cues: list[srt.Subtitle]) -> str:
    blocks = [f"{vtt_time(c.start)} --> {vtt_time(c.end)}\n{c.content}" for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def to_script(title: str, lines: list[tuple[float, str]]) -> str:
    body = "\n".join(f"- `{clock(start)}` {text}" for start, text in lines)
    return (f"# Narration: {title}\n\nOne spoken line per item, with the time (m:ss.s) it starts in the "
            f"video. Record your own voice line by line, or read along.\n\n{body}\n")


def read_script(path: Path) -> list[tuple[float, str]]:
    """(start seconds, text) of each line of a script written by `to_script`."""
    lines = []
    for row in path.read_text(encoding="utf-8").splitlines():
        m = SCRIPT_LINE.match(row)
        if m:
            lines.append((60 * int(m[1]) + float(m[2]), m[3]))
    return lines


def write_text(path: Path, content: str) -> None:
    with atomic_write(path) as f:
        f.write(content.encode("utf-8"))


def write_companions(movie: Path, title: str, lines: list[tuple[float, str]]) -> None:
    """Beside movie.mp4 (whose .srt Manim wrote): movie.vtt and movie.narration.md."""
    srt_path = movie.with_suffix(".srt")
    cues = list(srt.parse(srt_path.read_text(encoding="utf-8"))) if srt_path.exists() else []
    write_text(movie.with_suffix(".vtt"), to_vtt(cues))
    write_text(movie.with_suffix(".narration.md"), to_script(title, lines))


def join_companions(clips: list[tuple[Path, float]], out: Path, title: str) -> None:
    """The chapter's .srt, .vtt and script from each (clip.mp4, its start time in the chapter)."""
    cues, lines = [], []
    for clip, start in clips:
        shift = timedelta(seconds=start)
        srt_path, script = clip.with_suffix(".srt"), clip.with_suffix(".narration.md")
        if srt_path.exists():
            for c in srt.parse(srt_path.read_text(encoding="utf-8")):
                cues.append(srt.Subtitle(len(cues) + 1, c.start + shift, c.end + shift, c.content))
        if script.exists():
            lines += [(start + t, text) for t, text in read_script(script)]
    write_text(out.with_suffix(".srt"), srt.compose(cues, reindex=False))
    write_text(out.with_suffix(".vtt"), to_vtt(cues))
    write_text(out.with_suffix(".narration.md"), to_script(title, lines))
