"""Known cross-site scripting vectors (tests/browser/xss_payloads.txt: the OWASP XSS Filter Evasion
Cheat Sheet, HTML5 vectors of PortSwigger's cheat sheet and the same attacks in Markdown)
written everywhere an editor writes text: Markdown bodies, titles, summaries, tag names,
partner names and cities, the department's summary and address. The site must build
(warnings are expected: each removal is reported), and then:

- no built page holds anything that could run: no script but JSON-LD data and the
  site's own module scripts, no event-handler attribute, no script address in an
  href, src, action, formaction or srcdoc, no frame or plug-in from a host the site
  does not allow, and JSON-LD that is JSON with no </script in it;
- no page, opened in Chromium, runs any of them (each payload sets window.__xss).

A payload in a field that must be an address is refused with an error, as it should be.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.register_assert_rewrite("chromium")

from chromium import StaticHost  # noqa: E402
from conftest import (BASE_FILES, DEPARTMENT_YAML, PARTNERS_YAML, SITE_YAML, SiteDir, errors, find_diag,  # noqa: E402
                      messages, news)

pytest_plugins = ["chromium"]

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
EMBED_HOST = "www.youtube-nocookie.com"
BATCH = 10
NOW = "2026-12-05"


def load_payloads() -> list[str]:
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line == "#" or line.startswith("# "):
            continue
        payloads.append(line.replace("{TAB}", "\t").replace("{LF}", "\n").replace("{CR}", "\r"))
    return payloads


PAYLOADS = load_payloads()
BATCHES = [PAYLOADS[i:i + BATCH] for i in range(0, len(PAYLOADS), BATCH)]


def quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


def write_corpus(site: SiteDir) -> None:
    site.write("data/site.yaml", SITE_YAML + f"search: true\nembed_hosts:\n  - {EMBED_HOST}\n")
    tags, partners = ["memo: {uz: \"Memorandum\", en: \"Memorandum\"}"], [PARTNERS_YAML.rstrip("\n")]
    for n, batch in enumerate(BATCHES, 1):
        joined, backwards = " ".join(batch), " ".join(reversed(batch))
        tags.append(f"xss-{n}: {{uz: {quoted(joined)}, en: {quoted(backwards)}}}")
        body = f"Oddiy matn {n}.\n\n" + "\n\n".join(batch) + "\n\nOxirgi xatboshi.\n"
        site.write(f"content/news/xss-{n}.uz.md",
                   "---\n" f"title: {quoted(joined)}\n" f"summary: {quoted(backwards)}\n"
                   f"date: 2025-01-{n:02d}\n" f"tags: [xss-{n}]\n" "---\n" + body)
        site.write(f"content/news/xss-{n}.en.md",
                   "---\n" f"title: {quoted(backwards)}\n" f"summary: {quoted(joined)}\n" "---\n"
                   + "Plain text.\n\n" + "\n\n".join(reversed(batch)) + "\n")
        if n <= 4:
            partners.append(f"- id: xss-{n}\n  name: {{uz: {quoted(joined)}, en: {quoted(backwards)}}}\n"
                            f"  country: KZ\n  city: {{uz: {quoted(backwards)}, en: {quoted(joined)}}}\n"
                            f"  website: \"https://example.org/\"\n  agreement: memorandum")
    site.write("data/tags.yaml", "\n".join(tags) + "\n")
    site.write("data/partners.yaml", "\n".join(partners) + "\n")
    everything = " ".join(PAYLOADS)
    site.write("data/department.yaml", DEPARTMENT_YAML
               .replace('summary: {uz: "Qisqa", en: "Short"}',
                        f"summary: {{uz: {quoted(everything)}, en: {quoted(everything)}}}")
               .replace('address: {uz: "Toshkent", en: "Tashkent"}',
                        f"address: {{uz: {quoted(BATCHES[0][0])}, en: {quoted(BATCHES[-1][-1])}}}"))


EXPECTED_ERROR = re.compile(r"^the image .* (has no alt text|does not exist|would be loaded from another website)$"
                            r"|^the image is pasted into the text as data$|^the link .* is not an address")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The tiny site with every payload written into it, built once."""
    site = SiteDir(tmp_path_factory.mktemp("xss") / "project")
    for rel, text in BASE_FILES.items():
        site.write(rel, text)
    write_corpus(site)
    result = site.build(now=NOW)
    # Pasted HTML is held to the rules of Markdown: the payloads' images without alt
    # text, missing or remote, and their broken addresses are errors, so this site is
    # not published. Its pages, as the build made them, are what is checked here.
    unexpected = [d.format() for d in errors(result)
                  if not (d.path.startswith("content/news/xss-") and EXPECTED_ERROR.search(d.message))]
    assert unexpected == [] and errors(result), "\n".join(messages(result))
    out = site.root / "site"
    for name, data in result.files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}
    return site, result, out, pages


def test_the_corpus_is_large_enough_and_its_removals_are_reported(corpus):
    assert len(PAYLOADS) >= 50
    _, result, _, pages = corpus
    assert len(pages) > 40
    reported = [d for d in result.diagnostics.warnings if d.path.startswith("content/news/xss-")
                and "'summary' holds Markdown" not in d.message]  # the payload in the summary: plain text
    assert len(reported) > len(PAYLOADS), "\n".join(messages(result))
    assert all(d.line > 4 for d in reported), [d.format() for d in reported if d.line <= 4]


