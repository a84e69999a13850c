"""Pagefind, given the pages in one fixed order, so that the same pages make the same
bundle on every machine.

The order matters: Pagefind numbers the pages in the order it reads them, and ranks
results of equal score by that number. Its command line reads a folder in the order
the file system lists it, which differs from one file system to another (ext4 lists
by a hash of the name with a seed of its own, tmpfs newest first or oldest first by
kernel version), so the same pages could be ranked differently on two machines.

The order is that of the paths compared folder by folder (`order`): the order of a
walk through folders listed alphabetically. Two ways to give it:

- **A folder listed in that order** (the fast way). On a file system that lists a
  folder in the order its entries were made, newest or oldest first (tmpfs), the
  pages are written in the order (or its reverse) that makes the listing follow
  `order`, checked by listing the folder the way Pagefind walks it; then Pagefind's
  command line indexes it, on as many threads as it likes. It is tried in /dev/shm
  and in the temporary folder, where a probe of a few files shows how they list.
- **Pagefind's service** otherwise. `pagefind --service` reads requests from stdin and
  answers on stdout, each a base64-encoded JSON message followed by a comma (the
  protocol of Pagefind's own Python and Node.js packages), and handles them one after
  another, so the pages reach its index in the order they are sent. It parses the
  pages one at a time, so a lone run takes about half as long again (1,677 pages:
  4.4 s against 2.8 s; the same when the build keeps every CPU busy anyway).

Both give the same bundle, byte for byte (a test compares them). A run through the
folder that fails (a /dev/shm that filled up, say) is tried once more through the
service; one that took too long is not. Neither reads settings from the project: the
command line runs in the folder of pages, without PAGEFIND_* variables, and the service
reads no config file or variable at all, only `CONFIG`. The bundle therefore depends on
the pages, the binary and `CONFIG` only.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

CONFIG = None  # Pagefind's defaults, as its command line has them without a config file
BATCH = 1 << 20  # bytes of messages written at once
PAUSE = 0.02  # seconds between reads of the answers
SCRATCH = ("/dev/shm", None)  # where a folder of pages is tried (None: the temporary folder)
ROOM = 4  # a folder of pages is made only where this many times the pages' size is free
OUTPUT = "pagefind"  # the command line's bundle, inside the folder of pages
ARGUMENTS = ("--output-subdir", OUTPUT, "--silent")  # the command line's, after `--site <folder>`
PREFIXES = ("sitegen-pages-", "sitegen-probe-")  # the folders made in a scratch place
STALE = 3600  # seconds after which such a folder is taken as left by a build that was killed


class PagefindError(Exception):
    """Pagefind could not index the pages; the message says why in Pagefind's words.
    `late`: it took longer than it was given."""

    def __init__(self, message: str, late: bool = False):
        super().__init__(message)
        self.late = late


def order(name: str) -> list[str]:
    """The sort key of the order in which Pagefind gets the pages: paths compared
    folder by folder (`en/a/index.html` before `en/a-b/index.html`, as in a walk)."""
    return name.split("/")


def index_pages(executable: Path, pages: dict[str, bytes], *, environment: dict[str, str] | None = None,
                timeout: float = 600, scratch: tuple = SCRATCH,
                handed: Callable[[], None] = lambda: None) -> dict[str, bytes]:
    """The bundle Pagefind makes of `pages` (the path of each page in the site, as
    `en/news/x/index.html`, to its HTML), as paths inside the bundle to bytes. The pages
    go to Pagefind in `order`, through a folder listed in that order where one can be
    made in `scratch`, else through its service. Raises PagefindError.

    `handed` is called once the pages are written where Pagefind reads them (or as the
    service starts), while Pagefind indexes them: a caller with other work can wait for
    it, so that Python's lock is not fought over by the writing of the folder and that
    work (a thread that writes a file must wait for the lock again afterwards, up to
    5 ms while another thread computes)."""
    names = sorted(pages, key=order)
    handed = _once(handed)
    for place in scratch:
        folder = _listed_in_order(pages, names, place)
        if folder is not None:
            handed()
            try:
                return _index_folder(executable, folder, environment, timeout)
            except PagefindError as exc:
                if exc.late:
                    raise
                break  # the service tries once more, without the folder (which may have filled /dev/shm)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    handed()
    return _index_service(executable, pages, names, environment, timeout)


def _listed_in_order(pages: dict[str, bytes], names: list[str], place: str | None) -> Path | None:
    """A new folder in `place` holding `pages`, listed in the order of `names`; None
    when the file system there does not list in the order entries were made, lacks
    the room, or cannot be written."""
    try:
        if place is not None and not os.path.isdir(place):
            return None
        where = place or tempfile.gettempdir()
        if _free(where) < ROOM * sum(len(data) for data in pages.values()):
            return None
        _remove_stale(where)
        newest_first = _lists_newest_first(place)
        if newest_first is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="sitegen-pages-", dir=place))
    except OSError:
        return None
    try:
        made: set[str] = set()
        for name in reversed(names) if newest_first else names:
            parent = name.rpartition("/")[0]
            if parent not in made:
                (folder / parent).mkdir(parents=True, exist_ok=True)
                made.add(parent)
            (folder / name).write_bytes(pages[name])
        if _walk(folder) == names:
            return folder
    except OSError:
        pass
    shutil.rmtree(folder, ignore_errors=True)
    return None


def _once(call: Callable[[], None]) -> Callable[[], None]:
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            call()
    return once


def _remove_stale(place: str) -> None:
    """Removes folders of pages that a killed build left (in /dev/shm they take memory
    until the machine restarts)."""
    now = time.time()
    for entry in os.scandir(place):
        try:
            if entry.name.startswith(PREFIXES) and entry.is_dir(follow_symlinks=False) \
                    and now - entry.stat(follow_symlinks=False).st_mtime > STALE:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue


def _free(place: str) -> int:
    status = os.statvfs(place)
    return status.f_bavail * status.f_frsize


def _lists_newest_first(place: str | None) -> bool | None:
    """How a folder in `place` lists its entries: newest first (True), oldest first
    (False), or in neither order (None), from a probe of a few files."""
    probe = Path(tempfile.mkdtemp(prefix="sitegen-probe-", dir=place))
    try:
        made = [f"{number}{letter}" for number, letter in zip(range(8), "hcaxbgzd")]  # not in sorted order
        for name in made:
            (probe / name).write_bytes(b"")
        listed = [entry.name for entry in os.scandir(probe)]
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return True if listed == made[::-1] else False if listed == made else None


def _walk(folder: Path, prefix: str = "") -> list[str]:
    """The files under `folder` in the order Pagefind's walk meets them: each folder
    as the file system lists it, a subfolder's files where the subfolder is listed."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found += _walk(Path(entry.path), f"{prefix}{entry.name}/")
            else:
                found.append(prefix + entry.name)
    return found


