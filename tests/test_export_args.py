"""scenes.export refuses bad options in one line, and survives a damaged manifest.json."""

import json

import pytest

from scenes.export import _still_valid, main, read_manifest, sha256


@pytest.mark.parametrize("args, words", [
    (["--jobs", "0"], "--jobs 0"),
    (["--jobs", "-3"], "--jobs -3"),
    (["--formats", "mov"], "--formats"),
    (["--out", "FILE"], "is a file"),
])
def test_bad_options_are_one_line(scene_run, tmp_path, capsys, args, words) -> None:
    (tmp_path / "file").write_text("")
    args = [str(tmp_path / "file") if a == "FILE" else a for a in args]
    if "--out" not in args:
        args = ["--out", str(tmp_path / "course"), *args]
    with pytest.raises(SystemExit) as done:
        main([*args, "--run", str(scene_run)])
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and words in err and len(err.splitlines()) == 1, err


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"scenes"', '{"scenes": [1]}', "\udcff", ""])
def test_a_damaged_manifest_means_render_again(tmp_path, text) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert read_manifest(path) == {"scenes": {}}


def test_manifest_entries_are_checked_before_they_are_trusted(tmp_path) -> None:
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "a.png").write_bytes(b"png")
    good = {"cache_key": "k", "files": [{"path": "A/a.png", "sha256": sha256(tmp_path / "A" / "a.png")}]}
    assert _still_valid(good, "k", tmp_path)
    for bad in (None, [], {"cache_key": "k"}, {"cache_key": "k", "files": [1]},
                {"cache_key": "k", "files": [{"path": "../outside", "sha256": "x"}]},
                {**good, "cache_key": "other"}, json.loads(json.dumps({**good, "files": [{"path": "A/a.png"}]}))):
        assert not _still_valid(bad, "k", tmp_path)
