"""Problems found during a run, collected as data and printed together.

A diagnostic names the file (relative to the project root), the line (1-based,
counted from the top of the file, front matter included; 0 when the problem is
about the file as a whole), a severity and a message an editor can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: str
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Diagnostics:
    """Collects diagnostics for one run. Paths are shown relative to `root`."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)

    def _add(self, severity: str, path: Path | str, line: int, message: str) -> None:
        self.items.append(Diagnostic(self.relative(path), int(line or 0), severity, message))

    def error(self, path: Path | str, line: int, message: str) -> None:
        self._add(ERROR, path, line, message)

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self._add(WARNING, path, line, message)

    def relative(self, path: Path | str) -> str:
        p = Path(path)
        try:
            p = p.resolve().relative_to(self.root.resolve())
        except ValueError:
            pass
        return p.as_posix()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))
