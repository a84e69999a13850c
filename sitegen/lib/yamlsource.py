"""YAML loading that remembers where every key and list item was written.

Only PyYAML's safe loader is used. Mappings come back as `Mapping` (a dict
with `.line` and `.lines[key]`), sequences as `Sequence` (a list with `.line`
and `.lines[i]`), so later stages can point an editor at the exact line.
Errors never escape as exceptions: `load_yaml` returns them as data.

Fast path: when PyYAML was built with libyaml, the text is parsed and composed
into nodes in C, and those nodes are built into values by the same Python
constructors and resolver the pure-Python loader uses, so values, lines, columns
and problems are the same. It is only tried on text where the two parsers are
known to agree (`_fast_path_is_exact`: no anchors or tags, no tabs, unusual line
breaks or refused characters, no directives or document markers, no overlong
lines, shallow nesting); for anything else, and after any exception on the fast
path, the pure-Python loader runs, so every error message stays its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from .textfile import read_text


class Mapping(dict):
    """A dict that knows where its keys were written (and how scalar values were spelled)."""

    line: int = 0
    column: int = 0
    lines: dict
    cols: dict = {}
    raw: dict = {}  # key -> the value exactly as written, for scalars ("no" before it became False)

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, self.line if default is None else default)

    def col_of(self, key) -> int:
        return self.cols.get(key, 0)


class Sequence(list):
    line: int = 0
    column: int = 0
    lines: list
    cols: list = []
    raws: list = []  # each item exactly as written, for scalars (None for the others)

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line

    def col_of(self, index: int) -> int:
        return self.cols[index] if 0 <= index < len(self.cols) else self.column


@dataclass(frozen=True)
class YamlProblem:
    line: int
    message: str
    column: int = 0
    hint: str = ""


# Plain-language advice for the YAML mistakes editors make most.
HINTS = (
    ("mapping values are not allowed", "text that contains ': ' must be in double quotes, "
                                       'e.g. title: "Open day: a new date"'),
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("could not find expected ':'", "every field is written as name: value"),
    ("expected <block end>", "check the indentation: fields at the same level start in the same column"),
    ("found undefined alias", "text that starts with * or & must be in double quotes"),
    ("found unexpected end of stream", "a quote or bracket is opened here but never closed"),
    ("found character '@'", "text that starts with @ or ` must be in double quotes"),
    ("expected ',' or ']'", "a list in brackets needs commas between items and a closing ]"),
    ("expected ',' or '}'", "a mapping in braces needs commas between items and a closing }"),
    ("did not find expected key", "check the indentation and that every field is written as name: value"),
    ("did not find expected '-' indicator", "list items start with '- ' at the same indentation"),
)


def read_yaml_file(path, diags):
    """A YAML file's value, with every problem (encoding, emptiness, syntax) reported; None if unusable."""
    text = read_text(path, diags)
    if text is None:
        return None
    value, problems = load_yaml(text)
    report(problems, path, diags)
    if value is None and not problems:  # nothing at all, only comments, or a bare null
        diags.error(path, 0, "the file is empty", hint="write its fields, or delete the file")
    return value


def report(problems, path, diags) -> None:
    """Pass YAML problems on to a Diagnostics collector as errors."""
    for problem in problems:
        diags.error(path, problem.line, problem.message, column=problem.column, hint=problem.hint)


_STR_TAG = "tag:yaml.org,2002:str"
# title: 'Uzbekistan's day': the apostrophe closes the single-quoted text
_APOSTROPHE_IN_SINGLE_QUOTES = re.compile(r"(?:^|[:\-,\[{]\s*)'[^'\n]*?[A-Za-z]'[A-Za-z]")
# home: "Bosh "sahifa""   <- a double quote inside "..." ends the text, and more text follows
_QUOTE_IN_DOUBLE_QUOTES = re.compile(r'(?:^|[:\-,\[{]\s*)"(?:[^"\\\n]|\\.)*"[ \t]*[^\s#,}\]:]')
# title: "Open day   <- the double quote is not closed on its line, so the text runs on
# to the next quote, in a later field, and YAML stumbles there
_FIELD = re.compile(r'^\s*(?:-\s+)?[^\s:#"\'][^:#"]*:(?:$|\s+("?))')  # group 1: a value's opening quote


