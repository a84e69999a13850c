"""Stage 6: the output folder, replaced atomically.

The new site is written into a hidden sibling folder and swapped in by
renames only when complete, so a failed build never touches the previous
output. A folder that holds the project itself is never replaced.

A file whose bytes are the same as in the previous output is not written
again: the new folder gets a hard link to the old file, which keeps its
modification time, so a sync to the web host (rsync, S3 sync, a CI cache)
sends only what changed, and an unchanged build writes almost nothing.
"""

from __future__ import annotations

import os
import shutil
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


def write_site(files: dict[str, bytes], out: Path, root: Path, diags: Diagnostics,
               same: set[str] = frozenset()) -> bool:
    """Write `files` as the folder `out`. `same` names files known to hold the
    same bytes in `out` already (read from there by this build); when every file
    is unchanged and nothing else is in `out`, the folder is left as it is."""
    reason = unsafe_output(out, root)
    if reason:
        diags.error("--out", 0, f"refusing to replace {out}: {reason}; choose another output folder")
        return False
    out = out.resolve()
    if out.is_dir() and _unchanged(files, out, same):
        return True
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        os.chmod(staging, 0o755)
        previous = out if out.is_dir() else None
        for rel in sorted(files):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if previous is None or not _reuse(previous / rel, target, files[rel], rel in same):
                target.write_bytes(files[rel])
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rename(out, retired / out.name)
            os.rename(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
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


def _reuse(old: Path, target: Path, data: bytes, known: bool = False) -> bool:
    """Hard-link `old` at `target` if it holds exactly `data` (`known`: this build read
    it from there and found those bytes, so it is not read again); False if it cannot."""
    try:
        if old.is_symlink() or not old.is_file() or old.stat().st_size != len(data) \
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
