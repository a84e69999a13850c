"""Every mistake in the catalogue (tests/mistakes.py) is reported with its file, line and a
message an editor can act on; exit 1, no traceback, and the previous site/ untouched."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, snapshot
from mistakes import CASES, DOCS, HEAD, NOW, apply, first_message, table, tiny_site

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)


def test_the_catalogue_has_at_least_a_hundred_distinct_mistakes():
    assert len({case.mistake for case in CASES}) == len(CASES) >= 103


@pytest.mark.parametrize("case", CASES, ids=[c.mistake for c in CASES])
def test_mistake_is_reported_where_it_is(case, tmp_path):
    site = tiny_site(tmp_path / "project")
    first = site.build(now=NOW)
    assert first.written, [d.format() for d in first.diagnostics.sorted()]
    before = snapshot(site.root / "site")

    apply(case, site)
    result = site.build(strict=case.strict, now=NOW)  # the pipeline itself must not raise
    everything = [d.format() for d in result.diagnostics.sorted()]
    assert first_message(case, result) == case.printed, "\n".join(everything)
    if case.alone:  # one mistake, one message
        assert everything == [case.printed], "\n".join(everything)
    if case.severity == "notice":  # worth knowing, never a reason to fail
        assert not result.diagnostics.failed(strict=True) and result.written
    else:
        assert result.diagnostics.failed(case.strict) and not result.written
        assert snapshot(site.root / "site") == before


FAILING = [case for case in CASES if case.severity != "notice"]


@pytest.mark.parametrize("case", FAILING[::6], ids=[c.mistake for c in FAILING[::6]])
def test_the_command_line_exits_one_without_a_traceback(case, tmp_path):
    site = tiny_site(tmp_path / "project")
    apply(case, site)
    args = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(site.root), "--now", NOW]
    proc = subprocess.run(args + (["--strict"] if case.strict else []), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{case.path}:{case.line}" in proc.stderr if case.line else case.path in proc.stderr
    assert not (site.root / "site").exists()


SUGGESTION = re.compile(r"^did you mean '(.+)'\?$")
SUGGESTING = [case for case in CASES if SUGGESTION.match(case.hint)]


def test_many_mistakes_come_with_a_suggestion():
    assert len(SUGGESTING) >= 20


@pytest.mark.parametrize("case", SUGGESTING, ids=[c.mistake for c in SUGGESTING])
def test_every_suggestion_works_where_it_is_written(case, tmp_path):
    """The hint's "did you mean 'X'?", put in place of what the message quotes, fixes the mistake."""
    site = tiny_site(tmp_path / "project")
    apply(case, site)
    suggestion = SUGGESTION.match(case.hint).group(1)
    path = site.root / case.path
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines[case.line - 1]
    message = case.shown.split(": ", 2)[2]
    found = re.findall(r"\(found '([^']+)'", message)  # the value as written, if the message quotes it
    quoted = [token for token in found if token in line] or [
        token for token in re.findall(r"'([^']+)'", message) if token in line]
    assert quoted, f"the message quotes nothing that is on line {case.line}: {line!r}"
    wrong = quoted[0]
    for form in (f'"{wrong}"', f"'{wrong}'", wrong):  # the value as a whole, not a part of another word
        whole = re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
        if whole.search(line):
            lines[case.line - 1] = whole.sub(lambda _: suggestion, line, count=1)
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    result = site.build(now=NOW, write=False)
    left = [d.format() for d in result.diagnostics.sorted() if d.severity != "notice"]
    assert left == [], f"after writing {suggestion!r} for {wrong!r} on {case.path}:{case.line}:\n" + "\n".join(left)


def test_readme_table_of_mistakes_is_generated_from_the_catalogue():
    assert DOCS.read_text(encoding="utf-8") == HEAD + table(), "run: .venv/bin/python tests/mistakes.py --docs"
