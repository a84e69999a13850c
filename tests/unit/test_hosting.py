"""The files for static hosts (sitegen/hosting.py) and the nginx snippet deploy/nginx.conf."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from conftest import ROOT, address
from sitegen.assets import collect_assets
from sitegen.config import load_config
from sitegen.lib.diagnostics import Diagnostics
from sitegen.hosting import IMMUTABLE, SHORT, content_security_policy, host_files, security_headers

ASSET_PATHS = ["/assets/css/site.1a2b3c4d5e.css", "/assets/img/logo.0f0f0f0f0f.png",
               "/assets/js/search.abcdefabcd.js"]
HEADER_LINE = re.compile(r"^  ([A-Za-z][A-Za-z0-9-]*): (\S.*)$")
# a content-hashed name: site.1a2b3c4d5e.css, en_164924c.pf_fragment, pagefind.en_a3c5724a90.pf_meta
HASHED_NAME = re.compile(r"[._][0-9a-f]{7,}\.[a-z_]+$")
NGINX_SNIPPET = ROOT / "deploy/nginx.conf"


@pytest.fixture(scope="module")
def real_config():
    config = load_config(ROOT, Diagnostics(ROOT))
    assert config is not None
    return config


def config_for(real_config, base_url: str = "https://example.org/", embed_hosts=(), search: bool = True):
    return dataclasses.replace(real_config, base_url=base_url, embed_hosts=tuple(embed_hosts), search=search)


def parse_headers(data: bytes) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a `_headers` file: (path pattern, [(name, value), ...]); fails on
    a line that is neither a comment, a path, nor an indented `Name: value` after a path."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    text = data.decode("utf-8")
    assert text.endswith("\n") and "\t" not in text and "\r" not in text
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            assert " " not in line, f"line {number}: a path has no spaces: {line!r}"
            rules.append((line, []))
            continue
        match = HEADER_LINE.match(line)
        assert match, f"line {number} is neither a path nor an indented 'Name: value': {line!r}"
        assert rules, f"line {number}: a header before any path"
        rules[-1][1].append((match.group(1), match.group(2)))
    assert all(headers for _, headers in rules), "a path without headers"
    return rules


def matches(pattern: str, path: str) -> bool:
    """Whether a `_headers` path pattern matches a request path (`*`: any characters)."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), path) is not None


def headers_for(rules, path: str) -> dict[str, list[str]]:
    """Every value each header gets for `path` from all the rules that match it."""
    out: dict[str, list[str]] = {}
    for pattern, headers in rules:
        if matches(pattern, path):
            for name, value in headers:
                out.setdefault(name, []).append(value)
    return out


# -- host_files ---------------------------------------------------------------

def test_github_pages_gets_an_empty_nojekyll(real_config):
    files = host_files(config_for(real_config), ASSET_PATHS)
    assert files[".nojekyll"] == b""
    assert sorted(files) == [".htaccess", ".nojekyll", "_headers"]  # redirects only with aliases


def test_headers_file_parses_and_fits_cloudflare_limits(real_config):
    config = config_for(real_config, embed_hosts=real_config.embed_hosts)
    data = host_files(config, ASSET_PATHS)["_headers"]
    rules = parse_headers(data)
    assert len(rules) <= 100  # Cloudflare Pages reads at most 100 rules
    assert max(len(line) for line in data.decode().splitlines()) <= 2000  # and lines of 2,000 characters
    everything = [headers for pattern, headers in rules if pattern == "/*"]
    assert everything == [security_headers(config.embed_hosts)]


def test_csp_is_strict_and_allows_pagefind(real_config):
    for hosts in ((), real_config.embed_hosts):
        rules = parse_headers(host_files(config_for(real_config, embed_hosts=hosts), ASSET_PATHS)["_headers"])
        csp = dict(rules[0][1])["Content-Security-Policy"]
        assert csp == content_security_policy(hosts)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
        assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "upgrade-insecure-requests" in directives
        assert "*" not in " ".join(sum(directives.values(), []))


