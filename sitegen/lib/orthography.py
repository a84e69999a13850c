"""Uzbek as people type it: the letters oʻ, gʻ and the tutuq belgisi ʼ.

Keyboards give `'`, `‘`, `’` or a backtick where Uzbek Latin has ʻ (U+02BB, after
o and g) and ʼ (U+02BC, elsewhere). A look-alike with a Latin letter on each side
is that letter in Uzbek prose: `o'quv` is `oʻquv`, `san'at` is `sanʼat`, and
``o`quv`` is never code. Code, addresses, HTML tags and attribute lists are left
as written; so is a quotation mark next to a space ('like this').

Also here: Cyrillic text in a file of a Latin-script language, which is a
warning unless its paragraph says its language ({lang=ru}).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.core import get_global

from .dialect import CODE_SPAN, FENCE_OPEN

OKINA = "\u02bb"  # ʻ  after o and g: oʻ, gʻ
TUTUQ = "\u02bc"  # ʼ  the tutuq belgisi: sanʼat
LOOKALIKES = "'\u2018\u2019\u02b9\u00b4\u2032\u02bd`"
# the look-alike first, then the letters around it: the regex engine skips to the rare
# character instead of trying every letter
_BETWEEN_LETTERS = re.compile(rf"[{re.escape(LOOKALIKES)}](?<=[A-Za-z].)(?=[A-Za-z])")
_BACKTICK_BETWEEN_LETTERS = re.compile(r"`(?<=[A-Za-z].)(?=[A-Za-z])")
# What is never prose: addresses, HTML tags and comments, link destinations, attribute lists;
# e-mail addresses apart (see _not_prose), since trying them at every letter is slow
_NOT_PROSE = re.compile(r"<!--.*?-->|<[^>\n]*>|\]\([^)\n]*\)|\{[:#.][^}\n]*\}|\{lang=[^}\n]*\}"
                        r"|(?:https?|ftp|mailto):[^\s)>\]]+|www\.[^\s)>\]]+"
                        r"|^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.S | re.M)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+")
CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff][\u0400-\u04ff]+")  # two or more; {2,} is slower to search


@dataclass(frozen=True)
class Fixes:
    text: str  # the text with every look-alike replaced
    count: int
    first: int = -1  # offset of the first replacement
    example: tuple[str, str] = ("", "")  # the first word as written and as corrected

    def where(self, start_line: int = 1) -> tuple[int, int]:
        """(line, column) of the first replacement, the text's first line being `start_line`."""
        before = self.text[: self.first]
        return start_line + before.count("\n"), len(before) - (before.rfind("\n") + 1) + 1


def is_latin_uzbek(locale: str) -> bool:
    parts = re.split(r"[_-]", locale)
    return parts[0].lower() == "uz" and "Cyrl" not in parts and "Arab" not in parts


def is_latin_script(locale: str) -> bool:
    parts = re.split(r"[_-]", locale)
    if len(parts) > 1 and len(parts[1]) == 4:
        return parts[1] == "Latn"
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    return "_Latn" in likely


def _letter(before: str) -> str:
    return OKINA if before in "oOgG" else TUTUQ


def _blank(match: re.Match) -> str:
    """The match with every character but line breaks made \\0: positions are kept."""
    found = match.group(0)
    if "\n" not in found:
        return "\0" * len(found)
    return "\n".join("\0" * len(line) for line in found.split("\n"))


def _not_prose(text: str) -> str:
    """`text` with what is never prose blanked: the e-mail addresses are looked for
    only in a text with an @, and only where nothing else was blanked."""
    masked = _NOT_PROSE.sub(_blank, text)
    return _EMAIL.sub(_blank, masked) if "@" in masked else masked


def _fence_mask(text: str) -> str:
    """`text` with the lines of fenced code blocks blanked (line breaks kept)."""
    lines = text.split("\n")
    fence: tuple[str, int] | None = None
    for index, line in enumerate(lines):
        quoted = line.lstrip(" >")
        if fence is not None:
            char, length = fence
            if quoted.startswith(char * length) and not quoted.strip().strip(char):
                fence = None
            lines[index] = "\0" * len(line)
            continue
        opened = FENCE_OPEN.fullmatch(quoted)
        if opened and not (opened.group(2)[0] == "`" and "`" in opened.group(3)):
            fence = (opened.group(2)[0], len(opened.group(2)))
            lines[index] = "\0" * len(line)
    return "\n".join(lines)


