"""YAML loading that remembers where every key and list item was written.

Only PyYAML's safe loader is used. Mappings come back as `Mapping` (a dict
with `.line` and `.lines[key]`), sequences as `Sequence` (a list with `.line`
and `.lines[i]`), so later stages can point an editor at the exact line.
Errors never escape as exceptions: `load_yaml` returns them as data.
"""

from __future__ import annotations

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
                                       'e.g. title: "Erasmus+: a new call"'),
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


class _Loader(yaml.SafeLoader):
    """Safe loader whose containers carry line numbers; duplicate keys are errors."""

    def __init__(self, stream, first_line: int):
        super().__init__(stream)
        self.first_line = first_line
        self.problems: list[YamlProblem] = []

    def _line(self, node) -> int:
        return node.start_mark.line + self.first_line

    def construct_line_mapping(self, node):
        self.flatten_mapping(node)
        result = Mapping()
        result.line = self._line(node)
        result.column = node.start_mark.column + 1
        result.lines, result.cols, result.raw = {}, {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                self.problems.append(YamlProblem(self._line(key_node), "a field name must be plain text",
                                                 key_node.start_mark.column + 1))
                continue
            if key in result:
                self.problems.append(YamlProblem(
                    self._line(key_node),
                    f"the field '{key}' is written twice (first on line {result.lines[key]})",
                    key_node.start_mark.column + 1,
                    "keep one of them; the last one would silently win",
                ))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = self._line(key_node)
            result.cols[key] = key_node.start_mark.column + 1
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
        return result

    def construct_lenient_timestamp(self, node):
        """A date-shaped value that is no real date (2025-02-30) stays text, so the
        model can report it against its field instead of the loader crashing."""
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, TypeError, AttributeError):  # also `!!timestamp soon`
            return self.construct_scalar(node)

    def compose_node(self, parent, index):
        # Aliases (*name) could make a small file expand exponentially ("billion laughs");
        # editors never need them, so they are refused.
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not supported here",
                                              event.start_mark)
        return super().compose_node(parent, index)

    def construct_line_sequence(self, node):
        result = Sequence(self.construct_object(child, deep=True) for child in node.value)
        result.line = self._line(node)
        result.column = node.start_mark.column + 1
        result.lines = [self._line(child) for child in node.value]
        result.cols = [child.start_mark.column + 1 for child in node.value]
        return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_line_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_line_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_lenient_timestamp)


def _codepoint(character) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def load_yaml(text: str, first_line: int = 1):
    """Parse `text`; line numbers are shifted so the text's first line is `first_line`.

    Returns `(value, problems)`. On a syntax error the value is None.
    """
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