class _LineConstructor(yaml.constructor.SafeConstructor):
    """Safe constructor whose containers carry line numbers; duplicate keys are problems.

    Both loaders below build their values with it, whoever composed the nodes."""

    first_line: int
    problems: list[YamlProblem]

    def construct_object(self, node, deep=False):
        # Most values are plain text, for which PyYAML's general machinery (its cache of
        # constructed nodes, the lookup of construct_yaml_str) ends in `node.value` anyway;
        # taking it directly saves a good part of the time spent building a front matter.
        if type(node) is yaml.ScalarNode and node.tag == _STR_TAG:
            return node.value
        return super().construct_object(node, deep)

    def _line(self, node) -> int:
        return node.start_mark.line + self.first_line

    def construct_line_mapping(self, node):
        self.flatten_mapping(node)
        result = current = self._mapping(node.start_mark)
        # an item of a list written as a block (a record), where a "- " can be left out
        item = id(node) in getattr(self, "_items", ()) and not node.flow_style
        first = None
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                self.problems.append(YamlProblem(self._line(key_node), "a field name must be plain text",
                                                 key_node.start_mark.column + 1))
                continue
            if isinstance(key, str) and key[:1] in NO_BREAK_SPACES:
                self.problems.append(YamlProblem(
                    self._line(key_node), f"the field name '{key.lstrip(NO_BREAK_SPACES)}' is indented with a "
                    "non-breaking space (U+00A0), which YAML takes as part of the name", 1,
                    "indent it with ordinary spaces (it is often pasted from a web page or a word processor)"))
                key = key.lstrip(NO_BREAK_SPACES)
            first = key if first is None else first
            if key in current and item and key == first:
                # a record's first field again: the next record, its "- " left out. It is read as
                # the record of its own it was meant to be (construct_line_sequence puts it after
                # this one), so neither its fields nor references to it make more messages
                self.problems.append(YamlProblem(
                    self._line(key_node),
                    f"the field '{key}' comes again (first on line {current.lines[key]}): "
                    "a record of its own starts here without its '- '",
                    key_node.start_mark.column + 1,
                    f"begin it with '- ' where the other records begin: - {key}: ...",
                ))
                current.next_record = self._mapping(key_node.start_mark)
                current = current.next_record
            elif key in current:
                self.problems.append(YamlProblem(
                    self._line(key_node),
                    f"the field '{key}' is written twice (first on line {current.lines[key]})",
                    key_node.start_mark.column + 1,
                    "keep one of them; the last one would silently win",
                ))
            current[key] = self.construct_object(value_node, deep=True)
            current.lines[key] = self._line(key_node)
            current.cols[key] = key_node.start_mark.column + 1
            if isinstance(value_node, yaml.ScalarNode):
                current.raw[key] = value_node.value
        return result

    def _mapping(self, mark) -> Mapping:
        made = Mapping()
        made.line = mark.line + self.first_line
        made.column = mark.column + 1
        made.lines, made.cols, made.raw = {}, {}, {}
        return made

    def construct_lenient_timestamp(self, node):
        """A date-shaped value that is no real date (2025-02-30) stays text, so the
        model can report it against its field instead of the loader crashing."""
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, TypeError, AttributeError):  # also `!!timestamp soon`
            return self.construct_scalar(node)

    def construct_line_sequence(self, node):
        if not hasattr(self, "_items"):
            self._items = set()
        self._items.update(id(child) for child in node.value)
        result = Sequence()
        result.line = self._line(node)
        result.column = node.start_mark.column + 1
        result.lines, result.cols, result.raws = [], [], []
        for child in node.value:
            value = self.construct_object(child, deep=True)
            result.append(value)
            result.lines.append(self._line(child))
            result.cols.append(child.start_mark.column + 1)
            result.raws.append(child.value if isinstance(child, yaml.ScalarNode) else None)
            while isinstance(value, Mapping) and getattr(value, "next_record", None) is not None:
                value = value.next_record  # a record written without its "- " (construct_line_mapping)
                result.append(value)
                result.lines.append(value.line)
                result.cols.append(value.column)
                result.raws.append(None)
        return result