def _index_folder(executable: Path, folder: Path, environment: dict[str, str] | None,
                  timeout: float) -> dict[str, bytes]:
    """Pagefind's command line over the folder of pages, run in that folder and
    without PAGEFIND_* variables, so that it reads no settings from the project."""
    settings = {key: value for key, value in (os.environ if environment is None else environment).items()
                if not key.startswith("PAGEFIND_")}
    try:
        done = subprocess.run([str(executable), "--site", ".", *ARGUMENTS],
                              cwd=folder, capture_output=True, text=True, timeout=timeout, env=settings)
    except subprocess.TimeoutExpired:
        raise PagefindError(f"Pagefind took longer than {timeout:g} s", late=True) from None
    except OSError as exc:
        raise PagefindError(str(exc)) from None
    if done.returncode != 0:
        raise PagefindError(_last_line(done.stderr or done.stdout, done.returncode))
    return _read_bundle(folder / OUTPUT)


def _last_line(said: str, status: int | None) -> str:
    """What a Pagefind that stopped said last, or its exit status."""
    lines = said.strip().splitlines()
    return lines[-1] if lines else f"Pagefind stopped with status {status}"


def _read_bundle(bundle: Path) -> dict[str, bytes]:
    if not bundle.is_dir():
        raise PagefindError("Pagefind did not write the bundle")
    try:
        return {path.relative_to(bundle).as_posix(): path.read_bytes()
                for path in sorted(bundle.rglob("*")) if path.is_file()}
    except OSError as exc:
        raise PagefindError(f"the bundle could not be read: {exc}") from None


