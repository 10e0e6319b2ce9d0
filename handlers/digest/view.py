"""The compact digest as neutral data: numbered entries, the "还有 N 篇" list, number buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from handlers.digest.types import Match
from handlers.types import Button
from summarizer.models import Paper, SummaryResult
from summarizer.withdrawn import withdrawal_note

WITHDRAWN_LABEL = "已撤回"
DEGRADED_NOTE = "⚠️ 摘要生成失败（{reason}），以下为原文摘要："
EXTRACTIVE_NOTE = "ℹ️ 未配置大模型，以下为摘要原文要点（未经机器总结）"
CARD_ACTION = "p"
"""`p:<versioned id>:<yyyymmdd>`: open a paper's card (as a reply), dated by the announcement."""


@dataclass(frozen=True)
class DigestEntry:
    """One numbered paper. `tldr`/`points` are ours (checked); `note` labels anything that is
    not a normal summary (withdrawn, degraded, extractive); `reason` is a short line saying why
    the chat gets this paper (matched topics, or the ranking's reason)."""

    number: int
    arxiv_id: str
    title: str
    title_zh: str | None = None
    tldr: str | None = None
    points: tuple[str, ...] = ()
    note: str | None = None
    withdrawn: bool = False
    reason: str | None = None

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"


@dataclass(frozen=True)
class MoreEntry:
    arxiv_id: str
    title: str

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"


@dataclass(frozen=True)
class DigestView:
    """`heading`: first header line; `intro`: the count line; `day`: the announcement's date,
    the only date a digest shows."""

    heading: str
    intro: str
    day: date
    entries: tuple[DigestEntry, ...] = ()
    more: tuple[MoreEntry, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "intro": self.intro,
            "day": self.day.isoformat(),
            "entries": [vars(e) for e in self.entries],
            "more": [vars(m) for m in self.more],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DigestView:
        return cls(
            heading=str(data["heading"]),
            intro=str(data["intro"]),
            day=date.fromisoformat(data["day"]),
            entries=tuple(
                DigestEntry(**{**e, "points": tuple(e.get("points") or ())})
                for e in data.get("entries") or ()
            ),
            more=tuple(MoreEntry(**m) for m in data.get("more") or ()),
        )


def card_action(arxiv_id: str, day: date | None) -> str:
    return f"{CARD_ACTION}:{arxiv_id}" + (f":{day:%Y%m%d}" if day else "")


def number_buttons(view: DigestView) -> tuple[Button, ...]:
    return tuple(
        Button(str(e.number), action=card_action(e.arxiv_id, view.day)) for e in view.entries
    )


def withdrawn_entry(number: int, paper: Paper, reason: str | None) -> DigestEntry:
    note = withdrawal_note(paper) or ""
    return DigestEntry(
        number=number,
        arxiv_id=paper.versioned_id,
        title=paper.title,
        note=f"{WITHDRAWN_LABEL}：{note}" if note else WITHDRAWN_LABEL,
        withdrawn=True,
        reason=reason,
    )


def summary_entry(number: int, result: SummaryResult, reason: str | None) -> DigestEntry:
    """An entry from a summary; a degraded or extractive one is labelled and shows arXiv's own
    words (never passed off as a Chinese summary)."""
    paper, record = result.paper, result.record
    if withdrawal_note(paper) is not None:
        return withdrawn_entry(number, paper, reason)
    base = DigestEntry(number=number, arxiv_id=paper.versioned_id, title=paper.title, reason=reason)
    condensed = record.condensed
    if record.status == "ok" and condensed is not None:
        return _ok_entry(base, condensed.title_zh, condensed.tldr, condensed.highlights)
    if record.status == "extractive" and record.extract:
        return _fallback(base, EXTRACTIVE_NOTE, tuple(record.extract))
    reason_text = record.degraded_reason or "模型暂不可用"
    return _fallback(base, DEGRADED_NOTE.format(reason=reason_text), (paper.abstract,))


def _ok_entry(base: DigestEntry, title_zh: str, tldr: str, points: Sequence[str]) -> DigestEntry:
    return DigestEntry(
        number=base.number,
        arxiv_id=base.arxiv_id,
        title=base.title,
        title_zh=title_zh,
        tldr=tldr,
        points=tuple(points),
        reason=base.reason,
    )


def _fallback(base: DigestEntry, note: str, points: tuple[str, ...]) -> DigestEntry:
    return DigestEntry(
        number=base.number,
        arxiv_id=base.arxiv_id,
        title=base.title,
        points=points,
        note=note,
        reason=base.reason,
    )


WEEKDAYS = "一二三四五六日"
MAX_TOPICS_IN_HEADER = 4


def heading_text(day: date, topics: Sequence[str]) -> str:
    names = "、".join(topics[:MAX_TOPICS_IN_HEADER])
    if len(topics) > MAX_TOPICS_IN_HEADER:
        names += f" 等 {len(topics)} 个主题"
    label = f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"
    return f"🗞 arXiv 每日速递 · {label}" + (f"· {names}" if names else "")  # as UX.md


def intro_text(total: int, shown: int) -> str:
    if total > shown:
        return f"今日匹配 {total} 篇，按与你的相关度排序，以下为前 {shown} 篇："
    return f"今日匹配 {total} 篇，按与你的相关度排序："


def reason_line(match: Match) -> str | None:
    """The ranking's own reason when it gives one (issue 15 fills `Match.reason`), else the
    topics the paper matched."""
    reason = getattr(match, "reason", None)
    if reason:
        return str(reason)
    if not match.topics:
        return None
    return " · ".join(match.topics) + ("（交叉发布）" if match.cross else "")


def build_view(
    day: date,
    topics: Sequence[str],
    shown: Sequence[tuple[Match, SummaryResult | None]],
    rest: Sequence[Match],
) -> DigestView:
    """`shown` pairs a match with its summary, or None for a withdrawn paper (never sent to
    the model)."""
    entries = []
    for number, (match, result) in enumerate(shown, 1):
        reason = reason_line(match)
        if result is None:
            entries.append(withdrawn_entry(number, match.paper, reason))
        else:
            entries.append(summary_entry(number, result, reason))
    return DigestView(
        heading=heading_text(day, topics),
        intro=intro_text(len(shown) + len(rest), len(shown)),
        day=day,
        entries=tuple(entries),
        more=tuple(MoreEntry(m.paper.versioned_id, m.paper.title) for m in rest),
    )
