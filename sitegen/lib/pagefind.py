"""Pagefind's service mode: pages handed to Pagefind through a pipe, in a fixed
order, with no folder of pages on disk; its bundle is written to a temporary folder
and read back.

`pagefind --service` reads requests from stdin and answers on stdout, each a
base64-encoded JSON message followed by a comma (the protocol of Pagefind's own
Python and Node.js packages). It handles them one after another, in the order
they come, so the pages reach its index in the order they are sent. That order
decides how results of equal score are ranked; Pagefind's command line reads a
folder in the order the file system lists it, which differs from one file system
to another, so the same pages could be ranked differently on two machines.

The service reads no settings of its own: neither a pagefind.yml in the working
folder nor PAGEFIND_* variables, only the configuration sent with NewIndex. The
bundle therefore depends on the pages, the binary and `CONFIG` only.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CONFIG = None  # Pagefind's defaults, as its command line has them without a config file
BATCH = 1 << 20  # bytes of messages written at once
PAUSE = 0.02  # seconds between reads of the answers


class PagefindError(Exception):
    """Pagefind could not index the pages; the message says why in Pagefind's words."""


def index_pages(executable: Path, pages: dict[str, bytes], *, environment: dict[str, str] | None = None,
                timeout: float = 600) -> dict[str, bytes]:
    """The bundle Pagefind makes of `pages` (the path of each page in the site, as
    `en/news/x/index.html`, to its HTML), as paths inside the bundle to bytes. The pages
    go to Pagefind in the order of their paths. Raises PagefindError."""
    names = sorted(pages)
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
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip().splitlines()
            if late:
                raise PagefindError(f"Pagefind took longer than {timeout:g} s")
            raise PagefindError(said[-1] if said else f"Pagefind stopped with status {process.returncode}")
        failed = [answer for answer in answers if _payload(answer).get("type") == "Error"]
        if failed:
            raise PagefindError(_error_text(failed[0], names))
        if _payload(answers[-1]).get("type") != "WriteFiles" or not bundle.is_dir():
            raise PagefindError("Pagefind's service did not write the bundle")
        try:
            return {path.relative_to(bundle).as_posix(): path.read_bytes()
                    for path in sorted(bundle.rglob("*")) if path.is_file()}
        except OSError as exc:
            raise PagefindError(f"the bundle could not be read: {exc}") from None


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
    not all held at once. (The bundle is written to a folder rather than sent back:
    sent, it is base64 in JSON in base64, three copies of it in memory at once.)"""
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
