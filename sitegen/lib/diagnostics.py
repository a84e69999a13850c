"""Problems found during a run, collected as data and printed together.

A diagnostic names the file (relative to the project root), the line and column
(1-based, counted from the top of the file, front matter included; 0 when the
problem is about the file as a whole), a severity, a message and a one-line
hint an editor can act on. It prints as `path:line:col: severity: message`,
the form editors and CI log viewers recognise, with the hint on the next line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # worth knowing, never a reason to fail (not even with --strict)


def one_line(text: str) -> str:
    """Editors' text quoted in a message may hold line breaks or control characters: show them escaped."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in str(text))


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""

    @property
    def location(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


@dataclass
class Diagnostics:
    """Collects diagnostics for one run. Paths are shown relative to `root`; those
    in a folder `beside` it (a theme's: ../../templates/base.html) relative too."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)
    beside: list[Path] = field(default_factory=list)

    def _add(self, severity: str, path: Path | str, line: int, message: str, column: int, hint: str) -> None:
        self.items.append(Diagnostic(self.relative(path), int(line or 0), int(column or 0),
                                     severity, one_line(message), one_line(hint)))

    def error(self, path: Path | str, line: int, message: str, *, column: int = 0, hint: str = "") -> None:
        self._add(ERROR, path, line, message, column, hint)

    def warning(self, path: Path | str, line: int, message: str, *, column: int = 0, hint: str = "") -> None:
        self._add(WARNING, path, line, message, column, hint)

    def notice(self, path: Path | str, line: int, message: str, *, column: int = 0, hint: str = "") -> None:
        self._add(NOTICE, path, line, message, column, hint)

    def relative(self, path: Path | str) -> str:
        p = Path(path)
        for candidate, root in ((Path(os.path.abspath(p)), Path(os.path.abspath(self.root))),
                                (p.resolve(), self.root.resolve())):
            try:  # the path as named first: a symbolic link is named, not what it points at
                return candidate.relative_to(root).as_posix()
            except ValueError:
                continue
        where = Path(os.path.abspath(p))
        if any(where.is_relative_to(os.path.abspath(folder)) for folder in self.beside):
            return Path(os.path.relpath(where, os.path.abspath(self.root))).as_posix()
        return p.as_posix()

    def unique(self) -> list[Diagnostic]:
        """Each problem once: the same message at the same place (a template mistake met
        by every page, say) counts and prints once, with the first one's hint."""
        seen: dict[tuple, Diagnostic] = {}
        for d in self.items:
            seen.setdefault((d.path, d.line, d.column, d.severity, d.message), d)
        return list(seen.values())

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.unique() if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.unique() if d.severity == WARNING]

    @property
    def notices(self) -> list[Diagnostic]:
        return [d for d in self.unique() if d.severity == NOTICE]

    def failed(self, strict: bool = False) -> bool:
        return any(d.severity == ERROR or strict and d.severity == WARNING for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.unique())
