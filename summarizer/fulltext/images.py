"""Page images (PyMuPDF): the first page and the main figures, compressed under a size cap."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pymupdf

from summarizer.fulltext.pdf_sections import LIGATURES, open_pdf

MAX_IMAGE_BYTES = 300_000
FIRST_PAGE_ZOOM = 1.5
FIGURE_ZOOM = 2.5
MIN_SIDE = 60.0  # points: smaller regions are rules, logos or equation bars
MARGIN = 6.0
CAPTION_GAP = 90.0  # how far below a figure its caption may start
_CAPTION = re.compile(r"^\s*(?:fig(?:ure)?\.?|FIG\.)\s*\d+", re.IGNORECASE)
_QUALITIES = (85, 70, 55, 40)

ImageKind = Literal["first_page", "figure"]


@dataclass(frozen=True)
class Figure:
    """One image: JPEG or PNG bytes, where it came from, and its caption when printed."""

    data: bytes
    ext: str = "jpg"
    caption: str | None = None
    page: int = 0
    kind: ImageKind = "figure"


@dataclass(frozen=True)
class PaperImages:
    first_page: Figure
    figures: tuple[Figure, ...] = ()

    def all(self) -> list[Figure]:
        return [self.first_page, *self.figures]


def _jpeg(page: pymupdf.Page, zoom: float, clip: pymupdf.Rect | None, max_bytes: int) -> bytes:
    """JPEG of a page area, shrinking quality then scale until it fits `max_bytes`."""
    data = b""
    while zoom >= 0.3:
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False)
        for quality in _QUALITIES:
            data = bytes(pix.tobytes("jpeg", jpg_quality=quality))
            if len(data) <= max_bytes:
                return data
        zoom *= 0.7
    return data


def render_first_page(pdf_bytes: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> bytes:
    """The first page as a JPEG of at most `max_bytes` (blocking: run it in a thread)."""
    with open_pdf(pdf_bytes) as doc:
        return _jpeg(doc[0], FIRST_PAGE_ZOOM, None, max_bytes)


def _grow(rect: pymupdf.Rect, by: float) -> pymupdf.Rect:
    return pymupdf.Rect(rect.x0 - by, rect.y0 - by, rect.x1 + by, rect.y1 + by)


def _regions(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Raster images and clusters of vector drawings big enough to be figures, merged."""
    found = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info()]
    with contextlib.suppress(AttributeError, RuntimeError, ValueError):  # odd drawings
        found += list(page.cluster_drawings())
    area = page.rect.get_area()
    rects = [
        r & page.rect
        for r in found
        if r.width >= MIN_SIDE and r.height >= MIN_SIDE / 2 and r.get_area() < 0.9 * area
    ]
    merged: list[pymupdf.Rect] = []
    for rect in sorted(rects, key=lambda r: (r.y0, r.x0)):
        near = next((m for m in merged if _grow(m, 4).intersects(rect)), None)
        if near is None:
            merged.append(pymupdf.Rect(rect))
        else:
            near |= rect
    return merged


def _caption(page: pymupdf.Page, region: pymupdf.Rect) -> tuple[str, pymupdf.Rect] | None:
    """The `Figure N` / `FIG. N` text block just below a region and overlapping it sideways."""
    best: tuple[float, str, pymupdf.Rect] | None = None
    for block in page.get_text("blocks"):
        rect, text = pymupdf.Rect(block[:4]), str(block[4]).strip()
        if not _CAPTION.match(text):
            continue
        overlap = min(rect.x1, region.x1) - max(rect.x0, region.x0)
        gap = rect.y0 - region.y1
        beside = overlap > 0.3 * min(rect.width, region.width)
        if beside and -MARGIN <= gap <= CAPTION_GAP and (best is None or gap < best[0]):
            best = (gap, " ".join(text.translate(LIGATURES).split()), rect)
    return None if best is None else (best[1], best[2])


def extract_figures(
    pdf_bytes: bytes, max_figures: int = 4, *, max_bytes: int = MAX_IMAGE_BYTES
) -> list[Figure]:
    """The main figures, in page order: captioned regions first, then the largest ones; each
    rendered (with its axis labels) as a JPEG of at most `max_bytes`. Blocking."""
    candidates: list[tuple[bool, float, int, pymupdf.Rect, str | None]] = []
    with open_pdf(pdf_bytes) as doc:
        for number, page in enumerate(doc):
            for region in _regions(page):
                found = _caption(page, region)
                clip = _grow(region, MARGIN)
                if found is not None:
                    clip.y1 = max(region.y1, found[1].y0 - 1)
                clip &= page.rect
                caption = found[0] if found else None
                candidates.append((caption is not None, clip.get_area(), number, clip, caption))
        chosen = sorted(candidates, key=lambda c: (not c[0], -c[1]))[:max_figures]
        chosen.sort(key=lambda c: (c[2], c[3].y0))
        return [
            Figure(
                data=_jpeg(doc[number], FIGURE_ZOOM, clip, max_bytes),
                caption=caption,
                page=number,
            )
            for _, _, number, clip, caption in chosen
        ]


def save_images(images: PaperImages, out_dir: Path, stem: str) -> list[Path]:
    """Write `<stem>_page1.jpg` and `<stem>_fig<N>.jpg` into out_dir. Blocking."""
    out_dir.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.\-]+", "_", stem)
    paths: list[Path] = []
    for index, image in enumerate(images.all()):
        name = f"{safe}_page1" if image.kind == "first_page" else f"{safe}_fig{index}"
        path = out_dir / f"{name}.{image.ext}"
        path.write_bytes(image.data)
        paths.append(path)
    return paths


def paper_images(pdf_bytes: bytes, max_figures: int = 4) -> PaperImages:
    first = Figure(data=render_first_page(pdf_bytes), kind="first_page", page=0)
    return PaperImages(first_page=first, figures=tuple(extract_figures(pdf_bytes, max_figures)))