# -- (a) what the pages hold -------------------------------------------------------

NOISE = re.compile(r"[\x00-\x20\x7f]+")
RUNNABLE = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcdoc", "xlink:href", "data", "poster", "background")


def runnable(value: str) -> bool:
    return NOISE.sub("", value).lower().startswith(RUNNABLE)


def test_no_page_holds_anything_that_could_run(corpus):
    from bs4 import BeautifulSoup

    _, _, _, pages = corpus
    found = []
    for name, text in pages.items():
        page = BeautifulSoup(text, "html.parser")
        for script in page.find_all("script"):
            if script.get("type") == "application/ld+json":
                raw = script.string or ""
                if "</script" in raw.lower():
                    found.append(f"{name}: JSON-LD holds </script")
                try:
                    json.loads(raw)
                except ValueError as exc:
                    found.append(f"{name}: JSON-LD is not JSON ({exc}): {raw[:120]}")
            elif not (script.get("type") == "module" and (script.get("src") or "").startswith("/assets/")
                      and not (script.string or "").strip()):
                found.append(f"{name}: {str(script)[:120]}")
        for element in page.find_all(True):
            for attribute, value in element.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                if attribute.lower().startswith("on"):
                    found.append(f"{name}: <{element.name} {attribute}>")
                if attribute.lower() in URL_ATTRIBUTES and runnable(value):
                    found.append(f"{name}: <{element.name} {attribute}={value[:60]!r}>")
                if attribute.lower() == "srcset" and any(runnable(part) for part in value.split(",")):
                    found.append(f"{name}: <{element.name} srcset={value[:60]!r}>")
                if attribute.lower() == "style":
                    found.append(f"{name}: style attribute on <{element.name}>")
        for frame in page.find_all(["iframe", "frame", "object", "embed", "applet"]):
            src = frame.get("src") or ""
            if frame.name != "iframe" or urlsplit(src).scheme != "https" or urlsplit(src).hostname != EMBED_HOST \
                    or frame.has_attr("srcdoc"):
                found.append(f"{name}: {str(frame)[:120]}")
        for tag in page.find_all(["base", "style"]):
            found.append(f"{name}: <{tag.name}>")
        for meta in page.find_all("meta", attrs={"http-equiv": True}):
            target = (meta.get("content") or "").partition("url=")[2]
            if meta["http-equiv"].lower() != "refresh" or not target.startswith("/"):
                found.append(f"{name}: {meta}")
        for link in page.find_all("link", href=True):
            stylesheet = "stylesheet" in (link.get("rel") or [])
            if runnable(link["href"]) or stylesheet and not link["href"].startswith("/assets/"):
                found.append(f"{name}: {link}")
    assert found == [], "\n".join(found[:60])


def test_kept_links_to_a_new_tab_cannot_reach_back(corpus):
    from bs4 import BeautifulSoup

    _, _, _, pages = corpus
    for name, text in pages.items():
        for link in BeautifulSoup(text, "html.parser").find_all("a", target=True):
            assert {"noopener", "noreferrer"} <= set(link.get("rel") or []), f"{name}: {link}"


# -- (b) what a browser runs -------------------------------------------------------

FLAG = """() => {
    const seen = [];
    if (typeof window.__xss !== 'undefined') seen.push(location.href);
    return seen;
}"""


@pytest.mark.external("chromium")
def test_no_payload_runs_in_a_browser(corpus, chromium):
    _, _, out, pages = corpus
    host = StaticHost(out, "/")
    thread = threading.Thread(target=host.serve_forever, name="static host (xss)", daemon=True)
    thread.start()
    origin = host.origin
    context = chromium.new_context()
    ran: list[str] = []
    try:
        # nothing leaves this machine: requests to any other address are refused
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/")
                      else route.abort())
        tabs = [context.new_page() for _ in range(6)]
        for tab in tabs:
            tab.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        names = sorted(pages)
        for start in range(0, len(names), len(tabs)):
            chunk = list(zip(tabs, names[start:start + len(tabs)]))
            for tab, name in chunk:
                url = f"{origin}/{name[:-len('index.html')] if name.endswith('index.html') else name}"
                tab.goto(url, wait_until="load")
            tabs[0].wait_for_timeout(300)
            for tab, name in chunk:
                for frame in tab.frames:
                    try:
                        ran += [f"{name}: {where}" for where in frame.evaluate(FLAG)]
                    except Exception as exc:  # a frame that went away or cannot be entered
                        if "__xss" in str(exc):
                            ran.append(f"{name}: {exc}")
    finally:
        context.close()
        host.shutdown()
        thread.join(timeout=5)
        host.server_close()
    assert ran == [], "\n".join(ran)


# -- fields that must be addresses refuse a payload ---------------------------------

def test_a_partner_website_with_a_script_address_is_an_error(site):
    site.write("data/partners.yaml", PARTNERS_YAML.replace('"https://kaznua.kz/"', '"javascript:window.__xss=1"'))
    result = site.build()
    assert not result.written
    assert find_diag(result, "data/partners.yaml", None, "'website' must be a web address"), messages(result)


def test_a_markdown_image_with_a_script_address_is_an_error(site):
    site.write("content/news/x.uz.md", news("uz", "Rasm", "2025-06-12", body="![rasm](javascript:window.__xss=1)\n"))
    result = site.build()
    assert not result.written
    assert find_diag(result, "content/news/x.uz.md", 5, "would be loaded from another website"), messages(result)
