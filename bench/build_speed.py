#!/usr/bin/env python3
"""Build speed on a synthetic corpus: a benchmark that prints figures, not a test.

Run it from the repository root:

    .venv/bin/python bench/build_speed.py                        # 1,000 and 10,000 news pages
    .venv/bin/python bench/build_speed.py --sizes 1000           # one size only
    .venv/bin/python bench/build_speed.py --seed 7 --json out.json
    .venv/bin/python bench/build_speed.py --keep /tmp/bench      # keep corpora and sites
    .venv/bin/python bench/build_speed.py --stages               # also time each build stage
    .venv/bin/python bench/build_speed.py --profile              # also run cProfile on the largest size
    .venv/bin/python bench/build_speed.py --sizes 1000 10000 --against <commit> --repeat 3   # before/after

A size is the number of news pages in total, both languages together: 10000 means
5,000 news items in Uzbek and their 5,000 English translations (bench/corpus.py, which
also copies the real site's other pages, data, templates and static files). Their bodies
are Markdown as editors write it: headings, emphasis, lists, a table, links, and in one
item in four a fenced code block (python, yaml, sh or a plain fence), sometimes inside a
list item; some items have a two-space-nested bullet list or a task list. The site
built from them has more HTML pages than that (paginated lists, tag, partner and
search pages, 404s); the table shows how many HTML files were written.

For each size the corpus is generated into a temporary folder (or under --keep), then
every figure is taken from a fresh process running `build.py build --root CORPUS --out
SITE -q`, the way an editor or CI runs it (with Python's bytecode cache, as on a default
installation: PYTHONDONTWRITEBYTECODE is not passed on, see NOT_PASSED, and the engine's
modules are compiled before the first measured build, see compile_engine):

- cold build: wall time of the first build, with no output folder and no `.cache/` (the
  work a build keeps for the next one) in the project; the operating system's file
  cache is warm, as the corpus was just written. "cold CPU" is the user and system
  time of the build and of the processes it ran (Pagefind): it is less disturbed than
  the wall time when other work shares the machine;
- HTML pages/s: HTML files written divided by the cold build time;
- peak RSS: the largest resident set of the build process or of any process it ran
  (Pagefind), from getrusage of the child (the figure `/usr/bin/time -f %M` prints);
  "tree RSS" is the sampled peak of the whole process tree at once (every 50 ms);
- no-change rebuild: the same build again, nothing changed (with what the previous builds
  kept in `.cache/`);
- edit → written: one news item's text is changed, then the time until the new page
  is on disk, by the same `build` command: a full rebuild, printed as such (the figure
  a live preview will have to bring down). The edit is undone afterwards.

--repeat N takes the median of N runs of each figure (the cold build is repeated by
moving the output folder and `.cache/` aside first; what a run is done with is removed
at its end, never just before a measured build: see Trash).

Hugo and Pelican, side by side with this project on the same news items, are measured
by bench/versus.py.

--stages runs one more cold build, one more no-change rebuild and one more rebuild after an
edit, each in a fresh process with timers around the pipeline's stages and the main steps
inside them (the Uzbek letters, the translations compared, Markdown and its cache, HTML
cleaning, Jinja, feeds, sitemap, images, Pagefind, the staging beside it; each timer's
own time, per thread) and a callback counting the pauses of Python's cyclic garbage
collector, and prints where the time goes (a timer whose function no longer exists is
left out and named). --profile runs one more cold build of the largest size under cProfile (`python -m cProfile`) and prints the functions
with the most own time; cProfile slows Python code down, so its absolute figures are
larger than the build's.

Before/after (--against REV): the work tree against a git revision REV (`HEAD~3`, a
commit hash, a branch), on the same corpus, for a change's effect on the cold build:

    .venv/bin/python bench/build_speed.py --sizes 1000 10000 --against <commit> --repeat 3
    .venv/bin/python bench/build_speed.py --sizes 200 --against HEAD --repeat 2 --json out.json

At the start, the work tree's site (templates/, static/, data/, content/) and its
build.py and sitegen/ are copied, so that edits made while the benchmark runs do not
change side A halfway ("work tree" means its state at the start, uncommitted changes
included); REV's are copied from a temporary `git worktree add --detach` of REV in a
temporary folder, which is removed at once (`git worktree remove --force`, `git worktree
prune`). For each size, ONE set of news items is generated, referring only to partners,
tags, projects and section pages both sites have, and put around each side's site
(corpus.transplant: the same bytes in content/news/). Then the cold builds take turns,
A, B, A, B, ... (--repeat N of each, 3 by default with --against), each in a fresh
process run by this virtualenv's Python with the side's own build.py and sitegen/, with no
output folder and no `.cache/` in the project, as the cold build above. Printed per size,
for each side: HTML files written, the median, the min–max spread and every run's wall
time, and the median CPU time; then the ratio of the medians, work tree / REV, and the
change in percent (negative: the work tree is faster), for wall and for CPU time; and the
warnings and errors each side's first build printed, most frequent first. A build is
never run with --strict, so a side that warns about syntax it does not know (fenced
code, task lists) is still timed; a side that exits non-zero (which also leaves its site
unwritten) is marked FAILED with its exit statuses and the end of its error output, and
its ratio NOT COMPARABLE. --json writes the same figures (every run, exit statuses,
diagnostics); --keep keeps the copies (DIR/code/current, DIR/code/against) and the
corpora and sites (DIR/<size>/current, DIR/<size>/against). --stages and --profile are
not available with --against; neither are the no-change, edit and preview figures nor the
Pelican and Hugo comparison. The news items' `translation_of` is computed by the work
tree's sitegen/translations.py: a REV whose fingerprint differs would report the English
items as stale (a warning, printed with the others).

Exit status: 0 when every build succeeded, 1 when a
build failed (with --against: when a build of either side exited non-zero or wrote no
site; the figures are printed all the same), 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_module  # noqa: E402

CACHE = ".cache"  # work the build keeps between builds, in the project; removed before a cold build
TRASH = ".trash"  # in the run's folder: what the run is done with, removed at its end (Trash)
SAMPLE_INTERVAL = 0.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# -- what a run is done with -----------------------------------------------------


class Trash:
    """Output folders and caches a run is done with, moved aside by a rename and removed
    only when the run is over (`empty`), never just before a measured build. Removing
    thousands of files makes the next ones slow to create on some file systems: on the
    ext4 of the machine these figures come from, perf shows the kernel's inode allocator
    looking at each recently freed inode (`recently_deleted`) before it takes one, and a
    cold build of 2,000 news pages started right after its previous output and cache were
    removed took 1.3-2.2 s more system time (of 20-24 s of CPU) than one started after
    they were moved aside. The benchmark would have counted its own clean-up against
    the tool measured next."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def discard(self, path: Path) -> None:
        if not path.exists() and not path.is_symlink():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        try:
            os.rename(path, self.folder / str(self.count))
        except OSError:  # on another file system: removed at once
            shutil.rmtree(path, ignore_errors=True)

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# -- running a build in a fresh process ------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # the largest single process (getrusage of the child)
    tree_rss_mb: float  # sampled peak of the sum over the process tree
    peaks_by_process: dict[str, float]  # sampled peak per command name
    returncode: int
    stderr: str
    cpu_s: float = 0.0  # user + system time of the process and the processes it waited for


