"""The output folder made from the spare (sitegen/lib/writer.py): the output a swap
retired, kept to make the next one from. Whatever the spare holds, the new output
holds exactly the build's files, and the live output is never touched before the swap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitegen.lib import writer
from sitegen.lib.diagnostics import Diagnostics


@pytest.fixture
def place(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    return root, tmp_path / "out" / "site", tmp_path / "cache" / "output"


def write(place, files, same=frozenset()):
    root, out, spares = place
    diags = Diagnostics(root)
    assert writer.write_site(files, out, root, diags, set(same), spares=spares), diags.items
    return out


def held(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def folders(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()}


def spare(place) -> Path:
    root, out, spares = place
    return writer.spare_of(out, spares)


def site(version: int) -> dict[str, bytes]:
    files = {f"en/news/{n}/index.html": f"news {n}".encode() for n in range(6)}
    files["index.html"] = f"home {version}".encode()
    files["en/news/3/index.html"] = f"news 3, version {version}".encode()
    return files


def test_the_retired_output_is_kept_and_the_next_output_is_made_from_it(place):
    out = write(place, site(1))
    assert not spare(place).exists(), "a first build retires nothing"
    write(place, site(2))
    assert held(spare(place)) == site(1), "the spare is the output the swap retired"
    unchanged = os.stat(out / "en/news/0/index.html").st_ino
    third = {**site(3), "en/about/index.html": b"about"}
    del third["en/news/5/index.html"]
    write(place, third)
    assert held(out) == third
    assert "en/news/5" not in folders(out), "a folder no file is in any more goes too"
    assert os.stat(out / "en/news/0/index.html").st_ino == unchanged, "an unchanged file is the same file"
    assert held(spare(place)) == site(2)


def with_spare(place, changes: dict[str, bytes | None]) -> Path:
    """Two builds, then the spare changed behind the builds' back: each path given a
    new file with those bytes, or a folder (None). The output folder."""
    out = write(place, site(1))
    write(place, site(2))
    for name, data in changes.items():
        path = spare(place) / name
        if path.is_file():
            path.unlink()
        if data is None:
            path.mkdir()
        else:
            path.write_bytes(data)
    return out


def test_a_spare_file_is_kept_only_when_it_holds_the_new_bytes(place):
    # other bytes of the same size, a file the output does not have, a folder it does not have
    out = with_spare(place, {"en/news/1/index.html": b"news X", "en/stray.html": b"not built", "en/extra": None,
                             "en/extra/file.html": b"not built"})
    write(place, site(3))
    assert held(out) == site(3)
    assert not (out / "en/extra").exists()


def test_a_folder_of_the_spare_where_a_file_goes_is_no_harm(place):
    out = with_spare(place, {"page.html": None, "page.html/index.html": b"in the way",
                             "about": b"a file where a folder goes"})
    files = {**site(3), "page.html": b"page", "about/index.html": b"about"}
    write(place, files)
    assert held(out) == files


def test_the_live_output_is_not_touched_while_the_new_one_is_made(place):
    root, out, spares = place
    write(place, site(1))
    write(place, {**site(1), "extra.html": b"extra"})  # the spare (site 1) and the live output share files
    before = held(out)
    assert os.stat(out / "index.html").st_ino == os.stat(spare(place) / "index.html").st_ino
    staging = writer.stage(site(2), out, root, spares=spares)
    assert staging is not None and staging.folder != out
    assert held(out) == before, "the spare's files are replaced, never written in place"
    staging.discard()
    assert held(out) == before
    assert not spare(place).exists(), "a discarded build's folder, made from the spare, is gone"
    write(place, site(3))
    assert held(out) == site(3)


def test_two_builds_never_share_the_spare(place):
    root, out, spares = place
    write(place, site(1))
    write(place, site(2))
    first = writer.stage(site(3), out, root, spares=spares)
    second = writer.stage(site(4), out, root, spares=spares)
    assert first is not None and second is not None
    assert first.folder != second.folder and not spare(place).exists()
    assert held(first.folder) == site(3) and held(second.folder) == site(4)
    first.discard()
    second.discard()


def test_each_output_folder_keeps_a_spare_of_its_own(place, tmp_path):
    root, out, spares = place
    other = tmp_path / "elsewhere" / "site"
    assert writer.spare_of(out, spares) != writer.spare_of(other, spares)
    assert writer.spare_of(out, None) is None


def test_a_spare_whose_rest_cannot_be_removed_is_left(place, monkeypatch):
    out = with_spare(place, {"en/stray.html": b"not built"})
    real = os.unlink

    def refuse(path, *args, **kwargs):
        if str(path).endswith("stray.html"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(writer.os, "unlink", refuse)
    write(place, site(3))
    assert held(out) == site(3)


def test_a_missing_spare_is_made_meanwhile_from_the_live_output(place, monkeypatch):
    root, out, spares = place
    # as in build.py, which runs no other thread (a test run may have some left by others)
    monkeypatch.setattr(writer.threading, "active_count", lambda: 1)
    write(place, site(1))
    assert not spare(place).exists()
    wait = writer.make_spare(out, spares)
    assert wait is not None
    wait()
    wait()  # waiting twice is waiting once
    assert held(spare(place)) == site(1)
    assert os.stat(spare(place) / "index.html").st_ino == os.stat(out / "index.html").st_ino, "a hard link"
    assert writer.make_spare(out, spares) is None, "there is one already"
    made = []
    real = os.mkdir
    monkeypatch.setattr(os, "mkdir", lambda path, *args, **kwargs: made.append(str(path)) or real(path, *args, **kwargs))
    write(place, site(2))
    assert held(out) == site(2)
    assert not [path for path in made if "/en/news/" in path], "the folders come from the spare"


def test_no_spare_is_made_without_an_output_or_a_place_for_it(place):
    root, out, spares = place
    assert writer.make_spare(out, spares) is None, "no output yet"
    write(place, site(1))
    assert writer.make_spare(out, None) is None, "no place for spares"


def test_folders_left_by_a_build_that_was_killed_are_removed(place):
    import subprocess
    import sys

    root, out, spares = place
    write(place, site(1))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)  # a process that has ended
    left = [out.parent / f".site.new-{dead}-abc", out.parent / f".site.old-{dead}-def"]
    alive = out.parent / f".site.new-{os.getppid()}-ghi"  # another build, still running
    for folder in (*left, alive):
        (folder / "en").mkdir(parents=True)
    write(place, site(2))
    assert not any(folder.exists() for folder in left)
    assert alive.exists(), "a running build's folder is not touched"
    assert held(out) == site(2)


def test_no_spare_is_made_when_no_process_can_be_started(place, monkeypatch):
    root, out, spares = place
    write(place, site(1))
    monkeypatch.setattr(writer.threading, "active_count", lambda: 1)

    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert writer.make_spare(out, spares) is None
    write(place, site(2))
    assert held(out) == site(2)
