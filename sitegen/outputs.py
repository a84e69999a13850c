"""The outputs besides the pages, made once every page is rendered: the Atom feeds,
the sitemap, robots.txt and the pages at the earlier addresses of renamed pages.
(The calendars are calendars.py's; the files hosts read, hosting.py's.)

`renderer` is the render.Renderer of the build: the feeds show the pages'
descriptions and bodies as it made them, the sitemap its language alternates."""

from __future__ import annotations

import datetime as dt
import html
from xml.etree import ElementTree as ET

from .model import Page, Site
from .lib.urls import Urls, feed_path, home_path

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FEED_LIMIT = 50


def feed_sections(site: Site) -> tuple[str, ...]:
    """The sections whose index sets `feed: true`: their items make the Atom feed."""
    return tuple(sorted({page.doc.section for page in site.pages if page.doc is not None
                         and page.doc.is_index and page.doc.params.get("feed") is True}))


def feed_entries(site: Site, sections: tuple[str, ...], lang: str) -> list[Page]:
    """The newest items of the feed's sections, by date (then title, as lists sort)."""
    items = [p for section in sections for p in site.sections.get((section, lang), ()) if not p.fallback]
    if len(sections) > 1:
        items.sort(key=lambda p: (-(p.date or dt.date.min).toordinal(), p.title.casefold(), p.key))
    return items[:FEED_LIMIT]


def _timestamp(day: dt.date | None, zone) -> str:
    day = day or dt.date(1970, 1, 1)
    return dt.datetime.combine(day, dt.time(), zone).isoformat()


def feed(renderer, sections: tuple[str, ...], lang: str) -> bytes:
    """The Atom feed of a language: its entries' summaries and whole bodies."""
    site, config, urls = renderer.site, renderer.config, renderer.urls
    ET.register_namespace("", ATOM)
    entries = feed_entries(site, sections, lang)
    index = site.page(f"{sections[0]}/_index", lang) if len(sections) == 1 else None
    title = f"{config.title[lang]} — {index.title}" if index else config.title[lang]
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    ET.SubElement(root, f"{{{ATOM}}}title").text = title
    ET.SubElement(root, f"{{{ATOM}}}id").text = urls.absolute(feed_path(lang))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=urls.absolute(feed_path(lang)))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                  href=urls.absolute(index.path if index else home_path(lang)))
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _timestamp(
        max((p.date for p in entries if p.date), default=None), renderer.zone)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = config.title[lang]
    for page in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = page.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=urls.absolute(page.path))
        ET.SubElement(entry, f"{{{ATOM}}}id").text = urls.absolute(page.path)
        stamp = _timestamp(page.date, renderer.zone)
        ET.SubElement(entry, f"{{{ATOM}}}published").text = stamp
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        for terms in page.doc.terms.values():
            for term in terms:
                ET.SubElement(entry, f"{{{ATOM}}}category", term=term)
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = renderer.description(page)
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.set(XML_BASE, urls.absolute(page.path))
        content.text = str(renderer.body_html(page))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def sitemap(renderer) -> bytes:
    """The sitemap with hreflang alternates, written as text (ElementTree is slow
    at ten thousand pages); the same bytes ElementTree with indent() writes."""
    urls = renderer.urls
    entries, alternates_used = [], False
    for page in renderer.site.pages:
        if not page.in_sitemap:
            continue
        lines = ["  <url>", f"    <loc>{_xml_text(urls.absolute(page.path))}</loc>"]
        if page.date:
            lines.append(f"    <lastmod>{page.date.isoformat()}</lastmod>")
        alternates = renderer.alternates(page)
        if len(alternates) > 1:
            alternates_used = True
            links = [(link.lang, link.href) for link in alternates] + [("x-default", renderer.x_default(page))]
            lines += [f'    <xhtml:link rel="alternate" hreflang="{_xml_attribute(lang)}" '
                      f'href="{_xml_attribute(href)}" />' for lang, href in links]
        lines.append("  </url>")
        entries.append("\n".join(lines))
    spaces = f' xmlns="{SITEMAP}"' + (f' xmlns:xhtml="{XHTML}"' if alternates_used else "")
    body = f"<urlset{spaces}>\n" + "\n".join(entries) + "\n</urlset>" if entries else f"<urlset{spaces} />"
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body.encode("utf-8") + b"\n"


def robots(urls: Urls) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('/sitemap.xml')}\n".encode("utf-8")


def alias_pages(site: Site) -> dict[str, bytes]:
    """A page at each earlier address that leads to the page's address: at once
    (refresh), for search engines (canonical, noindex), and by a link for anyone
    whose browser does not follow refreshes. Hosts that know redirects answer
    with a real one first (see hosting.py)."""
    out = {}
    for alias in site.aliases:
        href, absolute = site.urls.href(alias.target), site.urls.absolute(alias.target)
        moved = site.strings.get(alias.lang, {}).get("page_moved", "")
        title = html.escape(alias.title)
        out[Urls.output_file(alias.path)] = (
            f'<!DOCTYPE html>\n<html lang="{alias.lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f'<meta name="robots" content="noindex">\n<link rel="canonical" href="{html.escape(absolute)}">\n'
            f'<meta http-equiv="refresh" content="0; url={html.escape(href)}">\n</head>\n<body>\n<main>\n'
            f'<p>{html.escape(moved)}{": " if moved else ""}<a href="{html.escape(href)}">{title}</a></p>\n'
            f'</main>\n</body>\n</html>\n').encode("utf-8")
    return out


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(text: str) -> str:
    return (_xml_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))
