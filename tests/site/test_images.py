"""Responsive images: an editor's one large image becomes WebP and JPEG/PNG sizes, upright,
without camera metadata, with the size reserved in the HTML; covers and inline images;
mistakes reported with file and line; the shipped partners chart."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw

import sitegen.lib.images
from conftest import ROOT, SCHEMA_YAML, address, errors, find_diag, messages, news, page_of, snapshot
from sitegen.lib.images import LADDER
from sitegen.pipeline import run

pytestmark = pytest.mark.slow  # left out of the fast tier (see tests/conftest.py)

NEWS_UZ = "content/news/visit.uz.md"
NEWS_EN = "content/news/visit.en.md"
VISIT = {lang: address.file(address.document(lang, "news", "visit")) for lang in ("uz", "en")}
# The tiny site's schema, with the news cover fields of data/schema.yaml.
SCHEMA = SCHEMA_YAML.replace(
    "      projects: {type: refs, to: projects}\n  projects:",
    "      projects: {type: refs, to: projects}\n"
    "      image: {type: image}\n"
    "      image_alt: {type: text, translated: true}\n"
    "      image_caption: {type: text, translated: true}\n"
    "  projects:")
GPS_MARK = "SecretCam 3000"
COMMENT = b"taken at the rector's house"


@pytest.fixture
def pics(site):
    assert SCHEMA != SCHEMA_YAML
    site.write("data/schema.yaml", SCHEMA)
    return site


def photo(path: Path, size=(2000, 1200), fmt="JPEG", mode="RGB", orientation: int | None = None,
          metadata: bool = True) -> Path:
    """A test image with shapes (so sizes differ), and camera metadata: GPS, maker, comment."""
    image = Image.new(mode, size, (30, 90, 160) if mode == "RGB" else (30, 90, 160, 128))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w // 2, h], fill=(220, 40, 40) if mode == "RGB" else (220, 40, 40, 255))
    draw.ellipse([w // 4, h // 4, w * 3 // 4, h * 3 // 4], fill=(240, 200, 60) if mode == "RGB" else (240, 200, 60, 255))
    options = {}
    if metadata:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = GPS_MARK
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef] = "N"
        gps[ExifTags.GPS.GPSLatitude] = (41.0, 18.0, 36.0)
        gps[ExifTags.GPS.GPSLongitudeRef] = "E"
        gps[ExifTags.GPS.GPSLongitude] = (69.0, 16.0, 48.0)
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        options["exif"] = exif
        if fmt == "JPEG":
            options["comment"] = COMMENT
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **options)
    return path


def built_file(site, src: str) -> Path:
    return site.root / "site" / src.lstrip("/")


def srcset(value: str) -> list[tuple[str, int]]:
    return [(url, int(w[:-1])) for url, w in (item.split() for item in value.split(", "))]


def inline_page(site, name="photo.jpg", alt="Delegatsiya"):
    site.write(NEWS_UZ, news("uz", "Tashrif", "2025-06-12", body=f"Matn.\n\n![{alt}]({name})\n"))
    site.write(NEWS_EN, news("en", "Visit", body=f"Text.\n\n![Delegation]({name})\n"))


def cover_page(site, image="photo.jpg", alt_uz='"Delegatsiya"', alt_en='"The delegation"', caption_en=None):
    fields = {"image": image}
    if alt_uz:
        fields["image_alt"] = alt_uz
    site.write(NEWS_UZ, news("uz", "Tashrif", "2025-06-12", **fields))
    extra = {"image_alt": alt_en} if alt_en else {}
    if caption_en:
        extra["image_caption"] = caption_en
    site.write(NEWS_EN, news("en", "Visit", body="Text.\n", **extra))


# -- sizes, formats, attributes ------------------------------------------------

def test_a_large_photo_is_written_at_every_width_of_the_ladder_as_webp_and_jpeg(site):
    photo(site.root / "content/news/photo.jpg", size=(2000, 1200))
    inline_page(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    picture = site.soup(VISIT["uz"]).find("picture")
    source, img = picture.find("source"), picture.find("img")
    assert source["type"] == "image/webp"
    webp, fallback = srcset(source["srcset"]), srcset(img["srcset"])
    assert [w for _, w in webp] == [w for _, w in fallback] == list(LADDER)
    for (url, width), fmt in [(item, "WEBP") for item in webp] + [(item, "JPEG") for item in fallback]:
        assert url.startswith("/assets/content/news/photo.")
        with Image.open(built_file(site, url)) as image:
            image.load()  # decodable
            assert image.format == fmt and image.width == width
            assert image.height == round(1200 * width / 2000)
    assert source["sizes"] == img["sizes"] == "(min-width: 50rem) 46rem, 100vw"
    # the plain src is the 800-pixel fallback, for browsers without srcset
    assert img["src"] == dict((w, u) for u, w in fallback)[800]


def test_no_size_is_wider_than_the_original_and_png_stays_png(site):
    photo(site.root / "content/news/photo.png", size=(1000, 500), fmt="PNG", mode="RGBA")
    inline_page(site, "photo.png")
    result = site.build()
    assert errors(result) == [], messages(result)
    img = site.soup(VISIT["uz"]).find("picture").find("img")
    widths = [w for _, w in srcset(img["srcset"])]
    assert widths == [480, 800]
    for url, width in srcset(img["srcset"]):
        assert url.endswith(".png")
        with Image.open(built_file(site, url)) as image:
            assert image.format == "PNG" and image.size == (width, width // 2)
            assert image.mode == "RGBA"  # transparency kept
    for name in result.files:
        if name.startswith("assets/content/"):
            with Image.open(io.BytesIO(result.files[name])) as image:
                assert image.width <= 1000


def test_a_small_image_is_written_at_its_own_width_only(site):
    photo(site.root / "content/news/photo.jpg", size=(300, 200))
    inline_page(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    picture = site.soup(VISIT["uz"]).find("picture")
    assert [w for _, w in srcset(picture.find("source")["srcset"])] == [300]
    assert [w for _, w in srcset(picture.find("img")["srcset"])] == [300]
    assert len([n for n in result.files if n.startswith("assets/content/")]) == 2


def test_width_and_height_attributes_are_the_real_size_of_the_largest_fallback(site):
    photo(site.root / "content/news/photo.jpg", size=(1333, 777))
    inline_page(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    img = site.soup(VISIT["uz"]).find("picture").find("img")
    largest = max(srcset(img["srcset"]), key=lambda item: item[1])[0]
    with Image.open(built_file(site, largest)) as image:
        assert (int(img["width"]), int(img["height"])) == image.size == (1200, round(777 * 1200 / 1333))


def test_inline_images_are_lazy_pictures_inside_the_paragraph(site):
    photo(site.root / "content/news/photo.jpg", size=(900, 600))
    inline_page(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    for lang, alt in (("uz", "Delegatsiya"), ("en", "Delegation")):
        picture = page_of(result, VISIT[lang]).find("picture")
        assert picture.parent.name == "p"
        assert [child.name for child in picture.find_all(recursive=False)] == ["source", "img"]
        img = picture.find("img")
        assert img["alt"] == alt
        assert img["loading"] == "lazy" and img["decoding"] == "async"
        assert not img.has_attr("fetchpriority")


def test_file_names_with_spaces_and_letters_become_plain_urls(site):
    photo(site.root / "content/news/rasm oʻqituvchi, 2025.jpg", size=(900, 600))
    site.write(NEWS_UZ, news("uz", "Tashrif", "2025-06-12", body="![Oʻqituvchi](<rasm oʻqituvchi, 2025.jpg>)\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    picture = site.soup(VISIT["uz"]).find("picture")
    for url, width in srcset(picture.find("source")["srcset"]) + srcset(picture.find("img")["srcset"]):
        assert url.startswith("/assets/content/news/rasm-o-qituvchi-2025.") and width in (480, 800)
        assert built_file(site, url).is_file()


def test_gif_and_svg_are_published_as_they_are(site):
    gif = photo(site.root / "content/news/anim.gif", size=(120, 80), fmt="GIF", metadata=False).read_bytes()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20"/></svg>'
    (site.root / "content/news/plan.svg").write_bytes(svg)
    site.write(NEWS_UZ, news("uz", "Tashrif", "2025-06-12", body="![Harakat](anim.gif) ![Reja](plan.svg)\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    page = site.soup(VISIT["uz"])
    assert page.find("picture") is None
    moving, plan = page.find("img", alt="Harakat"), page.find("img", alt="Reja")
    assert built_file(site, moving["src"]).read_bytes() == gif
    assert (moving["width"], moving["height"]) == ("120", "80")
    assert built_file(site, plan["src"]).read_bytes() == svg
    assert (plan["width"], plan["height"]) == ("40", "20")
    assert moving["loading"] == plan["loading"] == "lazy"


# -- metadata and orientation --------------------------------------------------

def test_exif_gps_and_comments_are_stripped_from_every_output(site):
    photo(site.root / "content/news/photo.jpg", size=(1700, 1000))
    photo(site.root / "content/news/chart.png", size=(900, 500), fmt="PNG")
    site.write(NEWS_UZ, news("uz", "Tashrif", "2025-06-12", body="![Rasm](photo.jpg)\n\n![Jadval](chart.png)\n"))
    with Image.open(site.root / "content/news/photo.jpg") as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image does carry GPS data
    result = site.build()
    assert errors(result) == [], messages(result)
    outputs = [name for name in result.files if name.startswith("assets/content/")]
    assert len(outputs) == 2 * 4 + 2 * 2
    for name in outputs:
        data = result.files[name]
        assert GPS_MARK.encode() not in data and COMMENT not in data, name
        assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data, name
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), name
            assert not ({"exif", "comment", "xmp", "icc_profile"} & set(image.info)), (name, image.info)


def test_exif_orientation_is_applied(site):
    # stored 600x300, red on the left; orientation 6 means "rotate 90° clockwise to show"
    photo(site.root / "content/news/photo.jpg", size=(600, 300), orientation=6)
    inline_page(site)
    result = site.build()
    assert errors(result) == [], messages(result)
    img = site.soup(VISIT["uz"]).find("picture").find("img")
    assert (img["width"], img["height"]) == ("300", "600")
    with Image.open(built_file(site, img["src"])) as image:
        image = image.convert("RGB")
        assert image.size == (300, 600)
        top, bottom = image.getpixel((150, 20)), image.getpixel((150, 580))
    assert top[0] > 180 and top[2] < 90, top  # red is now at the top
    assert bottom[2] > 120 and bottom[0] < 90, bottom


# -- the cover image -------------------------------------------------------------

def test_cover_is_shown_eagerly_under_the_header_in_both_languages(pics):
    photo(pics.root / "content/news/photo.jpg", size=(2000, 1000))
    cover_page(pics)
    result = pics.build()
    assert errors(result) == [], messages(result)
    for lang, alt in (("uz", "Delegatsiya"), ("en", "The delegation")):
        article = page_of(result, VISIT[lang]).find("article")
        picture = article.find("picture")
        assert picture is not None and picture.find_previous_sibling() == article.find("header")
        assert picture.parent is article  # no caption: just the picture, no <figure>
        img = picture.find("img")
        assert img["alt"] == alt
        assert img["fetchpriority"] == "high" and not img.has_attr("loading")
        assert picture.find("source")["type"] == "image/webp"
        assert img["src"] == dict((w, u) for u, w in srcset(img["srcset"]))[1200]
        with Image.open(built_file(pics, img["src"])) as image:
            assert image.size == (1200, 600)
    # one set of files for both languages
    assert len([n for n in result.files if n.startswith("assets/content/news/photo.")]) == 8


def test_cover_with_a_caption_is_a_figure(pics):
    photo(pics.root / "content/news/photo.jpg", size=(800, 600))
    cover_page(pics, caption_en='"The delegation at the institute"')
    result = pics.build()
    assert errors(result) == [], messages(result)
    en = page_of(result, VISIT["en"]).find("article")
    figure = en.find("figure")
    assert figure is not None and figure.find("picture") is not None
    assert figure.find("figcaption").get_text(strip=True) == "The delegation at the institute"
    uz = page_of(result, VISIT["uz"]).find("article")
    assert uz.find("figure") is None and uz.find("picture") is not None


def test_cover_helper_gives_the_1200_fallback_for_sharing(pics):
    from sitegen.render import Renderer

    photo(pics.root / "content/news/photo.jpg", size=(1600, 900))
    cover_page(pics)
    result = pics.build(write=False)
    assert errors(result) == [], messages(result)
    renderer = Renderer(result.site, result.diagnostics)
    cover = renderer.cover(result.site.page("news/visit", "en"))
    assert cover.src.startswith("/assets/content/news/photo.1200.") and cover.src.endswith(".jpg")
    assert (cover.width, cover.height, cover.alt) == (1200, 675, "The delegation")
    assert str(cover.html).startswith("<picture><source type=\"image/webp\"")
    assert renderer.cover(result.site.page("_index", "en")) is None
    assert renderer.cover(result.site.page("news/_index", "en")) is None


@pytest.mark.parametrize("missing", ["uz", "en"])
def test_cover_without_alt_text_in_a_language_is_an_error(pics, missing):
    photo(pics.root / "content/news/photo.jpg", size=(800, 600))
    cover_page(pics, alt_uz=None if missing == "uz" else '"Delegatsiya"',
               alt_en=None if missing == "en" else '"The delegation"')
    result = pics.build()
    assert not result.written
    if missing == "uz":  # the file that has image: points at its line
        diag = find_diag(result, NEWS_UZ, 4, "has no alt text")
        assert diag is not None and diag.column == 1, messages(result)
    else:
        diag = find_diag(result, NEWS_EN, text="has no alt text")
        assert diag is not None and diag.line > 0 and f"{NEWS_UZ}:4" in diag.message, messages(result)
    assert "image_alt:" in diag.hint
    assert len(errors(result)) == 1, messages(result)


def test_cover_that_is_damaged_is_reported_at_its_line(pics):
    (pics.root / "content/news/photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not much of a JPEG")
    cover_page(pics)
    result = pics.build()
    assert not result.written
    diag = find_diag(result, NEWS_UZ, 4, "damaged")
    assert diag is not None and diag.hint, messages(result)
    assert not any("Traceback" in m for m in messages(result))


# -- mistakes --------------------------------------------------------------------

def test_inline_image_without_alt_text_exits_one_with_file_and_line(site):
    photo(site.root / "content/news/photo.jpg", size=(600, 400))
    inline_page(site, alt="")
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(site.root)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{NEWS_UZ}:7:" in proc.stderr and "has no alt text" in proc.stderr
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("data", [b"", b"GIF89a not really", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
                                  b"%PDF-1.4 a document"], ids=["empty", "gif", "png", "pdf"])
def test_damaged_image_is_a_diagnostic_not_a_traceback(site, data):
    (site.root / "content/news/photo.jpg").write_bytes(data)
    inline_page(site)
    result = site.build()  # must not raise
    assert not result.written
    diag = find_diag(result, NEWS_UZ, 7, "cannot be read")
    assert diag is not None and diag.column == 16 and "save it again" in diag.hint, messages(result)


def test_truncated_image_is_a_diagnostic(site):
    data = photo(site.root / "content/news/photo.jpg", size=(900, 600)).read_bytes()
    (site.root / "content/news/photo.jpg").write_bytes(data[: len(data) // 2])
    inline_page(site)
    result = site.build()
    assert find_diag(result, NEWS_UZ, 7, "damaged") is not None, messages(result)


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size but holds no real pixels: enough to be refused unread."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(8000, 6000), (60000, 60000)])
def test_image_over_40_megapixels_is_refused_with_a_hint(site, size):
    (site.root / "content/news/photo.png").write_bytes(_png_header(*size))
    inline_page(site, "photo.png")
    result = site.build()
    diag = find_diag(result, NEWS_UZ, 7, "too large")
    assert diag is not None and "megapixels" in diag.message and "pixels wide" in diag.hint, messages(result)
    assert not result.written


def test_file_that_is_not_an_image_type_is_refused(site):
    site.write("content/news/notes.txt", "not an image\n")
    inline_page(site, "notes.txt")
    result = site.build()
    diag = find_diag(result, NEWS_UZ, 7, "not a JPEG, PNG")
    assert diag is not None, messages(result)


# -- one build: deterministic, each image encoded once --------------------------------

def test_two_builds_write_byte_identical_images(pics, tmp_path):
    photo(pics.root / "content/news/photo.jpg", size=(1250, 800), orientation=3)
    photo(pics.root / "content/news/chart.png", size=(850, 500), fmt="PNG", mode="RGBA")
    cover_page(pics)
    pics.write(NEWS_EN, news("en", "Visit", body="![Chart](chart.png)\n", image_alt='"The delegation"'))
    one = pics.build(out=tmp_path / "one")
    two = pics.build(out=tmp_path / "two")
    assert errors(one) == [] and one.written and two.written, messages(one)
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert len([name for name in a if name.startswith("assets/content/")]) == 2 * 3 + 2 * 2


def test_the_same_image_in_two_languages_is_encoded_once(site, monkeypatch):
    calls = []
    real_encode = sitegen.lib.images._encode

    def counting(data):
        calls.append(len(data))
        return real_encode(data)

    monkeypatch.setattr(sitegen.lib.images, "_encode", counting)
    photo(site.root / "content/news/photo.jpg", size=(900, 600))
    inline_page(site)
    site.write("content/news/other.uz.md", news("uz", "Boshqa", "2025-06-13", body="![Yana](photo.jpg)\n"))
    result = site.build()
    assert errors(result) == [], messages(result)
    assert len(calls) == 1


# -- the cache kept between builds --------------------------------------------------

def cache_files(site) -> list[Path]:
    return sorted(p for p in (site.root / ".cache").rglob("*") if p.is_file())


def test_a_second_build_takes_the_encoded_sizes_from_the_cache(site, monkeypatch, tmp_path):
    photo(site.root / "content/news/photo.jpg", size=(900, 600))
    inline_page(site)
    first = site.build(out=tmp_path / "one")
    assert errors(first) == [] and first.written, messages(first)
    assert any(p.name == "manifest.json" for p in cache_files(site))

    def fail(data):
        raise AssertionError("the image was encoded again")

    monkeypatch.setattr(sitegen.lib.images, "_encode", fail)
    second = site.build(out=tmp_path / "two")
    assert errors(second) == [] and second.written, messages(second)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage-manifest", "swap"])
def test_a_damaged_or_deleted_cache_changes_nothing_but_time(site, tmp_path, damage):
    photo(site.root / "content/news/photo.jpg", size=(900, 600))
    inline_page(site)
    assert site.build(out=tmp_path / "fresh").written
    files = cache_files(site)
    blobs = [p for p in files if p.name != "manifest.json"]
    manifest = next(p for p in files if p.name == "manifest.json")
    if damage == "delete":
        shutil.rmtree(site.root / ".cache")
    elif damage == "truncate":
        blobs[0].write_bytes(blobs[0].read_bytes()[:20])
    elif damage == "garbage-manifest":
        manifest.write_bytes(b"\x00{not json")
    else:  # two renditions' bytes exchanged: each still a valid image, but the wrong one
        a, b = blobs[0].read_bytes(), blobs[1].read_bytes()
        blobs[0].write_bytes(b)
        blobs[1].write_bytes(a)
    again = site.build(out=tmp_path / "again")
    assert errors(again) == [] and again.written, messages(again)
    assert snapshot(tmp_path / "again") == snapshot(tmp_path / "fresh")


def test_an_unwritable_cache_only_costs_time(site, tmp_path):
    (site.root / ".cache").write_text("a file where the cache folder would be")
    photo(site.root / "content/news/photo.jpg", size=(900, 600))
    inline_page(site)
    result = site.build()
    assert errors(result) == [] and result.written, messages(result)


# -- valid HTML --------------------------------------------------------------------

VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.mark.skipif(shutil.which("java") is None or not VNU.is_file(),
                    reason="the Nu HTML Checker needs Java and npm ci (see test_html_validity.py)")
def test_pages_with_pictures_are_valid_html(pics):
    photo(pics.root / "content/news/photo.jpg", size=(1000, 700))
    photo(pics.root / "content/news/chart.png", size=(500, 300), fmt="PNG")
    cover_page(pics, caption_en='"A caption"')
    pics.write(NEWS_EN, news("en", "Visit", body="Text ![Chart](chart.png) and more.\n\n![Chart](chart.png)\n",
                             image_alt='"The delegation"', image_caption='"A caption"'))
    result = pics.build()
    assert result.written, messages(result)
    pages = [str(pics.root / "site" / VISIT[lang]) for lang in ("uz", "en")]
    checked = subprocess.run(["java", "-jar", str(VNU), "--format", "gnu", *pages],
                             capture_output=True, text=True, timeout=300)
    problems = [line for line in checked.stderr.splitlines() if line.strip()]
    assert problems == [] and checked.returncode == 0, "\n".join(problems[:20])


# -- the shipped site ----------------------------------------------------------------

CHART = ROOT / "content/news/partners-by-country.png"


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return run(ROOT, out=tmp_path_factory.mktemp("real-images") / "site", write=False)


def test_the_shipped_chart_is_a_large_png_used_as_the_partners_cover():
    with Image.open(CHART) as chart:
        assert chart.format == "PNG" and chart.size == (2400, 1350)
        assert not chart.getexif()
    for lang in ("uz", "en"):
        text = (ROOT / f"content/news/partners-15-institutions.{lang}.md").read_text(encoding="utf-8")
        assert "image_alt:" in text
    assert "image: partners-by-country.png" in (ROOT / "content/news/partners-15-institutions.uz.md"
                                               ).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,words", [
    ("uz", ["diagramma", "Rossiya 6", "Qozog\u02bbiston 3", "Koreya 2", "15"]),
    ("en", ["Bar chart", "Russia 6", "Kazakhstan 3", "Korea 2", "15"]),
])
def test_shipped_partners_news_shows_the_cover_in_both_languages(real, lang, words):
    assert errors(real) == [], messages(real)
    article = page_of(real, address.file(address.document(lang, "news", "partners-15-institutions"))).find("article")
    picture = article.find("picture")
    assert picture is not None and picture.find_previous_sibling().name == "header"
    img = picture.find("img")
    for word in words:
        assert word in img["alt"], (word, img["alt"])
    if lang == "uz":
        assert "'" not in img["alt"] and "\u2018" not in img["alt"]
    assert img["fetchpriority"] == "high"
    assert (img["width"], img["height"]) == ("1600", "900")
    for url, width in srcset(img["srcset"]) + srcset(picture.find("source")["srcset"]):
        data = real.files[url.lstrip("/")]
        with Image.open(io.BytesIO(data)) as image:
            assert image.width == width and image.format in ("PNG", "WEBP")
