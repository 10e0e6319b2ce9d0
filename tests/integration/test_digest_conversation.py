"""A subscriber's conversation with a real pipeline and ledger: /sub says when the first digest
comes, nothing arrives by surprise after the delivery time (a button asks), number buttons
open cards dated by the announcement, and /settings works by buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.digest_delivery import RecordingMessenger
from handlers.registry import dispatch
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Reply, Request
from storage.engine import Database
from tests.fakes.digest_fakes import (
    LLM_PAPERS,
    Clock,
    FakeFeed,
    build_pipeline,
    entry,
    paper,
)
from tests.fakes.services import FakePapers, FakeSummaries, fake_services
from tests.fakes.subscription_store import MemorySubscriptions

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHAT = ChatRef("telegram", "1001")
MONDAY = date(2026, 11, 30)  # made at 09:00 Beijing on Tuesday 2026-12-01


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


FEEDS: dict[int, FakeFeed] = {}


def wired(database: Database, clock: Clock) -> tuple[Services, RecordingMessenger]:
    services = fake_services(list(LLM_PAPERS))
    subs = MemorySubscriptions()
    messenger = RecordingMessenger("telegram")
    feed = FakeFeed(MONDAY, [entry(p) for p in LLM_PAPERS])
    services.summaries = FakeSummaries(FakePapers(list(LLM_PAPERS)))
    services.subscriptions = subs
    services.clock = clock
    FEEDS[id(services)] = feed
    services.digest = build_pipeline(
        database, subs, feed, clock, [messenger], summaries=services.summaries, chats=services.chats
    )
    return services, messenger


async def say(services: Services, command: str, args: str = "") -> list[Reply]:
    return await dispatch(Request(CHAT, "7", command=command, args=args), services)


async def press(services: Services, action: str) -> list[Reply]:
    return await dispatch(Request(CHAT, "7", action=action), services)


async def test_first_sub_after_the_slot_asks_and_sends_only_when_asked(database: Database) -> None:
    clock = Clock(at(1, 22))  # Tuesday 22:00: today's 09:30 digest time has passed
    services, messenger = wired(database, clock)
    first, question = await say(services, "sub", "cs.CL")
    assert "第一期速递：明天（12-02 周三）09:30" in first.text
    assert "要现在发送今天这期" in question.text
    [now_button, skip_button] = question.buttons
    assert now_button.action == "dg:now:20261130" and skip_button.action == "dg:skip"
    assert services.digest is not None
    await services.digest.tick()
    assert messenger.sent == []  # no surprise digest
    [answer] = await press(services, now_button.action or "")
    assert answer.edit and "已发送" in answer.text
    [(chat, digest)] = messenger.sent
    assert chat == CHAT and digest.digest is not None and len(digest.digest.entries) == 3
    assert "已经发送过" in (await press(services, now_button.action or ""))[0].text
    services.digest.close()


async def test_resume_after_the_slot_asks_instead_of_sending(database: Database) -> None:
    clock = Clock(at(1, 8))
    services, messenger = wired(database, clock)
    await say(services, "sub", "cs.CL")
    await say(services, "pause")
    clock.now = at(1, 22)
    replies = await say(services, "resume")
    assert "已恢复每日速递" in replies[0].text and "下一期速递：明天" in replies[0].text
    assert len(replies) == 2 and replies[1].buttons[0].action == "dg:now:20261130"
    assert services.digest is not None
    await services.digest.tick()
    assert messenger.sent == []
    [skipped] = await press(services, "dg:skip")
    assert "今天这期不发了" in skipped.text
    clock.now = at(2, 9, 31)  # Wednesday's slot still comes, with Tuesday's announcement
    tuesday = [paper(f"2612.{i:05d}", f"Language Model Study {i}") for i in range(2)]
    FEEDS[id(services)].show(date(2026, 12, 1), [entry(p) for p in tuesday])
    await services.digest.tick()
    assert len(messenger.sent) == 1
    services.digest.close()


async def test_moving_the_time_earlier_asks_too(database: Database) -> None:
    clock = Clock(at(1, 9))
    services, messenger = wired(database, clock)
    await say(services, "sub", "cs.CL")  # asks about Sunday's (the 09:30 slot of Monday)
    clock.now = at(1, 9, 10)
    # 09:05 Beijing is after Monday's 20:00 ET announcement: moving there makes it due now.
    replies = await say(services, "settings", "time 09:05")
    assert "推送时间已改为 09:05（Asia/Shanghai（UTC+8））" in replies[0].text
    assert len(replies) == 2 and "要现在发送今天这期" in replies[1].text
    assert services.digest is not None
    await services.digest.tick()
    assert messenger.sent == []
    services.digest.close()


async def test_number_buttons_open_cards_dated_by_the_announcement(database: Database) -> None:
    clock = Clock(at(1, 9))
    services, messenger = wired(database, clock)
    await say(services, "sub", "cs.CL")
    clock.now = at(1, 9, 31)
    assert services.digest is not None
    await services.digest.tick()
    [(_, digest)] = messenger.sent
    button = digest.buttons[1]
    assert button.label == "2" and button.action == "p:2611.00002v1:20261130"
    [card] = await press(services, button.action)
    assert card.summary is not None and card.summary.paper.arxiv_id == "2611.00002"
    assert card.day == MONDAY and [b.label for b in card.buttons][:3] == [
        "展开完整总结",
        "原文",
        "PDF",
    ]
    services.digest.close()


async def test_settings_by_buttons(database: Database) -> None:
    clock = Clock(at(1, 9))
    services, _ = wired(database, clock)
    [panel] = await say(services, "settings")
    actions = {b.label: b.action for b in panel.buttons}
    assert actions["改为卡片（每篇一条）"] == "st:style:cards"
    [edited] = await press(services, "st:style:cards")
    assert edited.edit and edited.toast == "✅ 速递样式已改为 卡片（每篇一条消息）。"
    assert "速递样式：卡片（每篇一条消息）" in edited.text
    [menu] = await press(services, "st:menu:tz")
    assert any(b.action == "st:tz:Asia/Tokyo" for b in menu.buttons)
    tokyo, *question = await press(services, "st:tz:Asia/Tokyo")
    assert "时区：Asia/Tokyo（UTC+9）" in tokyo.text
    # 10:00 in Tokyo: its 09:30 has passed, so the chat is asked rather than sent a digest.
    # Tokyo's 09:30 was Monday 19:30 ET: its digest carries Sunday evening's announcement.
    assert question and question[0].buttons[0].action == "dg:now:20261129"
    member = Request(CHAT, "8", action="st:style:compact", chat_kind=ChatKind.GROUP)
    [refused] = await dispatch(member, services)
    assert refused.toast == "只有群管理员可以修改本群的设置。"
    assert services.digest is not None
    services.digest.close()


async def test_chinese_topics_and_unsub_by_name(database: Database) -> None:
    services, _ = wired(database, Clock(at(1, 9)))
    [reply] = await say(services, "sub", "大语言模型")
    assert "arXiv 的标题和摘要都是英文" in reply.text
    assert '/sub "large language model"' in reply.text
    assert services.subscriptions is not None
    assert await services.subscriptions.list_subscriptions(CHAT) == []
    await say(services, "sub", "cs.CL")
    await say(services, "sub", '"language model"')
    [gone] = await say(services, "unsub", "cs.cl")
    assert "已取消订阅：cs.CL" in gone.text
    [gone] = await say(services, "unsub", "language model")
    assert '已取消订阅："language model"' in gone.text
    assert services.digest is not None
    services.digest.close()


async def test_updates_on_notes_new_versions_and_withdrawals(database: Database) -> None:
    clock = Clock(at(1, 9))
    services, messenger = wired(database, clock)
    await say(services, "sub", "cs.CL")
    [confirm] = await say(services, "settings", "updates on")
    assert "已开启新版本提示" in confirm.text
    clock.now = at(1, 9, 31)
    assert services.digest is not None
    await services.digest.tick()  # Monday's announcement: 2611.00001, 00002, 00006
    assert len(messenger.sent) == 1
    v2 = LLM_PAPERS[0].model_copy(update={"version": 2, "comment": "v2: fixed Table 3"})
    gone = LLM_PAPERS[1].model_copy(
        update={"version": 2, "comment": "This paper has been withdrawn by the authors."}
    )
    other = paper("2611.09999", "Someone Else's Paper").model_copy(update={"version": 3})
    FEEDS[id(services)].show(
        date(2026, 12, 1),
        [entry(LLM_PAPERS[5].model_copy(update={"arxiv_id": "2611.00777"}))]
        + [entry(p, "replace") for p in (v2, gone, other)],
    )
    clock.now = at(2, 9, 31)
    await services.digest.tick()
    note = messenger.sent[-1][1]
    assert note.text.startswith("🔄 你收到过的论文有新版本：") and note.silent
    assert "2611.00001v2，第 2 版；作者备注：v2: fixed Table 3" in note.text
    assert "2611.00002v2）已撤回" in note.text
    assert "2611.09999" not in note.text  # never received: not ours to announce
    services.digest.close()
