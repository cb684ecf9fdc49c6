"""Narration: the voice is real and audible, subtitles and script agree with it, pace is kept,
the chapter join keeps picture and sound in step, and a missing voice degrades to subtitles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from modulefinder import ModuleFinder
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from scenes.chapter import concat_videos
from scenes.export import code_hash, project_imports
from scenes.subtitles import join_companions, read_script, to_script, to_vtt
from scenes.voice import piper_available
from tests.media_checks import SPEECH_RMS, audio, check_pace_and_order, cues, rms, video_seconds

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "narrated_example.py"


def render_example(media: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "manim", "-ql", "-r", "192,108", "--fps", "5", "--media_dir", str(media),
         str(EXAMPLE), "Example"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), env.pop("PYTHONPATH", "")]), **env},
    )


@pytest.fixture(scope="module")
def example_clip(tmp_path_factory) -> Path:
    if not piper_available():
        pytest.skip("the [voice] extra is not installed (make test installs it)")
    media = tmp_path_factory.mktemp("narrated")
    done = render_example(media, DOWNHILL_VOICE="piper")
    assert done.returncode == 0, done.stderr[-2000:]
    return next(media.rglob("Example.mp4"))


def test_a_narrated_clip_speaks_each_line_and_its_subtitles_and_script_agree(example_clip) -> None:
    from tests.data.narrated_example import LINES

    length = video_seconds(example_clip)
    subtitles = cues(example_clip.with_suffix(".srt"))
    assert " ".join(c.content for c in subtitles) == " ".join(LINES)
    check_pace_and_order(subtitles, length)
    samples, rate = audio(example_clip)
    for c in subtitles:
        assert rms(samples, rate, c.start.total_seconds(), c.end.total_seconds()) > SPEECH_RMS, c.content
    # the WebVTT twin carries the same cues
    assert to_vtt(subtitles) == example_clip.with_suffix(".vtt").read_text(encoding="utf-8")
    # the script: one item per spoken line, starting where its first subtitle starts
    script = read_script(example_clip.with_suffix(".narration.md"))
    assert [text for _, text in script] == LINES
    firsts = [c.start.total_seconds() for c in subtitles if any(line.startswith(c.content) for line in LINES)]
    assert np.allclose([t for t, _ in script], firsts, atol=0.06)


def test_the_chapter_join_keeps_sound_in_step_with_its_subtitles(example_clip, tmp_path) -> None:
    clips = []
    for name in ("one", "two"):
        clip = tmp_path / f"{name}.mp4"
        for suffix in (".mp4", ".srt", ".vtt", ".narration.md"):
            shutil.copy(example_clip.with_suffix(suffix), clip.with_suffix(suffix))
        clips.append(clip)
    chapter = tmp_path / "chapter.mp4"
    starts = concat_videos(clips, chapter)
    one = video_seconds(example_clip)
    assert starts[0] == 0 and starts[1] == pytest.approx(one, abs=0.25)
    with av.open(str(chapter)) as box:
        frames = sum(1 for _ in box.decode(video=0))
    with av.open(str(example_clip)) as box:
        assert frames == 2 * sum(1 for _ in box.decode(video=0))
    join_companions(list(zip(clips, starts)), chapter, "test")
    joined = cues(chapter.with_suffix(".srt"))
    single = cues(example_clip.with_suffix(".srt"))
    assert len(joined) == 2 * len(single)
    assert joined[len(single)].start.total_seconds() == pytest.approx(single[0].start.total_seconds() + starts[1])
    check_pace_and_order(joined, video_seconds(chapter))
    samples, rate = audio(chapter)
    for c in joined:
        assert rms(samples, rate, c.start.total_seconds(), c.end.total_seconds()) > SPEECH_RMS, c
    assert len(read_script(chapter.with_suffix(".narration.md"))) == 4


def test_without_the_voice_extra_a_render_succeeds_with_subtitles_and_one_message(tmp_path) -> None:
    blocker = tmp_path / "no-piper"
    (blocker / "piper").mkdir(parents=True)
    (blocker / "piper" / "__init__.py").write_text("raise ImportError('piper is not installed')\n")
    done = render_example(tmp_path / "media", DOWNHILL_VOICE="piper", PYTHONPATH=str(blocker))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.count("narration voice not installed") == 1
    assert "[voice]" in done.stderr and "Traceback" not in done.stderr
    clip = next((tmp_path / "media").rglob("Example.mp4"))
    assert len(cues(clip.with_suffix(".srt"))) >= 2 and clip.with_suffix(".vtt").exists()
    samples, _ = audio(clip)
    assert np.abs(samples).max() < 1e-3  # silent, but the same pace and subtitles


def test_an_unknown_voice_is_one_clear_error(tmp_path) -> None:
    done = render_example(tmp_path, DOWNHILL_VOICE="robot")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "DOWNHILL_VOICE='robot'" in done.stderr


def test_script_and_vtt_formats_round_trip() -> None:
    lines = [(0.0, "First line."), (65.25, "A line at one minute five.")]
    assert read_script_text(to_script("x", lines)) == [(0.0, "First line."), (65.2, "A line at one minute five.")]
    vtt = to_vtt(list(srt.parse("1\n00:00:01,500 --> 00:01:02,250\nHello\n")))
    assert vtt == "WEBVTT\n\n00:00:01.500 --> 00:01:02.250\nHello\n"


def read_script_text(text: str) -> list[tuple[float, str]]:
    from tempfile import NamedTemporaryFile

    with NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write(text)
    try:
        return read_script(Path(f.name))
    finally:
        os.unlink(f.name)


def imported_by_python(module: Path, root: Path) -> set[Path]:
    """The project files importing `module` runs, found by the standard library's ModuleFinder
    (an independent reading of import rules: packages, their __init__ files, submodules)."""
    finder = ModuleFinder(path=[str(root)])
    finder.run_script(str(module))
    return {Path(m.__file__).resolve() for name, m in finder.modules.items()
            if m.__file__ and name.split(".")[0] in ("nn", "scenes")} | {module.resolve()}


def test_the_export_cache_key_follows_the_code_a_scene_imports(tmp_path) -> None:
    """Each scene is keyed on exactly the project files Python would run to import it, and changing
    a file (a module, or one inside a package) changes the keys of the scenes that import it only."""
    for part in ("scenes", "nn"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manim.cfg", tmp_path / "manim.cfg")
    scenes = {p.stem: p for p in sorted((tmp_path / "scenes").glob("*.py")) if p.stem != "__init__"}
    runs = {m: imported_by_python(path, tmp_path) for m, path in scenes.items()}
    for m, path in scenes.items():
        assert {p.resolve() for p in project_imports(path, tmp_path)} == runs[m], m
    for changed in (tmp_path / "nn" / "inspection.py", tmp_path / "scenes" / "blocks" / "gradient.py"):
        importers = {m for m in scenes if changed.resolve() in runs[m]}
        assert importers and importers != set(scenes)  # a real test: some scenes import it, some do not
        before = {m: code_hash(m, tmp_path) for m in scenes}
        with open(changed, "a") as f:
            f.write("\n# changed\n")
        after = {m: code_hash(m, tmp_path) for m in scenes}
        assert {m for m in scenes if before[m] != after[m]} == importers
