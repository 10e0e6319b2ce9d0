"""What an arXiv announcement feed says: entries (paper + announce type) and one day's batch.

These live in the core because summarizer/feeds.py produces them and summarizer/ may not
import handlers/; handlers.digest.types re-exports them unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.models import Paper

AnnounceType = Literal["new", "cross", "replace", "replace-cross"]
# What digests and exports deliver: new papers and cross-lists, never replacements.
DELIVERED_TYPES: tuple[AnnounceType, ...] = ("new", "cross")


class FeedEntry(BaseModel):
    """One item of an arXiv announcement feed."""

    model_config = ConfigDict(frozen=True)

    paper: Paper
    announce_type: AnnounceType
    feed_category: str

    @property
    def delivered(self) -> bool:
        """A new paper or a cross-list (what a digest sends), not a replacement."""
        return self.announce_type in DELIVERED_TYPES


class Announcement(BaseModel):
    """What arXiv announced for `day` (the ET date of the 20:00 announcement) in the categories
    asked; no entries means no announcement (weekend, holiday), not an error."""

    model_config = ConfigDict(frozen=True)

    day: date
    categories: tuple[str, ...]
    entries: tuple[FeedEntry, ...] = ()


def deliverable(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """New and cross-listed papers, each once (a `new` entry wins over its cross-listings);
    replacements are ignored."""
    best: dict[str, FeedEntry] = {}
    for entry in entries:
        if not entry.delivered:
            continue
        held = best.get(entry.paper.arxiv_id)
        if held is None or (held.announce_type != "new" and entry.announce_type == "new"):
            best[entry.paper.arxiv_id] = entry
    return list(best.values())
