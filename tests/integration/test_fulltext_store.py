"""SqlFullTextStore on SQLite and PostgreSQL: full texts, "none on arXiv", and images."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Database
from storage.fulltext_store import SqlFullTextStore
from summarizer.fulltext import CachedFullText, FullText, Section
from summarizer.fulltext.images import Figure, PaperImages

FETCHED = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
FULLTEXT = FullText(
    arxiv_id="1111.2011",
    version=2,
    source="pdf",
    sections=(
        Section(kind="abstract", heading="Abstract", text="Theoretical description…"),
        Section(kind="introduction", heading="I. INTRODUCTION", text="It is often the case 中文"),
    ),
    affiliations=("Department of Physics, University of Vermont, Burlington, Vermont 05405, USA",),
    code_urls=("https://github.com/o/r",),
)


async def test_full_text_round_trip(database: Database) -> None:
    store = SqlFullTextStore(database)
    assert await store.get_fulltext("1111.2011", 2) is None
    entry = CachedFullText(arxiv_id="1111.2011", version=2, fulltext=FULLTEXT, fetched_at=FETCHED)
    await store.save_fulltext(entry)
    assert await store.get_fulltext("1111.2011", 2) == entry
    assert await store.get_fulltext("1111.2011", 1) is None


async def test_missing_entry_is_replaced_by_a_later_text(database: Database) -> None:
    store = SqlFullTextStore(database)
    missing = CachedFullText(
        arxiv_id="x", version=None, fulltext=None, fetched_at=FETCHED, note="html: HTTP 404"
    )
    await store.save_fulltext(missing)
    assert await store.get_fulltext("x", None) == missing
    found = FULLTEXT.model_copy(update={"arxiv_id": "x", "version": None})
    await store.save_fulltext(missing.model_copy(update={"fulltext": found, "note": ""}))
    stored = await store.get_fulltext("x", None)
    assert stored is not None and stored.fulltext == found


async def test_images_round_trip_and_replace(database: Database) -> None:
    store = SqlFullTextStore(database)
    assert await store.get_images("1111.2011", 2) is None
    images = PaperImages(
        first_page=Figure(data=b"\xff\xd8page", kind="first_page"),
        figures=(
            Figure(data=b"\xff\xd8one", caption="FIG. 1. A.", page=2),
            Figure(data=b"two", ext="png", page=5),
        ),
    )
    await store.save_images("1111.2011", 2, images)
    assert await store.get_images("1111.2011", 2) == images
    fewer = PaperImages(first_page=images.first_page)
    await store.save_images("1111.2011", 2, fewer)
    assert await store.get_images("1111.2011", 2) == fewer