def _process_tree(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


class _Sampler(threading.Thread):
    """Samples the resident memory of a process and its descendants until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.stop = threading.Event()
        self.peak = 0
        self.by_name: dict[str, int] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            total = 0
            for pid in _process_tree(self.pid):
                try:
                    with open(f"/proc/{pid}/statm", "rb") as statm:
                        rss = int(statm.read().split()[1]) * PAGE_SIZE
                    with open(f"/proc/{pid}/comm", "rb") as comm:
                        name = comm.read().decode(errors="replace").strip()
                except (OSError, IndexError, ValueError):
                    continue
                total += rss
                self.by_name[name] = max(self.by_name.get(name, 0), rss)
            self.peak = max(self.peak, total)
            self.stop.wait(SAMPLE_INTERVAL)


# Python writes the bytecode of the modules it compiles (__pycache__/) unless told not to;
# a machine whose environment says not to (PYTHONDONTWRITEBYTECODE) would compile the
# project's modules again in every build (0.1-0.2 s here), while an installed package
# (Pelican's, the libraries') comes with its bytecode. Every measured process runs as on a
# default installation.
NOT_PASSED = ("PYTHONDONTWRITEBYTECODE",)


def measured_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in NOT_PASSED}


def measure(command: list[str], cwd: Path = ROOT) -> Run:
    """Run `command` in a fresh process; its wall time and memory."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                   env=measured_environment())
        sampler = _Sampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join()
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    mb = 1024 * 1024
    return Run(seconds, usage.ru_maxrss * 1024 / mb, sampler.peak / mb,
               {name: rss / mb for name, rss in sorted(sampler.by_name.items())}, process.returncode, stderr,
               usage.ru_utime + usage.ru_stime)


def build_command(project: Path, out: Path) -> list[str]:
    compile_engine(ROOT)
    return [sys.executable, str(ROOT / "build.py"), "build", "--root", str(project), "--out", str(out), "-q"]


_COMPILED: set[Path] = set()


def compile_engine(code: Path) -> None:
    """The engine's modules (code/sitegen/) compiled once, before the first measured
    build, as pip compiles the modules of a package it installs (Pelican's, the
    libraries'): every measured build runs as the builds after a first one do, none paying
    for compiling (0.1-0.2 s, and about 8 MB more at its peak)."""
    if code in _COMPILED:
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "sitegen")], env=measured_environment(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    _COMPILED.add(code)


class BuildFailed(Exception):
    pass


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise BuildFailed(f"{what} failed with exit status {run.returncode}:\n{run.stderr.strip()}")
    return run


# -- the figures for one size -------------------------------------------------------


@dataclass
class Figures:
    news_pages: int  # both languages together
    per_language: int
    html_files: int = 0
    corpus_seconds: float = 0.0
    cold_s: float = 0.0
    cold_cpu_s: float = 0.0
    pages_per_s: float = 0.0
    peak_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    peaks_by_process: dict[str, float] = field(default_factory=dict)
    no_change_s: float = 0.0
    edit_s: float = 0.0  # `build` in a new process after one edit
    preview_edit_s: float = 0.0  # the preview's rebuild step: edit -> the edited pages written
    preview_complete_s: float = 0.0  # ... -> every page up to date
    preview_index_s: float = 0.0  # ... -> search index in as well
    runs: dict[str, list[float]] = field(default_factory=dict)
    stages: dict[str, dict] | None = None  # "cold", "no_change" and "edit": seconds per stage
    edited_key: str = ""  # the news item the edits change


def edit_one(project: Path, key: str, stamp: str) -> tuple[Path, str]:
    """Change the text of one Uzbek news item; returns the file and its previous text."""
    path = project / "content/news" / f"{key}.uz.md"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + f"\nTahrir belgisi {stamp}: matnga yangi gap qoʻshildi.\n", encoding="utf-8")
    return path, before


