"""A field the schema calls optional is optional in every shipped template.

The shipped site is copied, and every optional field of every data file and
content type is removed, all at once and one at a time. Each build must give no
error and leave no trace of the field: no "None", no empty element, no label
without its value."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, messages
from sitegen.lib.diagnostics import Diagnostics
from sitegen.pipeline import run
from sitegen.schema import BUILTIN, load_schema
from sitegen.sources import split_front_matter

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

SCHEMA = load_schema(ROOT, Diagnostics(ROOT))
# Fields whose absence changes what a page is, not what it shows: they are kept.
KEPT = {"translation_of", "draft", "template", "slug"}
# Elements that are wrong when empty: a label, a value, a paragraph, a link, a list item...
EMPTY = re.compile(r"<(dd|dt|p|li|a|h[1-6]|td|th|figcaption|span|strong|em|time)\b[^>]*>\s*</\1>")


def _data_optional() -> list[tuple[str, tuple[str, ...]]]:
    """(data file, path of field names) of every optional field in data/."""
    found = []

    def walk(name: str, record, prefix: tuple[str, ...]) -> None:
        for spec in record.fields:
            if not spec.required:
                found.append((name, prefix + (spec.name,)))
            if spec.type == "record" and spec.fields:
                walk(name, spec, prefix + (spec.name,))

    for name, declared in SCHEMA.data.items():
        root = declared.root
        record = root.items if root.type in ("list", "map") else root
        if record is not None and record.type == "record":
            walk(name, record, ())
    return found


def _content_optional() -> list[tuple[str, tuple[str, ...]]]:
    """(section, (field,)) of every optional field a content type declares, beyond the common ones."""
    builtin = {f.name for f in BUILTIN}
    found = []
    for ctype in SCHEMA.content.values():
        for spec in ctype.fields.values():
            alt_of = spec.name[: -len("_alt")] if spec.name.endswith("_alt") else ""
            if spec.required or spec.name in KEPT or alt_of in ctype.fields:
                continue  # alt text is required with its image
            if spec.name in builtin and spec.name not in ("summary", "date", "tags", "weight", "menu_title"):
                continue
            found.append((ctype.section, (spec.name,)))
    return found


OPTIONAL = [("data", *f) for f in _data_optional()] + [("content", *f) for f in _content_optional()]


def _without(value, path: tuple[str, ...]):
    """`value` (a record or a list of records) with the field at `path` removed everywhere."""
    if isinstance(value, list):
        return [_without(item, path) for item in value]
    if not isinstance(value, dict):
        return value
    head, rest = path[0], path[1:]
    if not rest:
        return {k: v for k, v in value.items() if k != head}
    return {k: (_without(v, rest) if k == head else v) for k, v in value.items()}


def _copy_site(target: Path) -> Path:
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(ROOT / name, target / name)
    return target


def _remove(root: Path, where: str, owner: str, path: tuple[str, ...]) -> int:
    """Remove the field from the copy; how many files changed."""
    changed = 0
    if where == "data":
        file = root / "data" / f"{owner}.yaml"
        value = yaml.safe_load(file.read_text(encoding="utf-8"))
        new = _without(value, path)
        if new != value:
            file.write_text(yaml.safe_dump(new, allow_unicode=True, sort_keys=False), encoding="utf-8")
            changed += 1
        return changed
    folder = root / "content" / owner if owner else root / "content"
    for file in sorted(folder.glob("*.md")):
        if file.name.startswith("_index"):
            continue
        text = file.read_text(encoding="utf-8")
        front, body, _ = split_front_matter(text)
        meta = yaml.safe_load(front) or {}
        if path[0] in meta:
            del meta[path[0]]
            file.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body,
                            encoding="utf-8")
            changed += 1
    return changed


RECOMMENDED = {spec.name for ctype in SCHEMA.content.values() for spec in ctype.fields.values() if spec.recommended}


def _problems(result) -> list[str]:
    """Errors and warnings, but for the warning a recommended field gets when it is left out."""
    return [m for m in messages(result) if ": notice:" not in m
            and not any(f": warning: the field '{name}' is missing" in m for name in RECOMMENDED)]


def _traces(result) -> list[str]:
    found = []
    for name, data in sorted(result.files.items()):
        if not name.endswith(".html"):
            continue
        html = data.decode("utf-8")
        for match in EMPTY.finditer(html):
            if 'aria-hidden="true"' not in match.group(0) and "class=\"task" not in match.group(0):
                found.append(f"{name}: empty {match.group(0)[:80]}")
        for bad in (">None<", "None</", '="None"', "<dd></dd>", 'datetime=""', 'href=""'):
            if bad in html:
                found.append(f"{name}: {bad}")
    return found


def test_the_schema_declares_optional_fields_to_remove():
    assert len(OPTIONAL) >= 20, OPTIONAL


def test_every_optional_field_removed_at_once(tmp_path):
    root = _copy_site(tmp_path / "project")
    for where, owner, path in OPTIONAL:
        _remove(root, where, owner, path)
    result = run(root, write=False)
    assert _problems(result) == []
    assert _traces(result) == []


@pytest.mark.parametrize("where, owner, path", OPTIONAL,
                         ids=[f"{w}:{o or 'pages'}:{'.'.join(p)}" for w, o, p in OPTIONAL])
def test_each_optional_field_removed_alone(tmp_path, where, owner, path):
    root = _copy_site(tmp_path / "project")
    if not _remove(root, where, owner, path):
        pytest.skip(f"no shipped {where} file of '{owner or 'pages'}' gives '{'.'.join(path)}'")
    result = run(root, write=False)
    assert _problems(result) == []
    assert _traces(result) == []
