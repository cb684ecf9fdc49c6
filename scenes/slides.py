"""Make the chapter a slide deck for class: one slide per beat, the narration as speaker notes.

    python -m scenes.slides                                  # the default run -> media/default/slides/
    python -m scenes.slides --run assets/runs/mine.npz -q l --scenes CostOfOneExample,AverageCost
    python -m scenes.slides --formats html --out deck/       # the HTML deck only, into deck/

Each story scene is rendered silent (the teacher speaks) with the manim CLI, DOWNHILL_SLIDES=1
and --save_sections: every hold of a NarratedScene ends a section, so each slide plays one beat
and stops on its held result. The deck (scenes/deck.py) is OUT/index.html, a reveal.js
presentation that opens from disk with no network (reveal.js and the videos lie beside it), and
OUT/chapter.pptx with the same slides and notes.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console

from nn.errors import UserError
from scenes.chapter import select
from scenes.deck import SLIDES_ENV, Slide, copy_videos, read_slides, write_html, write_pptx
from scenes.export import _Parser
from scenes.render import render_one
from scenes.run import ROOT, load_run

console = Console(stderr=True)
FORMATS = ("html", "pptx")
RESOLUTION = re.compile(r"^[1-9]\d{1,4},[1-9]\d{1,4}$")


def render_slides(story: list[tuple[str, str]], run: Path, work: Path, flags: list[str], jobs: int) -> list[Slide]:
    """Render each scene into `work` as sections cut at its holds; the slides of all scenes, in story order."""
    before = os.environ.get(SLIDES_ENV)
    os.environ[SLIDES_ENV] = "1"  # read by NarratedScene in the manim processes render_one starts
    try:
        with ThreadPoolExecutor(jobs) as pool:
            futures = [pool.submit(render_one, m, s, run, work / s, [*flags, "--save_sections"], "none")
                       for m, s in story]
            failures = []
            for future in futures:
                scene, seconds, error = future.result()
                console.print(f"{scene}: {'[red]failed[/] ' + error if error else f'rendered in {seconds:.0f} s'}",
                              highlight=False)
                if error:
                    failures.append(scene)
    finally:
        if before is None:
            del os.environ[SLIDES_ENV]
        else:
            os.environ[SLIDES_ENV] = before
    if failures:
        raise UserError(f"could not render {', '.join(failures)} (the error is above); no deck written")
    slides = []
    for _, scene in story:
        index = next((work / scene).rglob(f"{scene}.slides.json"), None)
        if index is None:
            raise UserError(f"{scene} is not a narrated scene with holds; no slides for it")
        slides += read_slides(index)
    return slides


def make_deck(slides: list[Slide], out: Path, formats: list[str], title: str) -> list[Path]:
    """The deck's files in `out` (the videos in out/videos/, replacing an older deck's)."""
    for old in (out / "videos").glob("[0-9][0-9][0-9]-*.mp4"):
        old.unlink()
    slides = copy_videos(slides, out)
    written = []
    if "html" in formats:
        written.append(write_html(slides, out, title))
    if "pptx" in formats:
        written.append(write_pptx(slides, out / "chapter.pptx"))
    return written


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="python -m scenes.slides", description=__doc__,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=ROOT / "assets" / "runs" / "default.npz",
                   help="recording to render (default: the project's default run)")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for the deck (default: media/<run name>/slides/)")
    p.add_argument("--formats", default="html,pptx", help="html, pptx or both (default html,pptx)")
    p.add_argument("--scenes", default=None, help="comma-separated scene names (default: all, in story order)")
    p.add_argument("-q", "--quality", default="m", choices=list("lmhpk"),
                   help="manim quality: l 480p15, m 720p30 (default), h 1080p60, p 1440p60, k 2160p60")
    p.add_argument("-r", "--resolution", default=None, help="W,H overriding the quality's size (e.g. 960,540)")
    p.add_argument("--fps", type=int, default=None, help="frame rate overriding the quality's")
    p.add_argument("--jobs", type=int, default=2, help="scenes rendered at once (default 2)")
    args = p.parse_args(argv)
    formats = args.formats.split(",")
    if not formats or set(formats) - set(FORMATS):
        p.error(f"--formats {args.formats}: choose html, pptx or html,pptx")
    if not 1 <= args.jobs <= 64:
        p.error(f"--jobs {args.jobs}: choose between 1 and 64 scenes rendered at once")
    if args.resolution and not RESOLUTION.match(args.resolution):
        p.error(f"--resolution {args.resolution}: give width,height in pixels, such as 960,540")
    if args.fps is not None and not 1 <= args.fps <= 120:
        p.error(f"--fps {args.fps}: choose between 1 and 120 frames a second")
    try:
        story = select(args.scenes)
    except ValueError as e:
        p.error(str(e))
    run = args.run.resolve()
    out = args.out or ROOT / "media" / run.stem / "slides"
    if out.exists() and not out.is_dir():
        p.error(f"--out {out} is a file; give a folder for the deck (a new or existing one)")
    load_run(run, need_landscape=True)  # one clear error now, rather than one per scene
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        p.error(f"--out {out}: cannot create it ({e.strerror or e}); choose another folder")

    flags = [f"-q{args.quality}", *(["-r", args.resolution] if args.resolution else []),
             *(["--fps", str(args.fps)] if args.fps else [])]
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(dir=out, prefix=".renders-") as work:
            slides = render_slides(story, run, Path(work), flags, args.jobs)
            written = make_deck(slides, out, formats, f"Gradient descent, how neural networks learn ({run.name})")
    except UserError as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        return 2
    console.print(f"{len(slides)} slides from {len(story)} scenes in {time.perf_counter() - started:.0f} s: "
                  f"{', '.join(map(str, written))}. Open index.html in a browser (it needs no network): "
                  f"Space or the arrows to go on, S for the speaker notes.", highlight=False, soft_wrap=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
