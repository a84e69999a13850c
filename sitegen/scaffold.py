"""`build.py new TYPE "Title"`: a valid stub in every language, for an editor to fill in.

Required fields get placeholders that start with TODO, which `check` reports
until they are replaced, so a stub can never be published by mistake.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from .config import Config
from .schema import PLACEHOLDER, ContentType, DataFile, Field, Schema

# Uzbek and Russian Cyrillic to the Uzbek Latin alphabet, then to ASCII for addresses.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "o", "қ": "q", "ғ": "g", "ҳ": "h",
    "і": "i", "ї": "yi", "є": "ye", "ә": "a", "ө": "o", "ү": "u", "ұ": "u", "ң": "ng", "һ": "h",
}
# oʻ gʻ and the tutuq belgisi, with every apostrophe look-alike editors type for them
APOSTROPHES = "ʻʼ'‘’`´ʹʽ"


def slugify(title: str, limit: int = 60) -> str:
    """'Gʻoyalar tanlovi: yangi bosqich' -> 'goyalar-tanlovi-yangi-bosqich'."""
    text = "".join(CYRILLIC.get(ch, CYRILLIC.get(ch.lower(), ch)) if ch.lower() in CYRILLIC else ch
                   for ch in title)
    text = "".join(ch for ch in text if ch not in APOSTROPHES)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _placeholder(spec: Field, codes: tuple[str, ...], indent: str) -> list[str]:
    """YAML lines `name: value` for a required field, with a TODO the checks will flag."""
    hint = spec.describe_type()
    if spec.type == "translated":
        return [f"{indent}{spec.name}:"] + [f'{indent}  {c}: "{PLACEHOLDER}: {spec.name} ({c})"' for c in codes]
    if spec.type == "record":
        lines = [f"{indent}{spec.name}:"]
        for sub in spec.fields:
            if sub.required:
                lines += _placeholder(sub, codes, indent + "  ")
        return lines
    if spec.type in ("list", "refs"):
        return [f"{indent}{spec.name}: []  # {hint}"]
    return [f'{indent}{spec.name}: "{PLACEHOLDER}"  # {hint}']


def _content_stub(ctype: ContentType, lang: str, title: str, first: bool, original: str,
                  codes: tuple[str, ...], today: dt.date) -> str:
    lines = ["---"]
    if first:
        lines.append(f"title: {_quote(title)}")
    else:
        lines.append(f"title: {_quote(f'{PLACEHOLDER}: translate “{title}” from {original}')}")
    lines.append(f'summary: "{PLACEHOLDER}: one or two sentences for lists and search engines"')
    for spec in ctype.fields.values():  # what each language writes for itself
        if spec.translated and spec.required and spec.name not in ("title", "summary"):
            lines += _placeholder(spec, codes, "")
    if first:
        for spec in ctype.fields.values():
            if spec.translated or spec.name in ("title", "summary"):
                continue
            if spec.name == "date":
                if ctype.dated:
                    lines.append(f"date: {today.isoformat()}")
                continue
            if spec.required:
                lines += _placeholder(spec, codes, "")
            elif spec.type == "refs":
                lines.append(f"{spec.name}: []")
    lines.append("---")
    lines.append("")
    body = (f"{PLACEHOLDER}: write the text here, in Markdown." if first
            else f"{PLACEHOLDER}: translate the text of the {original} file.")
    lines.append(body)
    return "\n".join(lines) + "\n"


def _record_stub(data: DataFile, rid: str, title: str, lang: str, codes: tuple[str, ...]) -> str:
    record = data.root.items
    lines = [f"- id: {rid}"]
    for spec in record.fields:
        if spec.name == "id":
            continue
        if spec.name == "name" and spec.type == "translated":
            lines.append("  name:")
            for code in codes:
                value = title if code == lang else f"{PLACEHOLDER}: translate “{title}”"
                lines.append(f"    {code}: {_quote(value)}")
        elif spec.required:
            lines += _placeholder(spec, codes, "  ")
    return "\n".join(lines) + "\n"


def kinds(schema: Schema | None) -> dict[str, ContentType | DataFile]:
    """What `new` can make: content types, and list data files that declare a `new` word."""
    if schema is None:
        return {}
    out: dict[str, ContentType | DataFile] = {t.new: t for t in schema.content.values()}
    for data in schema.data.values():
        if data.new and data.root.type == "list" and data.root.items is not None:
            out[data.new] = data
    return out


def scaffold(config: Config, schema: Schema | None, kind: str, title: str, lang: str,
             today: dt.date) -> tuple[list[Path], str]:
    """Write the stub files; returns (paths written, problem). Nothing is overwritten."""
    made = kinds(schema)
    if kind not in made:
        known = ", ".join(sorted(made)) or "none (this site has no data/schema.yaml)"
        return [], f"this site has no content type '{kind}'; it has: {known}"
    slug = slugify(title)
    if not slug:
        return [], "the title gives no letters or digits for the file name; use a longer title"
    target = made[kind]
    codes = config.codes
    if isinstance(target, ContentType):
        folder = config.content_dir / target.section
        paths = [folder / f"{slug}.{code}.md" for code in codes]
        existing = [p for p in paths if p.exists()]
        if existing:
            return [], f"{existing[0].relative_to(config.root).as_posix()} already exists; choose another title"
        order = [lang] + [c for c in codes if c != lang]
        folder.mkdir(parents=True, exist_ok=True)
        original = config.language(lang).name
        for code in order:
            path = folder / f"{slug}.{code}.md"
            path.write_text(_content_stub(target, code, title, code == lang, original, codes, today),
                            encoding="utf-8", newline="\n")
        return [folder / f"{slug}.{code}.md" for code in order], ""
    path = config.data_dir / f"{target.name}.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(slug)}['\"]?\s*$", text, re.M):
        return [], f"data/{target.name}.yaml already has the id '{slug}'; choose another title"
    stub = _record_stub(target, slug, title, lang, codes)
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(("" if not text or text.endswith("\n") else "\n") + ("\n" if text else "") + stub)
    return [path], ""
