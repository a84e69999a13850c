"""Stage 6: the output folder, replaced atomically.

The new site is written into a hidden sibling folder and swapped in by
renames only when complete, so a failed build never touches the previous
output. A folder that holds the project itself is never replaced.
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


def write_site(files: dict[str, bytes], out: Path, root: Path, diags: Diagnostics) -> bool:
    reason = unsafe_output(out, root)
    if reason:
        diags.error("--out", 0, f"refusing to replace {out}: {reason}; choose another output folder")
        return False
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        os.chmod(staging, 0o755)
        for rel in sorted(files):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
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
