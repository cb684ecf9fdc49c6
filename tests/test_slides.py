"""The slide deck: one slide per hold, the narration as speaker notes, and it shows in a real browser.

A story scene is rendered tiny (160x90 at 5 fps, silent) as scenes.slides renders it (sections cut
at the holds, DOWNHILL_SLIDES=1), from a subclass that notes when each hold ends; the deck built
from it is checked against those times, opened from disk in headless Chromium with every network
request refused, and its screenshot compared with the slide's video. The command line is run once
end to end on the shortest scene.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from scenes.deck import SLIDES_ENV, read_slides
from scenes.descent import DescentOnACurve
from scenes.slides import main, make_deck
from tests.test_scenes import ROOT, render

TINY = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5, "save_sections": True}
SHOT = (640, 360)  # the browser window, 16:9 like the videos
BACKGROUND = np.array([0x10, 0x13, 0x18])  # manim.cfg's background_color


class HeldDescent(DescentOnACurve):
    """DescentOnACurve noting the time each hold ends (where a slide must end)."""

    def hold(self, *args) -> None:
        super().hold(*args)
        self.hold_ends.append(float(self.renderer.time))

    def setup(self) -> None:
        super().setup()
        self.hold_ends: list[float] = []


@pytest.fixture(scope="module")
def deck(scene_run, tmp_path_factory):
    """(the rendered scene, its deck folder, the deck's slides)."""
    media = tmp_path_factory.mktemp("slide-media")
    scene, _ = render(HeldDescent, scene_run, media, TINY, env={SLIDES_ENV: "1", "DOWNHILL_VOICE": "none"})
    index = Path(scene.renderer.file_writer.movie_file_path).with_suffix(".slides.json")
    out = tmp_path_factory.mktemp("deck")
    make_deck(read_slides(index), out, ["html", "pptx"], "test deck")
    return scene, out, read_slides(index)


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as box:
        return [f.to_ndarray(format="rgb24") for f in box.decode(video=0)]


def seconds(video: Path) -> float:
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        return float(stream.duration * stream.time_base)


class DeckPage(HTMLParser):
    """Each slide's attributes and speaker notes (one string per <p>), and every URL the page loads."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.slides: list[dict] = []
        self.notes: list[list[str]] = []
        self.urls: list[str] = []
        self.in_note = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "section":
            self.slides.append(attrs)
            self.notes.append([])
            self.urls.append(attrs["data-background-video"])
        self.urls += [attrs[k] for k in ("src", "href") if k in attrs]
        self.in_note = tag == "p" and bool(self.notes)
        if self.in_note:
            self.notes[-1].append("")

    def handle_data(self, data: str) -> None:
        if self.in_note:
            self.notes[-1][-1] += data

    def handle_endtag(self, tag: str) -> None:
        self.in_note = False


def test_one_slide_per_hold_ending_on_the_held_picture_with_the_lines_spoken_since(deck) -> None:
    scene, out, slides = deck
    ends = scene.hold_ends
    assert len(ends) >= 4
    held = [s for s in slides if s.held]
    assert len(held) == len(ends)
    assert len(slides) in (len(ends), len(ends) + 1)  # + the hand-over to the next scene, when it follows a hold
    lengths = [seconds(s.video) for s in slides]
    assert np.cumsum(lengths)[: len(ends)] == pytest.approx(ends, abs=0.25)  # each slide stops where a hold ends
    assert sum(lengths) == pytest.approx(float(scene.renderer.time), abs=0.25)
    for slide in held:  # and on its held result: the last 2 s stand still
        last = frames(slide.video)[-10:]
        assert max(np.abs(f.astype(int) - last[-1]).mean() for f in last) < 0.5  # (up to the codec's noise)
    starts = [0.0, *ends, float("inf")]
    for i, slide in enumerate(slides):
        assert slide.notes == [text for t, text in scene.spoken if starts[i] <= t + 1e-6 < starts[i + 1]]
    assert sum(len(s.notes) for s in slides) == len(scene.spoken) > len(slides)


def test_the_html_deck_has_each_slide_its_video_and_its_notes_all_from_local_files(deck) -> None:
    _, out, slides = deck
    page = DeckPage((out / "index.html").read_text(encoding="utf-8"))
    assert len(page.slides) == len(slides)
    assert page.notes == [s.notes for s in slides]
    for url in page.urls:
        assert "://" not in url and not url.startswith("//"), url
        assert (out / url).is_file(), url
    for slide, attrs in zip(slides, page.slides):
        assert frames(out / attrs["data-background-video"])[0].tolist() == frames(slide.video)[0].tolist()


def test_the_pptx_has_the_same_slides_playing_by_themselves_with_the_notes(deck) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    _, out, slides = deck
    pptx = Presentation(str(out / "chapter.pptx"))
    assert len(pptx.slides) == len(slides)
    for page, slide in zip(pptx.slides, slides):
        assert page.notes_slide.notes_text_frame.text == "\n".join(slide.notes)
        assert [s.shape_type for s in page.shapes] == [MSO_SHAPE_TYPE.MEDIA]
        assert page.element.xpath(".//p:timing//p:cond[@delay='0']")


def screenshot(page: Path, slide: int, out: Path) -> np.ndarray:
    """The deck at one slide as headless Chromium shows it, opened from disk, all network refused."""
    done = subprocess.run(
        [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={out.parent / 'chromium-profile'}", "--proxy-server=127.0.0.1:9",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--window-size={SHOT[0]},{SHOT[1]}",
         "--virtual-time-budget=3000", f"--screenshot={out}", f"{page.as_uri()}#/{slide}"],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and out.exists(), done.stderr[-2000:]
    return np.asarray(Image.open(out).convert("RGB"))


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Debian's chromium is not installed (scripts/setup.sh installs it)")
@pytest.mark.parametrize("which", ["first", "last"])
def test_headless_chromium_shows_the_slides_video_from_disk_offline(deck, which, tmp_path) -> None:
    _, out, slides = deck
    n = 0 if which == "first" else len(slides) - 1
    shot = screenshot(out / "index.html", n, tmp_path / "shot.png").astype(float)
    assert shot.shape == (SHOT[1], SHOT[0], 3)
    video = Image.fromarray(frames(slides[n].video)[0]).resize(SHOT, Image.BILINEAR)
    expected = np.asarray(video).astype(float)
    body = (slice(0, SHOT[1] - 20), slice(0, SHOT[0] - 100))  # not reveal.js's progress bar, arrows, slide number
    shot, expected = shot[body], expected[body]
    assert np.median(shot.reshape(-1, 3), axis=0) == pytest.approx(BACKGROUND, abs=4)  # the scene's background
    drawn = np.abs(shot - BACKGROUND).max(axis=2) > 40
    assert drawn.mean() > 0.002, "no content on the slide"
    assert np.corrcoef(shot.mean(axis=2).ravel(), expected.mean(axis=2).ravel())[0, 1] > 0.9


def test_the_command_makes_the_same_deck_of_a_story_scene(deck, scene_run, tmp_path) -> None:
    _, _, slides = deck
    done = subprocess.run(
        [sys.executable, "-m", "scenes.slides", "--run", str(scene_run), "--scenes", "DescentOnACurve", "-q", "l",
         "-r", "160,90", "--fps", "5", "--out", str(tmp_path / "deck")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if k != SLIDES_ENV})
    assert done.returncode == 0, done.stderr[-2000:]
    page = DeckPage((tmp_path / "deck" / "index.html").read_text(encoding="utf-8"))
    assert [s["data-scene"] for s in page.slides] == ["DescentOnACurve"] * len(slides)
    assert page.notes == [s.notes for s in slides]
    assert (tmp_path / "deck" / "chapter.pptx").is_file()
    assert [p.name for p in (tmp_path / "deck").iterdir() if p.name.startswith(".")] == []  # no renders left


@pytest.mark.parametrize("args, says", [
    (["--formats", "pdf"], "--formats pdf"),
    (["--resolution", "wide"], "--resolution wide"),
    (["--fps", "0"], "--fps 0"),
    (["--scenes", "NoSuchScene"], "unknown scenes"),
    (["--jobs", "0"], "--jobs 0"),
    (["--out", "README.md"], "is a file"),
    (["--run", "no/such/run.npz"], "no/such/run.npz"),
])
def test_bad_options_are_one_line_and_exit_2(args, says, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and says in err, err
