"""Files that static hosts read next to the site: `.nojekyll` and `_headers`.

The site is a plain folder that any host can serve. Two small files make the
common hosts serve it well; hosts that do not know a file serve it as an
ordinary (harmless) file or ignore it.

`.nojekyll` (empty)
    GitHub Pages, when it publishes from a branch, first runs Jekyll, which
    leaves out every file and folder whose name starts with `_` or `.`. The file
    turns Jekyll off, so the folder is published exactly as built. (Publishing
    with a GitHub Actions artifact runs no Jekyll; the file does no harm there.)

`_headers`
    Netlify and Cloudflare Pages read response headers from this file, in the
    same syntax: a path pattern on a line of its own (`*` matches any
    characters), then indented `Name: value` lines. The paths include the base
    URL's path, since that is where the site is served: a site built for
    https://example.org/ir/ has rules for `/ir/*`. Such a site is published as
    the folder `ir/` of what the host serves, and `_headers` then belongs at the
    top of that, not inside `ir/`: move it there when publishing under a
    sub-path. The file holds:

    - Security headers on every response (`/*`), see `security_headers()`: a
      Content-Security-Policy that allows only the site's own scripts, styles,
      images (and `data:` images), fonts and requests, with no 'unsafe-inline'
      or 'unsafe-eval': the templates have no inline scripts, styles or event
      handlers (JSON-LD is data, not a script, and the policy does not apply to
      it). 'wasm-unsafe-eval' lets the search page's Pagefind compile its
      WebAssembly and allows nothing else. Iframes may come only from the
      configuration's `embed_hosts`, over https (none when the list is empty);
      nothing may frame the site (`frame-ancestors 'none'`, and X-Frame-Options
      for older browsers). Permissions-Policy turns off what the site never uses
      (camera, microphone, location, payment, USB, screen capture); only features
      that browsers still know are named, since Chromium reports each unknown
      one (`interest-cohort`, the former FLoC opt-out, is one now) as an error
      in the console of every page. Strict-Transport-Security (one year, this
      host only: `includeSubDomains` would bind every other site of the
      institute's domain) because both hosts serve HTTPS only.
    - Caching. A content-hashed file never changes under its name (a change
      gives a new name), so browsers may keep it for a year without asking
      again (`immutable`): every asset under `/assets/`, and of the Pagefind
      bundle the fragments, index and filter chunks and the `.pf_meta` files,
      which Pagefind names by their content. Everything else keeps its name
      when it changes: pages, feeds, calendars, the sitemap, and Pagefind's
      `pagefind.js`, `pagefind-worker.js`, `pagefind-entry.json` and
      `wasm.*.pagefind`. These may be reused for five minutes and must then be
      checked again (`must-revalidate`; a 304 answer costs no download). Five
      minutes spare a reader who moves back and forth between pages a request
      per page, and keep a published correction at most five minutes away from
      any reader; both hosts empty their own caches on every deploy.
    - No two rules that match one path set the same header. Cloudflare Pages
      joins the values of a header from two matching rules with a comma (a
      `/*` rule's short Cache-Control and an `/assets/*` rule's long one would
      make a single contradictory header), and its `! Name` line that removes
      an inherited header is rejected by Netlify. So the security headers are
      on `/*` alone, and the Cache-Control rules name disjoint paths; a path
      that no rule names (only a missing one, for the site as built) keeps the
      host's default, which is to check again every time.

`host_files()` gives both files; the values are module-level data, shared with
`deploy/nginx.conf` (whose test compares them) and the tests.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from .assets import PREFIX as ASSETS
from .config import Config
from .search import BUNDLE

IMMUTABLE = "public, max-age=31536000, immutable"  # content-hashed files: a year, never checked again
SHORT = "public, max-age=300, must-revalidate"  # everything else: five minutes, then checked again
HSTS = "max-age=31536000"
PERMISSIONS_POLICY = "camera=(), display-capture=(), geolocation=(), microphone=(), payment=(), usb=()"
# The Pagefind files named by their content: (pattern in the bundle folder, what it is)
PAGEFIND_HASHED = ("fragment/*", "index/*", "filter/*", "*.pf_meta")
# The rest of the bundle, by file type: pagefind.js and its worker, pagefind-entry.json, wasm.*.pagefind
PAGEFIND_UNHASHED = ("*.js", "*.json", "*.pagefind")
# Outputs at the top of the site besides the language folders (the landing page is also "")
TOP_FILES = ("", "index.html", "404.html", "sitemap.xml", "robots.txt")


def content_security_policy(embed_hosts: Iterable[str] = ()) -> str:
    """The Content-Security-Policy value; iframes only from `embed_hosts`, over https."""
    frames = " ".join(f"https://{host}" for host in embed_hosts) or "'none'"
    return "; ".join((
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        f"frame-src {frames}",
        "upgrade-insecure-requests",
    ))


def security_headers(embed_hosts: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(name, value) of the headers every response carries, in a fixed order."""
    return [
        ("Content-Security-Policy", content_security_policy(embed_hosts)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Frame-Options", "DENY"),
        ("Strict-Transport-Security", HSTS),
    ]


def base_path(config: Config) -> str:
    """The base URL's path, '/' or '/ir/'."""
    return urlsplit(config.base_url).path or "/"


def cache_rules(config: Config, asset_paths: Iterable[str]) -> list[tuple[str, str]]:
    """(path pattern, Cache-Control) for the whole site; no path matches two patterns.
    `asset_paths` are the site paths of the hashed assets ('/assets/css/site.1a2b3c4d5e.css'):
    each top folder of theirs gets the long caching (`/assets/` always: images in
    the content go there too)."""
    base = base_path(config)
    folders = {ASSETS.strip("/").split("/")[0]}
    folders.update(path.strip("/").split("/")[0] for path in asset_paths if "/" in path.strip("/"))
    rules = [(f"{base}{folder}/*", IMMUTABLE) for folder in sorted(folders)]
    if config.search:
        rules += [(f"{base}{BUNDLE}/{pattern}", IMMUTABLE) for pattern in PAGEFIND_HASHED]
        rules += [(f"{base}{BUNDLE}/{pattern}", SHORT) for pattern in PAGEFIND_UNHASHED]
    rules += [(f"{base}{name}", SHORT) for name in TOP_FILES]
    rules += [(f"{base}{lang}/*", SHORT) for lang in config.codes]
    return rules


def headers_file(config: Config, asset_paths: Iterable[str]) -> bytes:
    """The `_headers` file of Netlify and Cloudflare Pages."""
    base = base_path(config)
    lines = ["# Response headers for Netlify and Cloudflare Pages, written by build.py (sitegen/hosting.py).",
             "# Security headers on every path; caching on paths that do not overlap.",
             f"{base}*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(config.embed_hosts)]
    for pattern, value in cache_rules(config, asset_paths):
        lines += ["", pattern, f"  Cache-Control: {value}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def host_files(config: Config, asset_paths: Iterable[str]) -> dict[str, bytes]:
    """The extra output files (name -> bytes) that static hosts read; the same
    configuration and assets give the same bytes."""
    return {
        ".nojekyll": b"",
        "_headers": headers_file(config, list(asset_paths)),
    }
