"""Export a folder of course-ready clips, with a manifest, re-rendering only what changed.

    python -m scenes.export --out course/ [--run RUN.npz] [--formats mp4,png,webm,gif] [-q m] [--voice piper]

For each scene: an mp4 (narrated: clips in a course are watched alone, so they carry the voice by
default; `--voice none` gives silent clips for a teacher who speaks over them), a still PNG (last
frame), optionally a transparent webm (`--format webm -t`) and a gif; its sections
(`--save_sections`) where the scene has chapters, and its narration: `.srt`, `.vtt` and the
script `NAME.narration.md`. `manifest.json` lists every file with its scene, kind, duration,
resolution and SHA-256, the SHA-256 of the recordings it shows, and the settings.

Each scene's entry carries a cache key: the SHA-256 of its recordings, of its code (every project
module it imports, directly or not, and manim.cfg), of the voice and of the settings. Exporting
again with nothing changed renders nothing; a scene whose group holds an unreadable run is
reported by name and the rest export.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av

from nn.atomic import atomic_write
from scenes.chapter import select
from scenes.render import console, render_one
from scenes.run import ROOT, group_folder, load_run
from scenes.voice import VOICES, missing_voice_message, voice_in_use

FORMAT_FLAGS = {
    "mp4": ["--format", "mp4", "--save_sections"],
    "webm": ["--format", "webm", "-t"],
    "gif": ["--format", "gif"],
    "png": ["-s"],
}
# the groups of runs a scene reads besides the main run (its own, and the one its opening picture shows)
GROUP_SCENES = {"LearningRates": ("learning-rates",), "MemorisationRuns": ("memorisation",),
                "ManyMinima": ("seeds", "memorisation"), "Credits": ("memorisation", "seeds")}
NARRATION = ".narration.md"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PACKAGES = ("nn", "scenes")  # the project's own code; everything else is a pinned dependency


def project_imports(path: Path, root: Path = ROOT) -> set[Path]:
    """`path` and every project module it imports, directly or through other project modules.
    Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` too, so they count; a name may be
    a module (`a/b.py`), a package (`a/b/__init__.py`) or a name inside one (skipped)."""
    seen, todo = set(), [path]
    while todo:
        current = todo.pop()
        if current in seen or not current.is_file():
            continue
        seen.add(current)
        for node in ast.walk(ast.parse(current.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] in PACKAGES:
                    for i in range(1, len(parts) + 1):
                        where = root.joinpath(*parts[:i])
                        todo += [where.with_suffix(".py"), where / "__init__.py"]
    return seen


def code_hash(module: str, root: Path = ROOT) -> str:
    """SHA-256 over the code a scene runs: its module, the project modules it imports, manim.cfg."""
    h = hashlib.sha256()
    files = sorted(project_imports(root / "scenes" / f"{module}.py", root)) + [root / "manim.cfg"]
    for path in files:
        h.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return h.hexdigest()


def inputs_of(scene: str, run: Path) -> list[Path]:
    """The recordings a scene reads: the main run and the runs of its groups."""
    return [run] + [p for kind in GROUP_SCENES.get(scene, ()) for p in sorted(group_folder(kind).glob("*.npz"))]


def media_info(path: Path) -> dict:
    """Duration (s) and resolution of a video or gif; resolution of a still."""
    with av.open(str(path)) as box:
        stream = box.streams.video[0]
        info = {"resolution": [stream.codec_context.width, stream.codec_context.height]}
        if path.suffix != ".png":
            duration = float(box.duration / av.time_base) if box.duration else None
            info["duration"] = round(duration, 3) if duration else None
    return info


def collect(media: Path, scene: str, dest: Path) -> list[Path]:
    """Move what manim wrote for `scene` under `media` into `dest`; returns the files."""
    found = []
    index = next(media.rglob("sections/*.json"), None)
    chapters = len(json.loads(index.read_text())) if index else 0  # one section = no chapters
    for path in sorted(media.rglob("*")):
        if not path.is_file() or "partial_movie_files" in path.parts:
            continue
        if "sections" in path.parts:
            if chapters < 2:
                continue
            target = dest / "sections" / path.name
        elif path.name.startswith(scene) and path.name.endswith(NARRATION):
            target = dest / f"{scene}{NARRATION}"
        elif path.stem.startswith(scene) and path.suffix in {".mp4", ".webm", ".gif", ".png", ".srt", ".vtt"}:
            target = dest / f"{scene}{path.suffix}"
        else:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), target)
        found.append(target)
    return found


def read_manifest(path: Path) -> dict:
    """The previous manifest's scenes, or none when it is missing or unreadable (then all re-render)."""
    if not path.exists():
        return {"scenes": {}}
    try:
        old = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        console.print(f"[yellow]warning[/] {path} is unreadable ({e}); rendering everything again", highlight=False)
        return {"scenes": {}}
    if not isinstance(old, dict) or not isinstance(old.get("scenes"), dict):
        console.print(f"[yellow]warning[/] {path} is not a Downhill manifest; rendering everything again",
                      highlight=False)
        return {"scenes": {}}
    return old


def _still_valid(entry: object, key: str, out: Path) -> bool:
    """A manifest entry with this cache key whose files are all there, unchanged."""
    if not (isinstance(entry, dict) and entry.get("cache_key") == key and isinstance(entry.get("files"), list)):
        return False
    for f in entry["files"]:
        if not (isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), str)):
            return False
        path = (out / f["path"]).resolve()
        if not path.is_relative_to(out.resolve()) or not path.is_file() or sha256(path) != f["sha256"]:
            return False
    return True


def export(out: Path, run: Path, scenes: list[tuple[str, str]], formats: list[str], quality: list[str],
           jobs: int, voice: str = "piper") -> dict:
    """Render what is missing or stale into `out`, write out/manifest.json, return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    old = read_manifest(manifest_path)
    settings = {"formats": formats, "manim_flags": quality, "voice": voice}
    manifest = {"tool": "downhill", "run": str(run), "run_sha256": sha256(run), "settings": settings,
                "scenes": {}, "failed": {}}
    todo = []
    for module, scene in scenes:
        inputs = {str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p): sha256(p) for p in inputs_of(scene, run)}
        key = hashlib.sha256(json.dumps([inputs, code_hash(module), settings], sort_keys=True).encode()).hexdigest()
        entry = old["scenes"].get(scene)
        if _still_valid(entry, key, out):
            manifest["scenes"][scene] = entry
        else:
            todo.append((module, scene, key, inputs))

    def render_scene(item: tuple[str, str, str, dict]) -> tuple[str, dict | str]:
        module, scene, key, inputs = item
        with tempfile.TemporaryDirectory(prefix=f"downhill-{scene}-") as tmp:
            for fmt in formats:
                _, _, error = render_one(module, scene, run, Path(tmp) / fmt, [*quality, *FORMAT_FLAGS[fmt]], voice)
                if error:
                    return scene, error
            dest = out / scene
            shutil.rmtree(dest, ignore_errors=True)
            files = [f for fmt in formats for f in collect(Path(tmp) / fmt, scene, dest)]
        entries = []
        for f in files:
            entry = {"path": str(f.relative_to(out)), "kind": f.suffix.lstrip("."), "sha256": sha256(f)}
            if f.suffix in {".mp4", ".webm", ".gif", ".png"}:
                entry.update(media_info(f))
            entries.append(entry)
        return scene, {"module": f"scenes/{module}.py", "inputs": inputs, "cache_key": key, "files": entries}

    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        for scene, result in pool.map(render_scene, todo):
            if isinstance(result, str):
                manifest["failed"][scene] = result
                console.print(f"[red]error[/] {scene}: {result}", highlight=False)
            else:
                manifest["scenes"][scene] = result
                console.print(f"exported {scene}", highlight=False)
    manifest["rendered"] = [s for _, s, _, _ in todo if s in manifest["scenes"]]
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    with atomic_write(manifest_path) as f:
        f.write(json.dumps(manifest, indent=2).encode())
    return manifest


class _Parser(argparse.ArgumentParser):
    """A bad option is one line on stderr and exit status 2, as everywhere in Downhill."""

    def error(self, message: str) -> None:
        print(f"error: {message} (see `{self.prog} --help`)", file=sys.stderr, flush=True)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="python -m scenes.export", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="folder for the course clips and manifest.json")
    p.add_argument("--run", type=Path, default=ROOT / "assets" / "runs" / "default.npz")
    p.add_argument("--formats", default="mp4,png", help="any of mp4,png,webm,gif (default mp4,png)")
    p.add_argument("--scenes", default=None, help="comma-separated scene names (default: all)")
    p.add_argument("-q", "--quality", default="m", choices=list("lmhpk"), help="manim quality (default m)")
    p.add_argument("-r", "--resolution", default=None, help="W,H overriding the quality's size")
    p.add_argument("--fps", type=int, default=None, help="frame rate overriding the quality's")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--voice", choices=VOICES, default="piper",
                   help="narration voice of the clips: piper (default; narrated clips for students watching "
                        "alone), none (silent clips with subtitles, for a teacher who speaks over them)")
    args = p.parse_args(argv)
    formats = args.formats.split(",")
    if not formats or set(formats) - FORMAT_FLAGS.keys():
        p.error(f"--formats {args.formats}: choose from {', '.join(FORMAT_FLAGS)}")
    if not 1 <= args.jobs <= 64:
        p.error(f"--jobs {args.jobs}: choose between 1 and 64 scenes rendered at once")
    if args.out.exists() and not args.out.is_dir():
        p.error(f"--out {args.out} is a file; give a folder for the clips (a new or existing one)")
    try:
        scenes = select(args.scenes)
    except ValueError as e:
        p.error(str(e))
    run = args.run.resolve()
    load_run(run, need_landscape=True)
    quality = [f"-q{args.quality}"]
    if args.resolution:
        quality += ["-r", args.resolution]
    if args.fps:
        quality += ["--fps", str(args.fps)]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        p.error(f"--out {args.out}: cannot create it ({e.strerror or e}); choose another folder")
    os.environ["DOWNHILL_VOICE"] = args.voice
    voice = voice_in_use()  # piper without the [voice] extra falls back to none, and the key says so
    if voice != args.voice:
        console.print(f"note: {missing_voice_message()}", markup=False, highlight=False)
    manifest = export(args.out, run, scenes, formats, quality, args.jobs, voice)
    console.print(f"{len(manifest['scenes'])} scenes in {args.out} ({len(manifest['rendered'])} rendered, "
                  f"{len(manifest['scenes']) - len(manifest['rendered'])} unchanged); manifest: "
                  f"{args.out / 'manifest.json'}")
    return 2 if manifest["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
