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

The output a swap retires is not removed but kept as the *spare*, in a folder
of the build's cache (`spares`), and the next build makes its new folder from it:
it holds the output of the build before the last, most of whose files are hard
links to the live output's, so bringing it up to date costs what changed since,
instead of a folder and a link for every file (10,000 pages: 11,000 folders and
22,000 links, and as many removed after the swap). A file of the spare is kept
only when it is known to hold the new bytes: it is the live output's own file
(the same inode) and that file holds them, or its own bytes are compared; any
other file is replaced through a new file and a rename, never written in place,
so the live output's files, which it shares, are never touched. What the spare
holds beyond the new output is removed. The spare is taken by renaming it, so
two builds never share it; a build that cannot use it makes a new folder.

What each file of the new output holds is recorded in its *manifest* (`Manifest`),
kept beside the spare: the file's size, modification time, inode and SHA-256. The
next build trusts a file of the live output whose size, time and inode are still
those, without reading it (as rsync trusts a file's size and time): render.py takes
unchanged pages from it unread, and the writer links it, or keeps the spare's file
that is the same file. A file written over by hand has a new time and is read. Its
change time cannot be recorded (every build links the files, which changes it), so a
file edited in place with its modification time set back is not noticed. At 10,000
news pages, an edit's build read the output's 10,000 pages twice before (0.6 s), and
the spare's 10,000 search files once (0.2 s).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

from .diagnostics import Diagnostics
from .files import Files, as_files, write_atomically


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


def spare_of(out: Path, spares: Path | None) -> Path | None:
    """Where the spare of the output folder `out` is kept: in `spares`, named after
    the folder's path, so that two output folders of a project keep one each."""
    if spares is None:
        return None
    return spares / hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:16]


STALE = 3600  # seconds after which a spare left half-made (its process killed) is removed


def make_spare(out: Path, spares: Path | None):
    """When the output folder `out` has no spare (after a first build, or a build that
    changed nothing), a forked process makes one of hard links to its files while the
    build reads and renders, instead of the build making every folder of its new output
    (at 10,000 news pages, 11,000 folders: about 1.1 s of the file system's time). A
    function that waits for that process is returned (None when there is nothing to do,
    or no fork: a process with other threads, or a system without fork). Call it before
    staging and when the build ends."""
    spare = spare_of(out, spares)
    if spare is None or not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    try:
        if spare.exists() or not out.is_dir():
            return None
        spare.parent.mkdir(parents=True, exist_ok=True)
        for left in spare.parent.glob(f".{spare.name}.making-*"):
            if time.time() - left.stat().st_mtime > STALE:
                shutil.rmtree(left, ignore_errors=True)
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit reached): the build makes its folders itself
        return None
    if pid == 0:  # the copy: make the spare, and end without running anything of the parent's
        code = 1
        try:
            code = 0 if _linked_copy(out, spare) else 1
        finally:
            os._exit(code)
    done: list[bool] = []

    def wait() -> None:
        if not done:
            done.append(True)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return wait


def _linked_copy(out: Path, spare: Path) -> bool:
    """`spare` made as a copy of `out` whose files are hard links to out's; nothing left
    half-made."""
    making = spare.with_name(f".{spare.name}.making-{os.getpid()}")
    try:
        os.mkdir(making)
        pending = [(str(out), str(making))]
        while pending:
            source, target = pending.pop()
            with os.scandir(source) as entries:
                for entry in entries:
                    made = os.path.join(target, entry.name)
                    if entry.is_dir(follow_symlinks=False):
                        os.mkdir(made)
                        pending.append((entry.path, made))
                    elif entry.is_file(follow_symlinks=False):
                        os.link(entry.path, made)
        os.rename(making, spare)  # fails if a spare came meanwhile: that one stays
        return True
    except OSError:
        shutil.rmtree(making, ignore_errors=True)
        return False


MANIFEST_FORMAT = "sitegen-output/1"