def test_embed_hosts_are_the_only_frame_sources(real_config):
    hosts = ("www.youtube-nocookie.com", "player.vimeo.com")
    csp = content_security_policy(hosts)
    frame_src = next(part for part in csp.split("; ") if part.startswith("frame-src "))
    assert frame_src == "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
    assert "frame-src 'none'" in content_security_policy(())
    data = host_files(config_for(real_config, embed_hosts=hosts), ASSET_PATHS)["_headers"].decode()
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;" in data


def test_the_other_security_headers(real_config):
    headers = dict(security_headers(()))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    policy = dict(item.split("=") for item in headers["Permissions-Policy"].split(", "))
    assert {"camera", "microphone", "geolocation"} <= set(policy)
    assert set(policy.values()) == {"()"}
    assert "interest-cohort" not in policy  # no longer known to browsers: an error in the console


@pytest.mark.parametrize("base_url, base", [
    ("https://example.org/", "/"),
    ("https://example.org/ir/", "/ir/"),
    ("https://example.org/a/b/", "/a/b/"),
])
def test_paths_carry_the_base_url_path(real_config, base_url, base):
    rules = parse_headers(host_files(config_for(real_config, base_url=base_url), ASSET_PATHS)["_headers"])
    assert all(pattern.startswith(base) for pattern, _ in rules)
    patterns = [pattern for pattern, _ in rules]
    assert f"{base}*" in patterns and f"{base}assets/*" in patterns and base in patterns
    for lang in real_config.codes:
        assert f"{base}{lang}/*" in patterns
    if base != "/":
        assert not any(matches(pattern, "/uz/") or matches(pattern, "/assets/x.css") for pattern in patterns)


def test_pagefind_rules_only_with_search(real_config):
    with_search = host_files(config_for(real_config, search=True), ASSET_PATHS)["_headers"]
    without = host_files(config_for(real_config, search=False), ASSET_PATHS)["_headers"]
    assert b"/pagefind/" in with_search
    assert b"/pagefind/" not in without


def test_same_input_same_bytes(real_config):
    config = config_for(real_config, base_url="https://example.org/ir/", embed_hosts=real_config.embed_hosts)
    first = host_files(config, ASSET_PATHS)
    shuffled = ASSET_PATHS[:]
    random.Random(7).shuffle(shuffled)
    assert host_files(config, iter(shuffled)) == first
    assert host_files(dataclasses.replace(config), tuple(ASSET_PATHS)) == first


def test_every_built_file_gets_one_cache_control_and_the_security_headers(searchable):
    """On a built site (with search): hashed files are cached for a year, all others
    briefly, and no path gets a header from two rules (Cloudflare Pages would join them)."""
    result = searchable.build(base_url="https://example.org/ir/")
    assert result.ok(), result.diagnostics.items
    config = result.site.config
    assets = collect_assets(config, Diagnostics(searchable.root)).paths.values()
    files = host_files(config, assets)
    rules = parse_headers(files["_headers"])
    # "" is the address of the landing page, /ir/; the hosts do not serve their own files
    names = sorted(set(result.files) - set(files)) + [""]
    assert any(name.startswith("pagefind/fragment/") for name in names)
    wrong = []
    for name in names:
        got = headers_for(rules, "/ir/" + name)
        expected = {"Cache-Control": [IMMUTABLE if HASHED_NAME.search(name) else SHORT]}
        expected.update({header: [value] for header, value in security_headers(config.embed_hosts)})
        if got != expected:
            wrong.append(f"/ir/{name}: {got.get('Cache-Control')}")
    assert wrong == [], "\n".join(wrong)
    # and every rule names something that was built (Pagefind writes filter chunks
    # only for pages that mark filters, which this site's templates do not yet)
    unused = [pattern for pattern, _ in rules if not any(matches(pattern, "/ir/" + name) for name in names)]
    unused.remove("/ir/pagefind/filter/*")
    assert unused == []


# -- deploy/nginx.conf ----------------------------------------------------------

NGINX_TOKEN = re.compile(r"""\s*(?:#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+))""")


@dataclasses.dataclass
class Block:
    args: list[str]  # e.g. ["location", "^~", "/ir/"]
    statements: list[list[str]] = dataclasses.field(default_factory=list)
    blocks: list["Block"] = dataclasses.field(default_factory=list)

    def values(self, name: str) -> list[list[str]]:
        return [s[1:] for s in self.statements if s[0] == name]

    def locations(self) -> list["Block"]:
        return [b for b in self.blocks if b.args[0] == "location"]


