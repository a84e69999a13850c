"""Stage 2b: data files in `data/`: UI strings and records.

`data/<name>.yaml` becomes `data.<name>` in templates. A mapping whose keys are
all language codes (`name: {uz: ..., en: ...}`) is text per language; the
model picks the page's language. Strings live in `data/strings/<lang>.yaml`,
over the theme's own in `templates/strings/<lang>.yaml`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .lib.diagnostics import Diagnostics
from .lib.orthography import Fixes, fix_plain, is_latin_uzbek, note
from .schema import ID, Checker, Schema
from .lib.yamlsource import Mapping, Sequence, read_yaml_file




@dataclass(frozen=True)
class DataFile:
    path: Path
    value: object  # the valid part of the file
    written: object = None  # everything the file holds, records with errors included

    @property
    def unread(self) -> bool:
        """The file could not be used at all (a YAML mistake, say; its error is reported):
        its records are unknown, not missing, so references to them are not checked."""
        return self.value is None

    def ids(self) -> set[str]:
        """Every record id written in a list file, valid records or not."""
        records = self.written if self.written is not None else self.value
        if not isinstance(records, list):
            return set()
        return {r.get("id") for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)}


@dataclass(frozen=True)
class Data:
    files: dict[str, DataFile]  # name -> file, without site.yaml and strings
    strings: dict[str, dict[str, str]]  # lang -> key -> text


PLURAL_FORM = re.compile(r"_(zero|one|two|few|many|other)$")


def string_files(config: Config, code: str) -> list[Path]:
    """The UI strings files of a language, the later taking the place of the earlier:
    the theme's (`templates/strings/<lang>.yaml`, its own words: "Search", "Next"),
    then the site's (`data/strings/<lang>.yaml`, the words of its own things)."""
    return [folder / "strings" / f"{code}.yaml" for folder in reversed(config.template_dirs)] + [
        config.data_dir / "strings" / f"{code}.yaml"]


def load_strings(config: Config, diags: Diagnostics) -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = {}
    # lang -> key -> (layer, file, line): where the string is written, the layer its files' place in string_files
    where: dict[str, dict[str, tuple[int, Path, int]]] = {}
    unread: set[str] = set()  # languages with a strings file that is missing or could not be read (reported)
    for code in config.codes:
        strings[code], where[code] = {}, {}
        files = string_files(config, code)
        if not any(path.is_file() for path in files):
            diags.error(files[-1], 0, f"the UI strings for '{code}' are missing; copy "
                        f"data/strings/{config.default_language}.yaml and translate it")
            continue
        for layer, path in enumerate(files):
            if not path.is_file():
                other = next((f for f in (string_files(config, c)[-1] for c in config.codes if c != code)
                              if f.is_file()), None) if layer == len(files) - 1 else None
                if other is not None:  # the site's own file of a language: one error, not one per string
                    diags.error(path, 0, "this UI strings file is missing",
                                hint=f"copy {diags.relative(other)} here and translate it")
                    unread.add(code)
                continue
            value = read_yaml_file(path, diags)
            if code in uzbek_codes(config):
                _note_corrections(uzbek_corrections(value, {code}, config.codes, everything=True), path, diags)
            if not isinstance(value, Mapping):
                if value is not None:
                    diags.error(path, 1, "must be a mapping of string names to text")
                else:
                    unread.add(code)
                continue
            for key, text in value.items():
                if isinstance(text, (str, int, float)) and not isinstance(text, bool):
                    strings[code][str(key)] = str(text)
                    where[code][str(key)] = (layer, path, value.line_of(key))
                else:
                    diags.error(path, value.line_of(key), f"the string '{key}' must be text; put it in double quotes")
    reference = config.default_language

    def file_for(code: str, layer: int) -> Path:
        """The file of `code` that should hold a string written in `layer` for another language:
        the same layer's file if it exists, else the site's own."""
        files = string_files(config, code)
        return files[layer] if files[layer].is_file() else files[-1]

    for code in config.codes:
        if code == reference or not where[code]:
            continue
        if unread & {code, reference}:  # its strings are unknown, not missing: one error, at the file
            for have, lack in ((reference, code), (code, reference)):
                for key in set(strings[have]) - set(strings[lack]):
                    strings[lack][key] = strings[have][key]
            continue
        # a plural form (figure_one, figure_few) is the language's own, beside the word every language has
        own_forms = {key for table in (strings[reference], strings[code]) for key in table
                     if PLURAL_FORM.search(key) and PLURAL_FORM.sub("", key) in strings[reference]}
        for key in sorted(set(strings[reference]) - set(strings[code]) - own_forms):
            layer, source, line = where[reference][key]
            diags.error(file_for(code, layer), 0, f"the UI string '{key}' is missing",
                        hint=f"translate line {line} of {diags.relative(source)} and add it here")
            strings[code][key] = strings[reference][key]  # reported once here, not again by every page
        for key in sorted(set(strings[code]) - set(strings[reference]) - own_forms):
            layer, source, line = where[code][key]
            diags.error(file_for(reference, layer), 0, f"the UI string '{key}' is missing",
                        hint=f"it is on line {line} of {diags.relative(source)}: add it here too, "
                             "or remove it there")
    return strings


