"""`/settings updates on`: a short note in the digest when a paper the chat already received
gets a new version (arXiv's replace entries): the version, arXiv's comment, or 已撤回."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.digest.ledger import DigestStore, PlannedPart
from handlers.digest.render import reply_to_json
from handlers.digest.types import Announcement
from handlers.types import Reply
from summarizer.models import Paper
from summarizer.withdrawn import withdrawal_note

if TYPE_CHECKING:
    from handlers.digest.pipeline import DueChat

REPLACED = ("replace", "replace-cross")
HEADING = "🔄 你收到过的论文有新版本："
MAX_LISTED = 20


def replacements(announcement: Announcement) -> list[Paper]:
    """The papers the announcement replaced, each once."""
    found: dict[str, Paper] = {}
    for entry in announcement.entries:
        if entry.announce_type in REPLACED:
            found.setdefault(entry.paper.arxiv_id, entry.paper)
    return list(found.values())


def update_line(paper: Paper) -> str:
    note = withdrawal_note(paper)
    if note is not None:
        return f"• {paper.title}（arXiv:{paper.versioned_id}）已撤回：{note}"
    version = f"第 {paper.version} 版" if paper.version else "新版本"
    said = f"；作者备注：{paper.comment}" if paper.comment else ""
    return f"• {paper.title}（arXiv:{paper.versioned_id}，{version}{said}）{paper.abs_url}"


def update_reply(papers: Sequence[Paper], *, silent: bool) -> Reply:
    lines = [HEADING, *(update_line(p) for p in papers[:MAX_LISTED])]
    if len(papers) > MAX_LISTED:
        lines.append(f"…等 {len(papers)} 篇")
    return Reply(text="\n".join(lines), silent=silent)


async def add_update_notes(
    store: DigestStore,
    announcement: Announcement,
    composed: list[tuple[DueChat, list[PlannedPart]]],
) -> list[tuple[DueChat, list[PlannedPart]]]:
    """Append the note to the parts of chats that asked for it and received a replaced paper
    before; the note is silent unless it is the chat's only message that day."""
    replaced = replacements(announcement)
    if not replaced:
        return composed
    out = []
    for item, parts in composed:
        if item.settings.updates and not any(p.kind == "empty" for p in parts):
            sent = await store.sent_paper_ids(item.chat, [p.arxiv_id for p in replaced])
            mine = [p for p in replaced if p.arxiv_id in sent]
            if mine:
                reply = update_reply(mine, silent=bool(parts))
                note = PlannedPart(part=len(parts) + 1, kind="update", payload=reply_to_json(reply))
                parts = [*parts, note]
        out.append((item, parts))
    return out
