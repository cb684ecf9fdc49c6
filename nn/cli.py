"""The command line: python -m nn train | landscape | info | fetch.

Errors a user can cause (bad paths, options, files) print one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from nn.atomic import exclusive
from nn.classes import plural
from nn.errors import UserError
from nn.train import TrainConfig, default_sizes

DEFAULT_RUN = Path(__file__).resolve().parent.parent / "assets" / "runs" / "default.npz"
console = Console(stderr=True)


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line and exit status 2 like every other user error."""

    def error(self, message: str) -> None:
        raise UserError(f"{message} (see `{self.prog} --help`)")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list like 784,16,16,10") from None
    return sizes


def _natural(text: str) -> int:
    """A whole number >= 0 (seeds)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text}: must be a whole number >= 0")
    return value


def progress_bar() -> Progress:
    """The one progress-bar style for long work (training, landscapes)."""
    return Progress(
        TextColumn("[bold blue]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"), TimeRemainingColumn(), console=console, transient=False,
    )


# -- train -------------------------------------------------------------------------------------


def cmd_train(args: argparse.Namespace) -> int:
    from nn.train import train

    _config(args)  # options checked before the data is read
    with exclusive(args.out, fix="choose another --out path"):  # also: --out is writable, before any work
        dataset = _dataset(args)
        config = _config(args, sizes=default_sizes(dataset))
        config.check(dataset)
        total = config.epochs * config.steps_per_epoch(config.training_size(dataset))
        with progress_bar() as bar:
            task = bar.add_task("training", total=total, info="")
            show = _reporter(bar, task, total, lambda p: f"epoch {p.epoch}/{config.epochs}")
            rec = train(config, dataset, on_progress=show)
        return _keep(rec, Path(args.out), config.lr)


def _reporter(bar: Progress, task, total: int, where: Callable) -> Callable:
    """Progress callback: the bar on a terminal, else a plain line every 10 s (logs, pipes)."""
    next_line = [0.0]

    def show(p) -> None:
        info = f"{where(p)}  cost {p.cost:.4f}  test acc {p.test_acc:.1%}"
        bar.update(task, completed=p.step, info=info)
        if not console.is_terminal and time.monotonic() >= next_line[0]:
            next_line[0] = time.monotonic() + 10
            console.print(f"training: step {p.step:,} of {total:,}, {info}", highlight=False)

    return show


def _smaller_lr(lr: float) -> str:
    return f"{lr / 10:g}" if lr <= 30 else "3.0 (the default)"


def _keep(rec, out: Path, lr: float) -> int:
    """Save a finished, interrupted or diverged run without ever replacing a complete one by it."""
    from nn.recording import save_run

    why, steps = rec.meta.get("diverged", "the cost became NaN or infinite"), rec.meta["steps_done"]
    trouble = rec.problem()
    if trouble and rec.status == "interrupted":
        console.print(f"[yellow]interrupted[/] after {steps:,} steps, too early to keep ({trouble}); nothing "
                      f"written to {out}", highlight=False)
        return 130
    if trouble and rec.status == "diverged":
        raise UserError(f"training diverged with --lr {lr:g} ({why}) before anything worth keeping was recorded; "
                        f"nothing written; try a smaller rate such as --lr {_smaller_lr(lr)}")
    dest = save_run(rec, out)
    console.print(summary(rec))
    if dest != out:
        console.print(f"[yellow]kept[/] the complete run in {out}; this {rec.status} run went to {dest}",
                      highlight=False)
    if rec.status == "interrupted":
        console.print(f"[yellow]interrupted[/]: kept {len(rec['snap_step'])} snapshots in {dest}", highlight=False)
        return 130
    if rec.status == "diverged":
        raise UserError(f"training diverged with --lr {lr:g}: {why}; kept the history before it in {dest}; "
                        f"try a smaller rate such as --lr {_smaller_lr(lr)}")
    return 0


# -- group --------------------------------------------------------------------------------------


def cmd_group(args: argparse.Namespace) -> int:
    from nn.budget import check_training, training_estimate
    from nn.experiments import MEMORISATION_EPOCHS, MEMORISATION_TRAIN_SIZE, group_configs, train_group

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; a group needs a folder (a new or existing one)")
    defaults = {"epochs": MEMORISATION_EPOCHS, "train_size": MEMORISATION_TRAIN_SIZE} \
        if args.kind == "memorisation" else {}
    if args.kind == "learning-rates" and args.lr is not None:
        raise UserError("--lr: the learning-rates group sets its own rates (0.1, 3, 10); leave --lr out")
    dataset = _dataset(args)
    base = _config(args, sizes=default_sizes(dataset), **defaults)
    base.check(dataset)
    if args.kind == "seeds" and args.seeds >= 2:  # before making one config per seed
        memory, seconds = training_estimate(base.sizes, base.epochs, base.batch_size, base.snapshots,
                                            base.training_size(dataset), len(dataset.y_test), 8)
        check_training(args.seeds, memory, seconds, "ask for fewer --seeds or --epochs")
    configs = group_configs(args.kind, base, seeds=args.seeds)
    planned = {name: c.epochs * c.steps_per_epoch(c.training_size(dataset)) for name, c in configs.items()}
    offsets = dict(zip(planned, [0, *np.cumsum(list(planned.values()))[:-1]]))
    with contextlib.ExitStack() as locks:
        for name in configs:  # every file of the group is ours until the group is done
            locks.enter_context(exclusive(out / f"{name}.npz", fix="choose another --out folder"))
        with progress_bar() as bar:
            total = sum(planned.values())
            task = bar.add_task(f"{args.kind} ({len(configs)} runs)", total=total, info="")
            report = _reporter(bar, task, total, lambda p: f"{p.name}: epoch {p.epoch}")

            def show(name, p) -> None:
                p = dataclasses.replace(p, step=offsets[name] + p.step)
                p.name = name
                report(p)

            runs = train_group(configs, dataset, out, on_progress=show)
            shared = args.kind == "learning-rates" and all(r.status == "complete" for r in runs.values()) \
                and len(runs) == len(configs)
            if shared:
                from nn.shared_landscape import add_shared_landscape

                task = bar.add_task("shared cost surface", total=61 * 61, info="")
                add_shared_landscape(runs, dataset, on_progress=lambda done: bar.update(task, completed=done))
                for name, rec in runs.items():
                    rec.save(out / f"{name}.npz")
    for name, rec in runs.items():
        console.print(f"{rec.path or out / (name + '.npz')}: {rec.status}, train acc {rec['epoch_train_acc'][-1]:.1%}, "
                      f"test acc {rec['epoch_test_acc'][-1]:.1%}, train cost {rec['epoch_train_cost'][-1]:.3f}")
    return 130 if any(r.status == "interrupted" for r in runs.values()) else 0


# -- info --------------------------------------------------------------------------------------


def summary(rec) -> str:
    """A few readable lines about a recording."""
    c, d = rec.config, rec.meta["dataset"]
    lines = [
        f"{rec.path or 'recording'}: {rec.status}",
        f"  network   {'-'.join(map(str, c['sizes']))} sigmoid, {rec['params'].shape[1]:,} weights and biases",
        f"  data      {d['name']} ({d['train_size']:,} train / {d['test_size']:,} test), labels {c['labels']}",
        f"  classes   {len(rec.classes)} classes of {plural(rec.noun)}: {', '.join(rec.classes)}",
        f"  training  {c['epochs']} epochs, batch {c['batch_size']}, lr {c['lr']}, seed {c['seed']}, {c['dtype']}",
        f"  progress  {rec.meta['steps_done']:,} of {rec.meta['steps_planned']:,} steps, "
        f"{len(rec['snap_step'])} snapshots, {rec.meta['seconds']:.1f} s",
        f"  result    test accuracy {rec['epoch_test_acc'][0]:.1%} -> {rec['epoch_test_acc'][-1]:.1%}, "
        f"train cost {rec['epoch_train_cost'][0]:.3f} -> {rec['epoch_train_cost'][-1]:.3f}",
    ]
    if rec.has_landscape:
        m = rec.landscape_meta
        grid = (f"{len(rec['land_x'])}x{len(rec['land_y'])} grid, on {m['eval_samples']:,} {m['eval_set']} "
                f"{plural(rec.noun)}")
        if m["method"] == "sheet":
            shared = f" shared by {', '.join(m['members'])}" if m.get("shared") else ""
            lines.append(f"  landscape {m.get('construction', 'sheet')}{shared} through every snapshot, {grid}, "
                         f"cost {m['cost_range'][0]:.3f}..{m['cost_range'][1]:.3f}, height = true cost "
                         f"(max gap {m['max_plane_gap']:.1e})")
        else:
            lines.append(f"  landscape {m['method']} plane, {grid}, captures {m['captured']:.1%} of the path's "
                         f"motion, true cost up to {m['max_plane_gap']:.2f} off the plane")
    else:
        lines.append(f"  landscape none yet (add it with `python -m nn landscape {rec.path or 'RUN.npz'}`)")
    return "\n".join(lines)


def cmd_info(args: argparse.Namespace) -> int:
    from nn.recording import load

    print(summary(load(args.run)))
    return 0


# -- landscape ---------------------------------------------------------------------------------


def cmd_landscape(args: argparse.Namespace) -> int:
    from nn.data import reload
    from nn.landscape import add_landscape
    from nn.recording import load

    if args.span is not None and not (math.isfinite(args.span) and args.span > 0):
        raise UserError(f"--span {args.span}: must be a positive, finite number of plane units")
    if not Path(args.run).is_file():
        load(args.run)  # says there is no such recording
    with exclusive(args.run, fix="work on a copy of it", create_folder=False):
        rec = load(args.run)
        dataset = reload(rec.meta)
        _check_same_data(rec, dataset)
        with progress_bar() as bar, np.errstate(all="ignore"):
            task = bar.add_task("cost surface", total=args.grid * args.grid, info="")
            add_landscape(rec, dataset, method=args.method, grid=args.grid, eval_samples=args.eval_samples,
                          span=args.span, seed=args.seed,
                          on_progress=lambda done: bar.update(task, completed=done))
        bad = [n for n, a in rec.arrays.items() if n.startswith("land_") and a.dtype.kind == "f"
               and not np.all(np.isfinite(a))]
        if bad:
            hint = "try a smaller --span" if args.span else \
                "the run's weights are too large to evaluate around (did it blow up? see `python -m nn info`)"
            raise UserError(f"the landscape came out with NaN or infinite values ({', '.join(bad)}); nothing "
                            f"written, {args.run} is unchanged; {hint}")
        rec.save(args.run, only_if_unchanged=True)
    console.print(summary(rec))
    return 0


def _check_same_data(rec, dataset) -> None:
    """The landscape must be computed on the digits the run was trained on."""
    want = rec.meta["dataset"]
    if dataset.sha256 != want["sha256"] or len(dataset.y_train) != want["train_size"]:
        raise UserError(
            f"--data {rec.config['data']!r} is no longer the data {rec.path} was trained on (SHA-256 "
            f"{dataset.sha256[:12]}... where the recording says {str(want['sha256'])[:12]}...); restore that data, "
            "or train a new run on this data"
        )


# -- fetch -------------------------------------------------------------------------------------


def cmd_fetch(args: argparse.Namespace) -> int:
    from nn.fetch import fetch

    fetch(args.dataset, Path(args.dir), base_url=args.base_url, log=console.print)
    return 0


# -- parser ------------------------------------------------------------------------------------


def _add_train_options(p: argparse.ArgumentParser) -> None:
    """The options that decide a training run; a default of None means 'the config's default'."""
    p.add_argument("--data", default="default",
                   help="'default' (5,000 embedded MNIST digits), a folder of the four IDX files, or a folder "
                        "with one subfolder of images per class (DIR/cat/*.png, ...)")
    p.add_argument("--classes", default=None,
                   help="name the classes: 'fashion-mnist', 'mnist', or a file with one name per line "
                        "(optional line 'noun: ...'); default: from the data")
    p.add_argument("--image-size", type=int, default=28,
                   help="side in pixels that a folder's images are resized to (default 28)")
    p.add_argument("--sizes", type=_sizes, default=None,
                   help="layer sizes (default pixels,16,16,classes: 784,16,16,10 for digits)")
    p.add_argument("--epochs", type=int, default=None, help="passes over the training set (default 30)")
    p.add_argument("--batch-size", type=int, default=None, help="examples per SGD step (default 10)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default 3.0)")
    p.add_argument("--seed", type=_natural, default=None, help="seed for weights, order and labels (default 0)")
    p.add_argument("--labels", choices=["true", "shuffled"], default=None,
                   help="'shuffled' permutes training labels (memorisation experiment)")
    p.add_argument("--train-size", type=int, default=None,
                   help="train on the first N digits of the training set, stratified (default: all)")
    p.add_argument("--snapshots", type=int, default=None, help="weight snapshots, dense early (default 80)")
    p.add_argument("--dtype", choices=["float64", "float32"], default=None, help="default float64")


