"""First-page render and figure extraction on the real PDF and on a PDF with a raster figure."""

from __future__ import annotations

import random
from pathlib import Path

import pymupdf
import pytest

from summarizer.fulltext import PdfUnreadable, extract_figures, render_first_page, save_images
from summarizer.fulltext.images import MAX_IMAGE_BYTES, Figure, PaperImages

REAL_PDF = Path(__file__).resolve().parents[1] / "data" / "real" / "1111.2011v2.pdf"
JPEG = b"\xff\xd8\xff"


def _size(data: bytes) -> tuple[int, int]:
    pix = pymupdf.Pixmap(data)
    return pix.width, pix.height


def _noisy_pdf(caption: str | None = "Figure 1: Noise, rendered.") -> bytes:
    """A page with a 300x200 pt raster image of random pixels (incompressible) and a caption."""
    rng = random.Random(7)
    samples = bytes(rng.getrandbits(8) for _ in range(400 * 260 * 3))
    pix = pymupdf.Pixmap(pymupdf.csRGB, 400, 260, samples, False)
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Some body text of the paper, long enough to be text.", fontsize=10)
    page.insert_image(pymupdf.Rect(150, 100, 450, 300), pixmap=pix)
    if caption:
        page.insert_text((150, 320), caption, fontsize=9)
    small = pymupdf.Pixmap(pymupdf.csRGB, 20, 20, bytes(20 * 20 * 3), False)
    page.insert_image(pymupdf.Rect(72, 700, 92, 720), pixmap=small)  # a logo, not a figure
    data = bytes(doc.tobytes())
    doc.close()
    return data


def test_first_page_is_a_jpeg_under_the_cap() -> None:
    data = render_first_page(REAL_PDF.read_bytes())
    assert data.startswith(JPEG)
    assert len(data) <= MAX_IMAGE_BYTES
    width, height = _size(data)
    assert height / width == pytest.approx(792 / 612, rel=0.02)  # a US Letter page
    assert width >= 600


def test_first_page_shrinks_to_a_small_cap() -> None:
    data = render_first_page(REAL_PDF.read_bytes(), max_bytes=40_000)
    assert data.startswith(JPEG) and len(data) <= 40_000


def test_the_real_papers_three_vector_figures_with_captions() -> None:
    figures = extract_figures(REAL_PDF.read_bytes())
    assert [(f.page, (f.caption or "")[:7]) for f in figures] == [
        (2, "FIG. 1."),
        (5, "FIG. 2."),
        (6, "FIG. 3."),
    ]
    assert figures[2].caption is not None and "coefficient of" in figures[2].caption
    for figure in figures:
        assert figure.data.startswith(JPEG) and len(figure.data) <= MAX_IMAGE_BYTES
        width, height = _size(figure.data)
        assert 300 < width < 800 and 80 < height < 600  # a column-wide figure, not a page


def test_max_figures_keeps_the_largest_in_page_order() -> None:
    figures = extract_figures(REAL_PDF.read_bytes(), max_figures=2)
    assert [f.page for f in figures] == [2, 6]  # FIG. 2 is the smallest drawing


def test_a_raster_figure_is_found_and_compressed_under_the_cap() -> None:
    figures = extract_figures(_noisy_pdf(), max_bytes=60_000)
    assert len(figures) == 1  # the 20 pt logo is not a figure
    assert figures[0].caption == "Figure 1: Noise, rendered."
    assert len(figures[0].data) <= 60_000


def test_an_uncaptioned_raster_image_still_counts() -> None:
    figures = extract_figures(_noisy_pdf(caption=None))
    assert len(figures) == 1 and figures[0].caption is None


def test_not_a_pdf_raises() -> None:
    with pytest.raises(PdfUnreadable):
        render_first_page(b"%%EOF")


def test_save_images_writes_page_and_figures(tmp_path: Path) -> None:
    images = PaperImages(
        first_page=Figure(data=JPEG + b"page", kind="first_page"),
        figures=(Figure(data=JPEG + b"one"), Figure(data=JPEG + b"two", ext="png")),
    )
    paths = save_images(images, tmp_path / "out", "hep-th/9901001v2")
    assert [p.name for p in paths] == [
        "hep-th_9901001v2_page1.jpg",
        "hep-th_9901001v2_fig1.jpg",
        "hep-th_9901001v2_fig2.png",
    ]
    assert paths[2].read_bytes() == JPEG + b"two"
