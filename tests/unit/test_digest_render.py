"""Digest messages as Reply objects, and their JSON form in the ledger."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bot.digest_delivery import RecordingMessenger
from bot.render.text import render_text
from bot.telegram.messenger import SlidingGate
from handlers.digest.ledger import UNREACHABLE_PART
from handlers.digest.render import (
    CARDS,
    digest_parts,
    header_text,
    reply_from_json,
    reply_to_json,
    unreachable_part,
)
from handlers.digest.types import Match
from handlers.types import ChatRef
from summarizer.models import Mode
from tests.fakes.digest_fakes import LLM_PAPERS
from tests.fakes.services import make_result

DAY = date(2026, 11, 25)


def matches(n: int) -> list[Match]:
    return [
        Match(paper=p, score=1.0 - i / 10, topics=("cs.CL",)) for i, p in enumerate(LLM_PAPERS[:n])
    ]


def test_header_follows_the_mock_up() -> None:
    text = header_text(DAY, ["cs.CL", '"language model"'], total=12, shown=10)
    assert text == (
        '🗞 arXiv 每日速递 · 2026-11-25（周三）· cs.CL、"language model"\n'
        "今日匹配 12 篇，以下为前 10 篇；按相关度排序。"
    )


def test_parts_number_entries_and_list_the_rest() -> None:
    found = matches(5)
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in found[:3]]
    parts = digest_parts(DAY, ["cs.CL"], shown, found[3:], Mode.CONDENSED, style=CARDS)
    assert [p.kind for p in parts] == ["header", "entry", "entry", "entry", "more"]
    assert [p.part for p in parts] == [1, 2, 3, 4, 5]
    assert parts[1].papers == (found[0].paper.arxiv_id,)
    assert parts[4].papers == tuple(m.paper.arxiv_id for m in found[3:])
    header = reply_from_json(parts[0].payload)
    entry = reply_from_json(parts[2].payload)
    assert not header.silent and entry.silent  # only a digest's first message notifies
    assert entry.day == DAY and DAY.isoformat() in render_text(entry)  # one date everywhere
    assert entry.footer == "2️⃣ 🔎 匹配：cs.CL"
    assert entry.buttons and entry.buttons[0].label == "展开完整总结"
    more = reply_from_json(parts[4].payload).text
    assert more.splitlines()[0] == "还有 2 篇："
    assert more.splitlines()[1] == f"• {found[3].paper.title} — {found[3].paper.abs_url}"


def test_compact_is_one_part_listing_every_paper() -> None:
    found = matches(5)
    shown = [(m, make_result(m.paper, Mode.CONDENSED)) for m in found[:3]]
    [part] = digest_parts(DAY, ["cs.CL"], shown, found[3:], Mode.CONDENSED)
    assert part.kind == "digest"
    assert part.papers == tuple(m.paper.arxiv_id for m in found)
    reply = reply_from_json(part.payload)
    assert reply_to_json(reply) == part.payload
    assert reply.digest is not None and [e.number for e in reply.digest.entries] == [1, 2, 3]
    assert [m.arxiv_id for m in reply.digest.more] == [m.paper.versioned_id for m in found[3:]]
    assert [b.label for b in reply.buttons] == ["1", "2", "3"]


def test_ledger_json_round_trips_the_reply_as_rendered() -> None:
    m = matches(1)[0]
    part = digest_parts(
        DAY, ["cs.CL"], [(m, make_result(m.paper, Mode.FULL))], [], Mode.FULL, style=CARDS
    )[1]
    reply = reply_from_json(part.payload)
    assert reply_to_json(reply) == part.payload
    assert reply.mode is Mode.FULL and reply.summary is not None
    assert "研究背景" in render_text(reply)
    assert unreachable_part().part == UNREACHABLE_PART


async def test_recording_messenger_confirms_only_what_reached_its_file(tmp_path: Path) -> None:
    chat = ChatRef("telegram", "1")
    m = matches(2)
    first, second = (
        reply_from_json(p.payload)
        for p in digest_parts(
            DAY,
            ["x"],
            [(m[0], make_result(m[0].paper, Mode.CONDENSED))],
            [],
            Mode.CONDENSED,
            style=CARDS,
        )
    )
    writer = RecordingMessenger("telegram", tmp_path / "sent.jsonl")
    ids = await writer.send(chat, [first])
    reader = RecordingMessenger("telegram", tmp_path / "sent.jsonl")  # another process
    assert await reader.find_delivered(chat, [first]) == ids
    assert await reader.find_delivered(chat, [second]) is None
    assert await reader.find_delivered(ChatRef("telegram", "2"), [first]) is None


async def test_sliding_gate_spaces_bursts() -> None:
    gate = SlidingGate(3, 0.2)
    start = time.monotonic()
    for _ in range(7):
        await gate.acquire()
    assert time.monotonic() - start >= 0.4  # 3 + 3 + 1: two full windows waited
