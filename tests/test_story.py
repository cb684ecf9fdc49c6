"""Every scene of the story renders, narrated, and the chapter joins them with sound in step.

Each story scene is rendered tiny (192x108 at 5 fps) with the real voice; the clips are kept for
the chapter test, which joins them as `scenes.render` does.
"""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from scenes.chapter import STORY, concat_videos
from scenes.subtitles import join_companions, read_script, to_vtt
from scenes.voice import piper_available
from tests.media_checks import check_pace_and_order, check_spoken, cues, video_seconds
from tests.test_scenes import TINY, render, scene_class

CLIPS: dict[str, tuple[Path, list]] = {}  # scene name -> (clip, its spoken lines), shared with the chapter test


@pytest.fixture(scope="module")
def voice() -> str:
    if not piper_available():
        pytest.skip("the [voice] extra is not installed (make test installs it)")
    return "piper"


def story_clip(module: str, name: str, run: Path, groups: dict, media: Path, voice: str) -> tuple[Path, list]:
    """Render one story scene (once per session); returns (clip, the lines it spoke)."""
    if name not in CLIPS:
        scene, _ = render(scene_class(module, name), run, media, TINY, env={**groups, "DOWNHILL_VOICE": voice})
        CLIPS[name] = (Path(scene.renderer.file_writer.movie_file_path), scene.spoken)
    return CLIPS[name]


@pytest.mark.parametrize("module, name", STORY)
def test_every_story_scene_renders_narrated_at_a_learners_pace(module, name, scene_run, groups, voice,
                                                                tmp_path_factory) -> None:
    clip, spoken = story_clip(module, name, scene_run, groups, tmp_path_factory.mktemp(name), voice)
    with av.open(str(clip)) as box:
        stream = box.streams.video[0]
        assert (stream.width, stream.height) == (192, 108)
        frames = [f.to_ndarray(format="rgb24") for f in box.decode(stream)]
    assert len(frames) >= 10
    assert max(f.std() for f in frames) > 10  # something is drawn, not a blank clip
    assert frames[0].std() > 3, "the scene opens on an empty frame"
    subtitles = cues(clip.with_suffix(".srt"))
    assert len(subtitles) >= 2, "a story scene is narrated"
    check_pace_and_order(subtitles, video_seconds(clip))
    check_spoken(clip)
    assert clip.with_suffix(".vtt").read_text(encoding="utf-8") == to_vtt(subtitles)
    assert [text for _, text in read_script(clip.with_suffix(".narration.md"))] == [t for _, t in spoken]


def test_the_chapter_joins_every_story_clip_with_its_sound_and_subtitles(scene_run, groups, voice,
                                                                         tmp_path) -> None:
    clips = [story_clip(m, n, scene_run, groups, tmp_path / n, voice)[0] for m, n in STORY]
    chapter = tmp_path / "chapter.mp4"
    starts = concat_videos(clips, chapter)
    join_companions(list(zip(clips, starts)), chapter, "test")
    lengths = [video_seconds(c) for c in clips]
    assert video_seconds(chapter) == pytest.approx(sum(lengths), abs=0.5)
    subtitles = cues(chapter.with_suffix(".srt"))
    assert len(subtitles) == sum(len(cues(c.with_suffix(".srt"))) for c in clips)
    check_pace_and_order(subtitles, video_seconds(chapter))
    check_spoken(chapter)
    assert len(read_script(chapter.with_suffix(".narration.md"))) == sum(
        len(read_script(c.with_suffix(".narration.md"))) for c in clips)