_LineConstructor.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _LineConstructor.construct_line_mapping)
_LineConstructor.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
                                 _LineConstructor.construct_line_sequence)
_LineConstructor.add_constructor("tag:yaml.org,2002:timestamp", _LineConstructor.construct_lenient_timestamp)


class _Loader(yaml.SafeLoader, _LineConstructor):
    """The pure-Python loader: PyYAML's own reader, scanner, parser and composer."""

    def __init__(self, stream, first_line: int):
        super().__init__(stream)
        self.first_line = first_line
        self.problems: list[YamlProblem] = []

    def compose_node(self, parent, index):
        # Aliases (*name) could make a small file expand exponentially ("billion laughs");
        # editors never need them, so they are refused.
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not supported here",
                                              event.start_mark)
        return super().compose_node(parent, index)


if yaml.__with_libyaml__:
    class _FastLoader(yaml.cyaml.CParser, _LineConstructor, yaml.resolver.Resolver):
        """libyaml composes the nodes; the constructor and resolver are the Python ones."""

        def __init__(self, stream, first_line: int):
            yaml.cyaml.CParser.__init__(self, stream)
            _LineConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.first_line = first_line
            self.problems: list[YamlProblem] = []
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None

# What the fast path leaves to the pure-Python loader (see the module's docstring). `&` could
# define an anchor: without one every alias (*name) is undefined, libyaml fails on it and the
# pure-Python loader refuses it with its own message. `!` starts a tag, and the two resolve an
# empty node tagged `!` differently. The rest are line breaks, a byte-order mark and a tab,
# which the two treat differently.
_SLOW_CHARACTERS = "&!\t\r\x85\u2028\u2029\ufeff"
# Searched in "\n" + text: document markers, directives, and a line whose run of spaces, "-"
# and "?" reaches column 24. A block collection starts no further right than that run ends and
# two levels of nesting need a new column, so this bounds block nesting (about 50 levels) well
# below where either loader would run out of recursion.
_SLOW_LINES = re.compile(r"\n(?:---|\.\.\.|%|[ ?-]{24})")
# A block scalar's header with a comment right after it ("|#"): libyaml accepts it, PyYAML does not.
_SLOW_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*#")
_MAX_FLOW_OPENERS = 50  # "[" and "{", which bound the flow nesting
_MAX_LINE = 1024  # the longest simple key YAML allows


def _fast_path_is_exact(text) -> bool:
    """Whether libyaml is certain to compose `text` exactly as the pure-Python loader would."""
    if _FastLoader is None or type(text) is not str:
        return False
    if any(character in text for character in _SLOW_CHARACTERS):
        return False
    if yaml.reader.Reader.NON_PRINTABLE.search(text) or _SLOW_LINES.search("\n" + text):
        return False
    if _SLOW_BLOCK_HEADER.search(text):
        return False
    flow_openers = text.count("[") + text.count("{")
    if flow_openers > _MAX_FLOW_OPENERS:
        return False
    if flow_openers and "?" in text:
        # Inside brackets or braces libyaml reads "?" in plain text as text, PyYAML as the key
        # indicator; a "?" can only be inside them if one was opened before it.
        first_opener = min(i for i in (text.find("["), text.find("{")) if i >= 0)
        if text.find("?", first_opener) >= 0:
            return False
    return len(text) <= _MAX_LINE or max(map(len, text.split("\n"))) <= _MAX_LINE


def _unclosed_double_quote(lines: list[str]) -> tuple[int, int] | None:
    """Where a field of `lines` (the lines before a syntax error) opens a double quote
    that its line does not close, with no double quote on the lines after it, which the
    text then runs on through: (index, column of the quote), or None."""
    for index in range(len(lines) - 1, -1, -1):
        found = _FIELD.match(lines[index])
        if found and found.group(1):
            rest = lines[index][found.end(1):].replace("\\\\", "").replace('\\"', "")
            return (index, found.start(1)) if '"' not in rest else None
        if '"' in lines[index]:
            return None  # a quote of its own: the text of a field above does not run on through it
    return None


NO_BREAK_SPACES = "\u00a0\u2007\u202f"  # spaces that are no space to YAML
_TYPOGRAPHIC_QUOTE = re.compile(r"^\s*(?:-\s+)?[^\s:#][^:#]*:\s+([“”„«»‘’])")


