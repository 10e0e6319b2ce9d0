"""The digest as ledger parts: one compact message (default) or a header, one card per paper
and "还有 N 篇" (style cards); notices; and the JSON form of a Reply kept in the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from handlers.digest.ledger import UNREACHABLE_PART, PlannedPart
from handlers.digest.types import Match
from handlers.digest.view import (
    DigestView,
    build_view,
    number_buttons,
    reason_line,
    withdrawn_entry,
)
from handlers.messages import localize
from handlers.ondemand.paper import summary_buttons
from handlers.relevance.texts import reason_in
from handlers.types import Button, Reply
from summarizer.language import normalize
from summarizer.models import Mode, SummaryResult

WEEKDAYS = "一二三四五六日"
NUMBERS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
EMPTY_NOTICE = "📭 今天 arXiv 没有发布新论文（周末/节假日），明天见。"
UNREACHABLE_NOTICE = "⚠️ 暂时无法连接 arXiv，今日速递稍后补发。"
MAX_TOPICS_IN_HEADER = 4


def number_label(index: int) -> str:
    return NUMBERS[index - 1] if 1 <= index <= len(NUMBERS) else f"#{index}"


def day_label(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


def header_text(day: date, topics: Sequence[str], total: int, shown: int) -> str:
    names = "、".join(topics[:MAX_TOPICS_IN_HEADER])
    if len(topics) > MAX_TOPICS_IN_HEADER:
        names += f" 等 {len(topics)} 个主题"
    first = f"🗞 arXiv 每日速递 · {day_label(day)}" + (f"· {names}" if names else "")
    if total > shown:
        second = f"今日匹配 {total} 篇，以下为前 {shown} 篇；按相关度排序。"
    else:
        second = f"今日匹配 {total} 篇，按相关度排序。"
    return f"{first}\n{second}"


def entry_reply(
    index: int,
    match: Match,
    result: SummaryResult,
    mode: Mode,
    language: str = "zh",
    day: date | None = None,
) -> Reply:
    """A card of the cards style: the number first (in the footer on Discord's embed), the
    announcement's date in the meta line, silent (only a digest's first message notifies)."""
    footer = number_label(index)
    if match.topics:
        footer += " 🔎 匹配：" + " · ".join(match.topics)
    if match.cross:
        footer += "（交叉发布）"
    buttons = summary_buttons(result, mode, language)
    english = footer.replace(" 🔎 匹配：", " 🔎 ").replace("（交叉发布）", " (cross-list)")
    footer = localize(footer, "digest_footer", language, footer=english)
    return Reply(
        summary=result,
        mode=mode,
        buttons=buttons,
        footer=footer,
        language=language,
        silent=True,
        day=day,
    )


def more_text(rest: Sequence[Match]) -> str:
    lines = [f"还有 {len(rest)} 篇："]
    lines += [f"• {m.paper.title} — {m.paper.abs_url}" for m in rest]
    return "\n".join(lines)


COMPACT = "compact"
CARDS = "cards"


def digest_parts(
    day: date,
    topics: Sequence[str],
    shown: Sequence[tuple[Match, SummaryResult | None]],
    rest: Sequence[Match],
    mode: Mode,
    language: str = "zh",
    style: str = COMPACT,
) -> list[PlannedPart]:
    """Compact: one part holding the whole digest (the renderer splits it between papers at
    the platform's limit). Cards: header, one card per paper, the remainder list. A None
    summary is a withdrawn paper (never summarized). `language`: the chat's."""
    if style != CARDS:
        view = localized_view(build_view(day, topics, shown, rest), language, len(rest))
        reply = Reply(digest=view, buttons=number_buttons(view), day=day, language=language)
        papers = tuple(m.paper.arxiv_id for m, _ in shown) + tuple(m.paper.arxiv_id for m in rest)
        return [PlannedPart(part=1, kind="digest", payload=reply_to_json(reply), papers=papers)]
    total = len(shown) + len(rest)
    header = localize(
        header_text(day, topics, total, len(shown)),
        "digest_header",
        language,
        day=day.isoformat(),
        total=total,
        shown=len(shown),
    )
    parts = [
        PlannedPart(
            part=1,
            kind="header",
            payload=reply_to_json(Reply(text=header, language=language)),
        )
    ]
    for i, (match, result) in enumerate(shown, 1):
        reply = (
            entry_reply(i, match, result, mode, language, day)
            if result is not None
            else withdrawn_reply(i, match, day)
        )
        parts.append(
            PlannedPart(
                part=len(parts) + 1,
                kind="entry",
                payload=reply_to_json(reply),
                arxiv_id=match.paper.arxiv_id,
                papers=(match.paper.arxiv_id,),
            )
        )
    if rest:
        # Listed papers count as sent too: the chat saw their titles and ids.
        more = localize(more_text(rest), "digest_more", language, count=len(rest))
        if normalize(language) == "en":
            more += "\n" + "\n".join(f"• {m.paper.title} — {m.paper.abs_url}" for m in rest)
        payload = reply_to_json(Reply(text=more, language=language, silent=True))
        listed = tuple(m.paper.arxiv_id for m in rest)
        parts.append(PlannedPart(part=len(parts) + 1, kind="more", payload=payload, papers=listed))
    return parts


def empty_part() -> PlannedPart:
    return PlannedPart(part=1, kind="empty", payload=reply_to_json(Reply(text=EMPTY_NOTICE)))


def unreachable_part() -> PlannedPart:
    return PlannedPart(
        part=UNREACHABLE_PART,
        kind="unreachable",
        payload=reply_to_json(Reply(text=UNREACHABLE_NOTICE)),
    )


def localized_view(view: DigestView, language: str, rest: int) -> DigestView:
    """The compact digest's header lines in the chat's language (entries are the model's)."""
    if normalize(language) == "zh":
        return view
    both = localize(
        f"{view.heading}\n{view.intro}",
        "digest_header",
        language,
        day=view.day.isoformat(),
        total=len(view.entries) + rest,
        shown=len(view.entries),
    )
    heading, _, intro = both.partition("\n")
    entries = tuple(replace(e, reason=reason_in(e.reason, language)) for e in view.entries)
    return replace(view, heading=heading, intro=intro, entries=entries)


def withdrawn_reply(index: int, match: Match, day: date) -> Reply:
    """A withdrawn paper in the cards style: its compact entry, never a summary."""
    entry = withdrawn_entry(index, match.paper, reason_line(match))
    return Reply(
        digest=DigestView(heading="", intro="", day=day, entries=(entry,)),
        buttons=(Button("原文", url=match.paper.abs_url),),
        silent=True,
        day=day,
    )


def reply_to_json(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": reply.text,
        "summary": reply.summary.model_dump(mode="json") if reply.summary else None,
        "mode": reply.mode.value,
        "buttons": [{"label": b.label, "url": b.url, "action": b.action} for b in reply.buttons],
        "footer": reply.footer,
        "language": reply.language,
    }
    # New keys only when set: parts written before them read back unchanged.
    if reply.digest is not None:
        data["digest"] = reply.digest.to_json()
    if reply.silent:
        data["silent"] = True
    if reply.day is not None:
        data["day"] = reply.day.isoformat()
    return data


def reply_from_json(data: dict[str, Any]) -> Reply:
    summary = data.get("summary")
    return Reply(
        text=str(data.get("text") or ""),
        summary=SummaryResult.model_validate(summary) if summary else None,
        mode=Mode(data.get("mode") or Mode.CONDENSED.value),
        buttons=tuple(
            Button(label=b["label"], url=b.get("url"), action=b.get("action"))
            for b in data.get("buttons") or ()
        ),
        footer=data.get("footer"),
        digest=DigestView.from_json(data["digest"]) if data.get("digest") else None,
        silent=bool(data.get("silent")),
        day=date.fromisoformat(data["day"]) if data.get("day") else None,
        language=str(data.get("language") or "zh"),
    )