def parse_nginx(text: str) -> Block:
    """nginx configuration text as nested blocks of statements (quotes removed)."""
    root = Block(["(file)"])
    stack, words, position = [root], [], 0
    while text[position:].strip():
        match = NGINX_TOKEN.match(text, position)
        assert match and match.end() > position, f"cannot read nginx.conf at {text[position:position + 40]!r}"
        position = match.end()
        double, single, punct, word = match.groups()
        if punct == "{":
            block = Block(words)
            stack[-1].blocks.append(block)
            stack.append(block)
            words = []
        elif punct == "}":
            assert not words and len(stack) > 1, "unbalanced braces in nginx.conf"
            stack.pop()
        elif punct == ";":
            stack[-1].statements.append(words)
            words = []
        elif double is not None or single is not None or word is not None:
            words.append(next(v for v in (double, single, word) if v is not None))
    assert len(stack) == 1 and not words, "unbalanced braces or a statement without ';' in nginx.conf"
    return root


@pytest.fixture(scope="module")
def snippet() -> Block:
    return parse_nginx(NGINX_SNIPPET.read_text(encoding="utf-8"))


def site_location(snippet: Block) -> Block:
    found = [b for b in snippet.locations() if b.args[-1] == "/ir/"]
    assert len(found) == 1, "deploy/nginx.conf needs one `location ^~ /ir/ { ... }`"
    return found[0]


def test_nginx_sends_the_security_headers_of_hosting_py(snippet, real_config):
    site = site_location(snippet)
    added = {args[0]: args[1:] for args in site.values("add_header")}
    for name, value in security_headers(real_config.embed_hosts):
        assert added.get(name) == [value, "always"], (
            f"deploy/nginx.conf: {name} differs from sitegen/hosting.py"
            + (" (data/site.yaml's embed_hosts changed? change frame-src)" if name.startswith("Content-Sec") else ""))
    assert added.get("Cache-Control") == ["$ir_cache_control", "always"]
    assert set(added) == {name for name, _ in security_headers()} | {"Cache-Control"}


def test_nginx_caching_values_are_those_of_hosting_py(snippet):
    site = site_location(snippet)
    assert site.values("set") == [["$ir_cache_control", SHORT]]
    immutable, short = [], []
    for location in site.locations():
        # an add_header of its own would drop every header inherited from /ir/
        assert location.values("add_header") == [], f"location {location.args[1:]} has add_header"
        values = location.values("set")
        assert len(values) == 1 and values[0][0] == "$ir_cache_control", f"location {location.args[1:]}"
        assert values[0][1] in (IMMUTABLE, SHORT), \
            f"location {location.args[1:]}: {values[0][1]!r} is neither of sitegen/hosting.py's values"
        (immutable if values[0][1] == IMMUTABLE else short).append(" ".join(location.args[1:]))
    assert immutable == ["^~ /ir/assets/", "~ ^/ir/pagefind/(fragment|index|filter)/",
                         r"~ ^/ir/pagefind/[^/]+\.pf_meta$"]


def test_nginx_serves_pretty_urls_and_the_404_page_of_each_language(snippet, real_config):
    site = site_location(snippet)
    assert site.args == ["location", "^~", "/ir/"]
    assert len(site.values("alias")) == 1 and site.values("alias")[0][0].endswith("/")
    assert site.values("try_files") == [["$uri", "$uri/", "=404"]]
    assert site.values("error_page") == [["404", "/ir/404.html"]]
    for lang in real_config.codes:
        home, not_found = (address.href(path, "https://example.org/ir/")
                           for path in (address.home(lang), address.not_found(lang)))
        location = next((b for b in site.locations() if b.args[1:] == [home]), None)
        assert location is not None, f"deploy/nginx.conf has no location {home}"
        assert location.values("error_page") == [["404", not_found]]
    calendars = next(b for b in site.locations() if "ics" in " ".join(b.args))
    assert [b.args for b in calendars.blocks] == [["types"]]
    assert calendars.blocks[0].statements == [["text/calendar", "ics"]]
    assert [b.args for b in snippet.locations()][0] == ["location", "=", "/ir"]