def _dataset(args: argparse.Namespace):
    """The data --data names, read at --image-size, its classes renamed by --classes."""
    from nn.data import load_dataset

    return load_dataset(str(args.data), args.image_size, args.classes)


def _config(args: argparse.Namespace, **defaults) -> TrainConfig:
    """A TrainConfig from the options given, else `defaults`, else TrainConfig's own defaults."""
    options = {name: getattr(args, name) for name in
               ("sizes", "epochs", "batch_size", "lr", "seed", "labels", "train_size", "snapshots", "dtype")}
    given = {k: v for k, v in options.items() if v is not None}
    return TrainConfig(**{**defaults, **given, "data": str(args.data)})


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m nn", description="Train small networks and record what the video shows.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="train a network and write its recording",
                       description="Mini-batch SGD on digits; writes a recording (.npz) for the scenes.")
    _add_train_options(t)
    t.add_argument("--out", required=True, help="where to write the recording, e.g. assets/runs/mine.npz")
    t.set_defaults(func=cmd_train)

    g = sub.add_parser("group", help="train a group of runs for an experiment (memorisation, seeds, learning-rates)",
                       description="Train the runs of one experiment into a folder: 'memorisation' = true vs "
                                   "shuffled labels (default 1,000 digits, 150 epochs); 'seeds' = the same run "
                                   "from several random starts; 'learning-rates' = the same run with lr 0.1, 3 "
                                   "and 10, all three paths on one shared cost surface.")
    g.add_argument("kind", choices=["memorisation", "seeds", "learning-rates"])
    g.add_argument("--seeds", type=_natural, default=5, help="runs in a 'seeds' group (default 5)")
    _add_train_options(g)
    g.add_argument("--out", required=True, help="folder for the group, e.g. assets/runs/seeds")
    g.set_defaults(func=cmd_group)

    s = sub.add_parser("landscape", help="add the cost surface to a recording",
                       description="Evaluate the real cost on a grid over a surface in weight space (by default "
                                   "a sheet through every snapshot; or a plane, onto which the path is "
                                   "projected); adds land_* arrays in place.")
    s.add_argument("run", help="recording to extend (.npz)")
    s.add_argument("--method", choices=["sheet", "pca", "random"], default="sheet",
                   help="'sheet' (default): a curved sheet through every snapshot, so heights are true costs; "
                        "'pca': the plane of the path's two principal directions; 'random': two "
                        "filter-normalised random directions")
    s.add_argument("--grid", type=int, default=61, help="grid points per side (default 61)")
    s.add_argument("--eval-samples", type=int, default=1000,
                   help="training digits the cost is averaged over (default 1000)")
    s.add_argument("--span", type=float, default=None,
                   help="half-width of the grid's y axis (a plane's two axes) in weight-space units "
                        "(default: the path plus a margin)")
    s.add_argument("--seed", type=_natural, default=0, help="seed for random directions and the sample")
    s.set_defaults(func=cmd_landscape)

    i = sub.add_parser("info", help="summarise a recording")
    i.add_argument("run", help="recording (.npz)")
    i.set_defaults(func=cmd_info)

    f = sub.add_parser("fetch", help="download a dataset's official IDX files, checking SHA-256")
    f.add_argument("dataset", choices=["mnist"])
    f.add_argument("--dir", default="data/mnist", help="where to put the files (default data/mnist)")
    f.add_argument("--base-url", default=None, help=argparse.SUPPRESS)  # tests point it at a local server
    f.set_defaults(func=cmd_fetch)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
