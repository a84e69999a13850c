"""lib/cache.Store: JSON values by key in one SQLite file; prefetch reads a prefix's
entries at once, and answers for them as the file would."""

from __future__ import annotations

import sqlite3

from sitegen.lib.cache import Store


def test_prefetch_answers_as_the_file_would(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(path)
    store.put("abc:one", {"n": 1})
    store.put("abc:two", [2])
    store.put("abd:other", 3)  # just past the prefix
    store.put("ab", 4)
    store.close()

    store = Store(path)
    store.prefetch("abc:")
    with sqlite3.connect(path) as db:  # the file changes behind the store's back: the prefix is answered as read
        db.execute("UPDATE entries SET value = '99' WHERE key IN ('abc:one', 'abd:other')")
    assert store.get("abc:one") == {"n": 1} and store.get("abc:two") == [2]
    assert store.get("abc:none") is None, "a key under the prefix that was not there"
    assert store.get("abd:other") == 99 and store.get("ab") == 4, "other keys are asked of the file"


def test_fetch_reads_the_keys_asked_for_and_stays_what_the_file_holds(tmp_path, monkeypatch):
    import sitegen.lib.cache

    monkeypatch.setattr(sitegen.lib.cache, "FETCH_AT_ONCE", 2)  # more keys than one query takes
    path = tmp_path / "store.sqlite"
    store = Store(path)
    for n in range(5):
        store.put(f"k{n}", n)
    store.close()
    store = Store(path)
    store.fetch([f"k{n}" for n in range(4)] + ["missing"])
    with sqlite3.connect(path) as db:  # read already: the file is not asked again for those keys
        db.execute("UPDATE entries SET value = '99'")
    assert [store.get(f"k{n}") for n in range(5)] == [0, 1, 2, 3, 99], "k4 was not fetched"
    assert store.get("missing") is None
    store.put("k1", "new")
    store.flush()
    assert store.get("k1") == "new", "what this store wrote, not what it fetched before"


def test_what_is_put_and_flushed_is_read_back_after_a_prefetch(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    store.put("p:a", 1)
    store.flush()
    store.prefetch("p:")
    store.put("p:a", 2)
    store.put("p:b", 3)
    assert store.get("p:a") == 2, "pending first"
    store.flush()
    assert store.get("p:a") == 2 and store.get("p:b") == 3
    store.close()
    assert Store(tmp_path / "store.sqlite").get("p:a") == 2


def test_a_damaged_prefetched_value_is_no_value(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(path)
    store.put("p:a", 1)
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE entries SET value = '{not json'")
    store = Store(path)
    store.prefetch("p:")
    assert store.get("p:a") is None


def test_without_a_usable_file_prefetch_changes_nothing(tmp_path):
    (tmp_path / "folder.sqlite").mkdir()
    store = Store(tmp_path / "folder.sqlite")
    store.prefetch("p:")
    store.put("p:a", 1)
    assert store.get("p:a") == 1
    store.flush()
    assert store.get("p:a") == 1, "still pending: nothing could be written"
    assert store.get("p:b") is None


def test_retain_removes_what_is_not_named_once_it_outgrows_the_slack(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    for number in range(10):
        store.put(f"k{number}", number)
    store.flush()
    store.retain({"k1", "k2", "k3", "k4", "k5", "k6", "k7"})  # 10 <= 1.5 * 7: kept as they are
    assert store.get("k0") == 0
    store.retain({"k1", "k2"})
    assert store.get("k0") is None and store.get("k1") == 1 and store.get("k2") == 2


def test_the_code_version_follows_the_source_and_its_data_not_the_bytecode(tmp_path):
    from sitegen.lib.cache import code_version

    def version(name: str) -> str:
        package = tmp_path / name
        code_version.cache_clear()
        return code_version(package)

    for name in ("a", "b", "c", "d"):
        (tmp_path / name / "lib/world").mkdir(parents=True)
        (tmp_path / name / "stage.py").write_text("VALUE = 1\n")
        (tmp_path / name / "lib/world/countries.json").write_text("{}")
    (tmp_path / "b/lib/world/countries.json").write_text('{"uz": 1}')
    (tmp_path / "c/stage.py").write_text("VALUE = 2\n")
    (tmp_path / "d/__pycache__").mkdir()
    (tmp_path / "d/__pycache__/stage.cpython-311.pyc").write_bytes(b"compiled")
    assert version("b") != version("a") != version("c")
    assert version("d") == version("a")


def test_a_value_json_cannot_hold_is_not_kept(tmp_path):
    """Front matter nested hundreds of levels deep (a fuzzed file) made json.dumps give up;
    the store is only a shortcut, so such a value is simply not kept."""
    store = Store(tmp_path / "store.sqlite")
    deep: object = "x"
    for _ in range(5000):
        deep = {"k": deep}
    store.put("deep", deep)
    store.put("plain", {"k": 1})
    store.flush()
    assert store.get("deep") is None and store.get("plain") == {"k": 1}