def measure_size(news_pages: int, seed: int, folder: Path, repeat: int, log, trash: Trash) -> Figures:
    per_language = news_pages // 2
    figures = Figures(news_pages, per_language)
    project, out = folder / "corpus", folder / "site"
    log(f"[{news_pages}] generating {per_language} news items per language into {project}")
    generated = corpus_module.generate(project, per_language, seed, force=True)
    figures.corpus_seconds = generated.seconds
    command = build_command(project, out)

    cold: list[Run] = []
    for attempt in range(repeat):
        trash.discard(out)
        trash.discard(project / CACHE)
        log(f"[{news_pages}] cold build {attempt + 1}/{repeat}")
        cold.append(checked(measure(command), "the cold build"))
    figures.html_files = sum(1 for _ in out.rglob("*.html"))

    again: list[Run] = []
    for attempt in range(repeat):
        log(f"[{news_pages}] no-change rebuild {attempt + 1}/{repeat}")
        again.append(checked(measure(command), "the no-change rebuild"))

    key = figures.edited_key = generated.news_keys[len(generated.news_keys) // 2]
    page = out / "uz/news" / key / "index.html"
    edits: list[float] = []
    for attempt in range(repeat):
        log(f"[{news_pages}] edit one news item and rebuild {attempt + 1}/{repeat}")
        stamp = f"{seed}-{attempt}-{time.time_ns()}"
        started = time.perf_counter()
        path, before = edit_one(project, key, stamp)
        try:
            run = checked(measure(command), "the rebuild after an edit")
            edits.append(time.perf_counter() - started)
            if stamp not in page.read_text(encoding="utf-8"):
                raise BuildFailed(f"the edited page {page} does not show the change")
        finally:
            path.write_text(before, encoding="utf-8")
        again.append(run)  # a full rebuild: its memory counts like the others'

    preview_edits, complete_edits, index_edits = preview_edit_times(project, folder / "preview", key, repeat,
                                                                    seed, log)

    everything = cold + again
    figures.cold_s = statistics.median(r.seconds for r in cold)
    figures.cold_cpu_s = statistics.median(r.cpu_s for r in cold)
    figures.pages_per_s = figures.html_files / figures.cold_s
    figures.peak_rss_mb = max(r.peak_rss_mb for r in everything)
    figures.tree_rss_mb = max(r.tree_rss_mb for r in everything)
    names = {name for r in everything for name in r.peaks_by_process}
    figures.peaks_by_process = {n: max(r.peaks_by_process.get(n, 0.0) for r in everything) for n in sorted(names)}
    figures.no_change_s = statistics.median(r.seconds for r in again[:repeat])
    figures.edit_s = statistics.median(edits)
    figures.preview_edit_s = statistics.median(preview_edits)
    figures.preview_complete_s = statistics.median(complete_edits)
    figures.preview_index_s = statistics.median(index_edits)
    figures.runs = {"cold_s": [r.seconds for r in cold], "no_change_s": [r.seconds for r in again[:repeat]],
                    "edit_s": edits, "cold_cpu_s": [r.cpu_s for r in cold],
                    "no_change_cpu_s": [r.cpu_s for r in again[:repeat]],
                    "edit_cpu_s": [r.cpu_s for r in again[repeat:]],
                    "preview_edit_s": preview_edits, "preview_complete_s": complete_edits,
                    "preview_index_s": index_edits}
    return figures


def preview_edit_times(project: Path, out: Path, key: str, repeat: int, seed: int, log) -> tuple[list, list, list]:
    """Edit -> written in `serve`: its rebuild step (sitegen.serve.IncrementalRebuild)
    after a first build, in this process: until the edited pages are written, until
    the complete rebuild that follows is written, and until the search index is in."""
    from sitegen.serve import IncrementalRebuild, Settings

    settings = Settings(project, out, "http://127.0.0.1:8000/")
    step = IncrementalRebuild()
    log(f"[{project.parent.name}] preview: first build")
    if not step(settings, ()).written:
        raise BuildFailed("the preview's first build failed")
    page = out / "uz/news" / key / "index.html"
    written, complete, indexed = [], [], []
    for attempt in range(max(repeat, 3)):
        log(f"[{project.parent.name}] preview: edit one news item {attempt + 1}")
        stamp = f"preview-{seed}-{attempt}-{time.time_ns()}"
        started = time.perf_counter()
        path, before = edit_one(project, key, stamp)
        try:
            result = step(settings, [path])
            written.append(time.perf_counter() - started)
            if step.follow_up:  # as the server does: the complete rebuild right after
                result = step(settings, ())
            complete.append(time.perf_counter() - started)
            step.wait()
            indexed.append(time.perf_counter() - started)
            if not result.written or stamp not in page.read_text(encoding="utf-8"):
                raise BuildFailed(f"the preview's page {page} does not show the change")
        finally:
            path.write_text(before, encoding="utf-8")
    step(settings, [path])
    step.wait()
    return written, complete, indexed


# -- stage timing and profiling ------------------------------------------------------

# (label, module, attribute path): timed exclusively, so nested timers are not counted twice
STAGE_TIMERS = (
    ("config", "sitegen.pipeline", "load_config"),
    ("schema", "sitegen.pipeline", "load_schema"),
    ("sources (read, front matter)", "sitegen.pipeline", "load_sources"),
    ("sources: Uzbek letters", "sitegen.sources", "_uzbek_letters"),
    ("data", "sitegen.pipeline", "load_data"),
    ("model", "sitegen.pipeline", "build_model"),
    ("model: translations compared", "sitegen.documents", "DocumentReader.untranslated_copies"),
    ("render: pages (context, helpers, checks)", "sitegen.pipeline", "render_pages_first"),
    ("render: other outputs, while Pagefind runs", "sitegen.render", "Renderer.render_rest"),
    ("render: Markdown (Python-Markdown, links)", "markdown.core", "Markdown.convert"),
    ("render: Markdown cache (lookup, replay)", "sitegen.markup", "MarkdownRenderer.convert"),
    ("render: HTML cleaning (nh3)", "sitegen.lib.sanitize", "Sanitizer.clean"),
    ("render: Markdown cache (write)", "sitegen.lib.cache", "Store.flush"),
    ("render: Jinja templates", "jinja2.environment", "Template.render"),
    ("render: images", "sitegen.lib.images", "ImageProcessor.process"),
    ("render: Atom feeds", "sitegen.outputs", "feed"),
    ("render: sitemap", "sitegen.outputs", "sitemap"),
    ("render: anchor check", "sitegen.markup", "MarkdownRenderer.check_anchors"),
    ("search: pages to Pagefind, bundle back", "sitegen.pipeline", "build_search_index"),
    ("search: Pagefind (waited for, in its threads)", "sitegen.search", "index_pages"),
    ("writer: pages staged while Pagefind runs", "sitegen.pipeline", "stage"),
    ("writer", "sitegen.pipeline", "write_site"),
)

STAGE_CHILD = r"""
import gc, importlib, json, os, sys, time
started = time.perf_counter()
sys.path.insert(0, ROOT)
from pathlib import Path
import sitegen.pipeline as pipeline
from sitegen.cli import BUILD_GC_THRESHOLDS
gc.set_threshold(*BUILD_GC_THRESHOLDS)  # as build.py's command line has it
imported = time.perf_counter()
import threading
totals, collections = {}, {"seconds": 0.0, "full": 0, "began": 0.0}
local, lock = threading.local(), threading.Lock()

def timed(label, function):
    # each thread its own stack (the Pagefind runs go in threads, beside the staging);
    # a timer's own time is its time less the timers inside it, in the same thread
    def wrapper(*args, **kwargs):
        stack = getattr(local, "stack", None)
        if stack is None:
            stack = local.stack = []
        stack.append(0.0)
        begin = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - begin
            inner = stack.pop()
            with lock:
                totals[label] = totals.get(label, 0.0) + elapsed - inner
            if stack:
                stack[-1] += elapsed
    return wrapper

def collected(phase, info):
    if phase == "start":
        collections["began"] = time.perf_counter()
    else:
        collections["seconds"] += time.perf_counter() - collections["began"]
        collections["full"] += info["generation"] == 2

missing = []
for label, module_name, attribute in TIMERS:
    try:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(label, getattr(owner, name)))
    except (ImportError, AttributeError):
        missing.append(label)
gc.callbacks.append(collected)
result = pipeline.run(Path(PROJECT), out=Path(OUT))
done = time.perf_counter()
gc.callbacks.remove(collected)
report = {"import sitegen": imported - started, "pipeline": done - imported, "stages": totals,
          "gc_seconds": collections["seconds"], "gc_full": collections["full"],
          "missing": missing, "ok": result.ok() and result.written}
Path(REPORT).write_text(json.dumps(report))
sys.stdout.flush()
os._exit(0)  # as build.py does: a large site's objects are not taken apart one by one
"""


def stage_times(project: Path, out: Path, log, trash: Trash, cold: bool, edit: str | None = None) -> dict:
    """A build in a fresh process with timers around each stage: cold (no output, no
    cache), with nothing changed since the previous build, or after an edit of the news
    item `edit` (undone afterwards). Seconds per stage."""
    if cold:
        trash.discard(out)
        trash.discard(project / CACHE)
    edited = edit_one(project, edit, f"stages-{time.time_ns()}") if edit else None
    try:
        return _stage_times(project, out, log, "cold" if cold else "edit" if edit else "no-change")
    finally:
        if edited:
            edited[0].write_text(edited[1], encoding="utf-8")


def _stage_times(project: Path, out: Path, log, which: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="build-speed-") as tmp:
        report = Path(tmp) / "stages.json"
        code = (f"ROOT = {str(ROOT)!r}\nPROJECT = {str(project)!r}\nOUT = {str(out)!r}\n"
                f"REPORT = {str(report)!r}\nTIMERS = {STAGE_TIMERS!r}\n" + STAGE_CHILD)
        log(f"stage timing: one more {which} build with timers")
        compile_engine(ROOT)
        run = checked(measure([sys.executable, "-c", code]), "the build with stage timers")
        data = json.loads(report.read_text())
    if not data["ok"]:
        raise BuildFailed("the build with stage timers reported errors")
    stages = {label: data["stages"].get(label, 0.0) for label, _, _ in STAGE_TIMERS if label not in data["missing"]}
    accounted = data["import sitegen"] + data["pipeline"]
    return {"process wall": run.seconds,
            "interpreter start, exit": run.seconds - accounted,
            "import sitegen (and libraries)": data["import sitegen"],
            "pipeline other": data["pipeline"] - sum(stages.values()),
            **stages,
            "cyclic GC pauses (part of the stages above)": data["gc_seconds"],
            "full (generation 2) collections": data["gc_full"],
            "missing timers": data["missing"]}


def print_stages(figures: Figures) -> None:
    builds = [dict(figures.stages[name]) for name in ("cold", "no_change", "edit")]
    walls = [build.pop("process wall") for build in builds]
    missing = [build.pop("missing timers") for build in builds][0]
    full = [build.pop("full (generation 2) collections") for build in builds]
    print(f"\nWhere the time goes, {figures.news_pages:,} news pages ({figures.html_files:,} HTML files): "
          f"a cold build ({walls[0]:.2f} s), a no-change rebuild ({walls[1]:.2f} s) and a rebuild after "
          f"one edit ({walls[2]:.2f} s), each in a fresh process; exclusive times")
    width = max(len(label) for label in builds[0])
    print(f"  {'stage':<{width}}  {'cold s':>8}  {'share':>6}  {'no-change s':>11}  {'share':>6}  "
          f"{'edit s':>8}  {'share':>6}")
    for label in builds[0]:
        print(f"  {label:<{width}}" + "".join(
            f"  {build[label]:{size}.2f}  {100 * build[label] / wall:5.1f}%"
            for build, wall, size in zip(builds, walls, (8, 11, 8))))
    print(f"  ({full[0]}, {full[1]} and {full[2]} full collections of the cyclic garbage collector)")
    if missing:
        print(f"  (no timer for: {', '.join(missing)}: the function was not found)")


def profile(project: Path, out: Path, log, trash: Trash, top: int = 25) -> dict:
    """A cold build under cProfile in a fresh process; the functions with the most own time."""
    trash.discard(out)
    trash.discard(project / CACHE)
    with tempfile.TemporaryDirectory(prefix="build-speed-") as tmp:
        stats_file = Path(tmp) / "build.pstats"
        command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), *build_command(project, out)[1:]]
        log("profile: one more cold build under cProfile")
        run = checked(measure(command), "the build under cProfile")
        stats = pstats.Stats(str(stats_file))
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append({"function": f"{_short(filename)}:{line}({name})", "calls": calls, "own_s": own,
                     "cumulative_s": cumulative})
    rows.sort(key=lambda row: -row["own_s"])
    return {"news_pages": 0, "seconds": run.seconds, "top": rows[:top]}


