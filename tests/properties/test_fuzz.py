"""Property-based robustness tests (hypothesis): no input, however broken, makes the
build raise or print a traceback; every run ends with well-formed diagnostics, and a
run with errors leaves the previous output untouched.

Each test builds the tiny valid site once (the `site` fixture), snapshots its output,
then for every generated input writes the fuzzed file(s) into the project, runs the
pipeline in-process, checks the result, and restores the project exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import BASE_FILES, ROOT, news, snapshot

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

BUILD = str(ROOT / "build.py")


# Shrinking replays a failing input hundreds of times at ~0.1 s a build, which takes
# minutes; the minimal reproductions at the end of this file are kept by hand instead.
# Set SITEGEN_FUZZ_SHRINK=1 to let hypothesis shrink a new failure.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.target, Phase.shrink] if os.environ.get("SITEGEN_FUZZ_SHRINK") else [])


def fuzz_settings(n: int):
    # In CI the examples are derived from the test itself (derandomize), so a run can be repeated
    # exactly; locally every run explores new inputs.
    return settings(max_examples=n, deadline=None, database=None, print_blob=True, phases=PHASES,
                    derandomize=bool(os.environ.get("CI")),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                           HealthCheck.large_base_example])


# -- the harness ---------------------------------------------------------------

def check_diagnostics(result) -> None:
    """Every diagnostic is well formed: a relative POSIX path inside the project, line and
    column >= 0, a known severity, and a non-empty one-line message without a traceback."""
    for d in result.diagnostics.items:
        shown = repr(d)
        assert isinstance(d.path, str) and d.path, shown
        assert not d.path.startswith("/"), f"absolute path: {shown}"
        assert ".." not in PurePosixPath(d.path).parts, f"path leaves the project: {shown}"
        assert isinstance(d.line, int) and d.line >= 0, shown
        assert isinstance(d.column, int) and d.column >= 0, shown
        assert d.severity in ("error", "warning", "notice"), shown
        assert isinstance(d.message, str) and d.message.strip(), f"empty message: {shown}"
        assert "\n" not in d.message and "\r" not in d.message, f"multi-line message: {shown}"
        assert "Traceback" not in d.message and 'File "' not in d.message, f"traceback in message: {shown}"
        assert isinstance(d.hint, str), shown
        d.format()


class Harness:
    """The tiny site built once; `run` applies one fuzzed input, checks, and restores."""

    def __init__(self, site, capsys):
        self.site = site
        self.capsys = capsys
        self.out = site.root / "site"
        first = site.build()
        assert first.written and not first.diagnostics.errors, [d.format() for d in first.diagnostics.items]
        self.before = snapshot(self.out)
        self.project = self._tree()
        capsys.readouterr()

    def _tree(self) -> dict[str, bytes]:
        """Everything in the project except the output and the cache (to check the restore)."""
        return {p.relative_to(self.site.root).as_posix(): p.read_bytes()
                for p in sorted(self.site.root.rglob("*"))
                if p.is_file() and p.relative_to(self.site.root).parts[0] not in ("site", ".cache")
                and p.relative_to(self.site.root).as_posix() != "data/published.txt"}  # the build keeps it

    @contextmanager
    def applied(self, files: dict[str, bytes | str]):
        """The project with `files` written into it; restored exactly afterwards."""
        root = self.site.root
        saved: dict[Path, bytes | None] = {}
        created: list[Path] = []
        try:
            for rel, data in files.items():
                path = root / rel
                if path not in saved:
                    saved[path] = path.read_bytes() if path.is_file() else None
                created.extend(p for p in path.parents if not p.exists())
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            yield
        finally:
            for path, data in saved.items():
                if data is None:
                    if path.is_file() or path.is_symlink():
                        path.unlink()
                else:
                    path.write_bytes(data)
            for folder in sorted(set(created), key=lambda p: len(p.parts)):
                if folder.exists():
                    shutil.rmtree(folder)

    def run(self, files: dict[str, bytes | str]):
        with self.applied(files):
            result = self.site.build()  # must not raise: an exception here fails the test
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err, out + err
        assert out == "" and err == "", f"the pipeline printed: {out + err!r}"
        check_diagnostics(result)
        if result.diagnostics.errors:
            assert result.written is False
            assert snapshot(self.out) == self.before, "a failed build changed the output folder"
        else:
            assert result.written is True
            self.before = snapshot(self.out)
        leftovers = [p.name for p in self.site.root.iterdir() if p.name.startswith(".site")]
        assert leftovers == [], leftovers
        return result


@pytest.fixture
def harness(site, capsys):
    h = Harness(site, capsys)
    yield h
    assert h._tree() == h.project, "the project was not restored after the fuzzed inputs"


# -- strategies ------------------------------------------------------------------

FIELD_NAMES = ["title", "summary", "date", "tags", "partners", "projects", "draft", "weight", "slug",
               "template", "paginate", "sort_by", "menu_title", "translation_of", "feed",
               "page_template", "id", "name", "country", "link", "role", "start", "end"]

# Characters that mean something to YAML, Markdown, HTML or the engine.
SPECIAL = ":-#&*!|>'\"%@`{}[],?\t\n\r\\/ .<>=_^()~$+;"
TOKENS = [
    "- ", ": ", "&a ", "*a", "!!python/object:os.system ", "!!binary ", "!!str ", "!!timestamp ",
    "? ", "<<: *a", "%YAML 1.1\n", "---\n", "...\n", "\t", "  ", "\n", "'", '"', "[", "]", "{", "}",
    "|\n  ", ">-\n  ", "#", "null", "~", "yes", "no", "on", "1e999", ".nan", "-.inf", "0x1F", "0o17",
    "2025-02-30", "2025-06-12", "12.06.2025", "2025-06-12T10:00:00Z", "TODO", "TODO: ", "@/", "\\u0000",
    "\u00a0", "\u2028", "\ufeff", "\x85", "\x0c", "uz", "en", "ru", "kaznua", "memo", "news",
    "partners", "../", "/etc/passwd", "{uz: a, en: b}", "[kaznua]", "[memo, nope]",
]
yaml_alphabet = st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=("Cs",)))
yaml_noise = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(yaml_alphabet, max_size=6)),
                      max_size=25).map("".join)

scalars = st.one_of(
    st.text(yaml_alphabet, max_size=20),
    st.sampled_from(["", "TODO", "kaznua", "memo", "news", "uz", "en", "date", "weight", "title",
                     "news-item", "page.html", "nope.html", "../base", "2025-06-12", "- x"]),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES + ["uz", "en", "ru"]), st.text(max_size=8)),
                        children, max_size=4),
    ),
    max_leaves=12,
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(yaml_alphabet, max_size=12),
                 st.integers(-5, 5), st.booleans(), st.none(), st.dates())


def dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=None)


@st.composite
def mutated(draw, text: str) -> str:
    """`text` with a few random cuts, insertions and duplications."""
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        noise = draw(yaml_noise)
        if action == "insert":
            text = text[:i] + noise + text[i:]
        elif action == "delete":
            text = text[:i] + text[j:]
        elif action == "replace":
            text = text[:i] + noise + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


def _replace_somewhere(draw, node):
    """`node` with one value somewhere inside it (or itself) replaced by a random value."""
    if isinstance(node, dict) and node and draw(st.integers(0, 3)):
        key = draw(st.sampled_from(list(node)))
        return {**node, key: _replace_somewhere(draw, node[key])}
    if isinstance(node, list) and node and draw(st.integers(0, 3)):
        i = draw(st.integers(0, len(node) - 1))
        return node[:i] + [_replace_somewhere(draw, node[i])] + node[i + 1:]
    return draw(values)


@st.composite
def tree_mutated(draw, text: str) -> str:
    """A valid YAML document with a few values deep inside it replaced: wrong types where
    the engine expects a mapping, a list or a string."""
    tree = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        tree = _replace_somewhere(draw, tree)
    return dump(tree)


deep_nesting = st.builds(
    lambda n, kind: {"flow": "[" * n + "]" * n, "open": "[" * n, "map": "{a: " * n + "1" + "}" * n,
                     "block": "".join(" " * i + "- \n" for i in range(n)) + " " * n + "x\n",
                     "keys": "".join(" " * i + f"k{i}:\n" for i in range(n)) + " " * n + "x\n",
                     "anchor": "a: &a [1, 2]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, "
                                                          f"*{'a' if i == 0 else f'b{i - 1}'}]\n"
                                                          for i in range(min(n, 8)))}[kind],
    st.integers(1, 1500), st.sampled_from(["flow", "open", "map", "block", "keys", "anchor"]),
)

MD_SNIPPETS = [
    "[x](y.md)", "[x](../_index.md)", "[x](@/news/_index.md)", "[x](@/news/_index.en.md#top)",
    "[x](@/partners/kaznua.md)", "[x](@/nowhere.md)", "[x](fuzz.md#nope)", "[x](#)", "[x](#top)",
    "[x](../../../../etc/passwd.md)", "[x](.md)", "[x](@/.md)", "[x](@/)", "[x](index.md)",
    "[x](<a b.md>)", "[x](?q)", "[x](mailto:a@b)", "[](javascript:alert(1))",
    "![a](b.png)", "![](b.png)", "![a](//evil.example/x.png)", "![a](https://e.org/x.png)",
    "![a](data:image/png;base64,AAAA)", "![a](../../data/site.yaml)", "![a](/abs.png)",
    "![a](%00.png)", "![a](.)", "![a](..)", "![a](b.png?x#y)", "![a](\u0000)",
    "# ", "## Heading {#id}", "### x {#}", "{#id}", "{: .cls #id2 }", "{: }",
    "[^1]", "[^1]: note\n", "[^]", "[^x]: [^x]\n",
    "|a|b|\n|-|-|\n|1|2|\n", "|a|\n", "| --- |\n",
    "<div>", "</div>", "<span id='top'>", "<script>alert(1)</script>", "<!--", "-->", "<?php ?>",
    "&amp;", "&#0;", "&#x110000;", "`", "``", "```\n", "~~~\n", "    code\n",
    "> ", "- ", "* ", "1. ", "---\n", "***\n", "\n", "\n\n", "  \n", "\t", "\\", "*", "_", "TODO: ",
    "[x]: http://a\n", "[x][]", "<https://a.b>", "\x0c", "\u2028", "\ufeff", "\x00",
]
markdown_body = st.lists(st.one_of(st.sampled_from(MD_SNIPPETS), st.text(max_size=12)),
                         max_size=30).map("".join)

VALID_FRONT = ('title: "Fuzz"\ndate: 2025-06-12\ntags: [memo]\npartners: [kaznua]\nweight: 3\n'
               'slug: fuzz\nsummary: "Qisqa"\nmenu_title: "F"\ndraft: false\ntemplate: news-item\n')
front_text = st.one_of(
    # valid front matter, so the document gets as far as Markdown, links and templates
    st.just('title: "Fuzz"\n'),
    st.just(VALID_FRONT),
    st.dictionaries(keys, values, max_size=8).map(dump),
    st.fixed_dictionaries({}, optional={name: values for name in FIELD_NAMES[:14]}).map(dump),
    values.map(dump),
    yaml_noise,
    st.text(yaml_alphabet, max_size=80),
    mutated(VALID_FRONT),
    tree_mutated(VALID_FRONT),
    deep_nesting,
)


# -- 1. random front matter ------------------------------------------------------------

@fuzz_settings(120)
@given(target=st.sampled_from(["content/news/fuzz.uz.md"] * 3 + ["content/news/_index.uz.md", "content/_index.en.md"]),
       front=front_text, body=markdown_body, translation=st.booleans(),
       opening=st.sampled_from(["---\n", "---  \n", "---\t\n"]),
       closing=st.sampled_from(["---\n", "---", "--- \n", "---\n---\n"]))
def test_random_front_matter(harness, target, front, body, translation, opening, closing):
    """A news item (or a section's or the home page's _index) with random front matter and body."""
    files = {target: opening + front + ("" if front.endswith("\n") else "\n") + closing + body}
    if translation:
        files["content/news/fuzz.en.md"] = news("en", "Fuzz", body="[Other](fuzz.md)\n")
    harness.run(files)


# -- 1b. every field type, and a timeline --------------------------------------------

from sitegen.schema import TYPES  # noqa: E402

# One content kind with a field of every type, and a timeline between two of them, so that
# every type's checks (and the span of a dated item) meet random values.
PROBE_TYPES = {name: kind for name, kind in ((f"f_{kind}", kind) for kind in TYPES)}
PROBE_SCHEMA = BASE_FILES["data/schema.yaml"].replace("data:\n", "  probes:\n    new: probe\n"
    "    timeline: {start: f_datetime, end: f_date}\n    fields:\n" + "".join(
        f"      {name}: {{type: {kind}" + (", values: [a, b]" if kind == "choice" else "")
        + (", to: partners" if kind == "refs" else "") + "}\n" for name, kind in PROBE_TYPES.items())
    + "data:\n", 1)
# What YAML 1.1 reads as something else, written as the editor would, unquoted
IMPLICIT = ["9:00", "010", "0x1F", "1_000", "1.10", "yes", "No", "off", "null", "~", "2025-06-12",
            "2025-06-12 10:00:00", "2025-06-12T10:00:00Z", ".inf", "1e3", "+5", "NO", "daily", "mon-fri"]
probe_value = st.one_of(st.sampled_from(IMPLICIT), st.text(yaml_alphabet, max_size=12),
                        values.map(lambda v: dump(v).strip().replace("\n", " ")))


@fuzz_settings(60)
@given(fields=st.dictionaries(st.sampled_from(sorted(PROBE_TYPES)), probe_value, max_size=6),
       translation=st.booleans())
def test_random_values_in_every_field_type(harness, fields, translation):
    """Every field type and a timeline, with random and YAML-1.1-implicit values written unquoted."""
    front = 'title: "Probe"\n' + "".join(f"{name}: {value}\n" for name, value in fields.items())
    files = {"data/schema.yaml": PROBE_SCHEMA, "content/probes/x.uz.md": f"---\n{front}---\nMatn.\n"}
    if translation:
        files["content/probes/x.en.md"] = '---\ntitle: "Probe"\n---\nText.\n'
    harness.run(files)


# -- 2. random YAML data files -------------------------------------------------------

DATA_PATHS = ["data/partners.yaml", "data/department.yaml", "data/tags.yaml", "data/strings/en.yaml",
              "data/site.yaml", "data/schema.yaml"]
ORIGINAL = {**{rel: text for rel, text in BASE_FILES.items() if rel.startswith("data/")},
            "data/strings/en.yaml": (ROOT / "data/strings/en.yaml").read_text(encoding="utf-8")}


@st.composite
def yaml_file(draw):
    rel = draw(st.sampled_from(DATA_PATHS))
    text = draw(st.one_of(
        yaml_noise,
        st.text(yaml_alphabet, max_size=200),
        mutated(ORIGINAL[rel]),
        tree_mutated(ORIGINAL[rel]),
        tree_mutated(ORIGINAL[rel]),
        tree_mutated(ORIGINAL[rel]),
        values.map(dump),
        st.dictionaries(keys, values, max_size=6).map(dump),
        deep_nesting,
    ))
    return rel, text


@fuzz_settings(130)
@given(case=yaml_file())
def test_random_yaml_data_files(harness, case):
    rel, text = case
    harness.run({rel: text})


# -- 3. random bytes -------------------------------------------------------------------

VALID_NEWS = news("uz", "Yangilik — oʻzbekcha", "2025-06-12", tags="[memo]", body="Matn: «salom».\n")


@st.composite
def encoded(draw, valid: str):
    """Bytes that are not clean UTF-8 text: binary, other encodings, BOMs, NULs, CRs."""
    kind = draw(st.sampled_from(["binary", "utf16", "utf16-nobom", "utf32", "bom", "nul", "cr", "crlf",
                                 "legacy", "bad-utf8", "truncated"]))
    base = valid.encode("utf-8")
    if kind == "binary":
        return draw(st.binary(max_size=300))
    if kind == "utf16":
        return draw(st.sampled_from([b"\xff\xfe", b"\xfe\xff"])) + valid.encode(
            draw(st.sampled_from(["utf-16-le", "utf-16-be"])))
    if kind == "utf16-nobom":
        return valid.encode(draw(st.sampled_from(["utf-16-le", "utf-16-be"])))
    if kind == "utf32":
        return valid.encode("utf-32")
    if kind == "bom":
        return b"\xef\xbb\xbf" * draw(st.integers(1, 3)) + base
    if kind == "nul":
        i = draw(st.integers(0, len(base)))
        return base[:i] + b"\x00" * draw(st.integers(1, 3)) + base[i:]
    if kind == "cr":
        return base.replace(b"\n", b"\r")
    if kind == "crlf":
        return base.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\n\r", b"\r\r\n"])))
    if kind == "legacy":
        return valid.encode(draw(st.sampled_from(["cp1251", "koi8_r", "cp866", "latin-1", "cp1252"])),
                            errors="replace")
    if kind == "bad-utf8":
        i = draw(st.integers(0, len(base)))
        junk = draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80",
                                     b"\x80", b"\xe2\x82"]))
        return base[:i] + junk + base[i:]
    i = draw(st.integers(0, len(base)))
    return base[:i]  # truncated, possibly in the middle of a multi-byte character


@fuzz_settings(45)
@given(rel=st.sampled_from(["content/news/fuzz.uz.md", "content/_index.uz.md", "content/news/_index.en.md"]),
       data=st.data())
def test_random_bytes_in_content_file(harness, rel, data):
    valid = VALID_NEWS if rel == "content/news/fuzz.uz.md" else BASE_FILES[rel]
    harness.run({rel: data.draw(encoded(valid))})


@fuzz_settings(45)
@given(rel=st.sampled_from(DATA_PATHS), data=st.data())
def test_random_bytes_in_data_file(harness, rel, data):
    harness.run({rel: data.draw(encoded(ORIGINAL[rel]))})


# -- 4. random file names in content/ ----------------------------------------------------

name_alphabet = st.one_of(st.sampled_from("abcxyz0123-_. ~#%&'\"`$!?*[]{}()@+=,;:\t\n\\АЯёʻ€😀\u00a0\u200b"),
                          st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"))


def fits(name: str) -> bool:
    return name not in (".", "..") and 0 < len(name.encode("utf-8")) <= 240


@st.composite
def content_name(draw):
    stem = draw(st.one_of(st.text(name_alphabet, min_size=0, max_size=20),
                          st.sampled_from(["_index", "fuzz", "Fuzz", "index", ".hidden", "a.b", "-x-", "x--y"])))
    lang = draw(st.sampled_from(["uz", "en", "ru", "UZ", "", "uz.en", "en.", " uz", "uz "]))
    ext = draw(st.sampled_from([".md", ".md", ".md", ".MD", ".md.md", ".markdown", ".md~", "md"]))
    name = f"{stem}.{lang}{ext}" if lang else f"{stem}{ext}"
    folder = draw(st.one_of(st.just("news"), st.just(""), st.just("partners"),
                            st.text(name_alphabet, min_size=1, max_size=10).filter(fits),
                            st.builds(lambda a, b: f"news/{a}/{b}", st.sampled_from(["x", ".y", "_index"]),
                                      st.sampled_from(["z", "news"]))))
    if not fits(name):
        name = "x.uz.md"
    return f"content/{folder}/{name}" if folder else f"content/{name}"


@fuzz_settings(45)
@given(rel=content_name(), body=st.sampled_from([VALID_NEWS, "---\ntitle: x\n---\n", "", "---\n"]))
def test_random_file_names_in_content(harness, rel, body):
    harness.run({rel: body})


# -- the real command line, a few examples -------------------------------------------------

@st.composite
def any_input(draw):
    kind = draw(st.sampled_from(["front", "yaml", "bytes", "name"]))
    if kind == "front":
        return {"content/news/fuzz.uz.md": "---\n" + draw(front_text) + "\n---\n" + draw(markdown_body)}
    if kind == "yaml":
        rel, text = draw(yaml_file())
        return {rel: text}
    if kind == "bytes":
        rel = draw(st.sampled_from(DATA_PATHS))
        return {rel: draw(encoded(ORIGINAL[rel]))}
    return {draw(content_name()): VALID_NEWS}


@fuzz_settings(5)
@given(files=any_input())
def test_cli_check_never_prints_a_traceback(harness, files):
    env = {k: v for k, v in os.environ.items() if k != "SITEGEN_DEBUG"}
    with harness.applied(files):
        proc = subprocess.run([sys.executable, BUILD, "check", "--root", str(harness.site.root)],
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=120, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    assert "internal problem" not in proc.stderr, proc.stderr


# -- minimal reproductions of what the properties above found ---------------------------------
# Each input made the pipeline raise (or gave a malformed diagnostic) when this file was
# written; they stay here as plain examples, so a regression is named precisely.

STRINGS_EN = ORIGINAL["data/strings/en.yaml"]
KNOWN_CASES = {
    # load_yaml built the PyYAML loader outside its try: the reader's check for non-printable
    # characters raised yaml.reader.ReaderError from the constructor (fixed in yamlsource.py
    # while this file was being written; kept as regression tests)
    "control-character-in-front-matter": {"content/news/fuzz.uz.md": '---\ntitle: "x\x1f"\n---\n'},
    "control-character-in-data-file": {"data/tags.yaml": 'memo: "\x18"\n'},
    # construct_lenient_timestamp catches ValueError only; an explicit !!timestamp tag on
    # text that is no timestamp makes PyYAML call .groupdict() on None (AttributeError)
    "timestamp-tag-on-text-front-matter": {"content/news/fuzz.uz.md": "---\ntitle: x\ndate: !!timestamp soon\n---\n"},
    "timestamp-tag-on-text-data-file": {"data/tags.yaml": "memo: !!timestamp ru\n"},
    # load_strings keys `table` by str(key) but `lines` by the YAML key: KeyError '1'
    "ui-string-with-a-number-as-name": {"data/strings/en.yaml": STRINGS_EN + "1: one\n"},
    # load_schema / _field assume mappings, lists and strings where the editor wrote anything
    "schema-content-is-a-list": {"data/schema.yaml": "content: [news]\ndata: {}\n"},
    "schema-content-is-true": {"data/schema.yaml": "content: true\ndata: {}\n"},
    "schema-data-is-a-list": {"data/schema.yaml": "content: {}\ndata: [partners]\n"},
    "schema-content-type-is-a-list": {"data/schema.yaml": "content:\n  news: [x]\ndata: {}\n"},
    "schema-data-file-is-text": {"data/schema.yaml": "content: {}\ndata:\n  tags: map\n"},
    "schema-fields-is-a-number": {"data/schema.yaml": "content:\n  news:\n    fields: 5\ndata: {}\n"},
    "schema-values-is-a-number": {"data/schema.yaml": "content:\n  news:\n    fields:\n"
                                                      "      role: {type: choice, values: 5}\ndata: {}\n"},
    "schema-type-is-a-list": {"data/schema.yaml": "content:\n  news:\n    fields:\n"
                                                  "      x: {type: [text]}\ndata: {}\n"},
    # build_model iterates a collection's data file whatever it holds: TypeError on a number
    "collection-file-is-a-number": {"data/partners.yaml": "101010\n"},
    # diagnostics that quote an editor's text verbatim: a line break inside it splits the message
    "field-name-with-a-line-break": {"content/news/fuzz.uz.md": '---\ntitle: x\n"a\\nb": 1\n---\n'},
    "tag-with-a-line-break": {"content/news/fuzz.uz.md": '---\ntitle: x\ntags: ["a\\rb"]\n---\n'},
    "language-key-with-a-line-break": {"data/tags.yaml": 'memo: {"u\\nz": x}\n'},
}


@pytest.mark.parametrize("files", list(KNOWN_CASES.values()), ids=list(KNOWN_CASES))
def test_found_by_fuzzing(harness, files):
    harness.run(files)


def alias_bomb(depth: int) -> str:
    """A few lines of YAML whose aliases expand to 2**depth values."""
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def _limit_memory():  # pragma: no cover - runs in the child process
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def test_alias_bomb_in_a_data_file_does_not_hang_the_build(site):
    """`localize` (sitegen/i18n.py) copies every aliased subtree once per reference, so a
    few lines of anchors and aliases take exponential time and memory (depth 18: 16 s and
    1.1 GB). A check of the tiny site takes well under a second; allow ten times that."""
    site.write("data/tags.yaml", alias_bomb(40))
    env = {k: v for k, v in os.environ.items() if k != "SITEGEN_DEBUG"}
    try:
        proc = subprocess.run([sys.executable, BUILD, "check", "--root", str(site.root)], capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=8, env=env,
                              preexec_fn=_limit_memory if os.name == "posix" else None)
    except subprocess.TimeoutExpired:
        pytest.fail("`build.py check` did not finish within 8 s on a 41-line data file of YAML aliases")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal problem" not in proc.stderr, proc.stderr
