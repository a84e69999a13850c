"""The outputs of a build with some of their bytes still in the previous output's files
(sitegen/lib/files.py), and the manifest that lets a build trust those files unread
(sitegen/lib/writer.py): a kept file is read only when its bytes are asked for, and a
file changed behind the build's back is never taken for what it held."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sitegen.lib import writer
from sitegen.lib.diagnostics import Diagnostics
from sitegen.lib.files import Files, Kept


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kept_file(tmp_path: Path, data: bytes = b"<p>page</p>") -> Kept:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    return Kept(path, sha(data), len(data))


def test_a_kept_file_answers_size_and_digest_unread_and_is_read_when_asked(tmp_path):
    files = Files({"a.html": b"fresh"})
    files.keep("b.html", kept_file(tmp_path))
    (tmp_path / "page.html").rename(tmp_path / "away.html")  # not there: nothing reads it yet
    assert files.is_kept("b.html") and not files.is_kept("a.html")
    assert files.size("b.html") == len(b"<p>page</p>") and files.sha("b.html") == sha(b"<p>page</p>")
    assert list(files) == ["a.html", "b.html"] and "b.html" in files and len(files) == 2
    (tmp_path / "away.html").rename(tmp_path / "page.html")
    assert files["b.html"] == b"<p>page</p>"
    assert not files.is_kept("b.html"), "read once, then held"


def test_a_kept_file_that_changed_is_made_again_never_taken(tmp_path):
    made = []
    files = Files(fallback=lambda name: made.append(name) or b"<p>made again</p>")
    files.keep("b.html", kept_file(tmp_path))
    (tmp_path / "page.html").write_bytes(b"<p>pag!</p>")  # the same size, other bytes
    assert files["b.html"] == b"<p>made again</p>" and made == ["b.html"]
    assert files.sha("b.html") == sha(b"<p>made again</p>")
    without = Files()
    without.keep("b.html", kept_file(tmp_path / "..", b"x"))
    (tmp_path / ".." / "page.html").unlink()
    with pytest.raises(OSError):
        without["b.html"]


def test_files_taken_into_others_stay_unread(tmp_path):
    source = Files(fallback=lambda name: None)
    source.keep("b.html", kept_file(tmp_path))
    source.put("a.html", b"fresh", sha(b"fresh"))
    into = Files({"c.css": b"css"})
    into.update(source)
    assert into.is_kept("b.html") and into.fallback is source.fallback
    assert into.copy().is_kept("b.html")
    assert into.sha("a.html") == sha(b"fresh")
    into["a.html"] = b"other"
    assert into.sha("a.html") == sha(b"other"), "new bytes, a new digest"
    assert dict(into) == {"c.css": b"css", "b.html": b"<p>page</p>", "a.html": b"other"}


@pytest.fixture
def place(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    return root, tmp_path / "out" / "site", tmp_path / "cache" / "output"


def write(place, files, reads=None):
    root, out, spares = place
    diags = Diagnostics(root)
    live = writer.Manifest.load(out, spares) if out.is_dir() else None
    assert writer.write_site(files, out, root, diags, spares=spares, live=live), diags.items
    return out


def pages(version: int) -> dict[str, bytes]:
    files = {f"en/{n}/index.html": f"page {n}".encode() for n in range(5)}
    files["en/2/index.html"] = f"page 2, version {version}".encode()
    return files


@pytest.fixture
def reads(monkeypatch):
    """The files of the output folder that are read."""
    seen = []
    real = Path.read_bytes

    def counting(self):
        seen.append(self.name if self.name != "index.html" else self.parent.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return seen


def test_the_manifest_lets_the_next_build_link_files_unread(place, reads):
    out = write(place, pages(1))
    manifest = writer.Manifest.load(out, place[2])
    assert set(manifest.known) == set(pages(1))
    assert manifest.holds("en/0/index.html", sha(b"page 0")) == len(b"page 0")
    assert manifest.holds("en/0/index.html", sha(b"page 1")) is None, "another page's bytes"
    before = {name: os.stat(out / name).st_ino for name in pages(1)}
    reads.clear()
    for version in (2, 3):  # the second build makes its folder anew, the third from the spare
        write(place, pages(version))
        # none of the unchanged pages is read; the changed one only where the spare holds
        # an older file of its size (the manifest tells of the live output's files only)
        assert [name for name in reads if name.isdigit()] == ([] if version == 2 else ["2"]), reads
        assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == pages(version)
        reads.clear()
        assert all(os.stat(out / name).st_ino == before[name] for name in pages(1) if name != "en/2/index.html")


def test_a_file_changed_by_hand_is_not_trusted(place):
    out = write(place, pages(1))
    page = out / "en/3/index.html"
    page.write_bytes(b"page X")  # the same size: only its time tells
    assert writer.Manifest.load(out, place[2]).holds("en/3/index.html", sha(b"page 3")) is None
    write(place, pages(2))
    assert (out / "en/3/index.html").read_bytes() == b"page 3"
    write(place, pages(3))  # the spare held the hand-made file
    assert (out / "en/3/index.html").read_bytes() == b"page 3"


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": "sitegen-output/1", "files": {"en/0/index.html": 5}}',
                                    b'{"format": "other", "files": {}}'])
def test_a_damaged_manifest_only_means_files_are_read(place, damage):
    out = write(place, pages(1))
    spare = writer.spare_of(out, place[2])
    spare.with_name(spare.name + ".json").write_bytes(damage)
    manifest = writer.Manifest.load(out, place[2])
    assert manifest.holds("en/0/index.html", sha(b"page 0")) is None
    write(place, pages(2))
    assert (out / "en/0/index.html").read_bytes() == b"page 0"
    assert (out / "en/2/index.html").read_bytes() == b"page 2, version 2"


def test_a_file_written_atomically_is_whole_or_as_it_was(tmp_path, monkeypatch):
    """write_atomically (the output's manifest, the search pages' facts, image entries):
    the new bytes, or the old file and no temporary one left when the rename fails."""
    from sitegen.lib import files as files_module

    path = tmp_path / "deep/manifest.json"
    files_module.write_atomically(path, b"one")
    assert path.read_bytes() == b"one"

    def refused(*args):
        raise OSError("no room")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(OSError):
        files_module.write_atomically(path, b"two")
    assert path.read_bytes() == b"one"
    assert sorted(p.name for p in path.parent.iterdir()) == ["manifest.json"]
