#!/usr/bin/env python3
"""Lighthouse scores for the built site: a benchmark, not a test.

Run it from the repository root:

    .venv/bin/python bench/lighthouse.py                  # build the default site and audit it
    .venv/bin/python bench/lighthouse.py --min 95         # a different pass mark
    .venv/bin/python bench/lighthouse.py --json out.json  # also write the scores as JSON
    .venv/bin/python bench/lighthouse.py --runs 3         # median of 3 runs per page
    .venv/bin/python bench/lighthouse.py --site site --base-url http://127.0.0.1:8000/
                                                          # audit an existing build

Without --site, the default site is built into a temporary folder for a free port on
127.0.0.1. With --site DIR, DIR is served under the path of --base-url (the address the
build was made for); when that address is http://127.0.0.1:PORT/ or
http://localhost:PORT/, the server listens on that port, so absolute links (canonical,
hreflang) point back at it too. Unknown paths get the site's /404.html with status 404.

Lighthouse (node_modules/.bin/lighthouse, from `npm ci`) runs headless Chromium
(CHROME_PATH, default /usr/bin/chromium) with its default mobile profile on the English
and Uzbek home pages, news lists, a news item and a news item with a cover image, one
page at a time. (The search page is left out: it is `noindex` on purpose, which the SEO
category counts against it.) The categories
are performance, accessibility, best practices and SEO. A run takes about 15-25 s per
page. The performance score shifts with machine load (other browsers, test suites): on a
busy machine use --runs 3, which reports each page's run with the median performance.

It prints one aligned row of scores (0-100) per page. Below the table, for every score
under the pass mark, it lists the audits of that category that did not get full marks:
id, title, score and display value, then the elements or URLs Lighthouse names. Audits
that Lighthouse itself could not run (an error in Lighthouse, not a failure of the page)
are listed after that. Progress, Lighthouse's run warnings and the time taken go to stderr.

Exit status: 0 all scores at least --min (default 98); 1 a score below it; 2 the audit
could not run (no Node, Lighthouse or Chromium, a failed build, a missing page, a
Lighthouse error).
"""

from __future__ import annotations

import argparse
import http.server
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
DEFAULT_CHROME = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
                " --disable-background-networking --disable-component-update --disable-sync")
# Documents audited besides the home and news list pages: label -> translation key.
DOCUMENTS = {
    "news item": "news/kaznua-memorandum",  # content/news/kaznua-memorandum.<lang>.md
    "news w/ image": "news/partners-15-institutions",  # has a cover image (<picture>)
}
LANGUAGES = ("en", "uz")
TIMEOUT = 300  # seconds for one Lighthouse run
MAX_ITEMS = 8  # elements or URLs listed per failing audit


class Unavailable(Exception):
    """The audit cannot run; the message is one line for the user."""


# --- the pages ----------------------------------------------------------------------


def pages_to_audit(site_dir: Path, site_model=None) -> list[tuple[str, str]]:
    """(label, site path) for each audited page; every one must exist in the build."""
    def document(key: str, lang: str) -> str:
        page = site_model.page(key, lang) if site_model is not None else None
        return page.path if page is not None else f"/{lang}/{key}/"

    pages = ([(f"{lang} home", f"/{lang}/") for lang in LANGUAGES]
             + [(f"{lang} news", f"/{lang}/news/") for lang in LANGUAGES]
             + [(f"{lang} {label}", document(key, lang)) for label, key in DOCUMENTS.items() for lang in LANGUAGES])
    for label, path in pages:
        if not (site_dir / path.lstrip("/") / "index.html").is_file():
            raise Unavailable(f"the build has no {label} page ({path}index.html missing in {site_dir})")
    return pages


def build_default_site(out: Path, base_url: str):
    from sitegen.pipeline import run

    result = run(ROOT, out=out, base_url=base_url)
    if not result.written:
        problems = "; ".join(d.format() for d in result.diagnostics.errors[:3]) or "nothing written"
        raise Unavailable(f"the site did not build: {problems}")
    return result.site


