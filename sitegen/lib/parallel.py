"""Work split over the CPUs: forked processes, results back in order.

A stage with a long list of independent items (files to parse, pages to
render) gives each CPU a contiguous share. Every share but the first goes to a
forked copy of this process, which already holds everything the work needs
(the model, the templates), so nothing is sent to it; its result comes back
pickled through a pipe. The first share is done here meanwhile. Results are
returned in share order, so a stage that takes them in order produces exactly
what one process would, whatever the number of CPUs. A share whose process
fails in any way is simply done again here. A process that runs other threads
(the preview's server) is never forked; it does all the work itself.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Part = TypeVar("Part")


def workers() -> int:
    """Processes to work in: the CPUs this process may use, or SITEGEN_WORKERS."""
    wanted = os.environ.get("SITEGEN_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def shares(items: Sequence[Item], count: int) -> list[Sequence[Item]]:
    size = max(1, -(-len(items) // max(1, count)))
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


def fork_map(work: Callable[[Sequence[Item], bool], Part], parts: list[Sequence[Item]]) -> list[Part]:
    """`work(share, forked)` for every share, all but the first in forked processes;
    the results in share order. `forked` tells `work` it runs in a copy that ends
    when it returns (and must leave the parent's open files and connections alone)."""
    if len(parts) < 2 or not hasattr(os, "fork") or threading.active_count() > 1:
        # a process with other threads is never forked: a lock one of them holds
        # would stay locked forever in the copy
        return [work(share, False) for share in parts]
    children = [_fork(work, share) for share in parts[1:]]
    results = [work(parts[0], False)]
    for share, (pid, pipe) in zip(parts[1:], children):
        try:
            with os.fdopen(pipe, "rb") as stream:
                part = pickle.load(stream)  # read as it arrives: no second copy of the bytes
        except Exception:  # a process that died half-way: its share is done again here
            part = None
        _, status = os.waitpid(pid, 0)
        results.append(part if status == 0 and part is not None else work(share, False))
    return results


def _fork(work, share) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    status = 1
    try:
        os.close(read)
        part = work(share, True)
        with os.fdopen(write, "wb") as stream:
            pickle.dump(part, stream, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    finally:
        os._exit(status)
