"""How one language's pages are split into parts for the search index (search.py)."""

from __future__ import annotations

from sitegen.search import split_pages


def pages(count: int, start: int = 0) -> dict[str, bytes]:
    return {f"en/news/item-{number}/index.html": b"<html lang=en>" for number in range(start, start + count)}


def test_up_to_the_size_is_one_part():
    assert split_pages(pages(10), size=10, split_from=10) == [pages(10)]


def test_parts_of_about_the_size_holding_every_page_once():
    parts = split_pages(pages(95), size=10, split_from=10)
    assert len(parts) == 10
    assert sorted(name for part in parts for name in part) == sorted(pages(95))
    assert max(len(part) for part in parts) < 25


def test_a_page_stays_in_its_part_as_other_pages_come_and_go():
    before = split_pages(pages(95), size=10, split_from=10)
    after = split_pages(pages(97, start=1), size=10, split_from=10)  # one page gone, three new: still ten parts
    part_of = [{name: i for i, part in enumerate(split) for name in part} for split in (before, after)]
    kept = set(part_of[0]) & set(part_of[1])
    assert len(kept) == 94 and all(part_of[0][name] == part_of[1][name] for name in kept)


def test_a_language_up_to_split_from_pages_stays_one_part():
    assert split_pages(pages(20), size=10, split_from=20) == [pages(20)]
    assert len(split_pages(pages(21), size=10, split_from=20)) == 3
    assert split_pages(pages(2000)) == [pages(2000)], "the site's own threshold"
    assert len(split_pages(pages(2001))) == 3, "then parts of about a thousand"


def test_the_split_does_not_depend_on_the_order_of_the_pages():
    forward = pages(40)
    backward = dict(reversed(list(forward.items())))
    assert [sorted(part) for part in split_pages(forward, size=10, split_from=10)] == \
        [sorted(part) for part in split_pages(backward, size=10, split_from=10)]
