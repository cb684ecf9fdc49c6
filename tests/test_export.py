"""Course export: the manifest lists exactly what was written, and an unchanged export renders nothing."""

import json
import shutil
from pathlib import Path

from scenes.export import main, sha256

TINY = ["-q", "l", "-r", "192,108", "--fps", "5", "--voice", "none"]  # silent: same pace, faster


def _files_on_disk(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}


def test_export_manifest_and_cache(scene_run, tmp_path) -> None:
    out = tmp_path / "course"
    args = ["--out", str(out), "--run", str(scene_run), "--scenes", "DescentOnACurve,LearningCurves",
            "--formats", "mp4,png", *TINY]
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {f["path"]: f for entry in manifest["scenes"].values() for f in entry["files"]}
    assert set(listed) == _files_on_disk(out)
    for path, entry in listed.items():
        assert sha256(out / path) == entry["sha256"]
    clip = listed["DescentOnACurve/DescentOnACurve.mp4"]
    assert clip["resolution"] == [192, 108] and clip["duration"] > 5
    assert manifest["run_sha256"] == sha256(scene_run)
    # DescentOnACurve has chapters and narration: sections and subcaptions come along
    for companion in (".srt", ".vtt", ".narration.md"):
        assert f"DescentOnACurve/DescentOnACurve{companion}" in listed
    vtt = (out / "DescentOnACurve/DescentOnACurve.vtt").read_text()
    srt_text = (out / "DescentOnACurve/DescentOnACurve.srt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == srt_text.count(" --> ") > 3
    assert any(p.startswith("DescentOnACurve/sections/") for p in listed)
    assert not any(p.startswith("LearningCurves/sections/") for p in listed)  # one section: none saved

    stamps = {p: (out / p).stat().st_mtime_ns for p in listed}
    assert main(args) == 0
    again = json.loads((out / "manifest.json").read_text())
    assert again["rendered"] == []
    assert {p: (out / p).stat().st_mtime_ns for p in listed} == stamps

    # a changed recording re-renders
    changed = tmp_path / "changed.npz"
    shutil.copy(scene_run, changed)
    with open(changed, "ab") as f:
        f.write(b"\0")  # zip readers ignore trailing bytes; the hash changes
    assert main([*args[:2], "--run", str(changed), *args[4:]]) == 0
    assert sorted(json.loads((out / "manifest.json").read_text())["rendered"]) == ["DescentOnACurve",
                                                                                  "LearningCurves"]


def test_corrupt_run_in_a_group_is_named_and_the_rest_export(scene_run, groups, tmp_path, monkeypatch,
                                                             capsys) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(groups["DOWNHILL_SEEDS"], seeds)
    (seeds / "seed9.npz").write_bytes(b"PK\x03\x04 truncated")
    monkeypatch.setenv("DOWNHILL_SEEDS", str(seeds))
    out = tmp_path / "course"
    assert main(["--out", str(out), "--run", str(scene_run), "--scenes", "ManyMinima", "--formats", "png",
                 *TINY]) == 0
    assert "seed9" in capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["scenes"]) == {"ManyMinima"}
    inputs = set(manifest["scenes"]["ManyMinima"]["inputs"])
    assert {str(p) for p in sorted(seeds.glob("*.npz"))} <= inputs and str(scene_run) in inputs