def _invisible_causes(lines: list[str], first_line: int, line: int, column: int, hint: str) -> tuple[int, int, str]:
    """The place and hint of a syntax error whose cause an editor cannot see: a line
    indented with a non-breaking space (pasted from a web page), or a value that starts
    with a typographic quote, which YAML reads as a letter (a word processor's “...”)."""
    for index, written in enumerate(lines[: max(0, line - first_line + 1)]):
        indent = written[: len(written) - len(written.lstrip())]
        if any(space in indent for space in NO_BREAK_SPACES):
            return (index + first_line, next(i for i, c in enumerate(indent) if c in NO_BREAK_SPACES) + 1,
                    "this line is indented with a non-breaking space (U+00A0), often pasted from a web page "
                    "or a word processor: indent it with ordinary spaces")
    written = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    found = _TYPOGRAPHIC_QUOTE.match(written)
    if found:
        return (line, found.start(1) + 1,
                f"the value starts with the typographic quote {found.group(1)}, which YAML reads as a letter: "
                'put the text in straight double quotes "..." (typographic quotes can stay inside them)')
    return line, column, hint


def _codepoint(character) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def load_yaml(text: str, first_line: int = 1):
    """Parse `text`; line numbers are shifted so the text's first line is `first_line`.

    Returns `(value, problems)`. On a syntax error the value is None.
    """
    if _fast_path_is_exact(text):
        try:
            return _load_fast(text, first_line)
        except Exception:  # noqa: BLE001 - whatever went wrong, the pure-Python loader has the say
            pass
    return _load_slow(text, first_line)


def _load_fast(text: str, first_line: int = 1):
    """`(value, problems)` through libyaml; raises on anything `_load_slow` would report as a problem."""
    loader = _FastLoader(text, first_line)
    try:
        return loader.get_single_data(), loader.problems
    finally:
        loader.dispose()


def _load_slow(text: str, first_line: int = 1):
    """`(value, problems)` through PyYAML's pure-Python loader, with friendly messages for errors."""
    try:
        loader = _Loader(text, first_line)
    except yaml.reader.ReaderError as exc:  # a control character the YAML reader refuses
        line = text[: exc.position].count("\n") + first_line
        return None, [YamlProblem(line, f"the text holds an invisible control character ({_codepoint(exc.character)}) "
                                        "that YAML does not allow", 0, "delete it; it is often invisible")]
    try:
        value = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "cannot be read as YAML"
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in problem and exc.context_mark:
            mark = exc.context_mark  # where the unclosed quote or bracket was opened
        line = mark.line + first_line if mark else first_line
        column = mark.column + 1 if mark else 0
        hint = next((h for pattern, h in HINTS if pattern in problem), "")
        if "end of stream" not in problem:
            opened = _unclosed_double_quote(text.split("\n")[: max(0, line - first_line)])
            if opened is not None:
                line, column = opened[0] + first_line, opened[1] + 1
                hint = ('the double quote opened here is not closed on its line, so the text runs on into '
                        'the next field: close it with " (a quote inside the text is written \\")')
        for number in {line, (exc.context_mark.line + first_line) if exc.context_mark else line}:
            written = text.split("\n")[number - first_line] if 0 <= number - first_line < text.count("\n") + 1 else ""
            if _APOSTROPHE_IN_SINGLE_QUOTES.search(written):
                line, column = number, 0
                hint = ("an apostrophe inside '...' ends the text: put the text in double quotes, "
                        "or write Uzbek oʻ, gʻ and ʼ with their own letters")
            elif "<block end>" in problem and _FIELD.match(written) and not written.startswith((" ", "-")) \
                    and any(earlier.startswith("- ") for earlier in text.split("\n")[: number - first_line]):
                line, column = number, 1
                hint = f"a record of the list starts with '- ': write - {written.strip()}"
            elif "<block end>" in problem and _QUOTE_IN_DOUBLE_QUOTES.search(written):
                line, column = number, 0
                hint = ('a double quote inside "..." ends the text: write it as \\" or use the quotation '
                        'marks “ ” or « »')
        line, column, hint = _invisible_causes(text.split("\n"), first_line, line, column, hint)
        return None, [YamlProblem(line, f"YAML syntax error: {problem}", column, hint)]
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + first_line
        return None, [YamlProblem(line, f"the text holds an invisible control character ({_codepoint(exc.character)}) "
                                        "that YAML does not allow", 0, "delete it; it is often invisible")]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(first_line, f"YAML error: {exc}")]
    except RecursionError:
        return None, [YamlProblem(first_line, "YAML nesting is too deep", 0, "simplify the structure")]
    finally:
        loader.dispose()
    return value, loader.problems