# --- the server ---------------------------------------------------------------------


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder under `base_path`; anything else is the site's 404 page."""

    site_dir = ""
    base_path = "/"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=self.site_dir, **kwargs)

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.base_path):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        return super().translate_path("/" + url_path[len(self.base_path):])

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def start_server(site_dir: Path | None, base_path: str, port: int) -> http.server.ThreadingHTTPServer:
    """A threaded server on 127.0.0.1:`port` (0: a free one), running in the background.

    `site_dir` may be set later (server.RequestHandlerClass.site_dir), once the site
    is built for the port the server got."""
    handler = type("Handler", (SiteHandler,), {"base_path": base_path, "site_dir": str(site_dir or "")})
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise Unavailable(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- Lighthouse ---------------------------------------------------------------------


def check_tools(chrome: str) -> None:
    if shutil.which("node") is None:
        raise Unavailable("Node.js is not installed (node not on PATH); Lighthouse needs it")
    if not LIGHTHOUSE.exists():
        raise Unavailable(f"Lighthouse is not installed ({LIGHTHOUSE.relative_to(ROOT)} missing); run npm ci")
    if not (os.path.isfile(chrome) and os.access(chrome, os.X_OK)):
        raise Unavailable(f"Chromium not found at {chrome}; install it (apt-get install chromium) "
                          "or set CHROME_PATH or --chrome")


def run_lighthouse(url: str, chrome: str, workdir: Path) -> dict:
    """The Lighthouse result (LHR) for one URL."""
    report = workdir / "report.json"
    report.unlink(missing_ok=True)
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    env = dict(os.environ, CHROME_PATH=chrome, TMPDIR=str(workdir))  # browser profiles go with workdir
    try:
        done = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True,
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Unavailable(f"Lighthouse took more than {TIMEOUT} s on {url}") from None
    except OSError as exc:
        raise Unavailable(f"cannot run Lighthouse: {exc.strerror or exc}") from None
    if not report.is_file():
        lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise Unavailable(f"Lighthouse failed on {url}: {reason}")
    lhr = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise Unavailable(f"Lighthouse could not audit {url}: {lhr['runtimeError'].get('message')}")
    return lhr


def scores(lhr: dict) -> dict[str, int | None]:
    out = {}
    for category in CATEGORIES:
        score = lhr["categories"].get(category, {}).get("score")
        out[category] = None if score is None else math.floor(score * 100 + 0.5)  # as the report rounds
    return out


def failing_audits(lhr: dict, category: str) -> list[dict]:
    """The scored audits of `category` without full marks, heaviest first."""
    found = []
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings") \
                and audit.get("score") is not None and audit["score"] < 1:
            found.append({"id": audit["id"], "title": audit["title"], "score": audit["score"],
                          "displayValue": audit.get("displayValue", ""),
                          "weight": ref.get("weight", 0), "items": audit_items(audit)})
    found.sort(key=lambda a: (-a["weight"], a["score"], a["id"]))
    return found


def errored_audits(lhr: dict) -> dict[str, str]:
    """Audits of the audited categories that Lighthouse could not run: id -> error."""
    ids = {ref["id"] for category in CATEGORIES for ref in lhr["categories"][category]["auditRefs"]}
    return {i: (lhr["audits"][i].get("errorMessage") or "error").splitlines()[0]
            for i in sorted(ids) if lhr["audits"][i].get("scoreDisplayMode") == "error"}


def audit_items(audit: dict) -> list[str]:
    """One line per element or resource the audit names."""
    details = audit.get("details") or {}
    rows = details.get("items") or []
    if details.get("type") == "list":  # e.g. a table of tables
        rows = [row for sub in rows for row in (sub.get("items") or [])]
    lines = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        line = describe(row)
        for sub in (row.get("subItems") or {}).get("items", [])[:3]:
            more = describe(sub)
            if more:
                line += f"  [{more}]"
        if line:
            lines.append(line)
    return lines


def describe(row: dict) -> str:
    parts = []
    for value in row.values():
        if isinstance(value, dict) and value.get("type") == "node":
            parts.append(" ".join(filter(None, (value.get("selector"), value.get("snippet")))))
            if value.get("explanation"):
                parts.append(" ".join(value["explanation"].split()))
        elif isinstance(value, dict) and value.get("type") == "source-location":
            parts.append(f"{value.get('url')}:{value.get('line', 0) + 1}")
    for key in ("url", "source", "groupLabel", "description", "label", "text", "reason", "issue",
                "duration", "wastedBytes", "wastedMs", "totalBytes", "score"):
        value = row.get(key)
        if isinstance(value, float):
            value = round(value)
        if isinstance(value, (str, int)) and value != "":
            parts.append(f"{key}={value}" if isinstance(value, int) else value)
    return " | ".join(dict.fromkeys(str(p) for p in parts if p))


# --- the report ---------------------------------------------------------------------


def format_table(results: list[dict]) -> str:
    headers = ("page", "path") + CATEGORIES
    rows = [(r["page"], r["path"]) + tuple("-" if r["scores"][c] is None else str(r["scores"][c])
                                           for c in CATEGORIES) for r in results]
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

    def line(cells):
        return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                         for i, (cell, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(headers), line("-" * w for w in widths), *map(line, rows)])


