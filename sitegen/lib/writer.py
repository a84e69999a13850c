"""Stage 6: the output folder, replaced atomically.

The new site is written into a hidden sibling folder and swapped in by
renames only when complete, so a failed build never touches the previous
output. A folder that holds the project itself is never replaced.

A file whose bytes are the same as in the previous output is not written
again: the new folder gets a hard link to the old file, which keeps its
modification time, so a sync to the web host (rsync, S3 sync, a CI cache)
sends only what changed, and an unchanged build writes almost nothing.
The pages may be staged while the search index is made (`stage`), and the
rest added when it is done.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from .diagnostics import Diagnostics


def unsafe_output(out: Path, root: Path) -> str | None:
    """Why `out` must not be replaced by a build, or None if it may be."""
    out, root = out.resolve(), root.resolve()
    for protected in (root, root / "content", root / "data", root / "templates", root / "static"):
        if out == protected or out in protected.parents:
            return f"it holds the project ({protected.name}/)"
    if (out / ".git").exists():
        return "it is a git repository"
    if out == Path(out.anchor) or out == Path.home().resolve():
        return "it is a system folder"
    return None


class Staging:
    """The new output folder, filled beside `out` and swapped in whole. Files whose
    bytes the previous output holds are hard-linked from it (`same` names those this
    build read from there already, which are not read again)."""

    def __init__(self, out: Path, same: set[str] = frozenset()):
        self.out, self.same = out, same
        self.previous = out if out.is_dir() else None
        out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        os.chmod(self.folder, 0o755)
        self.staged: set[str] = set()
        self._made: set[str] = {""}

    def add(self, files: dict[str, bytes]) -> None:
        for rel in sorted(files):
            target = self.folder / rel
            folder = rel.rpartition("/")[0]
            if folder not in self._made:  # each folder once, not once per file
                target.parent.mkdir(parents=True, exist_ok=True)
                while folder not in self._made:
                    self._made.add(folder)
                    folder = folder.rpartition("/")[0]
            if self.previous is None or not _reuse(self.previous / rel, target, files[rel], rel in self.same):
                _write_new(target, files[rel])
            self.staged.add(rel)

    def swap(self) -> None:
        """The staged folder takes the place of `out` by renames."""
        if self.out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.old-", dir=self.out.parent))
            os.rename(self.out, retired / self.out.name)
            os.rename(self.folder, self.out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(self.folder, self.out)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage(files: dict[str, bytes], out: Path, root: Path, same: set[str] = frozenset()) -> Staging | None:
    """A new output folder holding `files` already, for write_site to complete (while
    the search index is made, say); None when it cannot be (write_site says why)."""
    if unsafe_output(out, root):
        return None
    staging = None
    try:
        staging = Staging(out.resolve(), same)
        staging.add(files)
    except OSError:
        if staging is not None:
            staging.discard()
        return None
    return staging


def write_site(files: dict[str, bytes], out: Path, root: Path, diags: Diagnostics,
               same: set[str] = frozenset(), staging: Staging | None = None) -> bool:
    """Write `files` as the folder `out`. `same` names files known to hold the
    same bytes in `out` already (read from there by this build); when every file
    is unchanged and nothing else is in `out`, the folder is left as it is. With
    `staging` (from `stage`), the files it holds are not written again."""
    reason = unsafe_output(out, root)
    if reason:
        if staging is not None:
            staging.discard()
        diags.error("--out", 0, f"refusing to replace {out}: {reason}; choose another output folder")
        return False
    out = out.resolve()
    if staging is None and out.is_dir() and _unchanged(files, out, same):
        return True
    try:
        staging = staging or Staging(out, same)
        staging.add({rel: data for rel, data in files.items() if rel not in staging.staged})
        staging.swap()
    except OSError as exc:
        if staging is not None:
            staging.discard()
        diags.error(out, 0, f"cannot write the site: {exc.strerror or exc}")
        return False
    return True


def _unchanged(files: dict[str, bytes], out: Path, same: set[str]) -> bool:
    """True if `out` holds exactly `files` (and nothing else)."""
    try:
        present, start = set(), len(str(out)) + 1
        for folder, subfolders, names in os.walk(out):
            prefix = folder[start:] + "/" if len(folder) >= start else ""
            present.update(prefix + name for name in names)
            present.update(prefix + name for name in subfolders if os.path.islink(os.path.join(folder, name)))
        if present != set(files):
            return False
        for name, data in files.items():
            if name in same:
                continue
            old = out / name
            if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
                return False
    except OSError:
        return False
    return True


def _write_new(target: Path, data: bytes) -> None:
    """A new file in the staged folder: open, write, close, and no other system call
    (Python's open() also asks whether the file is a terminal, its block size and its
    position)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _reuse(old: Path, target: Path, data: bytes, known: bool = False) -> bool:
    """Hard-link `old` at `target` if it holds exactly `data` (`known`: this build read
    it from there and found those bytes, so it is not read again); False if it cannot."""
    try:
        status = os.lstat(old)  # one look: not a link, a regular file, of that size
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(data) \
                or not known and old.read_bytes() != data:
            return False
        os.link(old, target)
        return True
    except OSError:  # no hard links on this file system, or the old file went away
        return False


def update_in_place(files: dict[str, bytes], last: dict[str, bytes], out: Path, diags: Diagnostics) -> bool:
    """Bring `out`, which holds exactly `last`, to `files`: write only the files
    whose bytes changed (each through a temporary file and a rename) and remove
    the ones no longer built. For the preview, whose folder only it writes;
    `build` always swaps in a complete folder instead."""
    out = out.resolve()
    try:
        for rel in sorted(files):
            if last.get(rel) == files[rel]:
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_bytes(files[rel])
            os.replace(temporary, target)
        for rel in sorted(set(last) - set(files)):
            try:
                (out / rel).unlink()
            except FileNotFoundError:
                pass
    except OSError as exc:
        diags.error(out, 0, f"cannot write the preview: {exc.strerror or exc}")
        return False
    return True