class Manifest:
    """What each file of the live output folder held when the build that wrote it
    left it: its size, modification time, inode and SHA-256, kept beside the spare
    (`<spare>.json`). A file whose size, time and inode are still those is known to
    hold those bytes without being read, as git's index knows a file; any other is
    read. A manifest that is missing, damaged or old only means files are read."""

    def __init__(self, folder: Path, known: dict | None = None):
        self.folder = folder
        self.known: dict[str, list] = known or {}

    @classmethod
    def load(cls, out: Path, spares: Path | None) -> Manifest:
        known = None
        path = _manifest_path(spare_of(out, spares))
        if path is not None:
            try:
                found = json.loads(path.read_bytes())
                if found.get("format") == MANIFEST_FORMAT and isinstance(found.get("files"), dict):
                    known = found["files"]
            except (OSError, ValueError, AttributeError):
                pass
        return cls(out.resolve(), known)

    def holds(self, name: str, sha: str) -> int | None:
        """The size of the file `name` if it holds the bytes whose SHA-256 is `sha`, as
        far as its size, time and inode tell; None when that is not known."""
        if name not in self.known:
            return None
        try:
            status = os.lstat(self.folder / name)
        except OSError:
            return None
        return status.st_size if self.says(name, status, lambda: sha) else None

    def says(self, name: str, status: os.stat_result, sha) -> bool | None:
        """Whether the file `name`, whose status is `status`, holds the bytes whose
        SHA-256 `sha()` gives (asked only if need be); None when the manifest cannot
        tell (the file is not the one it recorded, or not as it was)."""
        entry = self.known.get(name)
        try:
            if entry is None or not stat.S_ISREG(status.st_mode) or \
                    [status.st_size, status.st_mtime_ns, status.st_ino] != entry[:3] or type(entry[3]) is not str:
                return None
        except (TypeError, IndexError):
            return None
        return entry[3] == sha()

    def same(self, name: str, path: Path, status: os.stat_result, files: Files) -> bool:
        """Whether the file at `path` (`name` in the output, of that status) holds the
        bytes of `files[name]`: as the manifest tells, else read and compared."""
        said = self.says(name, status, lambda: files.sha(name))
        return said if said is not None else path.read_bytes() == files[name]


def _manifest_path(spare: Path | None) -> Path | None:
    return None if spare is None else spare.with_name(spare.name + ".json")


def _write_manifest(spare: Path | None, entries: dict[str, list]) -> None:
    """Best effort: without it the next build reads the files it would have trusted."""
    path = _manifest_path(spare)
    if path is not None:
        with contextlib.suppress(OSError):
            write_atomically(path, json.dumps({"format": MANIFEST_FORMAT, "files": entries},
                                              separators=(",", ":")).encode("utf-8"))


