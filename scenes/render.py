"""Render every scene of the chapter from one recording, in parallel, then join them.

    python -m scenes.render --run assets/runs/default.npz -qh --jobs 2
    python -m scenes.render --run assets/runs/mine.npz          # into media/mine/, nothing clobbered
    python -m scenes.render --run assets/runs/default.npz -ql --voice none --stills assets/stills
    python -m scenes.render --voice none                        # silent, subtitles only

Each scene is an ordinary `manim` CLI call (DOWNHILL_RUN picks the recording) with a media folder
of its own: Manim writes each text's SVG through a temp file named by the text's hash, so two
scenes drawing the same words at once into one folder can trip over each other. The finished
clips are gathered in media/<run name>/clips/ (each with its .srt, .vtt and narration script)
and joined in story order into media/<run name>/chapter.mp4 with chapter.srt, chapter.vtt and
chapter.narration.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scenes.chapter import concat_videos, select
from scenes.run import ROOT, load_run
from scenes.subtitles import join_companions
from scenes.voice import VOICES, missing_voice_message, piper_available

console = Console(stderr=True)
QUALITY_DIRS = {"-ql": "480p15", "-qm": "720p30", "-qh": "1080p60", "-qp": "1440p60", "-qk": "2160p60"}


def manim_command(module: str, scene: str, media: Path, flags: list[str]) -> list[str]:
    return [sys.executable, "-m", "manim", *flags, "--media_dir", str(media), f"scenes/{module}.py", scene]


COMPANIONS = (".srt", ".vtt", ".narration.md")  # the narration's files beside each clip


def render_one(module: str, scene: str, run: Path, media: Path, flags: list[str],
               voice: str = "piper") -> tuple[str, float, str]:
    """Render one scene with the manim CLI; returns (scene, seconds, stderr when it failed else '').

    Warnings (such as an unreadable run skipped in a group) are passed on to our stderr.
    """
    started = time.perf_counter()
    done = subprocess.run(manim_command(module, scene, media, flags), cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "DOWNHILL_RUN": str(run), "DOWNHILL_VOICE": voice})
    for line in done.stderr.splitlines():
        if line.startswith("warning:"):
            console.print(f"{scene}: {line}", markup=False, highlight=False)
    error = "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["failed"])[-1]
    return scene, time.perf_counter() - started, error


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes.render", description=__doc__.splitlines()[0])
    p.add_argument("--run", type=Path, default=ROOT / "assets" / "runs" / "default.npz",
                   help="recording to render (default: the project's default run)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="scenes rendered at once")
    p.add_argument("--stills", type=Path, default=None,
                   help="also save one frame of each clip (at 9/10 of its length, 640 px wide) as a PNG in this "
                        "folder; the clips go to media/<run>-stills/ so the chapter is not replaced")
    p.add_argument("--scenes", default=None, help="comma-separated scene names (default: all, in story order)")
    p.add_argument("--voice", choices=VOICES, default="piper",
                   help="narration voice: piper (default; offline, needs the [voice] extra), none (silent, "
                        "subtitles only), or one of manim-voiceover's services")
    quality = p.add_mutually_exclusive_group()
    for flag, folder in QUALITY_DIRS.items():
        quality.add_argument(flag, dest="quality", action="store_const", const=flag, help=f"render at {folder}")
    p.set_defaults(quality="-qm")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be at least 1")

    run = args.run.resolve()
    load_run(run, need_landscape=True)  # one clear error now, rather than one per scene
    try:
        story = select(args.scenes)
    except ValueError as e:
        p.error(str(e))

    if args.voice == "piper" and not piper_available():
        console.print(f"note: {missing_voice_message()}", markup=False, highlight=False)
    media = ROOT / "media" / (run.stem + ("-stills" if args.stills else ""))
    flags = [args.quality]

    failures = []
    started = time.perf_counter()
    columns = (TextColumn("[bold blue]rendering"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console) as bar, ThreadPoolExecutor(args.jobs) as pool:
        task = bar.add_task("", total=len(story), last="")
        futures = [pool.submit(render_one, m, s, run, media / "scenes" / s, flags, args.voice)
                   for m, s in story]
        for future in futures:
            scene, seconds, error = future.result()
            bar.update(task, advance=1, last=f"{scene} {seconds:.0f}s")
            if error:
                failures.append(f"{scene}: {error}")
    if failures:
        for f in failures:
            console.print(f"[red]error[/]: {f}")
        return 2

    clips_dir = media / "clips"
    clips_dir.mkdir(parents=True, exist_ok=True)
    clips = []
    for module, scene in story:
        clip = clips_dir / f"{scene}.mp4"
        rendered = _output(media / "scenes" / scene, module, scene, QUALITY_DIRS[args.quality])
        for suffix in COMPANIONS:
            companion = rendered.with_suffix(suffix)
            if companion.exists():
                os.replace(companion, clip.with_suffix(suffix))
            else:
                clip.with_suffix(suffix).unlink(missing_ok=True)
        os.replace(rendered, clip)
        clips.append(clip)
    chapter = media / "chapter.mp4"
    starts = concat_videos(clips, chapter)
    join_companions(list(zip(clips, starts)), chapter, f"the chapter, from {run.name}")
    with av.open(str(chapter)) as joined:
        length = float(joined.duration or 0) / av.time_base
    console.print(f"{len(clips)} clips in {clips_dir}; chapter: {chapter} ({length / 60:.1f} min, with "
                  f"chapter.srt, .vtt and .narration.md); {time.perf_counter() - started:.0f} s in all")
    if args.stills:
        save_stills(clips, args.stills)
        console.print(f"{len(clips)} stills in {args.stills}")
    return 0


def save_stills(clips: list[Path], folder: Path, at: float = 0.9, width: int = 640) -> None:
    """One frame of each clip, at fraction `at` of its length (the beat's picture, not the
    hand-over to the next scene that ends it), `width` pixels wide, as folder/NAME.png."""
    folder.mkdir(parents=True, exist_ok=True)
    for clip in clips:
        with av.open(str(clip)) as box:
            when = at * float(box.duration / av.time_base)
            frame = next(f for f in box.decode(video=0) if f.time >= when)
            image = frame.to_image()
        image.resize((width, round(width * image.height / image.width))).save(folder / f"{clip.stem}.png")


def _output(media: Path, module: str, scene: str, quality: str) -> Path:
    """Where the manim CLI put a scene's video."""
    return media / "videos" / module / quality / f"{scene}.mp4"


if __name__ == "__main__":
    raise SystemExit(main())