def _index_service(executable: Path, pages: dict[str, bytes], names: list[str],
                   environment: dict[str, str] | None, timeout: float) -> dict[str, bytes]:
    """Pagefind's service, given the pages one after another in the order of `names`;
    its bundle written to a temporary folder and read back. (Sent back instead, it is
    base64 in JSON in base64, three copies of it in memory at once.)"""
    count = len(names) + 2  # a new index, the pages, the bundle
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as folder:
        bundle = Path(folder) / "bundle"
        try:
            process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=errors, env=environment)
        except OSError as exc:
            raise PagefindError(str(exc)) from None
        late: list[bool] = []

        def stop() -> None:
            late.append(True)
            process.kill()

        timer = threading.Timer(timeout, stop)
        timer.start()
        sender = threading.Thread(target=_send, args=(process, pages, names, bundle), daemon=True)
        sender.start()
        answers = None
        try:
            answers = _answers(process, count)
        finally:
            timer.cancel()
            if answers is None:  # it stopped early: let it say why before its input is closed
                _wait(process)
            try:
                process.stdin.close()  # the service ends when its input ends
            except (OSError, ValueError):
                pass
            _wait(process)
            sender.join()
            process.stdout.close()
        if answers is None:
            if late:
                raise PagefindError(f"Pagefind took longer than {timeout:g} s", late=True)
            errors.seek(0)
            raise PagefindError(_last_line(errors.read().decode("utf-8", "replace"), process.returncode))
        failed = [answer for answer in answers if _payload(answer).get("type") == "Error"]
        if failed:
            raise PagefindError(_error_text(failed[0], names))
        if _payload(answers[-1]).get("type") != "WriteFiles":
            raise PagefindError("Pagefind's service did not write the bundle")
        return _read_bundle(bundle)


def _wait(process: subprocess.Popen) -> None:
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _payload(answer: dict) -> dict:
    payload = answer.get("payload")
    return payload if isinstance(payload, dict) else {}


def _requests(pages: dict[str, bytes], names: list[str], bundle: Path):
    """The messages, numbered from 1: a new index, each page in the order of `names`,
    then the request to write the bundle into the folder `bundle`. Made one at a time,
    not all held at once."""
    yield {"type": "NewIndex", "config": CONFIG}
    for name in names:
        yield {"type": "AddFile", "index_id": 0, "file_path": name, "url": None,
               "file_contents": pages[name].decode("utf-8", "replace")}
    yield {"type": "WriteFiles", "index_id": 0, "output_path": str(bundle)}


def _send(process: subprocess.Popen, pages: dict[str, bytes], names: list[str], bundle: Path) -> None:
    """Writes the messages in batches of about BATCH bytes. A thread that writes to a
    pipe lets go of Python's lock and must wait for it again (up to 5 ms while the
    build renders or stages pages): a write per page kept Pagefind waiting for its
    input for longer than it took to index."""
    batch: list[bytes] = []
    size = 0
    try:
        for number, payload in enumerate(_requests(pages, names, bundle), start=1):
            message = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
            batch.append(base64.b64encode(message.encode("utf-8")) + b",")
            size += len(batch[-1])
            if size >= BATCH:
                process.stdin.write(b"".join(batch))
                batch, size = [], 0
        process.stdin.write(b"".join(batch))
        process.stdin.flush()
    except (OSError, ValueError):  # Pagefind stopped; its answers (or their absence) say why
        pass


def _answers(process: subprocess.Popen, count: int) -> list[dict] | None:
    """The service's first `count` answers in order of their messages, or None when
    it stopped before giving them all."""
    stream = process.stdout
    answers: dict[int, dict] = {}
    pending: list[bytes] = []  # the start of a message not yet complete
    while len(answers) < count:
        chunk = stream.read1(1 << 20)
        if not chunk:
            return None
        time.sleep(PAUSE)  # let more answers gather: each read waits for Python's lock again (see _send)
        if b"," not in chunk:
            pending.append(chunk)
            continue
        *complete, rest = chunk.split(b",")
        complete[0] = b"".join(pending) + complete[0]
        pending = [rest]
        for message in complete:
            words = message.split()  # a line Pagefind logged before the message is not part of it
            if not words:
                continue
            try:
                answer = json.loads(base64.b64decode(words[-1], validate=True))
            except ValueError:
                continue
            if not isinstance(answer, dict):
                continue
            number = answer.get("message_id")
            if not isinstance(number, int):  # the answer to a message Pagefind could not read
                said = _payload(answer).get("message")
                return [{"payload": {"type": "Error", "message": said or "Pagefind could not read a message"}}]
            answers[number] = answer
    return [answers[number] for number in sorted(answers)]


def _error_text(answer: dict, names: list[str]) -> str:
    """Pagefind's message, and the page it was about when it was about one."""
    text = str(_payload(answer).get("message") or "Pagefind's service reported an error")
    number = answer.get("message_id")
    if isinstance(number, int) and 2 <= number < len(names) + 2:
        text += f" (the page {names[number - 2]})"
    return text