# -- kept between builds -------------------------------------------------------------
# A loaded value in a JSON form that gives back an equal value of the same types, with
# its lines, columns and spellings: text, true/false, null, integers and finite floats as
# themselves; {"d": ...} a date, {"t": ...} a date and time, {"M": [line, column, [[key,
# value, line, column, spelling or null], ...]]} a Mapping, {"S": [line, column, [[value,
# line, column, spelling or null], ...]]} a Sequence. Anything else (a set, bytes, a key
# that is not text) is not kept.


def keepable(value):
    """`value` (as `load_yaml` gives it) in the JSON form above, or None when that form
    cannot give it back exactly (checked by turning it back)."""
    try:
        data = _to_kept(value)
        return data if _identical(from_kept(data), value) else None
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _to_kept(value):
    kind = type(value)
    if value is None or kind in (str, bool, int):
        return value
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return value
    if kind is dt.date:
        return {"d": value.isoformat()}
    if kind is dt.datetime:
        return {"t": value.isoformat()}
    if kind is Mapping:
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise ValueError("a key that is not text")
            items.append([key, _to_kept(item), value.lines[key], value.cols.get(key, 0), value.raw.get(key)])
        return {"M": [value.line, value.column, items]}
    if kind is Sequence:
        if not len(value) == len(value.lines) == len(value.cols) == len(value.raws):
            raise ValueError("lines not given for every item")
        return {"S": [value.line, value.column, [[_to_kept(item), line, column, raw] for item, line, column, raw
                                                 in zip(value, value.lines, value.cols, value.raws)]]}
    raise ValueError(f"{kind.__name__} is not kept")


def from_kept(data):
    """The value `keepable` gave `data` for; ValueError, TypeError or KeyError when
    `data` is not in that form."""
    if type(data) is dict:
        [(tag, body)] = data.items()
        if tag == "d":
            return dt.date.fromisoformat(body)
        if tag == "t":
            return dt.datetime.fromisoformat(body)
        if tag == "M":
            line, column, items = body
            result = Mapping()
            result.line, result.column, result.lines, result.cols, result.raw = line, column, {}, {}, {}
            for key, item, key_line, key_column, raw in items:
                result[key] = from_kept(item)
                result.lines[key], result.cols[key] = key_line, key_column
                if raw is not None:
                    result.raw[key] = raw
            return result
        if tag == "S":
            line, column, items = body
            result = Sequence(from_kept(item[0]) for item in items)
            result.line, result.column = line, column
            result.lines, result.cols, result.raws = [i[1] for i in items], [i[2] for i in items], [i[3] for i in items]
            return result
        raise ValueError(f"unknown tag {tag!r}")
    if data is None or type(data) in (str, bool, int, float):
        return data
    raise ValueError("not a kept value")


def _identical(a, b) -> bool:
    """Equal, of the same types all the way down, with the same lines, columns and spellings."""
    if type(a) is not type(b):
        return False
    if type(a) is Mapping:
        return (a.line, a.column, list(a), a.lines, dict(a.cols), dict(a.raw)) == \
            (b.line, b.column, list(b), b.lines, dict(b.cols), dict(b.raw)) and \
            all(_identical(a[key], b[key]) for key in a)
    if type(a) is Sequence:
        return (a.line, a.column, len(a), list(a.lines), list(a.cols), list(a.raws)) == \
            (b.line, b.column, len(b), list(b.lines), list(b.cols), list(b.raws)) and \
            all(_identical(x, y) for x, y in zip(a, b))
    if type(a) is dt.datetime:
        return a == b and a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
    return a == b