def uzbek_codes(config: Config) -> set[str]:
    """The site's languages written in Uzbek Latin."""
    return {lang.code for lang in config.languages if is_latin_uzbek(lang.locale)}


def uzbek_corrections(value, uzbek: set[str], codes: tuple[str, ...], everything: bool = False):
    """(container, key, Fixes) for each Uzbek text in a data file whose look-alikes of ʻ and ʼ
    are corrected (see orthography.py): the Uzbek entries of per-language texts, or with
    `everything` every text (an Uzbek strings file). The containers are changed in place."""
    found = []

    def walk(item, whole: bool) -> None:
        if isinstance(item, dict):
            per_language = bool(item) and all(k in codes for k in item)
            entries = [(key, sub, whole or per_language and key in uzbek) for key, sub in item.items()]
        elif isinstance(item, list):
            entries = [(i, sub, whole) for i, sub in enumerate(item)]
        else:
            return
        for key, sub, uzbek_text in entries:
            if not isinstance(sub, str):
                walk(sub, whole)
            elif uzbek_text and (fixes := fix_plain(sub)).count:
                item[key] = fixes.text
                found.append((item, key, fixes))

    walk(value, everything)
    return found


def _note_corrections(found, path: Path, diags: Diagnostics) -> None:
    if not found:
        return
    container, key, first = min(found, key=lambda f: (f[0].line_of(f[1]), f[0].col_of(f[1])))
    message, hint = note(Fixes(first.text, sum(f[2].count for f in found), first.first, first.example))
    diags.notice(path, container.line_of(key), message, column=container.col_of(key), hint=hint)


def load_data(config: Config, diags: Diagnostics, schema: Schema | None = None,
              today: dt.date | None = None) -> Data:
    files: dict[str, DataFile] = {}
    for path in sorted(config.data_dir.glob("*.yaml")):
        if path.name in ("site.yaml", "schema.yaml"):
            continue
        value = read_yaml_file(path, diags)
        _note_corrections(uzbek_corrections(value, uzbek_codes(config), config.codes), path, diags)
        files[path.stem] = DataFile(path, value)
    if schema is not None:
        locales = tuple(language.locale for language in config.languages)

        def checker(path: Path) -> Checker:
            return Checker(diags, path, config.codes, folder=config.static_dir, locales=locales,
                           fill=True, today=today, horizon_days=config.date_horizon_days)

        for name, declared in schema.data.items():
            file = files.get(name)
            if file is None:
                diags.error(config.data_dir / f"{name}.yaml", 0, "this data file is missing",
                            hint=f"data/schema.yaml describes data/{name}.yaml; create it")
                continue
            if file.value is None:
                continue
            if declared.root.type == "list" and isinstance(file.value, Sequence):
                # check record by record, and keep only the good ones, so that one bad record
                # is reported once instead of again by every page that shows it
                keep = Sequence()
                keep.line, keep.column = file.value.line, file.value.column
                keep.lines, keep.cols, keep.raws = [], [], []
                for i, record in enumerate(file.value):
                    check = checker(file.path)
                    clean = check.value(declared.root.items, record, file.value, i)
                    if check.ok and clean is not None:
                        keep.append(clean)
                        keep.lines.append(file.value.line_of(i))
                        keep.cols.append(file.value.col_of(i))
                files[name] = DataFile(file.path, keep, file.value)
            else:
                # a wrong value is reported here, once, and left out of what templates see
                files[name] = DataFile(file.path, checker(file.path).root(declared.root, file.value), file.value)
        for name, file in files.items():
            if name not in schema.data:
                diags.warning(file.path, 0, "this data file is not described in data/schema.yaml",
                              hint="describe its fields under data: in data/schema.yaml, or delete it")
    for collection in config.collections:
        file = files.get(collection.name)
        if file is None:
            diags.error(config.root / "data/site.yaml", 0,
                        f"collection '{collection.name}' needs a file data/{collection.name}.yaml")
            continue
        _check_records(file, diags)
    return Data(files, load_strings(config, diags))


def _check_records(file: DataFile, diags: Diagnostics) -> None:
    records = file.value
    if records is None:
        return  # unreadable: reported already
    if not isinstance(records, Sequence):
        diags.error(file.path, 1, "must be a list of records, each starting with '- id: ...'")
        return
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        line = records.line_of(i)
        if not isinstance(record, Mapping):
            diags.error(file.path, line, "each record must be a set of fields starting with '- id: ...'")
            continue
        rid = record.get("id")
        if not isinstance(rid, str) or not ID.match(rid):
            diags.error(file.path, record.line_of("id", line),
                        "each record needs an 'id' of lowercase letters, digits and hyphens, e.g. 'vienna-conservatory'")
            continue
        if rid in seen:
            diags.error(file.path, record.line_of("id"), f"the id '{rid}' is used twice (also on line {seen[rid]})",
                        column=record.col_of("id"), hint="every record needs its own id")
        seen[rid] = record.line_of("id")