def _replace(text: str, masked: str, pattern: re.Pattern, fixes: list[int]) -> str:
    """`text` with the one-character matches of `pattern` in `masked` made ʻ or ʼ."""
    out, done = [], 0
    for match in pattern.finditer(masked):
        at = match.start()
        out += (text[done:at], _letter(text[at - 1]))
        done = at + 1
        fixes.append(at)
    return "".join(out) + text[done:] if out else text


def _result(original: str, fixed: str, offsets: list[int]) -> Fixes:
    if not offsets:
        return Fixes(original, 0)
    first = min(offsets)
    word = f"[A-Za-z{re.escape(LOOKALIKES)}{OKINA}{TUTUQ}]*"
    start = first - len(re.search(word + r"\Z", original[:first]).group(0))
    end = first + len(re.match(word, original[first:]).group(0))
    while start < first and original[start] in LOOKALIKES:  # a quotation mark around the word
        start += 1
    while end > first + 1 and original[end - 1] in LOOKALIKES:
        end -= 1
    return Fixes(fixed, len(offsets), first, (original[start:end], fixed[start:end]))


# Text marked as another language keeps its apostrophes: a paragraph with {lang=en} (or an
# element with lang="en"), and an inline span followed by {lang=en}.
_OTHER_LANGUAGE = re.compile(r"""^[ \t]*(?:\{:?[^}\n]*|<\w+\b[^>\n]*)\blang=["']?(?!uz\b)[A-Za-z][^\n]*$""", re.M)
_MARKED_SPAN = re.compile(r"""(\*[^*\n]+\*|_[^_\n]+_|\[[^\]\n]+\])(?=\{:?\s*lang=["']?(?!uz\b))"""
                          r"""|<(\w+)\b[^>]*\blang=["']?(?!uz\b)[^>]*>.*?</\2>""", re.S)


def _other_languages(masked: str) -> str:
    """`masked` with the paragraphs and spans marked as another language blanked too."""
    if "lang=" not in masked:  # what both patterns need
        return masked
    masked = _MARKED_SPAN.sub(_blank, masked)
    blocks = re.split(r"(\n[ \t]*\n)", masked)
    return "".join(_blank(re.match(r"(?s).*", block)) if _OTHER_LANGUAGE.search(block) else block
                   for block in blocks)


def fix_markdown(text: str) -> Fixes:
    """A Markdown body with the look-alikes in its prose replaced."""
    if not any(character in text for character in LOOKALIKES):
        return Fixes(text, 0)
    offsets: list[int] = []
    blocks = _fence_mask(text)
    # a backtick between two letters is a letter, never code: replaced before code spans are found
    text_1 = _replace(text, blocks, _BACKTICK_BETWEEN_LETTERS, offsets)
    masked = CODE_SPAN.sub(_blank, _fence_mask(text_1))
    masked = _other_languages(masked)
    masked = _not_prose(masked)  # every mask keeps the text's length
    return _result(text, _replace(text_1, masked, _BETWEEN_LETTERS, offsets), offsets)


def fix_plain(text: str) -> Fixes:
    """Text of a field (a title, a name in a data file): addresses left as written."""
    if not any(character in text for character in LOOKALIKES):
        return Fixes(text, 0)
    offsets: list[int] = []
    masked = _not_prose(text)
    return _result(text, _replace(text, masked, _BETWEEN_LETTERS, offsets), offsets)


def note(fixes: Fixes) -> tuple[str, str]:
    """The message and hint of the one notice a file gets for its corrections."""
    written, corrected = fixes.example
    more = f" and {fixes.count - 1} more" if fixes.count > 1 else ""
    return (f"'{written}' is published as '{corrected}'{more}: Uzbek writes oʻ, gʻ with ʻ and the "
            "tutuq belgisi as ʼ", "python build.py check --fix writes the corrections into the files")


def cyrillic_lines(text: str) -> list[int]:
    """0-based numbers of the lines of a Markdown body that hold Cyrillic words in a
    paragraph that does not say its language (`{lang=ru}`, `lang="ru"`); code left out."""
    if not CYRILLIC_WORD.search(text):
        return []
    masked = CODE_SPAN.sub(_blank, _fence_mask(text))
    lines = masked.split("\n")
    found: list[int] = []
    block: list[int] = []
    for index, line in enumerate(lines + [""]):
        if line.strip():
            block.append(index)
            continue
        if block and not any("lang=" in lines[i] for i in block):
            found.extend(i for i in block if CYRILLIC_WORD.search(lines[i]))
        block = []
    return found