def print_profile(hot: dict) -> None:
    print(f"\ncProfile, one cold build of {hot['news_pages']:,} news pages ({hot['seconds']:.1f} s under the "
          f"profiler): the {len(hot['top'])} functions with the most own time")
    print(f"  {'own s':>7}  {'cum s':>7}  {'calls':>9}  function")
    for row in hot["top"]:
        print(f"  {row['own_s']:7.2f}  {row['cumulative_s']:7.2f}  {row['calls']:9d}  {row['function']}")


def _short(filename: str) -> str:
    """A profiled function's file, without the folders every row would repeat."""
    for pattern in (r".*/site-packages/", r".*/lib/python3\.\d+/", r".*/corpus/(?=templates/)", re.escape(f"{ROOT}/")):
        shorter = re.sub(f"^{pattern}", "", filename)
        if shorter != filename:
            return shorter
    return filename


# -- before/after: the work tree against another revision ------------------------------

SITE_PARTS = ("templates", "static", "data", "content")  # what a corpus takes from a project
CODE_PARTS = ("build.py", "sitegen")  # what builds it
DIAGNOSTIC = re.compile(r"^\S.*?: (warning|error): (.*)$", re.MULTILINE)


@dataclass
class Side:
    """One side of a before/after comparison: a project's site and code, and its cold builds."""

    label: str  # "work tree", or the revision as given
    commit: str  # the commit measured (the work tree's HEAD for the work tree)
    code: str  # the folder with the build.py and sitegen/ that were run
    html_files: int = 0
    runs_s: list[float] = field(default_factory=list)
    cpu_runs_s: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    exit_statuses: list[int] = field(default_factory=list)
    site_written: list[bool] = field(default_factory=list)  # HTML files in the output after the run
    warnings: int = 0  # diagnostics printed by the first run
    errors: int = 0
    messages: dict[str, int] = field(default_factory=dict)  # the most frequent diagnostics (first run)
    stderr_tail: str = ""  # the end of the first failed run's error output
    median_s: float = 0.0
    min_s: float = 0.0
    max_s: float = 0.0
    cpu_median_s: float = 0.0

    @property
    def ok(self) -> bool:
        return all(status == 0 for status in self.exit_statuses) and all(self.site_written)

    def add(self, run: Run, written: bool, html_files: int) -> None:
        self.runs_s.append(run.seconds)
        self.cpu_runs_s.append(run.cpu_s)
        self.peak_rss_mb.append(run.peak_rss_mb)
        self.exit_statuses.append(run.returncode)
        self.site_written.append(written)
        if len(self.runs_s) == 1:
            found = DIAGNOSTIC.findall(run.stderr)
            self.warnings = sum(1 for severity, _ in found if severity == "warning")
            self.errors = sum(1 for severity, _ in found if severity == "error")
            counts: dict[str, int] = {}
            for severity, message in found:
                counts[f"{severity}: {message}"] = counts.get(f"{severity}: {message}", 0) + 1
            self.messages = dict(sorted(counts.items(), key=lambda item: -item[1])[:5])
        if (run.returncode != 0 or not written) and not self.stderr_tail:
            self.stderr_tail = "\n".join(run.stderr.strip().splitlines()[-8:])
        if written:
            self.html_files = html_files
        self.median_s = statistics.median(self.runs_s)
        self.min_s, self.max_s = min(self.runs_s), max(self.runs_s)
        self.cpu_median_s = statistics.median(self.cpu_runs_s)


