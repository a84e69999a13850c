"""The libyaml fast path of `load_yaml` gives exactly what the pure-Python loader gives.

Every text is loaded both ways and compared value by value, including the line and
column bookkeeping of `Mapping` and `Sequence` and the list of problems. Text the fast
path is not sure about must reach the pure-Python loader, so its messages stay the same.
"""

from __future__ import annotations

import os

import pytest
import yaml

from conftest import ROOT
from sitegen.lib import yamlsource
from sitegen.sources import split_front_matter
from sitegen.lib.yamlsource import Mapping, Sequence, load_yaml

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")


# -- comparing two results exactly ---------------------------------------------------------

def assert_same(fast, slow, path="value"):
    """`fast` and `slow` are equal, with the same types and the same line bookkeeping."""
    assert type(fast) is type(slow), f"{path}: {type(fast).__name__} != {type(slow).__name__}"
    if isinstance(slow, Mapping):
        for attr in ("line", "column", "lines", "cols", "raw"):
            assert getattr(fast, attr) == getattr(slow, attr), f"{path}.{attr}"
        assert [(type(k), repr(k)) for k in fast] == [(type(k), repr(k)) for k in slow], f"{path}: keys"
        for key in slow:
            assert_same(fast[key], slow[key], f"{path}[{key!r}]")
    elif isinstance(slow, Sequence):
        for attr in ("line", "column", "lines", "cols"):
            assert getattr(fast, attr) == getattr(slow, attr), f"{path}.{attr}"
        assert len(fast) == len(slow), f"{path}: length"
        for index, (a, b) in enumerate(zip(fast, slow)):
            assert_same(a, b, f"{path}[{index}]")
    else:  # text, numbers (nan too), booleans, None, dates with their time zones
        assert repr(fast) == repr(slow), f"{path}: {fast!r} != {slow!r}"


def assert_same_result(fast, slow):
    (fast_value, fast_problems), (slow_value, slow_problems) = fast, slow
    assert fast_problems == slow_problems
    assert_same(fast_value, slow_value)


def check(text: str, first_line: int = 2) -> bool:
    """`load_yaml` agrees with the pure-Python loader on `text`, and so does the fast path
    wherever it claims to be exact and does not give up. Returns whether it was used."""
    slow = yamlsource._load_slow(text, first_line)
    assert_same_result(load_yaml(text, first_line), slow)
    if not yamlsource._fast_path_is_exact(text):
        return False
    try:
        fast = yamlsource._load_fast(text, first_line)
    except Exception:  # noqa: BLE001 - load_yaml falls back, checked above
        return False
    assert_same_result(fast, slow)
    return True


# -- the project's own files -----------------------------------------------------------------

