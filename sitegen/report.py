"""The build report: what a finished `build` or `check` did, for people and for CI.

From one run (the pipeline's Result, the translation Status, the command and the
output folder) this module makes

- `make_report`: a dict with a fixed key order, written as JSON by `write_report`
  (`build-report.json`: UTF-8, indented, one trailing newline, replaced atomically);
- `summary`: the few lines printed at the end of a run, made from that same dict,
  so the terminal and the file never disagree.

Counts describe the output the run produced: `pages` are the HTML pages under
/<lang>/, `files` and `bytes` everything in the output folder. With `written`
false (a failed build, or `check`) nothing reached the output folder, and the
previous one is as it was. Paths are relative to the project when inside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from . import __version__
from .lib.diagnostics import Diagnostic, Diagnostics
from .pipeline import Result
from .translations import Status
from .lib.urls import Urls
from .lib.writer import unsafe_output

FORMAT = 1  # raised when a key changes meaning or disappears; new keys keep it
FILENAME = "build-report.json"


def moment_source(now: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """Where the build's moment came from, in the order clock.build_moment takes them."""
    if now is not None:
        return "--now"
    if environ.get("SOURCE_DATE_EPOCH", "").strip():
        return "SOURCE_DATE_EPOCH"
    return "clock"


def default_path(out: Path, root: Path) -> Path | None:
    """Where `build` writes the report without --report: beside the output folder
    (`<project>/build-report.json` for the default site/). None when the output
    folder itself is refused (it would hold the project), so a refused build never
    writes beside the project."""
    if unsafe_output(out, root):
        return None
    return out.resolve().parent / FILENAME


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _problem(d: Diagnostic) -> dict:
    return {"path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
            "message": d.message, "hint": d.hint}


def make_report(result: Result, status: Status | None, command: str, out: Path | None, *,
                strict: bool = False, moment_from: str | None = None, base_url: str | None = None) -> dict:
    """The report of one run as a JSON-ready dict. `out` is the output folder
    (None for `check`); `base_url` is used only when the configuration could not
    be read (then the site's own address is unknown)."""
    diags: Diagnostics = result.diagnostics
    site = result.site
    codes = site.config.codes if site is not None else ()
    problems = diags.sorted()
    redirects = {Urls.output_file(alias.path) for alias in site.aliases} if site is not None else set()
    report: dict = {
        "format": FORMAT,
        "generator": {"name": "sitegen", "version": __version__},
        "command": command,
        "ok": not diags.failed(strict),
        "written": bool(result.written),
        "strict": strict,
        "now": _iso(site.now) if site is not None else None,
        "now_from": moment_from if site is not None else None,
        "base_url": site.config.base_url if site is not None else base_url,
        "output": diags.relative(out) if out is not None else None,
        "seconds": round(result.seconds, 2),
        "pages": {code: sum(1 for name in result.files if name.startswith(f"{code}/") and name.endswith(".html")
                            and name not in redirects)  # an earlier address leading to a page is no page
                  for code in codes},
        "documents": {code: sum(1 for (_, lang) in site.documents if lang == code) for code in codes}
        if site is not None else {},
        "files": len(result.files),
        "bytes": sum(map(result.files.size, result.files)),
        "errors": [_problem(d) for d in problems if d.severity == "error"],
        "warnings": [_problem(d) for d in problems if d.severity == "warning"],
        "notices": [_problem(d) for d in problems if d.severity == "notice"],
        "translations": None,
    }
    if status is not None:
        report["translations"] = {
            "missing": [{"path": diags.relative(item.present[0].source.path), "languages": list(item.missing)}
                        for item in status.missing],
            "missing_texts": [{"path": diags.relative(item.path), "line": item.line, "languages": list(item.missing)}
                              for item in status.texts],
            "stale": [{"path": diags.relative(item.translation.source.path),
                       "original": diags.relative(item.original.source.path)} for item in status.stale],
            "untracked": len(status.untracked),
        }
    return report


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def write_report(report: dict, path: Path) -> None:
    """Write the report as `path` atomically: a temporary file beside it, then a
    rename, so a reader (or CI's archiver) sees the old report or the new one,
    never half of one. OSError when the folder cannot be written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(to_json(report))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _per_language(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{lang} {n}" for lang, n in counts.items())


def summary(report: dict, report_shown: str | None = None) -> str:
    """The lines printed at the end of a run, e.g.

        Built 154 pages into site/ in 1.8 s (uz 77, en 77)
          warnings 0 · errors 0
          translations: 0 missing, 0 stale, 0 not tracked
          report: build-report.json
    """
    seconds = f"{report['seconds']:.1f} s"
    documents = report["documents"]
    if report["command"] == "build" and report["written"]:
        pages = report["pages"]
        head = f"Built {sum(pages.values())} pages into {report['output']}/ in {seconds} ({_per_language(pages)})"
    elif report["command"] == "build":
        head = f"Build failed in {seconds}"
        if documents:
            head += f" (documents: {_per_language(documents)})"
    else:
        head = f"Checked {sum(documents.values())} documents in {seconds}"
        if documents:
            head += f" ({_per_language(documents)})"
    counts = f"  warnings {len(report['warnings'])} · errors {len(report['errors'])}"
    if report["notices"]:
        counts += f" · notices {len(report['notices'])}"
    if report["strict"] and report["warnings"]:
        counts += " (--strict: warnings count as errors)"
    lines = [head, counts]
    status = report["translations"]
    if status is not None:
        lines.append(f"  translations: {len(status['missing']) + len(status['missing_texts'])} missing, "
                     f"{len(status['stale'])} stale, {status['untracked']} not tracked")
    if report_shown:
        lines.append(f"  report: {report_shown}")
    return "\n".join(lines)