def format_errors(results: list[dict]) -> str:
    """Audits that errored, grouped by error message (usually the same on every page)."""
    by_message: dict[str, tuple[set, set]] = {}
    for r in results:
        for audit_id, message in r["errors"].items():
            ids, pages = by_message.setdefault(message, (set(), set()))
            ids.add(audit_id)
            pages.add(r["page"])
    out = []
    for message, (ids, pages) in sorted(by_message.items()):
        where = "every page" if len(pages) == len(results) else ", ".join(sorted(pages))
        out.append(f"  {', '.join(sorted(ids))} ({where}): {message}")
    return "\n".join(["\nAudits Lighthouse could not run (neither passed nor failed):", *out]) if out else ""


def format_failures(results: list[dict], minimum: int) -> str:
    out = []
    for r in results:
        for category in CATEGORIES:
            score = r["scores"][category]
            if score is not None and score >= minimum:
                continue
            out.append(f"\n{r['page']} ({r['path']}) {category}: {'-' if score is None else score}")
            audits = r["failing"][category]
            if not audits:
                out.append("  (no single audit below full marks)")
            for a in audits:
                value = f" - {a['displayValue']}" if a["displayValue"] else ""
                out.append(f"  {a['id']}  score {a['score']:.2f}  weight {a['weight']}: {a['title']}{value}")
                out += [f"      {item}" for item in a["items"][:MAX_ITEMS]]
                if len(a["items"]) > MAX_ITEMS:
                    out.append(f"      ... and {len(a['items']) - MAX_ITEMS} more")
    return "\n".join(out)


# --- main ---------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--site", type=Path, metavar="DIR", help="audit this existing build instead of building one")
    parser.add_argument("--base-url", metavar="URL",
                        help="the base URL the --site build was made for (default http://127.0.0.1:<free port>/)")
    parser.add_argument("--min", type=int, default=98, metavar="SCORE", help="pass mark for every score (default 98)")
    parser.add_argument("--runs", type=int, default=1, metavar="N",
                        help="Lighthouse runs per page; the run with the median performance counts (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the scores (and failing audits) to FILE")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", DEFAULT_CHROME), metavar="PATH",
                        help=f"the Chromium binary (default $CHROME_PATH or {DEFAULT_CHROME})")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.base_url and not args.site:
        parser.error("--base-url only goes with --site (the default build uses a free local port)")
    if args.base_url:
        try:
            base = urlsplit(args.base_url)
            base.port  # noqa: B018 -- raises ValueError for a bad port
        except ValueError:
            base = None
        if base is None or base.scheme not in ("http", "https") or not base.hostname:
            parser.error(f"--base-url must be an http(s) address, not {args.base_url!r}")
    if args.site and not args.site.is_dir():
        parser.error(f"--site {args.site}: not a folder")
    return args


