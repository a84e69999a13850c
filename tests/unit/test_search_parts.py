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


def site_pages() -> dict[str, bytes]:
    """A large section and the small folders whose pages list its items."""
    listing = {f"en/{folder}/{slug}/index.html": b"<html lang=en>"
               for folder, count in (("partners", 6), ("projects", 4), ("events", 3)) for slug in range(count)}
    return {**pages(95), **listing, "en/about/index.html": b"<html lang=en>"}


def test_a_large_folder_has_parts_of_its_own_and_small_folders_are_never_split():
    parts = split_pages(site_pages(), size=10, split_from=10)
    assert sorted(name for part in parts for name in part) == sorted(site_pages())
    news = [part for part in parts if any("/news/" in name for name in part)]
    assert len(news) == 10 and all(all("/news/" in name for name in part) for part in news)
    rest = [part for part in parts if part not in news]
    assert len(rest) == 2, "14 pages of small folders: two parts"
    for folder in ("en/partners/", "en/projects/", "en/events/"):
        assert sum(any(name.startswith(folder) for name in part) for part in rest) == 1, folder


def test_a_new_title_shown_on_the_listing_pages_changes_two_parts():
    """An item's title shows on its page and on the partner and project pages that list
    it: its own part and the one part of the small folders are indexed again."""
    changed = {"en/news/item-42/index.html", "en/partners/3/index.html", "en/projects/1/index.html"}
    parts = split_pages(site_pages(), size=20, split_from=20)
    assert len(parts) == 6, "95 news pages in five parts, the 14 other pages in one"
    assert sum(bool(changed & set(part)) for part in parts) == 2


def test_items_in_dated_folders_keep_each_folder_whole():
    """A kind whose address pattern puts items in folders by month (en/news/2026/05/...):
    each month is a small folder, whole in one part, and every page is indexed once."""
    dated = {f"en/news/{2000 + n % 8}/{n % 12 + 1:02d}/item-{n}/index.html": b"<html lang=en>" for n in range(300)}
    parts = split_pages(dated, size=50, split_from=50)
    assert sorted(name for part in parts for name in part) == sorted(dated)
    assert len(parts) >= 3
    month_of = {name: name.rsplit("/", 2)[0] for name in dated}
    for month in set(month_of.values()):
        assert sum(any(month_of[name] == month for name in part) for part in parts) == 1, month
