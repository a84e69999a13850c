"""Work kept between builds: on disk, a small key-value store in one SQLite file
(`Store`); in a long-running process (the preview), `Memory`.

The store is only ever a shortcut. Every reader checks what it gets back
(the Markdown cache replays the links a document resolved, see markup.py),
and every failure to open, read or write it (a deleted, damaged or read-only
file, another build holding the lock) makes the build do the work again
instead of failing it. Deleting `.cache/` is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
FETCH_AT_ONCE = 500  # keys in one query of fetch() (SQLite allows 999 parameters at least)


@functools.lru_cache(maxsize=None)
def code_version(package: Path) -> str:
    """A digest of the files under `package` (the engine's source and the data it holds,
    not its compiled bytecode): part of the key of any work kept between builds that the
    code shapes, so a new version never reuses it."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Store:
    """JSON values by string key in `path` (an SQLite database), or nothing at all
    when the file cannot be used. A store with `memory` (the preview's, which
    lives as long as the server) also keeps every value it read or was given in
    memory, so a rebuild asks the file only for what it has not seen yet."""

    def __init__(self, path: Path, memory: bool = False):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}
        self._opened = False
        self._memory: dict[str, object] | None = {} if memory else None
        self._read: tuple[str, dict[str, str]] | None = None  # prefetch(): a prefix and its entries
        self._fetched: dict[str, str | None] = {}  # fetch(): entries by key, None for a key not there

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=5)
                db.execute(SCHEMA)
                self._db = db
                return db
            except (OSError, sqlite3.Error):
                if attempt == 0:  # a damaged file: start a new one
                    try:
                        self.path.unlink()
                    except OSError:
                        break
        return None

    def get(self, key: str):
        if self._memory is not None and key in self._memory:
            return self._memory[key]
        if key in self._pending:
            return json.loads(self._pending[key])
        try:
            if key in self._fetched:
                text = self._fetched[key]
                value = json.loads(text) if text is not None else None
            elif self._read is not None and key.startswith(self._read[0]):
                text = self._read[1].get(key)
                value = json.loads(text) if text is not None else None
            else:
                db = self._connect()
                if db is None:
                    return None
                row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
                value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError, RecursionError):
            return None
        if self._memory is not None and value is not None:
            self._memory[key] = value
        return value

    def prefetch(self, prefix: str) -> None:
        """Read every entry whose key starts with `prefix` (not empty) in one query: `get`
        then answers those keys without asking the file, one by one (11,000 page records:
        a few hundredths of a second instead of a few tenths). Forked processes share them."""
        db = self._connect()
        if db is None or not prefix:
            return
        beyond = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # the first key after all that start with prefix
        try:
            rows = db.execute("SELECT key, value FROM entries WHERE key >= ? AND key < ?", (prefix, beyond)).fetchall()
        except sqlite3.Error:
            return
        self._read = (prefix, dict(rows))

    def fetch(self, keys) -> None:
        """Read the entries of `keys` in a few queries: `get` then answers them without
        asking the file one by one (each process the keys of its own share)."""
        db = self._connect()
        keys = [key for key in dict.fromkeys(keys) if key not in self._fetched]
        if db is None or not keys:
            return
        try:
            for start in range(0, len(keys), FETCH_AT_ONCE):
                chunk = keys[start:start + FETCH_AT_ONCE]
                marks = ",".join("?" * len(chunk))
                found = dict(db.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk).fetchall())
                self._fetched.update((key, found.get(key)) for key in chunk)
        except sqlite3.Error:
            return

    def put(self, key: str, value) -> None:
        """Kept in memory until `flush`, so a build writes the store once. A value JSON
        cannot hold (nested deeper than Python's recursion limit, say) is not kept."""
        try:
            self._pending[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (RecursionError, ValueError, TypeError):
            return
        if self._memory is not None:
            self._memory[key] = json.loads(self._pending[key])  # what a later get would read

    def pending(self) -> dict[str, str]:
        """What `put` was given since the last flush (JSON text), e.g. to hand to another process."""
        return dict(self._pending)

    def adopt(self, pending: dict[str, str]) -> None:
        """Take over another process's `pending` values, to be written with this store's."""
        self._pending.update(pending)
        if self._memory is not None:
            self._memory.update((key, json.loads(text)) for key, text in pending.items())

    def after_fork(self) -> None:
        """In a forked process: leave the parent's connection alone and start with nothing
        pending (what `prefetch` and `fetch` read stays)."""
        self._db, self._opened, self._pending = None, False, {}

    def flush(self) -> None:
        db = self._connect()
        if db is None or not self._pending:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                               sorted(self._pending.items()))
        except sqlite3.Error:
            pass
        if self._read is not None:  # what prefetch read stays what the file holds
            self._read[1].update((key, text) for key, text in self._pending.items() if key.startswith(self._read[0]))
        self._fetched.update((key, text) for key, text in self._pending.items() if key in self._fetched)
        self._pending.clear()

    def retain(self, keys: set[str], slack: float = 1.5) -> None:
        """Remove the entries not named in `keys` (those of texts that changed or went
        away), once there are more than `slack` times as many: the store does not grow
        with every edit."""
        db = self._connect()
        if db is None:
            return
        try:
            if db.execute("SELECT count(*) FROM entries").fetchone()[0] <= slack * len(keys):
                return
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS retained (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM retained")
                db.executemany("INSERT OR IGNORE INTO retained (key) VALUES (?)", ((key,) for key in keys))
                db.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM retained)")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
        self._db, self._opened, self._read, self._fetched = None, False, None, {}


@dataclass
class Memory:
    """What a long-running process (the preview) keeps from one build to the next, so
    a rebuild does only what an edit changed: the content files as parsed, the last
    model and output, and the caches open, with the templates compiled."""

    sources: dict = field(default_factory=dict)  # path -> (size, time, inode), its Source, its problems
    files: dict[str, bytes] | None = None  # the output last written, None before the first
    site: object = None  # the model (model.Site) of the last build that was written
    pages: Store | None = None  # rendered pages' records (render.py), open
    bodies: Store | None = None  # converted Markdown bodies (markup.py), open
    templates: object = None  # the jinja2.Environment, its templates compiled; for one theme
