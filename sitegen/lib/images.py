"""Images beside content files, published in responsive sizes (part of stage 4).

An editor drops one large image next to a document. A raster image (JPEG,
PNG, WebP) is turned upright by its EXIF orientation, converted to sRGB,
stripped of every piece of metadata (EXIF, GPS, XMP, comments, colour
profiles) and written at the widths of a fixed ladder that do not exceed its
own width, each as WebP and as a fallback in its own family (JPEG for photos,
PNG for PNG and for images with transparency). A GIF and an SVG are published
as they are. Every file gets a content-hashed name under assets/content/.

One `ImageProcessor` serves one build. Work is memoized by the hash of the
source bytes, so an image shown in several languages (or twice on a page) is
encoded once; with a cache folder, the encoded sizes are also kept between
builds (`ImageCache`), keyed by the source's hash and every setting that
shapes the output, and checked by hash when read back, so a deleted or
damaged cache costs time, never a different result. Encoding is deterministic: two builds give the same bytes. A
damaged, unsupported or oversized image is returned as a `Problem` for the
caller to report at the line that uses it; nothing here raises for an
editor's mistake.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.etree.ElementTree import Element, SubElement

from PIL import Image, ImageCms, ImageOps

from .files import write_atomically

LADDER = (480, 800, 1200, 1600)  # widths written, where the original is at least that wide
MAX_PIXELS = 40_000_000  # larger images are refused: they are camera originals, not web images
SIZES = "(min-width: 50rem) 46rem, 100vw"  # the prose column: full width on phones, at most ~46rem
JPEG_QUALITY = 82
WEBP_QUALITY = 80
PREFIX = "assets/content"

RASTER = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg"}
SVG_SIZE = re.compile(rb"<svg\b[^>]*>", re.S)
SVG_ATTR = re.compile(rb"""\s(width|height|viewBox)\s*=\s*["']([^"']*)["']""")
PIXELS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$")
UNSAFE = re.compile(r"[^A-Za-z0-9._/-]+")
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Every setting that changes the encoded bytes: a cache entry made under other settings
# (or another Pillow) is never used.
ENCODER = hashlib.sha256(repr((LADDER, JPEG_QUALITY, WEBP_QUALITY, Image.__version__, 1)).encode()).hexdigest()[:12]
# what Pillow raises for a damaged or hostile file
READ_ERRORS = (Image.DecompressionBombError, OSError, SyntaxError, ValueError, TypeError, EOFError,
               IndexError, KeyError, struct.error)


@dataclass(frozen=True)
class Problem:
    """Why an image cannot be published; the caller names the file and line."""

    reason: str  # completes "the image 'x.jpg' ..."
    hint: str


@dataclass(frozen=True)
class Rendition:
    path: str  # site path, e.g. /assets/content/news/photo.800.1a2b3c4d5e.jpg
    width: int | None  # None for an SVG that states no size
    height: int | None


@dataclass(frozen=True)
class Picture:
    """The files written for one image, smallest first."""

    fallback: tuple[Rendition, ...]  # JPEG or PNG (or the GIF or SVG as it is)
    webp: tuple[Rendition, ...] = ()  # the same widths as WebP; empty for GIF and SVG

    @property
    def largest(self) -> Rendition:
        return self.fallback[-1]

    def at_most(self, width: int) -> Rendition:
        """The widest fallback no wider than `width` (the smallest if all are wider)."""
        fitting = [r for r in self.fallback if r.width is not None and r.width <= width]
        return fitting[-1] if fitting else self.fallback[0]

    def tags(self, href: Callable[[str], str], alt: str, *, default: int = 800, eager: bool = False,
             sizes: str = SIZES, attrs: dict[str, str] | None = None) -> list[tuple[str, dict[str, str]]]:
        """The (tag, attributes) of the <picture>'s children: a WebP <source> and the <img>,
        or only the <img> for an image written in one file. `default` is the width of
        the <img>'s src for browsers without srcset; `eager` is for an image above the fold."""
        srcset = lambda items: ", ".join(f"{href(r.path)} {r.width}w" for r in items)  # noqa: E731
        img: dict[str, str] = {"src": href(self.at_most(default).path)}
        if self.webp:
            img["srcset"] = srcset(self.fallback)
            img["sizes"] = sizes
        largest = self.largest
        if largest.width and largest.height:
            img["width"], img["height"] = str(largest.width), str(largest.height)
        img["alt"] = alt
        img.update({k: v for k, v in (attrs or {}).items() if k not in img and k not in ("loading", "decoding")})
        if eager:
            img["fetchpriority"] = "high"
        else:
            img["loading"], img["decoding"] = "lazy", "async"
        if not self.webp:
            return [("img", img)]
        return [("source", {"type": "image/webp", "srcset": srcset(self.webp), "sizes": sizes}), ("img", img)]

    def html(self, href: Callable[[str], str], alt: str, **options) -> str:
        """The image as HTML: <picture>...</picture>, or a lone <img>."""
        parts = ["<" + tag + "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items()) + ">"
                 for tag, attrs in self.tags(href, alt, **options)]
        return f"<picture>{''.join(parts)}</picture>" if len(parts) > 1 else parts[0]

    def fill(self, element: Element, href: Callable[[str], str], alt: str, **options) -> None:
        """Turn an <img> element (from Markdown) into this picture, in place."""
        keep = {k: v for k, v in element.attrib.items() if k not in ("src", "alt")}
        parts = self.tags(href, alt, attrs=keep, **options)
        element.attrib.clear()
        if len(parts) == 1:
            element.attrib.update(parts[0][1])
            return
        element.tag = "picture"
        for tag, attrs in parts:
            SubElement(element, tag, attrs)


