"""The command line: `build` (the default), `check`, `new`, `schema` and `serve`.

Exit status: 0 success, 1 content or data errors (or warnings with --strict),
2 bad command-line usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from pathlib import Path

from . import __version__
from .lib.clock import parse_moment
from .config import load_config
from .lib.diagnostics import Diagnostics
from .fixes import write_uzbek_corrections
from .pipeline import run
from .report import default_path, make_report, moment_source, summary, write_report
from .scaffold import scaffold
from .schema import guide_markdown, load_schema
from .translations import Status, fix_translations, translation_status

COMMANDS = ("build", "check", "new", "schema", "serve")
FIELDS_HEAD = """# Fields

<!-- generated from data/schema.yaml by: python build.py schema --docs -->

Every field an editor may write, for every kind of content and every data file. The
schema is the one place where fields are declared; a test keeps this file and the schema
in step. A field the schema does not know is an error with a suggestion, so a misspelt
field never goes unnoticed. How to write each kind of content: [the editors' guide](editors.md).
Text per language may also be one text for every language, for a name that is the same in
all of them (`name: "GITIS"`): every language shows it as written, and it is not counted
as a missing translation.

"""

# A build makes many long-lived objects and few cycles: it collects cyclic garbage less
# often than Python's default (700, 10, 10).
BUILD_GC_THRESHOLDS = (50_000, 20, 20)


def _parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the bilingual static site from content/, data/, templates/ and static/.",
        epilog="Run 'build.py COMMAND --help' for a command's options. Without a command, 'build' runs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--root", type=Path, default=root, metavar="DIR",
                         help="the project folder (default: the folder of build.py)")
    common = argparse.ArgumentParser(add_help=False, parents=[project])
    common.add_argument("--base-url", metavar="URL",
                        help="public address of the site, also a sub-path such as https://example.org/ir/ "
                             "(default: base_url in data/site.yaml)")
    common.add_argument("--drafts", action="store_true", help="include documents marked 'draft: true'")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    common.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    common.add_argument("--now", type=_moment, metavar="WHEN",
                        help="build as if it were WHEN (YYYY-MM-DD or 'YYYY-MM-DD HH:MM', in the site's time "
                             "zone): what is upcoming, open or past. Default: SOURCE_DATE_EPOCH if set, "
                             "else the clock")
    common.add_argument("--report", type=Path, metavar="FILE",
                        help="write the build report (JSON) to FILE (build: default build-report.json beside "
                             "the output folder; check: none unless given)")

    build = commands.add_parser("build", parents=[common], help="write the site (the default)",
                                description="Build the site into the output folder, atomically.")
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: site/ in the project)")
    check = commands.add_parser("check", parents=[common], help="validate content and data without writing",
                                description="Validate all content, data and templates, write nothing, and "
                                            "report the translation status.")
    check.add_argument("--fix-translations", nargs="*", type=Path, metavar="FILE",
                       help="record in FILE (a translation you brought in line with its original) which "
                            "version of the original it matches; without FILE, start tracking every "
                            "translation that is not tracked yet")
    check.add_argument("--fix", action="store_true",
                       help="write into the files what the build corrects on the fly: Uzbek oʻ, gʻ and ʼ "
                            "typed with look-alikes (o'quv, g`oya, san'at)")
    new = commands.add_parser("new", parents=[project], help="write a stub for a new document in every language",
                              description="Write a stub in every configured language, with TODO placeholders "
                                          "that 'check' reports until they are filled in.")
    new.add_argument("kind", metavar="TYPE", help="what to make: news, page, project, partner ...")
    new.add_argument("title", metavar="TITLE", help="the title, in the language given by --lang")
    new.add_argument("--lang", metavar="CODE", help="the language of TITLE (default: the site's default)")
    new.add_argument("--date", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                     help="the date to write (default: today)")
    schema = commands.add_parser("schema", parents=[project], help="print the fields editors may write",
                                 description="Print the field tables of the editor's guide, from data/schema.yaml.")
    schema.add_argument("--docs", action="store_true", help="write them to docs/fields.md")
    preview = commands.add_parser("serve", parents=[project], help="preview the site locally while you edit",
                                  description="Build the site into a preview folder, serve it at http://HOST:PORT/ "
                                              "and rebuild it and reload the browser whenever a file in content/, "
                                              "data/, templates/ or static/ changes. Ctrl-C stops it.")
    preview.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    preview.add_argument("--port", type=_port, default=8000, help="the port (default: 8000; 0 picks a free one)")
    preview.add_argument("--drafts", action="store_true", help="include documents marked 'draft: true'")
    preview.add_argument("--now", type=_moment, metavar="WHEN",
                         help="preview as if it were WHEN (YYYY-MM-DD or 'YYYY-MM-DD HH:MM')")
    preview.add_argument("--out", type=Path, metavar="DIR",
                         help="the preview folder (default: .cache/preview/ in the project; never site/)")
    return parser


def _moment(text: str) -> str:
    try:
        parse_moment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535; 0 picks a free one)")
    return port


def _print_diagnostics(diags: Diagnostics) -> None:
    for diagnostic in diags.sorted():
        print(diagnostic.format(), file=sys.stderr)
    sys.stderr.flush()


def _status_lines(status: Status, diags: Diagnostics, root_option: str = "") -> list[str]:
    lines = []
    if status.missing:
        lines.append(f"Missing translations ({len(status.missing)}):")
        for item in status.missing:
            lines.append(f"  {diags.relative(item.present[0].source.path)}: no {', '.join(item.missing)} version")
    if status.texts:
        lines.append(f"Data texts missing a language ({len(status.texts)}): the other language's text is shown")
        for item in status.texts:
            lines.append(f"  {diags.relative(item.path)}:{item.line}: no {', '.join(item.missing)} text")
    if status.stale:
        lines.append(f"Stale translations ({len(status.stale)}): the original changed after they were updated")
        for item in status.stale:
            lines.append(f"  {diags.relative(item.translation.source.path)}: "
                         f"{diags.relative(item.original.source.path)} has changed since; update the text, then run "
                         f"python build.py check{root_option} --fix-translations "
                         f"{diags.relative(item.translation.source.path)}")
    if status.untracked:
        lines.append(f"Translations not tracked yet ({len(status.untracked)}): run "
                     f"python build.py check{root_option} --fix-translations to start tracking them")
    return lines


def _report_path(args, out: Path | None) -> tuple[Path | None, str | None]:
    """Where the report goes, or a usage problem: never inside the output folder
    (nor, for check, inside site/), so the published site holds no report."""
    target = (out or args.root / "site").resolve()
    if args.report is not None:
        path = (args.report if args.report.is_absolute() else Path.cwd() / args.report).resolve()
        if path == target or target in path.parents:
            return None, f"--report {args.report} is inside the output folder {target}; write it elsewhere"
        return path, None
    if args.command == "build":
        return default_path(target, args.root), None
    return None, None


def _build_or_check(args) -> int:
    out = getattr(args, "out", None)
    if out is not None and not out.is_absolute():
        out = Path.cwd() / out
    report_path, problem = _report_path(args, out)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    corrected: list[Path] = []
    if getattr(args, "fix", False):
        config = load_config(args.root.resolve(), Diagnostics(args.root.resolve()))
        corrected = write_uzbek_corrections(config) if config is not None else []
    result = run(args.root, out=out, base_url=args.base_url, drafts=args.drafts,
                 strict=args.strict, write=args.command == "build", now=args.now)
    status = translation_status(result.site, result.diagnostics) if result.site is not None else None
    fixed: list[str] = []
    fixes = getattr(args, "fix_translations", None)
    if fixes is not None and result.site is not None:
        fixed = fix_translations(result.site, result.diagnostics,
                                 [f if f.is_absolute() else Path.cwd() / f for f in fixes])
        if fixed and not result.diagnostics.errors:  # report the status as it now is
            result = run(args.root, base_url=args.base_url, drafts=args.drafts, strict=args.strict, write=False,
                         now=args.now)
            status = translation_status(result.site, result.diagnostics) if result.site is not None else None
    _print_diagnostics(result.diagnostics)
    failed = result.diagnostics.failed(args.strict)
    if fixed:
        print("Recorded the version of the original in:\n  " + "\n  ".join(fixed))
    if corrected:
        print("Wrote oʻ, gʻ and ʼ into:\n  " + "\n  ".join(result.diagnostics.relative(p) for p in corrected))
    elif getattr(args, "fix", False):
        print("Nothing to correct.")
    written_to = (out or args.root / "site") if args.command == "build" else None
    report = make_report(result, status, args.command, written_to, strict=args.strict,
                         moment_from=moment_source(args.now), base_url=args.base_url)
    shown = None
    if report_path is not None:
        try:
            write_report(report, report_path)
            shown = result.diagnostics.relative(report_path)
        except OSError as exc:
            print(f"warning: cannot write the build report {report_path}: {exc.strerror or exc}", file=sys.stderr)
    if not args.quiet or failed:
        if args.command == "check" and status is not None:
            for line in _status_lines(status, result.diagnostics, args.root_option):
                print(line)
        print(summary(report, shown))
    if failed:
        if args.command == "build":
            print("The site was not written; the previous output is unchanged.", file=sys.stderr)
        return 1
    return 0


def _new(args) -> int:
    diags = Diagnostics(args.root.resolve())
    config = load_config(args.root.resolve(), diags)
    schema = load_schema(args.root.resolve(), diags, config.taxonomy_names) if config else None
    if config is None or diags.errors:
        _print_diagnostics(diags)
        return 1
    lang = args.lang or config.default_language
    if lang not in config.codes:
        print(f"error: --lang {lang} is not a language of this site ({', '.join(config.codes)})", file=sys.stderr)
        return 2
    paths, problem = scaffold(config, schema, args.kind, args.title, lang, args.date or dt.date.today())
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print("Wrote:")
    for path in paths:
        print(f"  {diags.relative(path)}")
    print(f"Replace every TODO, then run: python build.py check{args.root_option}")
    return 0


def _schema(args) -> int:
    diags = Diagnostics(args.root.resolve())
    config = load_config(args.root.resolve(), Diagnostics(args.root.resolve()))
    schema = load_schema(args.root.resolve(), diags, config.taxonomy_names if config else ("tags",))
    if schema is None or diags.errors:
        _print_diagnostics(diags)
        if schema is None and not diags.errors:
            print("error: this site has no data/schema.yaml", file=sys.stderr)
        return 1
    guide = guide_markdown(schema, config.codes if config else ())
    if not args.docs:
        print(guide, end="")
        return 0
    target = args.root / "docs" / "fields.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(FIELDS_HEAD + guide, encoding="utf-8")
    print(f"Wrote {diags.relative(target)}")
    return 0


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser(root or Path.cwd()).parse_args(argv)
    # what the printed commands add so that they work as they are copied: --root, for another site
    args.root_option = "" if args.root.resolve() == (root or Path.cwd()).resolve() else f" --root {args.root}"
    try:
        if args.command == "new":
            return _new(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "serve":
            from .serve import serve  # livereload and tornado load only for the preview

            out = args.out if args.out is None or args.out.is_absolute() else Path.cwd() / args.out
            return serve(args.root, out=out, host=args.host, port=args.port, drafts=args.drafts, now=args.now)
        gc.set_threshold(*BUILD_GC_THRESHOLDS)  # the preview keeps the default, as it runs for hours
        return _build_or_check(args)
    except KeyboardInterrupt:  # Ctrl-C: the output is swapped in only by a complete build
        print("\ninterrupted: the site folder stays as the last complete build left it", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in the engine: still no traceback for an editor
        if os.environ.get("SITEGEN_DEBUG"):
            raise
        print(f"error: the build stopped on an internal problem ({type(exc).__name__}: {exc}). "
              "Nothing was written. Please report it with the last file you changed; "
              "set SITEGEN_DEBUG=1 to see the details.", file=sys.stderr)
        return 1
