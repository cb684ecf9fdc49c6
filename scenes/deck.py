"""A slide deck from narrated scenes: one slide per beat, the narration as its speaker notes.

While `scenes.slides` renders, `NarratedScene` ends a Manim section at every `hold()` (one video
per section with `--save_sections`) and `write_slide_notes` puts `NAME.slides.json` beside the
clip: each section's video and the lines spoken in it. `write_html` makes a reveal.js deck of
them (reveal.js is vendored in assets/reveal.js and copied beside the HTML, so the deck opens from
disk with no network); `write_pptx` a PowerPoint file (python-pptx, the `[slides]` extra).
"""

from __future__ import annotations

import configparser
import html
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import av

from nn.atomic import atomic_write
from nn.errors import UserError

if TYPE_CHECKING:
    from manim.scene.scene_file_writer import SceneFileWriter

SLIDES_ENV = "DOWNHILL_SLIDES"  # "1": every hold ends a section (set by scenes.slides for its renders)
ROOT = Path(__file__).resolve().parent.parent
REVEAL = ROOT / "assets" / "reveal.js"
SLIDE_WIDTH_EMU = 12192000  # PowerPoint's 16:9 slide, 13.33 inches wide; the height follows the videos
PRESENTATION_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"


@dataclass(frozen=True)
class Slide:
    """One beat of a scene: its video (silent, ending on the held result) and the lines spoken in it."""

    scene: str
    video: Path
    notes: list[str]
    held: bool  # ends on a hold; a scene's last slide may instead be its hand-over to the next scene


def write_slide_notes(movie: Path, writer: SceneFileWriter, spoken: list[tuple[float, str]], cuts: list[int]) -> None:
    """Beside movie.mp4: movie.slides.json, each saved section's video with the lines spoken in it.

    `cuts` holds len(spoken) at each hold, where a section ended; the lines after the last hold
    belong to the section after it (absent when nothing played there). No sections saved (a render
    without --save_sections): nothing to write.
    """
    sections = [s for s in writer.sections if s.video is not None]
    if not sections:
        return
    bounds = [0, *cuts, len(spoken)]
    groups = [[text for _, text in spoken[a:b]] for a, b in zip(bounds, bounds[1:])]
    if len(groups) == len(sections) + 1 and not groups[-1]:
        groups.pop()  # nothing played after the last hold
    if len(groups) != len(sections):
        raise RuntimeError(f"{len(sections)} sections for {len(cuts)} holds in {movie.stem}")
    slides = [{"video": os.path.relpath(writer.sections_output_dir / s.video, movie.parent), "notes": notes,
               "held": i < len(cuts)} for i, (s, notes) in enumerate(zip(sections, groups))]
    with atomic_write(movie.with_suffix(".slides.json")) as f:
        f.write(json.dumps({"scene": movie.stem, "slides": slides}, indent=1).encode("utf-8"))


def read_slides(index: Path) -> list[Slide]:
    """The slides a `NAME.slides.json` lists, their videos as absolute paths."""
    data = json.loads(index.read_text(encoding="utf-8"))
    return [Slide(data["scene"], (index.parent / s["video"]).resolve(), s["notes"], s["held"]) for s in data["slides"]]


def background() -> str:
    """The scenes' background colour (manim.cfg), for the page around and between the videos."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "manim.cfg")
    return cfg.get("CLI", "background_color", fallback="#000000")


def video_size(video: Path) -> tuple[int, int]:
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        return stream.width, stream.height


def first_frame(video: Path, png: Path) -> None:
    """The video's first frame as a PNG (PowerPoint's poster: what shows before a slide plays)."""
    with av.open(str(video)) as box:
        next(box.decode(video=0)).to_image().save(png)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="reveal.js/dist/reset.css">
<link rel="stylesheet" href="reveal.js/dist/reveal.css">
<style>
  html, body, .reveal {{ background: {background}; }}
  .reveal .slide-background-content video {{ object-fit: contain; }}
</style>
</head>
<body>
<div class="reveal"><div class="slides">
{slides}
</div></div>
<script src="reveal.js/dist/reveal.js"></script>
<script src="reveal.js/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({{width: {width}, height: {height}, margin: 0, hash: true, controls: true, progress: true,
                    slideNumber: "c/t", transition: "none", backgroundTransition: "none", plugins: [RevealNotes]}});
</script>
</body>
</html>
"""