def project_texts():
    texts = {}
    for path in sorted((ROOT / "content").rglob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts:
            texts[path.relative_to(ROOT).as_posix()] = parts[0]
    for path in sorted((ROOT / "data").rglob("*.yaml")):
        texts[path.relative_to(ROOT).as_posix()] = path.read_text(encoding="utf-8")
    return texts


PROJECT = project_texts()


def test_the_project_has_yaml_to_compare():
    assert sum(name.startswith("content/") for name in PROJECT) >= 10
    assert sum(name.startswith("data/") for name in PROJECT) >= 3


@pytest.mark.parametrize("name", list(PROJECT))
def test_project_file(name):
    check(PROJECT[name])


@needs_libyaml
def test_most_project_front_matters_take_the_fast_path():
    fronts = [text for name, text in PROJECT.items() if name.startswith("content/")]
    fast = sum(check(text) for text in fronts)
    assert fast >= 0.9 * len(fronts), f"only {fast} of {len(fronts)} front matters took the fast path"


# -- hand-written cases ------------------------------------------------------------------------

def nested_block(depth: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + f"{'  ' * depth}leaf: x\n"


TRICKY = {
    "ordinary front matter": 'title: "Boʻlim haqida"\ndate: 2024-05-01\ntags: [a, b]\nweight: 10\n',
    "dates": "date: 2024-05-01\nat: 2024-05-01 10:30:00\nzoned: 2024-05-01T10:30:00+05:00\n"
             "utc: 2001-12-14t21:59:43.10Z\nlist: [2024-01-01, 2024-1-2]\n",
    "invalid dates": "date: 2025-02-30\nat: 2024-05-01 25:61:00\nmonth: 2024-13-01\n",
    "booleans": "draft: no\npublished: yes\non: off\nY: n\nflag: True\nnothing: ~\nnull: Null\nempty:\n",
    "okina and apostrophes": 'title: "Boʻlim haqida"\nname: \'Oʻzbekiston ʼ\'\nplain: Oʻzbekiston taʼlim\n'
                             "ʻkey: ʼvalue\n",
    "nested lists of mappings": "people:\n  - name: A\n    roles: [x, y]\n  - name: B\n    links:\n"
                                "      - {url: 'https://x.org', label: X}\n      - url: https://y.org\n"
                                "        label: Y\n",
    "indentless sequence": "menu:\n- a\n- b:\n    c: d\n- - x\n  - y\n",
    "flow style": "tags: [a, b, c]\nmeta: {a: 1, b: [2, 3], c: {d: e}}\nempty: []\nnone: {}\n"
                  'json: {"a": 1, "b": [true, null]}\nmulti: [a,\n  b, {c: d},\n  ]\nsingle: [a: 1, b]\n',
    "duplicate keys": "title: a\ntitle: b\nsub:\n  x: 1\n  x: 2\nlist: [{k: 1, k: 2}]\n",
    "duplicate keys of other types": "1: a\n1.0: b\nyes: c\ntrue: d\n~: e\nnull: f\n",
    "unhashable keys": "[a, b]: c\n{x: 1}: y\nok: z\n",
    "explicit keys": "? a\n: 1\n? b\n? - c\n  - d\n: e\n",
    "merge key": "a:\n  <<: {x: 1, y: 2}\n  y: 3\nb:\n  <<: [{p: 1}, {q: 2}]\n",
    "empty document": "",
    "blank lines": "  \n\n   \n",
    "comments only": "# just a comment\n  # another\n",
    "comments everywhere": "# top\na: 1 # after\n# between\nb: [x, # in flow\n  y]\n",
    "multi-line strings": "summary: >\n  folded\n  text\n\n  para\nbody: |\n  line 1\n   line 2\n"
                          "keep: |+\n  a\n\nstrip: >-\n  b\nindent: |2\n    four\n  two\n",
    "plain multi-line": "summary: one\n  two\n\n  three\nnext: x\n",
    "quoted multi-line": 'a: "x\n  y\\\n  z"\nb: \'p\n\n  q\'\n',
    "escapes": 'a: "\\t\\n\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\/\\\\\\""\nb: \'it\'\'s\'\n',
    "numbers": "a: 0x1F\nb: 0o17\nc: 1_000\nd: 1.5e3\ne: .nan\nf: -.inf\ng: 1:30\nh: 017\ni: +12\n"
               "j: 0b101\nk: 190:20:30.15\nl: 6.8523015e+5\nm: 12345678901234567890\n",
    "strings that look like other things": "a: '2024-01-01'\nb: \"yes\"\nc: '1.5'\nd: 1.2.3\ne: 0x\n",
    "special characters in text": "a: Erasmus+ call\nb: 50% off\nc: a#b\nd: x - y\ne: 'a: b'\nf: \"@x\"\n"
                                  "g: a|b>c\nh: -1\ni: -x\nj: ?x\nk: :x\nl: x:y\n",
    "question mark outside brackets": "title: What is new?\nq: ? \n",
    "question mark before brackets": 'summary: "Why? Because."\nplain: why?\ntags: [a, b]\nmeta: {c: d}\n',
    "question mark after brackets": 'tags: [a, b]\nsummary: "Why? Because."\n',
    "colons in flow": "a: [x:y, 'p':q, {u:v}]\nb: {\"k\":1}\n",
    "astral characters and columns": "😀: {a: [1, 2]}\n'😀😀': [x, {y: z}]\nk: 😀😀 {not: flow}\n",
    "empty items and values": "- \n-\n- a:\n  b:\n- [ ]\n- {}\n- ''\n",
    "scalar document": "just some text\n",
    "number document": "42\n",
    "list document": "- a\n- b\n",
    "bare null": "~\n",
    "trailing spaces": "a: b   \nc: 'd'   \n",
    "no final line break": "a: b",
    "stars in text": 'summary: "a *b* **c**"\nplain: a *b* c\nsingle: \'*x*\'\n',
    "asterisk as bullet": "text: |\n  * one\n  * two\n",
    "long document": "".join(f'k{i}: "Boʻlim {i} 😀"\nl{i}:\n  - a\n  - b: ʻ{i}\n' for i in range(1500)),
    "many flow collections": "".join(f"l{i}: [a, {{b: ʻ{i}}}]\n" for i in range(100)),
    "nesting within the limits": nested_block(11) + "list: " + "[" * 20 + "]" * 20 + "\n",
    # syntax errors: the fast path gives up and the pure-Python loader reports them
    "colon in value": "title: Erasmus+: a new call\n",
    "unclosed quote": 'title: "abc\nnext: x\n',
    "unclosed bracket": "tags: [a, b\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "at sign": "a: @b\n",
    "backtick": "a: `b`\n",
    "missing colon": "a\nb: 1\n",
    "missing comma": "a: [x y: z\n",
    "bad escape": 'a: "\\q"\n',
    "bad block indentation": "a: |0\n  x\n",
    "block header with comment": "a: |# c\n  x\nb: >-#\n  y\n",
    "flow with question mark": "tags: [what?, b]\nq: [a?b]\nm: {? x}\n",
    # routed to the pure-Python loader outright
    "tab after colon": "a:\tb\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab in quotes": 'a: "x\ty"\n',
    "control character": 'title: "x\x1f"\n',
    "nul character": "a: b\x00\n",
    "delete character": "a: \x7f\n",
    "lone surrogate": "a: \ud800\n",
    "byte-order mark": "\ufeffa: 1\n",
    "carriage returns": "a: 1\r\nb: 2\r\n",
    "lone carriage return": "a: 1\rb: 2\n",
    "next line": "a: 1\x85b: 2\n",
    "line separator": "a: 1\u2028b: 2\n",
    "paragraph separator": "a: 'x\u2029y'\n",
    "alias": "a: &x 1\nb: *x\n",
    "undefined alias": "a: *x\n",
    "alias as key": "*x : 1\n",
    "merge through an alias": "base: &b {x: 1}\nother:\n  <<: *b\n",
    "anchor only": "a: &x 1\n",
    "ampersand in text": "title: R&D\n",
    "tags": "a: !!str 1\nb: !!timestamp soon\nc: !\nd: ! 1\ne: [!, ! x]\n",
    "exclamation mark in text": "title: Welcome!\n",
    "YAML directive": "%YAML 1.1\n---\na: 1\n",
    "YAML 1.3 directive": "%YAML 1.3\n---\na: 1\n",
    "TAG directive": "%TAG ! tag:example.com,2000:\n---\na: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "document end marker": "a: 1\n...\n",
    "document start marker": "--- \na: 1\n",
    "long key": "k" * 1100 + ": v\n",
    "long quoted key": '"' + "k" * 1030 + '": v\n',
    "long value": "k: " + "v" * 1100 + "\n",
    "deep flow": "a: " + "[" * 60 + "]" * 60 + "\n",
    "very deep flow": "[" * 3000 + "]" * 3000 + "\n",
    "deep block": nested_block(30),
    "very deep block": "".join(f"{'  ' * level}- \n" for level in range(400)),
}


@pytest.mark.parametrize("first_line", [1, 2, 17])
@pytest.mark.parametrize("name", list(TRICKY))
def test_tricky_case(name, first_line):
    check(TRICKY[name], first_line)


@needs_libyaml
@pytest.mark.parametrize("name", ["ordinary front matter", "dates", "invalid dates", "booleans",
                                  "okina and apostrophes", "nested lists of mappings", "flow style",
                                  "duplicate keys", "unhashable keys", "empty document",
                                  "multi-line strings", "stars in text", "long document", "nesting within the limits",
                                  "question mark before brackets"])
def test_ordinary_cases_take_the_fast_path(name):
    assert check(TRICKY[name]), f"{name!r} fell back to the pure-Python loader"


def test_problems_are_the_familiar_ones():
    """A few results spelled out, so the comparison above is not between two wrong answers."""
    value, problems = load_yaml(TRICKY["duplicate keys"], first_line=2)
    assert value == {"title": "b", "sub": {"x": 2}, "list": [{"k": 2}]}
    assert [(p.line, p.column) for p in problems] == [(3, 1), (6, 3), (7, 15)]
    assert problems[0].message == "the field 'title' is written twice (first on line 2)"
    value, problems = load_yaml("a: 1\nb: *x\n", first_line=2)
    assert value is None and problems[0].message == "YAML syntax error: aliases (*name) are not supported here"
    assert (problems[0].line, problems[0].column) == (3, 4)
    value, problems = load_yaml(TRICKY["invalid dates"])
    assert value["date"] == "2025-02-30" and value.raw["date"] == "2025-02-30" and not problems
    value, problems = load_yaml(TRICKY["very deep flow"])
    assert value is None and problems[0].message == "YAML nesting is too deep"


# -- the fast path is really used, and really falls back -------------------------------------

def refuse(*args, **kwargs):
    raise AssertionError("the pure-Python loader was used")


@needs_libyaml
def test_an_ordinary_front_matter_does_not_reach_the_pure_python_loader(monkeypatch):
    text = TRICKY["ordinary front matter"]
    expected = yamlsource._load_slow(text, 2)
    monkeypatch.setattr(yamlsource, "_load_slow", refuse)
    monkeypatch.setattr(yamlsource._Loader, "__init__", refuse)
    result = load_yaml(text, first_line=2)
    assert_same_result(result, expected)
    assert result[0].lines == {"title": 2, "date": 3, "tags": 4, "weight": 5}


def test_without_libyaml_everything_takes_the_pure_python_loader(monkeypatch):
    text = TRICKY["ordinary front matter"]
    expected = yamlsource._load_slow(text, 2)
    monkeypatch.setattr(yamlsource, "_FastLoader", None)
    monkeypatch.setattr(yamlsource, "_load_fast", refuse)
    assert not yamlsource._fast_path_is_exact(text)
    assert_same_result(load_yaml(text, 2), expected)


def test_any_failure_on_the_fast_path_falls_back(monkeypatch):
    text = TRICKY["ordinary front matter"]
    expected = yamlsource._load_slow(text, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("libyaml broke")

    monkeypatch.setattr(yamlsource, "_load_fast", broken)
    assert_same_result(load_yaml(text, 2), expected)


@needs_libyaml
def test_errors_are_reported_by_the_pure_python_loader(monkeypatch):
    calls = []
    real = yamlsource._load_slow
    monkeypatch.setattr(yamlsource, "_load_slow", lambda *args: calls.append(args) or real(*args))
    value, problems = load_yaml("title: Erasmus+: a new call\n", first_line=2)
    assert calls and value is None
    assert problems[0].hint.startswith("text that contains ': ' must be in double quotes")


@needs_libyaml
@pytest.mark.parametrize("text", [
    "a: &x 1\n", "title: R&D\n", "a: !!str 1\n", "a:\tb\n", "a: 1\r\n", "\ufeffa: 1\n", "a: \x85\n",
    "a: 'x\x1f'\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n...\n", "a: [x?]\n", "a: {x: y}\nb: why?\n",
    "a: |#\n  x\n", "k" * 1025 + ": v\n", "a: " + "[" * 51 + "]" * 51 + "\n", " " * 24 + "a: 1\n", "- " * 12 + "x\n",
])
def test_doubtful_text_is_left_to_the_pure_python_loader(text):
    assert not yamlsource._fast_path_is_exact(text)


@needs_libyaml
def test_an_alias_without_anchor_fails_on_the_fast_path_and_is_refused_as_before():
    # Text with "*" but no "&" is left to the fast path (a third of a typical corpus has *emphasis*
    # in a summary); an alias there can only be undefined, which libyaml refuses.
    text = "title: x\nsummary: *x\n"
    assert yamlsource._fast_path_is_exact(text)
    with pytest.raises(yaml.composer.ComposerError):
        yamlsource._load_fast(text, 2)
    value, problems = load_yaml(text, 2)
    assert value is None
    assert problems == [yamlsource.YamlProblem(3, "YAML syntax error: aliases (*name) are not supported here", 10)]


# -- random texts (hypothesis) -------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=int(os.environ.get("SITEGEN_YAML_FUZZ", "400")), deadline=None, database=None,
                derandomize=bool(os.environ.get("CI")), suppress_health_check=list(HealthCheck))

# Pieces of YAML syntax, mostly of the kinds the fast path accepts, some it refuses.
PIECES = [
    "a", "b", "key", "title", ": ", ":", "- ", "-", "\n", "\n", "\n", "  ", " ", "    ", "[", "]", "{", "}",
    ", ", ",", "'", '"', "''", "# c", " #", "|", ">", "|-", ">+", "|2", "|0", "? ", "?", "2025-02-30",
    "2024-01-01", "2024-01-01 10:00:00", "2001-12-14t21:59:43.10-05:00", "yes", "no", "on", "~", "null",
    "1.5", "0x1F", "0o7", "1_000", ".nan", "-.inf", "1:30", "1e3", "ʻ", "ʼ", "é", "😀", "\xa0", "\\", "\\n",
    "\\x41", "\\u00e9", "\\N", "\\_", "\\ud800", "\\\n", "<<: ", "<<", "@", "`", "%", "*a", "*", "=",
    "--", "..", "x" * 30, "\n  - ", "\n- ", "\n  ", "\n    ", ": |\n  ", ": >-\n  ", "\n\n", " \n", ":\n",
    "-\n", "?\n",
    # refused outright
    "&a ", "!", "!!str ", "\t", "\r", "\x85", "\u2028", "\ufeff", "\x07", "---", "...", "%YAML 1.1\n",
]


@st.composite
def yamlish(draw):
    pieces = st.sampled_from(PIECES) | st.characters(min_codepoint=32, max_codepoint=0x2FFF)
    return "".join(draw(st.lists(pieces, max_size=40)))


@FUZZ
@given(text=yamlish(), first_line=st.sampled_from([1, 2]))
def test_random_yamlish_text(text, first_line):
    check(text, first_line)


SCALARS = (st.text(max_size=12) | st.integers() | st.floats() | st.booleans() | st.none()
           | st.dates() | st.sampled_from(["yes", "no", "2025-02-30", "1:30", "~", "a: b", "- x", "#", "*x"]))


def containers(children):
    return st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers(), children, max_size=4)


DOCUMENTS = st.recursive(SCALARS, containers, max_leaves=25)


@FUZZ
@given(data=DOCUMENTS, flow=st.sampled_from([None, False, True]), width=st.sampled_from([20, 80]),
       indent=st.sampled_from([2, 4]), unicode=st.booleans())
def test_random_documents_as_pyyaml_writes_them(data, flow, width, indent, unicode):
    text = yaml.safe_dump(data, default_flow_style=flow, width=width, indent=indent, allow_unicode=unicode)
    check(text)
