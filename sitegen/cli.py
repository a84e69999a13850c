"""The command line: `build` (the default) and `check`.

Exit status: 0 success, 1 content or data errors (or warnings with --strict),
2 bad command-line usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .pipeline import Result, run

COMMANDS = ("build", "check")


def _parser(root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the bilingual static site from content/, data/, templates/ and static/.",
        epilog="Run 'build.py COMMAND --help' for a command's options. Without a command, 'build' runs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=root, metavar="DIR",
                        help="the project folder (default: the folder of build.py)")
    common.add_argument("--base-url", metavar="URL",
                        help="public address of the site, also a sub-path such as https://example.org/ir/ "
                             "(default: base_url in data/site.yaml)")
    common.add_argument("--drafts", action="store_true", help="include documents marked 'draft: true'")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    common.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")

    build = commands.add_parser("build", parents=[common], help="write the site (the default)",
                                description="Build the site into the output folder, atomically.")
    build.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: site/ in the project)")
    commands.add_parser("check", parents=[common], help="validate content and data without writing",
                        description="Validate all content, data and templates; write nothing.")
    return parser


def _print_diagnostics(result: Result) -> None:
    for diagnostic in result.diagnostics.sorted():
        print(diagnostic.format(), file=sys.stderr)
    sys.stderr.flush()


def _missing_translations(result: Result) -> list[str]:
    site = result.site
    if site is None:
        return []
    codes = site.config.codes
    by_key: dict[str, dict[str, object]] = {}
    for (key, lang), doc in site.documents.items():
        by_key.setdefault(key, {})[lang] = doc
    lines = []
    for key, group in sorted(by_key.items()):
        missing = [c for c in codes if c not in group]
        if missing:
            have = next(iter(group.values()))
            lines.append(f"  {result.diagnostics.relative(have.source.path)}: no {', '.join(missing)} translation")
    return lines


def _summary(result: Result, command: str, out: Path | None) -> str:
    site = result.site
    diags = result.diagnostics
    counts = ""
    if site is not None:
        per_lang = {c: sum(1 for (_, lang) in site.documents if lang == c) for c in site.config.codes}
        counts = ", ".join(f"{lang} {n}" for lang, n in per_lang.items())
    head = f"{len(diags.errors)} error(s), {len(diags.warnings)} warning(s)"
    if command == "check" or not result.written:
        return f"Checked documents ({counts}): {head}."
    pages = sum(1 for name in result.files if name.endswith(".html"))
    where = diags.relative(out) if out else "site"
    return f"Built {pages} HTML pages from documents ({counts}) into {where}/ in {result.seconds:.2f} s: {head}."


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")
    args = _parser(root or Path.cwd()).parse_args(argv)
    out = getattr(args, "out", None)
    if out is not None and not out.is_absolute():
        out = Path.cwd() / out
    try:
        result = run(args.root, out=out, base_url=args.base_url, drafts=args.drafts,
                     strict=args.strict, write=args.command == "build")
    except Exception as exc:  # a bug in the engine: still no traceback for an editor
        if os.environ.get("SITEGEN_DEBUG"):
            raise
        print(f"error: the build stopped on an internal problem ({type(exc).__name__}: {exc}). "
              "Nothing was written. Please report it with the last file you changed; "
              "set SITEGEN_DEBUG=1 to see the details.", file=sys.stderr)
        return 1
    _print_diagnostics(result)
    failed = result.diagnostics.failed(args.strict)
    if not args.quiet or failed:
        if args.command == "check":
            missing = _missing_translations(result)
            if missing:
                print("Missing translations:\n" + "\n".join(missing))
        print(_summary(result, args.command, out or args.root / "site"))
    if failed:
        if args.command == "build":
            print("The site was not written; the previous output is unchanged.", file=sys.stderr)
        return 1
    return 0