@dataclass
class Comparison:
    news_pages: int  # both languages together, the same news items on both sides
    per_language: int
    current: Side
    against: Side
    corpus_seconds: float = 0.0
    ratio: float = 0.0  # median cold build, current / against
    change_percent: float = 0.0  # (ratio - 1) * 100: negative when the work tree is faster
    cpu_ratio: float = 0.0
    cpu_change_percent: float = 0.0
    comparable: bool = True  # every run of both sides exited 0 and wrote the site


def git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise BuildFailed(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def snapshot(source: Path, dest: Path) -> None:
    """The site and code parts of the project `source`, copied into `dest` (no caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SITE_PARTS + CODE_PARTS:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=ignore)
        elif (source / name).exists():
            shutil.copy2(source / name, dest / name)
    # compiled now, not by the first timed build
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "sitegen")], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prepare_sides(revision: str, base: Path, log) -> tuple[Side, Side, Path, Path]:
    """Snapshots of the work tree and of `revision` (from a temporary `git worktree`,
    removed again) under base/code/; the two Sides and their folders."""
    try:
        commit = git("rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}")
    except BuildFailed as exc:
        raise UsageError(f"--against {revision}: not a commit of {ROOT} ({exc})") from None
    head = git("rev-parse", "HEAD")
    current_dir, against_dir = base / "code/current", base / "code/against"
    for folder in (current_dir, against_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    log(f"copying the work tree's site, build.py and sitegen/ into {current_dir}")
    snapshot(ROOT, current_dir)
    checkout = Path(tempfile.mkdtemp(prefix="build-speed-rev-")) / "tree"
    log(f"git worktree add --detach {checkout} {commit[:12]}")
    git("worktree", "add", "--detach", str(checkout), commit)
    try:
        log(f"copying {revision}'s site, build.py and sitegen/ into {against_dir}")
        snapshot(checkout, against_dir)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)],
                       capture_output=True, timeout=120, check=False)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True, timeout=120, check=False)
        shutil.rmtree(checkout.parent, ignore_errors=True)
    missing = [name for name in CODE_PARTS + ("data", "content", "templates") if not (against_dir / name).exists()]
    if missing:
        raise BuildFailed(f"{revision} has no {', '.join(missing)}: it cannot be built by this benchmark")
    return (Side("work tree", head, str(current_dir)), Side(revision, commit, str(against_dir)),
            current_dir, against_dir)


def compare_size(news_pages: int, seed: int, folder: Path, repeat: int, sides: tuple[Side, Side],
                 sources: tuple[Path, Path], log, trash: Trash) -> Comparison:
    """One set of news items around both projects; cold builds taking turns A, B, A, B, ..."""
    per_language = news_pages // 2
    current, against = (Side(side.label, side.commit, side.code) for side in sides)
    comparison = Comparison(news_pages, per_language, current, against)
    projects = folder / "current/corpus", folder / "against/corpus"
    log(f"[{news_pages}] generating {per_language} news items per language into {projects[0]}")
    generated = corpus_module.generate(projects[0], per_language, seed, source=sources[0], force=True,
                                       valid_in=[sources[1]])
    log(f"[{news_pages}] the same news items around {against.label}'s site into {projects[1]}")
    moved = corpus_module.transplant(generated, projects[1], sources[1], force=True)
    comparison.corpus_seconds = generated.seconds + moved.seconds
    for attempt in range(repeat):
        for side, project, code in zip((current, against), projects, sources):
            out = project.parent / "site"
            trash.discard(out)
            trash.discard(project / CACHE)
            compile_engine(code)
            command = [sys.executable, str(code / "build.py"), "build", "--root", str(project), "--out", str(out),
                       "-q"]
            log(f"[{news_pages}] cold build {attempt + 1}/{repeat} of {side.label}")
            run = measure(command, cwd=project.parent)
            html = sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0
            side.add(run, html > 0, html)
            if run.returncode != 0 or not html:
                log(f"[{news_pages}] {side.label}: exit status {run.returncode}"
                    f"{'' if html else ', no site written'}")
    comparison.comparable = current.ok and against.ok
    comparison.ratio = current.median_s / against.median_s
    comparison.change_percent = 100 * (comparison.ratio - 1)
    comparison.cpu_ratio = current.cpu_median_s / against.cpu_median_s
    comparison.cpu_change_percent = 100 * (comparison.cpu_ratio - 1)
    return comparison


def print_against(comparisons: list[Comparison], revision: str, seed: int, repeat: int, info: dict) -> None:
    first = comparisons[0]
    a, b = first.current, first.against
    subject = git("log", "-1", "--format=%s", b.commit)
    print(f"Before/after: the work tree (A) against {revision} (B); the same synthetic news items "
          f"(bench/corpus.py, seed {seed}) around each side's own site, built by each side's own build.py "
          f"and sitegen/")
    print(f"A: {info['code']}")
    print(f"B: {b.commit[:12]} {subject}")
    print(f"Python {info['python']}, {info['cpus']} CPUs, {info['platform']}; cold builds (no output folder, "
          f"no .cache/), each in a fresh process, taking turns A, B, A, B ({repeat} of each); load average "
          f"{info['load_average']['before']:.2f} before, {info['load_average']['after']:.2f} after")
    names = {"A": "A work tree", "B": f"B {revision}" + ("" if revision.startswith(b.commit[:7]) else
                                                          f" ({b.commit[:10]})")}
    width = max(len(name) for name in names.values())
    for c in comparisons:
        print(f"\n{c.news_pages:,} news pages ({c.per_language:,} uz / {c.per_language:,} en):")
        print(f"  {'':<{width}}  {'HTML files':>10}  {'median':>8}  {'min–max':>13}  {'CPU median':>10}  runs (s)")
        for letter, side in (("A", c.current), ("B", c.against)):
            spread = f"{side.min_s:.2f}–{side.max_s:.2f} s"
            runs = ", ".join(f"{seconds:.2f}" for seconds in side.runs_s)
            print(f"  {names[letter]:<{width}}  {side.html_files:>10,}  {side.median_s:6.2f} s  {spread:>13}  "
                  f"{side.cpu_median_s:8.2f} s  {runs}")
        verdict = "faster" if c.ratio < 1 else "slower"
        print(f"  A / B: wall {c.ratio:.3f} ({c.change_percent:+.1f} %: the work tree is "
              f"{abs(c.change_percent):.1f} % {verdict}), CPU {c.cpu_ratio:.3f} ({c.cpu_change_percent:+.1f} %)"
              + ("" if c.comparable else "  NOT COMPARABLE: a build failed (below)"))
        for letter, side in (("A", c.current), ("B", c.against)):
            if not side.ok:
                statuses = ", ".join(str(status) for status in side.exit_statuses)
                unwritten = side.site_written.count(False)
                print(f"  !! {names[letter]} FAILED: exit status {statuses}"
                      f"{f'; no site written in {unwritten} of {len(side.site_written)} runs' if unwritten else ''}"
                      f"; its times are not those of a complete build. The end of its error output:")
                for line in side.stderr_tail.splitlines():
                    print(f"     | {line}")
            if side.warnings or side.errors:
                print(f"  {names[letter]}: its first build printed {side.warnings} warnings and {side.errors} "
                      f"errors, most often:")
                for message, count in side.messages.items():
                    print(f"     {count:>5} × {message}")
        if c.current.html_files and c.against.html_files and c.current.html_files != c.against.html_files:
            print(f"  (the sides wrote different numbers of HTML files: "
                  f"{c.current.html_files:,} and {c.against.html_files:,})")
    print("\nA / B below 1 (a negative change): the work tree builds the same corpus faster than "
          f"{revision}. Wall times grow when other work shares the CPUs; CPU times less so.")


def run_against(args, log) -> int:
    base = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="build-speed-"))
    load_before = os.getloadavg()[0]
    comparisons: list[Comparison] = []
    trash = Trash(base / TRASH)
    try:
        current, against, current_dir, against_dir = prepare_sides(args.against, base, log)
        info = machine()
        for size in sorted(set(args.sizes)):
            folder = base / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            comparisons.append(compare_size(size, args.seed, folder, args.repeat, (current, against),
                                            (current_dir, against_dir), log, trash))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (BuildFailed, ValueError, KeyError, OSError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        trash.empty()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    info["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
    print_against(comparisons, args.against, args.seed, args.repeat, info)
    if args.json:
        payload = {"machine": info, "seed": args.seed, "repeat": args.repeat,
                   "size_means": "news pages in total, half per language",
                   "against": {"revision": args.against, "commit": comparisons[0].against.commit,
                               "ratio_means": "median cold build of the work tree / of the revision"},
                   "comparisons": [asdict(c) for c in comparisons]}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if all(c.comparable for c in comparisons) else 1


class UsageError(Exception):
    pass


# -- output ---------------------------------------------------------------------------

COLUMNS = (
    ("news pages", "{:>10,}", lambda f: f.news_pages),
    ("uz / en", "{:>11}", lambda f: f"{f.per_language:,} / {f.per_language:,}"),
    ("HTML files", "{:>10,}", lambda f: f.html_files),
    ("cold build", "{:>9.2f} s", lambda f: f.cold_s),
    ("cold CPU", "{:>7.2f} s", lambda f: f.cold_cpu_s),
    ("HTML pages/s", "{:>12.0f}", lambda f: f.pages_per_s),
    ("peak RSS", "{:>5.0f} MB", lambda f: f.peak_rss_mb),
    ("tree RSS", "{:>5.0f} MB", lambda f: f.tree_rss_mb),
    ("no-change rebuild", "{:>15.2f} s", lambda f: f.no_change_s),
    ("edit → build", "{:>12.2f} s", lambda f: f.edit_s),
    ("preview: edit → page", "{:>18.3f} s", lambda f: f.preview_edit_s),
    ("→ all pages", "{:>9.2f} s", lambda f: f.preview_complete_s),
    ("→ search index", "{:>12.2f} s", lambda f: f.preview_index_s),
)


def print_table(results: list[Figures]) -> None:
    cells = [[fmt.format(get(f)) for _, fmt, get in COLUMNS] for f in results]
    widths = [max(len(title), *(len(row[i]) for row in cells)) for i, (title, _, _) in enumerate(COLUMNS)]
    print("  ".join(title.rjust(w) for (title, _, _), w in zip(COLUMNS, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(cell.rjust(w) for cell, w in zip(row, widths)))


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(), "code": code_version()}


def code_version() -> str:
    """The commit of the code measured, and whether the working tree differs from it."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "sitegen", "templates",
                                "build.py"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return str(ROOT)
    if not commit:
        return str(ROOT)
    return f"{ROOT} at {commit}" + (" with uncommitted changes to sitegen/ or templates/" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="news pages in total, both languages (N/2 per language); default: 1000 10000")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic corpus (default 1)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate corpora and sites under DIR/<size>/ and keep them (default: a temp dir)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--repeat", type=int, metavar="N",
                        help="median of N runs (default 1, or 3 with --against)")
    parser.add_argument("--stages", action="store_true", help="time each stage of one more build, per size")
    parser.add_argument("--profile", action="store_true", help="cProfile one more build of the largest size")
    parser.add_argument("--against", metavar="REV",
                        help="compare cold builds of the work tree with those of the git revision REV "
                             "(e.g. HEAD~3 or a commit hash) on the same news items")
    args = parser.parse_args(argv)
    if any(size < 4 or size % 2 for size in args.sizes):
        parser.error("--sizes: each size is an even number of at least 4 (half of it per language)")
    if args.repeat is None:
        args.repeat = 3 if args.against else 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.against and (args.stages or args.profile):
        parser.error("--stages and --profile measure the work tree alone; run them without --against")

    def log(message: str) -> None:
        print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    if args.against:
        return run_against(args, log)

    base = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="build-speed-"))
    load_before = os.getloadavg()[0]
    results: list[Figures] = []
    hot: dict = {}
    trash = Trash(base / TRASH)
    try:
        for size in sorted(set(args.sizes)):
            folder = base / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            figures = measure_size(size, args.seed, folder, args.repeat, log, trash)
            if args.stages:
                key = figures.edited_key
                project, out = folder / "corpus", folder / "site"
                figures.stages = {"cold": stage_times(project, out, log, trash, cold=True),
                                  "no_change": stage_times(project, out, log, trash, cold=False),
                                  "edit": stage_times(project, out, log, trash, cold=False, edit=key)}
            results.append(figures)
        if args.profile:
            largest = base / str(max(args.sizes))
            hot = profile(largest / "corpus", largest / "site", log, trash)
            hot["news_pages"] = max(args.sizes)
    except BuildFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        trash.empty()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    info = machine()
    info["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
    print(f"Build speed: synthetic corpus (bench/corpus.py, seed {args.seed}); sizes are news pages in total, "
          f"half in Uzbek, half in English")
    print(f"Code: {info['code']}")
    print(f"Python {info['python']}, {info['cpus']} CPUs, {info['platform']}; every figure from a fresh "
          f"process{f', median of {args.repeat} runs' if args.repeat > 1 else ''}; load average "
          f"{load_before:.2f} before, {info['load_average']['after']:.2f} after (above ~0.5, other work "
          f"shares the CPUs and wall times grow; CPU times less so)\n")
    print_table(results)
    print("\npeak RSS: largest single process (the build or Pagefind, getrusage); tree RSS: sampled peak of "
          "all its processes together")
    for f in results:
        print(f"  {f.news_pages:,}: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in f.peaks_by_process.items()))
    print("edit → build: `build` in a new process after one news item's text changed (cache and previous output\n"
          "kept); preview: the rebuild step of `serve` after the same edit, until the edited item's pages are\n"
          "written (edit → page), until the complete rebuild that follows is written (→ all pages), and until\n"
          "the search index, made in the background, is in too (→ search index)")

    for f in results:
        if f.stages:
            print_stages(f)
    if hot:
        print_profile(hot)

    if args.json:
        payload = {"machine": info, "seed": args.seed, "repeat": args.repeat,
                   "size_means": "news pages in total, half per language",
                   "results": [asdict(f) for f in results], "profile": hot or None}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
