"""`check --fix`: the corrections the build makes on the fly, written into the files.

The build publishes Uzbek text with ʻ and ʼ in place of their look-alikes (see
orthography.py) and says so in one notice per file; this writes the same
corrections into the content and data files, so the notice goes away. Only the
characters that the build corrects change; everything else in a file stays
byte for byte as it was (git is the backup), and a second run changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .config import Config
from .data import uzbek_codes
from .lib.orthography import fix_markdown, fix_plain
from .sources import FRONT_MATTER


def _markdown_file(text: str) -> str:
    match = FRONT_MATTER.match(text)
    if match is None:
        return fix_markdown(text).text
    start, end = match.span(1)
    return text[:start] + fix_plain(text[start:end]).text + text[end:match.end()] + \
        fix_markdown(text[match.end():]).text


def _yaml_file(text: str, uzbek: set[str], codes: tuple[str, ...], everything: bool) -> str:
    """The text with the Uzbek scalars corrected in place, found by their positions."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text  # the build reports the file's syntax error; nothing to correct before that
    spans: list[tuple[int, int]] = []

    def walk(node, whole: bool) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            per_language = bool(keys) and all(k in codes for k in keys)
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode):
                    if whole or per_language and key.value in uzbek:
                        spans.append((value.start_mark.index, value.end_mark.index))
                else:
                    walk(value, whole)
        elif isinstance(node, yaml.SequenceNode):
            for value in node.value:
                if isinstance(value, yaml.ScalarNode):
                    if whole:
                        spans.append((value.start_mark.index, value.end_mark.index))
                else:
                    walk(value, whole)

    if root is not None:
        walk(root, everything)
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + fix_plain(text[start:end]).text + text[end:]
    return text


def write_uzbek_corrections(config: Config) -> list[Path]:
    """Correct the Uzbek text of every content and data file; the files that changed."""
    uzbek = uzbek_codes(config)
    if not uzbek:
        return []
    targets: list[tuple[Path, str]] = []
    if config.content_dir.is_dir():
        for path in sorted(config.content_dir.rglob("*.md")):
            lang = path.name[: -len(".md")].rpartition(".")[2]
            if lang in uzbek and path.is_file() and not path.is_symlink():
                targets.append((path, "markdown"))
    if config.data_dir.is_dir():
        targets += [(path, "data") for path in sorted(config.data_dir.glob("*.yaml"))
                    if path.name not in ("site.yaml", "schema.yaml")]
        targets += [(config.data_dir / "strings" / f"{code}.yaml", "strings") for code in sorted(uzbek)]
    # the theme's words too, when the theme is the site's own templates/ (another's is not this site's to change)
    targets += [(config.templates_dir / "strings" / f"{code}.yaml", "strings") for code in sorted(uzbek)
                if config.templates_dir in config.template_dirs]
    changed = []
    for path, kind in targets:
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the build reports what is wrong with the file
        if kind == "markdown":
            fixed = _markdown_file(text)
        else:
            fixed = _yaml_file(text, uzbek, config.codes, everything=kind == "strings")
        if fixed != text:
            path.write_bytes(fixed.encode("utf-8"))
            changed.append(path)
    return changed
