"""examples/downhill.ipynb runs headless (nbclient, a real IPython kernel) and its %%manim cell shows
a video of the recording's first-layer weights."""

from __future__ import annotations

import re
from pathlib import Path

import av
import nbformat
import numpy as np
from nbclient import NotebookClient

from nn.recording import Recording

ROOT = Path(__file__).resolve().parent.parent


def test_the_example_notebook_renders_a_building_block_video(small_run: Recording, tmp_path, monkeypatch) -> None:
    notebook = nbformat.read(ROOT / "examples" / "downhill.ipynb", as_version=4)
    monkeypatch.setenv("DOWNHILL_RUN", str(small_run.path))  # the kernel inherits it
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = [o["data"].get("text/html", "") for o in notebook.cells[-1].outputs if o["output_type"] == "display_data"]
    videos = [html for html in shown if "<video" in html]  # the others: Manim's version banner
    assert len(videos) == 1
    video = tmp_path / re.search(r'<video src="([^"]+)"', videos[0]).group(1)
    assert video.is_file()
    with av.open(str(video)) as box:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in box.decode(video=0)]
    assert len(frames) >= 30  # 2 s of weights playing at 15 fps, then a second held
    blue = [int(((f[..., 2] > f[..., 0] + 60)).sum()) for f in (frames[0], frames[-1])]
    red = [int(((f[..., 0] > f[..., 2] + 60)).sum()) for f in (frames[0], frames[-1])]
    assert min(blue + red) > 500  # weight pictures in both colours, at the start and the end
    assert np.abs(frames[0] - frames[-1]).mean() > 1  # the pictures changed from snapshot 0 to the last


def test_the_readme_shows_the_notebooks_cells_exactly() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    notebook = nbformat.read(ROOT / "examples" / "downhill.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert f"```python\n{cell.source}\n```" in readme