SECTION = """<section data-scene="{scene}" data-background-color="{background}" data-background-video="{video}"
         data-background-video-muted data-background-size="contain">
<aside class="notes">{notes}</aside>
</section>"""


def copy_videos(slides: list[Slide], folder: Path) -> list[Slide]:
    """The slides' videos copied into folder/videos/ as NNN-Scene.mp4 (in deck order); the copies."""
    (folder / "videos").mkdir(parents=True, exist_ok=True)
    copies = []
    for i, slide in enumerate(slides, 1):
        target = folder / "videos" / f"{i:03d}-{slide.scene}.mp4"
        shutil.copyfile(slide.video, target)
        copies.append(Slide(slide.scene, target, slide.notes, slide.held))
    return copies


def write_html(slides: list[Slide], folder: Path, title: str) -> Path:
    """folder/index.html, a reveal.js deck of the slides (videos already in folder/videos/), with
    reveal.js copied into folder/reveal.js/: everything it loads is a file beside it."""
    shutil.copytree(REVEAL, folder / "reveal.js", dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    colour = background()
    sections = [SECTION.format(scene=html.escape(s.scene), background=colour,
                               video=html.escape(s.video.relative_to(folder).as_posix()),
                               notes="".join(f"<p>{html.escape(line)}</p>" for line in s.notes))
                for s in slides]
    width, height = video_size(slides[0].video)
    page = PAGE.format(title=html.escape(title), background=colour, slides="\n".join(sections), width=width,
                       height=height)
    out = folder / "index.html"
    with atomic_write(out) as f:
        f.write(page.encode("utf-8"))
    return out


def write_pptx(slides: list[Slide], out: Path) -> Path:
    """A PowerPoint file: each slide's video full-slide, starting by itself, its narration in the notes."""
    try:
        from pptx import Presentation
        from pptx.dml.color import RGBColor
    except ImportError as e:
        raise UserError("PPTX needs python-pptx: .venv/bin/pip install -e '.[slides]' (make slides installs it), "
                        "or ask for --formats html") from e
    width, height = video_size(slides[0].video)
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH_EMU, SLIDE_WIDTH_EMU * height // width
    colour = RGBColor.from_string(background().lstrip("#").upper())
    with tempfile.TemporaryDirectory() as tmp:
        for i, slide in enumerate(slides):
            page = deck.slides.add_slide(deck.slide_layouts[6])  # blank
            page.background.fill.solid()
            page.background.fill.fore_color.rgb = colour
            poster = Path(tmp) / f"{i}.png"
            first_frame(slide.video, poster)
            movie = page.shapes.add_movie(str(slide.video), 0, 0, deck.slide_width, deck.slide_height,
                                          poster_frame_image=str(poster), mime_type="video/mp4")
            _play_on_entry(movie)
            page.notes_slide.notes_text_frame.text = "\n".join(slide.notes)
        with atomic_write(out) as f:
            deck.save(f)
    return out


def _play_on_entry(movie) -> None:
    """Start the movie as its slide appears, not on a click: python-pptx writes the play command's
    trigger with delay "indefinite" (wait for a click); 0 plays it at once."""
    from lxml import etree

    def find(element, query: str) -> list:
        return etree.ElementBase.xpath(element, query, namespaces={"p": PRESENTATION_NS})

    shape_id = find(movie.element, ".//p:cNvPr")[0].get("id")
    page = movie.element.getparent().getparent().getparent()  # spTree -> cSld -> sld
    target = find(page, f'.//p:timing//p:video//p:spTgt[@spid="{shape_id}"]')[0]
    find(target.getparent().getparent(), ".//p:cond")[0].set("delay", "0")