class Staging:
    """The new output folder, filled beside `out` and swapped in whole. Files whose
    bytes the previous output holds are hard-linked from it (`same` names those this
    build read from there already, which are not read again, and `live`, the
    manifest of the previous output, tells others without reading them). With `spare`
    (from `spare_of`), the new folder is made from the spare there, if there is one,
    the output it retires is kept there, and the manifest of the new output beside it."""

    def __init__(self, out: Path, same: set[str] = frozenset(), spare: Path | None = None,
                 live: Manifest | None = None):
        self.out, self.same, self.spare = out, same, spare
        self.previous = out if out.is_dir() else None
        self.live = live if live is not None and self.previous is not None else Manifest(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out)
        self.folder = Path(tempfile.mkdtemp(prefix=_prefix(out, "new"), dir=out.parent))
        self.staged: set[str] = set()
        self._made: set[str] = {""}
        self._added: list[tuple[Files, list[str]]] = []  # what add() was given, to start again from
        self._kept: set[str] | None = None  # the spare's files not yet looked at
        self._spare_folders: list[str] = []
        # each staged file: its size, time and inode, and the files it came from (for its SHA-256)
        self._stats: dict[str, tuple[int, int, int, Files]] = {}
        if spare is not None and self.previous is not None:
            self._take_spare(spare)
        os.chmod(self.folder, 0o755)

    def _take_spare(self, spare: Path) -> None:
        """The spare becomes the new folder (renamed onto the empty one just made)."""
        try:
            os.rename(spare, self.folder)
        except OSError:  # none, on another file system, or another build took it
            return
        try:
            self._kept, self._spare_folders = _index(self.folder)
        except OSError:
            self._start_anew()
            return
        self._made.update(self._spare_folders)

    def add(self, files, names=None) -> None:
        """Stage `names` of `files` (all of them by default)."""
        files = as_files(files)
        names = sorted(files if names is None else names)
        self._added.append((files, names))
        if self._kept is None:
            self._add(files, names)
            return
        try:
            self._add(files, names)
        except OSError:  # the spare holds something in the way (a folder where a file goes)
            self._start_anew()

    def _start_anew(self) -> None:
        """Leaves the spare: an empty new folder, with all that add() was given."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = Path(tempfile.mkdtemp(prefix=_prefix(self.out, "new"), dir=self.out.parent))
        os.chmod(self.folder, 0o755)
        self._kept, self._spare_folders, self._made, self.staged, self._stats = None, [], {""}, set(), {}
        for files, names in self._added:
            self._add(files, [rel for rel in names if rel not in self.staged])

    def _add(self, files: Files, names: list[str]) -> None:
        for rel in names:
            target = self.folder / rel
            folder = rel.rpartition("/")[0]
            if folder not in self._made:  # each folder once, not once per file
                target.parent.mkdir(parents=True, exist_ok=True)
                while folder not in self._made:
                    self._made.add(folder)
                    folder = folder.rpartition("/")[0]
            status = None
            if self._kept is not None and rel in self._kept:
                self._kept.discard(rel)
                status = self._holds(rel, files)
                if status is None:
                    status = self._replace(rel, target, files)
            elif self.previous is not None:
                status = self._reuse(rel, target, files)
            if status is None:
                status = _write_new(target, files[rel])
            self._stats[rel] = (status.st_size, status.st_mtime_ns, status.st_ino, files)
            self.staged.add(rel)

    def _holds(self, rel: str, files: Files) -> os.stat_result | None:
        """The status of the spare's file `rel` if it holds the bytes of `files[rel]`:
        it is the live output's file as the manifest recorded it, or the live output's
        file (the same inode on the same device) and this build read that, or its own
        bytes are those; else None."""
        try:
            own = os.lstat(self.folder / rel)
            if not stat.S_ISREG(own.st_mode) or own.st_size != files.size(rel):
                return None
            if rel in self.same:
                live = os.lstat(self.previous / rel)
                if (live.st_ino, live.st_dev) == (own.st_ino, own.st_dev):
                    return own
            return own if self.live.same(rel, self.folder / rel, own, files) else None
        except OSError:
            return None

    def _replace(self, rel: str, target: Path, files: Files) -> os.stat_result:
        """A new file at `target`, linked from the live output when that holds the
        bytes, put in place by a rename: the spare's old file may be the live output's too."""
        temporary = target.with_name(f".{target.name}.sitegen-new")
        if temporary.exists() or temporary.is_symlink():
            temporary.unlink()
        status = self._reuse(rel, temporary, files) if self.previous is not None else None
        if status is None:
            status = _write_new(temporary, files[rel])
        os.replace(temporary, target)
        return status

    def _reuse(self, rel: str, target: Path, files: Files) -> os.stat_result | None:
        """Hard-link the live output's file `rel` at `target` if it holds exactly the
        bytes of `files[rel]` (known from the manifest, or because this build read it
        from there: `same`, or else read); its status, or None if it cannot."""
        old = self.previous / rel
        try:
            status = os.lstat(old)  # one look: not a link, a regular file, of that size
            if not stat.S_ISREG(status.st_mode) or status.st_size != files.size(rel):
                return None
            if rel not in self.same and not self.live.same(rel, old, status, files):
                return None
            os.link(old, target)
            return status
        except OSError:  # no hard links on this file system, or the old file went away
            return None

    def _clear_rest(self) -> None:
        """Removes what the spare held beyond the new output: its other files, then
        the folders no file of the new output is in."""
        if self._kept is None:
            return
        for rel in self._kept:
            os.unlink(self.folder / rel)
        self._kept = set()
        needed = {""}
        for rel in self.staged:
            folder = rel.rpartition("/")[0]
            while folder not in needed:
                needed.add(folder)
                folder = folder.rpartition("/")[0]
        for folder in sorted(set(self._spare_folders) - needed, key=lambda name: -name.count("/")):
            path = self.folder / folder
            try:
                os.rmdir(path)
            except OSError:  # something the index did not see: away with it all
                shutil.rmtree(path, ignore_errors=True)

    def swap(self) -> None:
        """The staged folder takes the place of `out` by renames; the output it
        retires is kept as the spare when there is a place for one, and the new
        output's manifest beside it."""
        try:
            self._clear_rest()
        except OSError:  # something of the spare's that cannot be removed
            self._start_anew()
        if self.out.exists():
            retired = Path(tempfile.mkdtemp(prefix=_prefix(self.out, "old"), dir=self.out.parent))
            os.rename(self.out, retired / self.out.name)
            os.rename(self.folder, self.out)
            if not self._keep_as_spare(retired / self.out.name):
                shutil.rmtree(retired / self.out.name, ignore_errors=True)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(self.folder, self.out)
        _write_manifest(self.spare, {rel: [size, mtime, inode, files.sha(rel)]
                                     for rel, (size, mtime, inode, files) in sorted(self._stats.items())})

    def _keep_as_spare(self, retired: Path) -> bool:
        if self.spare is None:
            return False
        try:
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            os.rename(retired, self.spare)  # fails if another build left one meanwhile: this one goes
            return True
        except OSError:
            return False

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _prefix(out: Path, kind: str) -> str:
    """How a build names its new folder beside `out` ("new") and the one it retires
    ("old"): with its process id, so that one left by a build that was killed is known."""
    return f".{out.name}.{kind}-{os.getpid()}-"