def audit(args, workdir: Path) -> list[dict]:
    if args.site:
        base = urlsplit(args.base_url or "http://127.0.0.1/")
        base_path = (base.path or "/").rstrip("/") + "/"
        local = base.scheme == "http" and base.hostname in ("127.0.0.1", "localhost")
        server = start_server(args.site.resolve(), base_path, base.port if local and base.port else 0)
        site_dir, site_model = args.site.resolve(), None
    else:
        base_path = "/"
        server = start_server(None, base_path, 0)
        site_dir = workdir / "site"
        site_model = build_default_site(site_dir, f"http://127.0.0.1:{server.server_port}/")
        server.RequestHandlerClass.site_dir = str(site_dir)
    root_url = f"http://127.0.0.1:{server.server_port}{base_path}"
    try:
        pages = pages_to_audit(site_dir, site_model)
        results = []
        for label, path in pages:
            url = urljoin(root_url, path.lstrip("/"))
            print(f"auditing {url} ...", file=sys.stderr, flush=True)
            runs = sorted((run_lighthouse(url, args.chrome, workdir) for _ in range(args.runs)),
                          key=lambda lhr: lhr["categories"]["performance"]["score"] or 0)
            lhr = runs[len(runs) // 2]
            results.append({"page": label, "path": path, "url": url, "scores": scores(lhr),
                            "failing": {c: failing_audits(lhr, c) for c in CATEGORIES},
                            "errors": errored_audits(lhr),
                            "lighthouse": lhr.get("lighthouseVersion"),
                            "benchmarkIndex": lhr.get("environment", {}).get("benchmarkIndex"),
                            "warnings": lhr.get("runWarnings", [])})
        return results
    finally:
        server.shutdown()
        server.server_close()


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")  # snippets may hold any character
    started = time.monotonic()
    try:
        check_tools(args.chrome)
        with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
            results = audit(args, Path(tmp))
    except Unavailable as exc:
        print(f"lighthouse benchmark: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lighthouse benchmark: interrupted", file=sys.stderr)
        return 2

    below = [(r["page"], c) for r in results for c in CATEGORIES
             if r["scores"][c] is None or r["scores"][c] < args.min]
    print(format_table(results))
    if below:
        print(format_failures(results, args.min))
    if any(r["errors"] for r in results):
        print(format_errors(results))
    print(f"\n{len(below)} score(s) below {args.min} (Lighthouse {results[0]['lighthouse']}, mobile)")
    warnings = dict.fromkeys(" ".join(w.split()) for r in results for w in r["warnings"])
    for warning in warnings:
        print(f"Lighthouse warning: {warning}", file=sys.stderr)
    cpu = sorted(round(r["benchmarkIndex"]) for r in results if r["benchmarkIndex"])
    if warnings and cpu:
        hint = "; try --runs 3" if args.runs == 1 else ""
        print(f"CPU benchmark index {cpu[0]}-{cpu[-1]}: a low or spread-out index (a busy machine) "
              f"makes performance scores noisy{hint}", file=sys.stderr)
    print(f"{len(results)} pages audited in {time.monotonic() - started:.0f} s", file=sys.stderr)

    if args.json:
        summary = {"min": args.min, "lighthouse": results[0]["lighthouse"],
                   "pages": [{k: r[k] for k in ("page", "path", "url", "scores", "benchmarkIndex", "errors")}
                             | {"failing": {c: r["failing"][c] for c in CATEGORIES
                                            if r["scores"][c] is None or r["scores"][c] < args.min}}
                             for r in results]}
        try:
            args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"lighthouse benchmark: cannot write {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
