"""The outputs of a build, by their path in the output folder.

Most pages of a build after an edit are the previous output's pages, unchanged. Such
a page is not read: it is held as `Kept`, the previous output's file with the SHA-256
and size of the bytes it holds, and read only when something asks for its bytes (the
search index for the pages of a part it runs again, a link check for a page's ids).
The writer links the file into the new output without reading it, and the search
index knows a page by its SHA-256. A kept file found changed when it is read (the
output folder was written meanwhile) is made again by `fallback`, which renders its
page; a page never shows bytes other than those it renders to.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """`path` written whole or not at all: a temporary file beside it (named with the
    process id), then a rename; the temporary file removed if that fails. OSError when
    the folder cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Kept:
    """A file of the previous output, known to hold the bytes with this SHA-256 and size."""

    path: Path
    sha: str
    size: int


class Files(MutableMapping):
    """Output path -> bytes, where some of the bytes are still in the previous output's
    files (`keep`). Reading an item reads such a file; `size`, `sha` and `is_kept`
    answer without reading it."""

    def __init__(self, items=(), fallback: Callable[[str], bytes | None] | None = None):
        self._items: dict[str, bytes | Kept] = {}
        self._shas: dict[str, str] = {}
        self.fallback = fallback  # path -> its bytes made again, or None (a problem, reported)
        self.update(items)

    def __getitem__(self, name: str) -> bytes:
        value = self._items[name]
        if isinstance(value, Kept):
            value = self._load(name, value)
        return value

    def __setitem__(self, name: str, data: bytes) -> None:
        self._items[name] = data
        self._shas.pop(name, None)

    def __delitem__(self, name: str) -> None:
        del self._items[name]
        self._shas.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name) -> bool:
        return name in self._items

    def __repr__(self) -> str:
        return f"Files({len(self._items)} files, {sum(map(self.is_kept, self._items))} kept)"

    def put(self, name: str, data: bytes, sha: str | None = None) -> None:
        """Bytes whose SHA-256 is known already."""
        self._items[name] = data
        if sha is None:
            self._shas.pop(name, None)
        else:
            self._shas[name] = sha

    def keep(self, name: str, kept: Kept) -> None:
        self._items[name] = kept
        self._shas[name] = kept.sha

    def update(self, other=(), **more) -> None:
        """As a dict's; another Files' kept files stay unread."""
        if isinstance(other, Files):
            self._items.update(other._items)
            for name in other._items:
                if name in other._shas:
                    self._shas[name] = other._shas[name]
                else:
                    self._shas.pop(name, None)
            if other.fallback is not None and self.fallback is None:
                self.fallback = other.fallback
        else:
            super().update(other, **more)

    def copy(self) -> Files:
        copied = Files(fallback=self.fallback)
        copied.update(self)
        return copied

    def is_kept(self, name: str) -> bool:
        """Whether the bytes of `name` are still in the previous output's file only."""
        return isinstance(self._items[name], Kept)

    def size(self, name: str) -> int:
        value = self._items[name]
        return value.size if isinstance(value, Kept) else len(value)

    def sha(self, name: str) -> str:
        found = self._shas.get(name)
        if found is None:
            found = self._shas[name] = sha256(self[name])
        return found

    def _load(self, name: str, kept: Kept) -> bytes:
        try:
            data = kept.path.read_bytes()
        except OSError:
            data = None
        if data is not None and len(data) == kept.size and sha256(data) == kept.sha:
            self._items[name] = data
            return data
        if self.fallback is None:
            raise OSError(f"{kept.path} changed while the site was built")
        again = self.fallback(name)
        if again is None:  # the page failed (reported): the build fails and writes nothing
            again = b""
        self.put(name, again)
        return again


def as_files(files) -> Files:
    """`files` as Files: itself, or a mapping of bytes copied into one."""
    return files if isinstance(files, Files) else Files(files)
