"""Files that static hosts read next to the site: `.nojekyll`, `_headers`, `.htaccess`.

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

`.htaccess`
    Apache (the usual shared host) reads the same rules from it: the 404 page of
    each language, the security headers, the same caching (`<If>` on the
    request's path) and the redirects below, using only what a shared host
    allows in .htaccess.

`_redirects`, `nginx-redirects.conf`
    When documents keep earlier addresses (`aliases:`), Netlify and Cloudflare
    Pages answer them with a 301 from `_redirects`, nginx from the locations of
    `nginx-redirects.conf` (which `deploy/nginx.conf` includes). The redirect
    pages at those addresses serve every other host.

`host_files()` gives these files; the values are module-level data, shared with
`deploy/nginx.conf` (whose test compares them) and the tests.
"""

from __future__ import annotations

import re
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


def redirects_file(config: Config, redirects: list[tuple[str, str]]) -> bytes:
    """`_redirects` of Netlify and Cloudflare Pages: each earlier address, with and
    without its last slash, answers 301 with the page's address."""
    base = base_path(config)
    lines = ["# Earlier addresses of pages (aliases: in their front matter), written by build.py."]
    for old, new in redirects:
        lines.append(f"{base}{old.lstrip('/')} {base}{new.lstrip('/')} 301")
        if old.endswith("/"):
            lines.append(f"{base}{old.strip('/')} {base}{new.lstrip('/')} 301")
    return ("\n".join(lines) + "\n").encode("utf-8")


def nginx_redirects(config: Config, redirects: list[tuple[str, str]]) -> bytes:
    """Locations for nginx, included by deploy/nginx.conf inside the site's location."""
    base = base_path(config)
    lines = ["# Earlier addresses of pages (aliases: in their front matter), written by build.py;",
             "# deploy/nginx.conf includes this file inside the site's location."]
    for old, new in redirects:
        pattern = re.escape(f"{base}{old.strip('/')}") + ("/?" if old.endswith("/") else "")
        lines.append(f'location ~ "^{pattern}$" {{ return 301 {base}{new.lstrip("/")}; }}')
    return ("\n".join(lines) + "\n").encode("utf-8")


def _glob_regex(pattern: str) -> str:
    return "^" + re.escape(pattern).replace(r"\*", ".*") + ("$" if "*" not in pattern else "")


def htaccess_file(config: Config, asset_paths: Iterable[str], redirects: list[tuple[str, str]]) -> bytes:
    """`.htaccess` for Apache (the usual shared host): the 404 page of each language,
    the security and caching headers of `_headers`, and the redirects of `_redirects`.
    It asks for nothing a shared host does not allow in .htaccess (AllowOverride
    FileInfo, Indexes): the headers need mod_headers, the redirects mod_alias."""
    base = base_path(config)
    lines = ["# Apache: the site's 404 pages, response headers and redirects, written by build.py",
             "# (sitegen/hosting.py). Put the site's folder where Apache serves "
             f"{base} and allow .htaccess there (AllowOverride All).",
             "DirectoryIndex index.html",
             "AddDefaultCharset utf-8",
             "AddType application/atom+xml .xml",
             "AddType text/calendar .ics",
             f"ErrorDocument 404 {base}404.html"]
    for lang in config.codes:
        lines += [f'<If "%{{REQUEST_URI}} =~ m#^{base}{lang}/#">', f"  ErrorDocument 404 {base}{lang}/404.html",
                  "</If>"]
    lines += ["<IfModule mod_headers.c>"]
    lines += [f'  Header always set {name} "{value}"' for name, value in security_headers(config.embed_hosts)]
    for pattern, value in cache_rules(config, asset_paths):
        lines += [f'  <If "%{{REQUEST_URI}} =~ m#{_glob_regex(pattern)}#">',
                  f'    Header always set Cache-Control "{value}"', "  </If>"]
    lines += ["</IfModule>"]
    if redirects:
        lines += ["<IfModule mod_alias.c>"]
        for old, new in redirects:
            pattern = re.escape(f"{base}{old.strip('/')}") + ("/?" if old.endswith("/") else "")
            lines.append(f'  RedirectMatch 301 "^{pattern}$" "{base}{new.lstrip("/")}"')
        lines += ["</IfModule>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def host_files(config: Config, asset_paths: Iterable[str],
               redirects: list[tuple[str, str]] = ()) -> dict[str, bytes]:
    """The extra output files (name -> bytes) that static hosts read; the same
    configuration, assets and aliases give the same bytes. `redirects` are
    (earlier site path, the page's site path)."""
    assets, redirects = list(asset_paths), list(redirects)
    files = {
        ".nojekyll": b"",
        "_headers": headers_file(config, assets),
        ".htaccess": htaccess_file(config, assets, redirects),
    }
    if redirects:
        files["_redirects"] = redirects_file(config, redirects)
        files["nginx-redirects.conf"] = nginx_redirects(config, redirects)
    return files
