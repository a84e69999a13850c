"""Reading editor-written text files: UTF-8, LF, no BOM, reported not raised."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from .diagnostics import Diagnostics


def outside(path: Path, root: Path) -> bool:
    """True when `path` (a link, or inside a linked folder) leads out of `root`:
    a symbolic link to /etc/passwd in content/ must not be published."""
    try:
        return root.resolve() not in path.resolve().parents
    except (OSError, RuntimeError):  # a loop of links
        return True


def refuse_outside(path: Path, diags: Diagnostics) -> bool:
    """Report a file that is a link leading out of the project; True if it is. The
    folders are walked without following links to folders, so only the file itself
    can lead out (one lstat, where resolving every path costs 50 µs a file)."""
    if not path.is_symlink() or not outside(path, diags.root):
        return False
    diags.error(path, 0, "is a link to a file outside the project, which the site will not publish",
                hint="copy the file into the project instead of linking to it")
    return True


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """Return the file's text with a BOM dropped and CRLF/CR turned into LF.

    A file that cannot be read or is not UTF-8 is reported and gives None, as is
    a link to a file outside the project.
    """
    if refuse_outside(path, diags):
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(path, 0, f"cannot be read: {exc.strerror or exc}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        diags.error(path, line, f"the file is not UTF-8 text; it looks like {guess_encoding(raw)}",
                    hint="open it in your editor and save it again with the encoding UTF-8")
        return None
    if "\x00" in text:
        diags.error(path, text[: text.index("\x00")].count("\n") + 1, "the file holds a NUL character, "
                    "so it is not a text file", hint="save it as plain UTF-8 text")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


FRIENDLY = {
    "cp1251": "Windows-1251 (Cyrillic)", "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)", "latin_1": "Latin-1", "koi8_r": "KOI8-R (Cyrillic)",
    "utf_16": "UTF-16", "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "cp866": "DOS Cyrillic (CP866)",
    "mac_cyrillic": "Mac Cyrillic", "iso8859_5": "ISO-8859-5 (Cyrillic)",
}


CYRILLIC = ("cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5")


def guess_encoding(raw: bytes) -> str:
    """A plain name for the encoding a non-UTF-8 file seems to use."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    cyrillic = _cyrillic_encoding(raw)
    if cyrillic:
        return FRIENDLY[cyrillic]
    try:  # accented letters of Western European text, the one encoding that has them all
        letters = [c for c in raw.decode("cp1252") if ord(c) >= 0x80]
        if letters and all(c.isalpha() for c in letters):
            return FRIENDLY["cp1252"]
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        return "binary data, not text"
    return FRIENDLY.get(best.encoding, best.encoding.replace("_", "-").upper())


def _cyrillic_encoding(raw: bytes) -> str | None:
    """The Cyrillic encoding in which the file's non-ASCII bytes read as words of lowercase
    Cyrillic letters, if one does. A general detector guesses wildly on a few words (a
    short data file in Windows-1251 came out as Shift-JIS); read in the right Cyrillic
    encoding, the bytes make words of letters, mostly lowercase; read in a wrong one, they
    make capitals or symbols, and accented letters in Western text stand alone in words."""
    high = [i for i, byte in enumerate(raw) if byte >= 0x80]
    if len(high) < 4:
        return None
    placed = set(high)
    if sum(1 for i in high if i - 1 in placed or i + 1 in placed) < 0.7 * len(high):
        return None
    best, best_share = None, 0.0
    for encoding in CYRILLIC:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if ord(c) >= 0x80]
        share = sum(1 for c in letters if "\u0430" <= c <= "\u044f" or c == "\u0451") / max(1, len(letters))
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= 0.6 else None
