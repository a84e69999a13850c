"""Reading editor-written text files: UTF-8, LF, no BOM, reported not raised."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """Return the file's text with a BOM dropped and CRLF/CR turned into LF.

    A file that cannot be read or is not UTF-8 is reported and gives None.
    """
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
        diags.error(path, line, "is not UTF-8 text; save the file with UTF-8 encoding")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