def _remove_abandoned(out: Path) -> None:
    """Removes the folders beside `out` that builds killed half-way left (_prefix): those
    whose process is gone. Where that cannot be asked (not POSIX), none."""
    if os.name != "posix":
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-(\d+)-")
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None or int(found.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except (OSError, OverflowError):  # alive (another user's), or not a process id
            continue


def _index(folder: Path) -> tuple[set[str], list[str]]:
    """The files under `folder` (anything but a folder) and its folders."""
    files: set[str] = set()
    folders: list[str] = []
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                    pending.append((entry.path, name + "/"))
                else:
                    files.add(name)
    return files, folders


def stage(files, out: Path, root: Path, same: set[str] = frozenset(), spares: Path | None = None,
          live: Manifest | None = None) -> Staging | None:
    """A new output folder holding `files` already, for write_site to complete (while
    the search index is made, say); None when it cannot be (write_site says why)."""
    if unsafe_output(out, root):
        return None
    staging = None
    try:
        staging = Staging(out.resolve(), same, spare_of(out, spares), live)
        staging.add(files)
    except OSError:
        if staging is not None:
            staging.discard()
        return None
    return staging


def write_site(files, out: Path, root: Path, diags: Diagnostics, same: set[str] = frozenset(),
               staging: Staging | None = None, spares: Path | None = None, live: Manifest | None = None) -> bool:
    """Write `files` (a mapping of bytes, or Files) as the folder `out`. `same` names
    files known to hold the same bytes in `out` already (read from there by this
    build), and `live` (Manifest.load) tells others; when every file is unchanged and
    nothing else is in `out`, the folder is left as it is. With `staging` (from `stage`),
    the files it holds are not written again. `spares`: the folder where the spare of
    `out` and the manifest are kept (see above)."""
    reason = unsafe_output(out, root)
    if reason:
        if staging is not None:
            staging.discard()
        diags.error("--out", 0, f"refusing to replace {out}: {reason}; choose another output folder")
        return False
    files = as_files(files)
    out = out.resolve()
    if staging is None and out.is_dir() and _unchanged(files, out, same, live or Manifest(out)):
        return True
    try:
        staging = staging or Staging(out, same, spare_of(out, spares), live)
        staging.add(files, [rel for rel in files if rel not in staging.staged])
        staging.swap()
    except OSError as exc:
        if staging is not None:
            staging.discard()
        diags.error(out, 0, f"cannot write the site: {exc.strerror or exc}")
        return False
    return True


def _unchanged(files: Files, out: Path, same: set[str], live: Manifest) -> bool:
    """True if `out` holds exactly `files` (and nothing else)."""
    try:
        present, start = set(), len(str(out)) + 1
        for folder, subfolders, names in os.walk(out):
            prefix = folder[start:] + "/" if len(folder) >= start else ""
            present.update(prefix + name for name in names)
            present.update(prefix + name for name in subfolders if os.path.islink(os.path.join(folder, name)))
        if present != set(files):
            return False
        for name in files:
            if name in same:
                continue
            old = out / name
            status = os.lstat(old)
            if not stat.S_ISREG(status.st_mode) or status.st_size != files.size(name):
                return False
            if not live.same(name, old, status, files):
                return False
    except OSError:
        return False
    return True


def _write_new(target: Path, data: bytes) -> os.stat_result:
    """A new file in the staged folder: open, write, look, close, and no other system
    call (Python's open() also asks whether the file is a terminal, its block size and
    its position). Its status, for the manifest."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


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
