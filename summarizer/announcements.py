"""What an arXiv announcement feed says: entries (paper + announce type) and one day's batch.

These live in the core because summarizer/feeds.py produces them and summarizer/ may not
import handlers/; handlers.digest_types re-exports them unchanged.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from summarizer.models import Paper

AnnounceType = Literal["new", "cross", "replace", "replace-cross"]


class FeedEntry(BaseModel):
    """One item of an arXiv announcement feed."""

    model_config = ConfigDict(frozen=True)

    paper: Paper
    announce_type: AnnounceType
    feed_category: str


class Announcement(BaseModel):
    """What arXiv announced for `day` (the ET date of the 20:00 announcement) in the categories
    asked; no entries means no announcement (weekend, holiday), not an error."""

    model_config = ConfigDict(frozen=True)

    day: date
    categories: tuple[str, ...]
    entries: tuple[FeedEntry, ...] = ()
