"""The fingerprint a translation records of its original (`translation_of: "uz:1a2b3c4d5e"`)
must never change for the same text: every recorded value would turn stale. The fast
way it is computed is compared here with the plain regular expressions it replaced."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen import translations
from sitegen.sources import split_front_matter

ROOT = Path(__file__).resolve().parents[2]

# The definition as first written: four substitutions, one after another.
REFERENCE = (
    (re.compile(r"(\]|^|\s)\(\s*<?[^()\s>]*>?(?:\s+\"[^\"]*\")?\s*\)", re.M), r"\1()"),
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.M), ""),
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>"), r"<\1>"),
)


def reference_fingerprint(doc) -> str:
    body = doc.source.body
    for pattern, replacement in REFERENCE:
        body = pattern.sub(replacement, body)
    text = "\n".join(" ".join(part.split()) for part in (doc.title, doc.summary, body))
    return hashlib.sha256(("v2\n" + text).encode("utf-8")).hexdigest()[:10]


def document(body: str, title: str = "Title", summary: str = "") -> SimpleNamespace:
    return SimpleNamespace(title=title, summary=summary, source=SimpleNamespace(body=body))


TRICKY = [
    "](a)(b)", " (a) (b)", "((a))", '[x]( <a b> "t" )', "(a)", "\n(a)\n( b )", "x(a) ](b) [c](d)",
    "\u00a0(a) and\u2003(b)", "](a)](b)", "( )", "](\n)", "[x](a]:b) [y]: z", "[ref]: (t)\n[r]: u",
    "<!-- (a) --> <a href=x>(b)</a>", "text(", ")(", "](<a>)", '](a "b" )', "(\t)", "",
    "![img](pic.png) [link](https://example.org/a_(b)) (plain words)",
]


def bodies() -> list[str]:
    found = list(TRICKY)
    for path in sorted((ROOT / "tests/corpus").rglob("*.md")) + sorted((ROOT / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts = split_front_matter(text)
        found.append(parts[1] if parts else text)
    return found


def test_the_targets_go_as_the_regular_expression_took_them():
    pattern, replacement = REFERENCE[0]
    checked = bodies()
    assert len(checked) > 150
    for body in checked:
        assert translations._without_targets(body) == pattern.sub(replacement, body), body[:120]


@pytest.mark.parametrize("body", bodies()[: len(TRICKY)] + ["Matn [havola](a.md) <b class=x>qalin</b> <!-- izoh -->"])
def test_the_fingerprint_is_the_one_first_defined(body):
    doc = document(body, title="Sarlavha", summary="Qisqa  mazmun")
    assert translations.fingerprint(doc) == reference_fingerprint(doc)


def test_every_shipped_document_keeps_its_fingerprint():
    from sitegen.lib.diagnostics import Diagnostics
    from sitegen.pipeline import load, model

    diags = Diagnostics(ROOT)
    site = model(load(ROOT, diags), diags)
    docs = list(site.documents.values())
    assert len(docs) > 40
    assert [translations.fingerprint(doc) for doc in docs] == [reference_fingerprint(doc) for doc in docs]