@dataclass(frozen=True)
class _Encoded:
    """Bytes of every rendition of one source image: (width, height, extension, data)."""

    files: tuple[tuple[int | None, int | None, str, bytes], ...]
    webp: tuple[tuple[int, int, bytes], ...] = ()


class ImageCache:
    """Encoded renditions kept between builds: one folder per source image, named by
    the source's hash and the encoder settings, holding a manifest and the files."""

    def __init__(self, folder: Path):
        self.folder = folder / f"images-{ENCODER}"

    def get(self, digest: str) -> _Encoded | None:
        entry = self.folder / digest
        try:
            manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
            def load(item: dict) -> bytes:
                data = (entry / item["sha256"]).read_bytes()
                if hashlib.sha256(data).hexdigest() != item["sha256"]:
                    raise ValueError("damaged cache entry")
                return data
            files = tuple((f["width"], f["height"], f["ext"], load(f)) for f in manifest["files"])
            webp = tuple((f["width"], f["height"], load(f)) for f in manifest["webp"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return _Encoded(files, webp)

    def put(self, digest: str, encoded: _Encoded) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        entry = self.folder / digest
        def item(width, height, data: bytes, ext: str = "webp") -> dict:
            name = hashlib.sha256(data).hexdigest()
            write_atomically(entry / name, data)
            return {"width": width, "height": height, "ext": ext, "sha256": name}
        try:
            manifest = {"files": [item(w, h, data, ext) for w, h, ext, data in encoded.files],
                        "webp": [item(w, h, data) for w, h, data in encoded.webp]}
            write_atomically(entry / "manifest.json", json.dumps(manifest).encode("utf-8"))
        except OSError:
            pass


class ImageProcessor:
    """Processes the images of one build; `files` collects what is to be written."""

    def __init__(self, content_dir: Path, cache: ImageCache | None = None):
        self.content_dir = content_dir.resolve()
        self.cache = cache
        self.files: dict[str, bytes] = {}  # output path -> bytes
        self._encoded: dict[str, _Encoded | Problem] = {}  # source digest -> renditions
        self._pictures: dict[tuple[str, str], Picture | Problem] = {}  # (source, digest) -> picture

    def process(self, path: Path) -> Picture | Problem:
        """The picture for the image file `path`, which lies inside the content folder."""
        suffix = path.suffix.lower()
        if suffix not in EXTENSIONS:
            return Problem(f"is a '{path.suffix or path.name}' file, not a JPEG, PNG, WebP, GIF or SVG image",
                           "save it as JPEG (photos) or PNG (charts, drawings, screenshots)")
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Problem(f"cannot be read: {exc.strerror or exc}", "check that the file is not locked or damaged")
        digest = hashlib.sha256(data).hexdigest()
        rel = path.resolve().relative_to(self.content_dir).as_posix()
        key = (rel, digest)
        if key not in self._pictures:
            if digest not in self._encoded:
                self._encoded[digest] = _svg(data) if suffix == ".svg" else self._encode(digest, data)
            self._pictures[key] = self._publish(rel, self._encoded[digest])
        return self._pictures[key]

    def _encode(self, digest: str, data: bytes) -> _Encoded | Problem:
        cached = self.cache.get(digest) if self.cache else None
        if cached is not None:
            return cached
        encoded = _encode(data)
        if self.cache and isinstance(encoded, _Encoded):
            self.cache.put(digest, encoded)
        return encoded

    def _publish(self, rel: str, encoded: _Encoded | Problem) -> Picture | Problem:
        if isinstance(encoded, Problem):
            return encoded
        # names go into srcset, where spaces and commas separate entries: keep them plain
        stem = UNSAFE.sub("-", rel.rpartition(".")[0] or rel)

        def write(width: int | None, height: int | None, ext: str, data: bytes) -> Rendition:
            size = f".{width}" if encoded.webp else ""  # a GIF or SVG is written once, as it is
            name = f"{PREFIX}/{stem}{size}.{hashlib.sha256(data).hexdigest()[:10]}.{ext}"
            self.files[name] = data
            return Rendition("/" + name, width, height)

        fallback = tuple(write(*item) for item in encoded.files)
        webp = tuple(write(w, h, "webp", data) for w, h, data in encoded.webp)
        return Picture(fallback, webp)


# -- encoding ------------------------------------------------------------------

DAMAGED = Problem("cannot be read: it is damaged or not an image",
                  "open it in an image editor and save it again as JPEG or PNG")


def _too_large(width: int = 0, height: int = 0) -> Problem:
    limit = MAX_PIXELS // 1_000_000
    size = (f"{width}×{height} pixels ({width * height / 1e6:.0f} megapixels; at most {limit})" if width
            else f"more than {limit} megapixels")
    return Problem(f"is too large: {size}",
                   f"scale it down to about {LADDER[-1] * 2} pixels wide before adding it; "
                   f"the site never shows an image wider than {LADDER[-1]}")


def _open(data: bytes) -> Image.Image | Problem:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError:
        return _too_large()
    except READ_ERRORS:
        return DAMAGED
    if image.format not in RASTER:
        return Problem(f"is a {image.format or 'unknown'} image, not JPEG, PNG, WebP or GIF",
                       "save it as JPEG (photos) or PNG (charts, drawings, screenshots)")
    if width * height > MAX_PIXELS:
        return _too_large(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
    except READ_ERRORS:
        return DAMAGED
    return image


def _encode(data: bytes) -> _Encoded | Problem:
    image = _open(data)
    if isinstance(image, Problem):
        return image
    family = RASTER[image.format]
    if family == "gif":
        return _Encoded(((image.width, image.height, "gif", data),))
    try:
        image = _clean(image)
    except READ_ERRORS:  # an odd pixel format or damaged EXIF data
        return DAMAGED
    # PNG stays lossless (charts, drawings, text); photos are JPEG and lossy WebP
    lossless = family == "png" or (family == "webp" and image.mode in ("RGBA", "LA"))
    webp_options = {"lossless": True, "quality": 80} if lossless else {"quality": WEBP_QUALITY}
    width, height = image.size
    files, webp = [], []
    for target in [w for w in LADDER if w <= width] or [width]:
        h = max(1, round(height * target / width))
        sized = image if target == width else image.resize((target, h), Image.Resampling.LANCZOS)
        webp.append((target, h, _save(sized, "WEBP", method=4, **webp_options)))
        if lossless:
            files.append((target, h, "png", _save(sized, "PNG", optimize=True)))
        else:
            photo = sized if sized.mode in ("L", "RGB") else sized.convert("RGB")
            files.append((target, h, "jpg", _save(photo, "JPEG", quality=JPEG_QUALITY, progressive=True,
                                                  optimize=True)))
    return _Encoded(tuple(files), tuple(webp))


def _clean(image: Image.Image) -> Image.Image:
    """Upright, sRGB, 8-bit, and without any metadata."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        image = image.convert("I")
    if image.mode in ("I", "F"):
        image = image.point(lambda v: v / 256).convert("L")
    if image.mode == "1":
        image = image.convert("L")
    if "transparency" in image.info or image.mode in ("PA", "RGBa", "La"):
        image = image.convert("RGBA")
    elif image.mode == "P":
        image = image.convert("RGB")
    image = _to_srgb(image)
    if image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGB")
    clean = image.copy()
    clean.info.clear()  # EXIF, GPS, XMP, comments, ICC profile, DPI: none of it is written
    return clean


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(profile) or "").lower() and image.mode in ("RGB", "RGBA"):
            return image
        alpha = image.mode in ("RGBA", "LA")
        if image.mode == "LA":
            image = image.convert("RGBA")
        return ImageCms.profileToProfile(image, profile, SRGB, outputMode="RGBA" if alpha else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile: keep the pixels as they are


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _svg(data: bytes) -> _Encoded:
    """An SVG is published as it is; its size, if its root element states one, is kept."""
    width = height = None
    root = SVG_SIZE.search(data[:4096])
    if root:
        attrs = {k.decode(): v.decode("ascii", "replace") for k, v in SVG_ATTR.findall(root.group(0))}
        w, h = PIXELS.match(attrs.get("width", "")), PIXELS.match(attrs.get("height", ""))
        box = attrs.get("viewBox", "").replace(",", " ").split()
        if w and h:
            width, height = round(float(w.group(1))), round(float(h.group(1)))
        elif len(box) == 4:
            try:
                width, height = round(float(box[2])), round(float(box[3]))
            except ValueError:
                pass
    if not width or not height:
        width = height = None
    return _Encoded(((width, height, "svg", data),))
