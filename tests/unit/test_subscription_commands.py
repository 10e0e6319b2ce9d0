"""/sub, /subs, /unsub, /pause, /resume and the digest settings, through the dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.registry import COMMANDS, dispatch
from handlers.services import Services
from handlers.subscriptions.commands import MAX_SUBSCRIPTIONS
from handlers.types import ChatKind, ChatRef, Request
from tests.fakes.services import MemoryChats, fake_services
from tests.fakes.subscription_store import MemorySubscriptions

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")


# Tuesday 2026-12-01 08:00 in Shanghai (before the 09:30 slot): nothing is pending.
MORNING = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def services_with_store(now: datetime = MORNING) -> tuple[Services, MemorySubscriptions]:
    services = fake_services()
    store = MemorySubscriptions(services.chats)
    services.subscriptions = store
    services.clock = lambda: now
    return services, store


async def say(services: Services, command: str, args: str = "", **kw: object) -> str:
    base: dict[str, object] = {"chat": PRIVATE, "user_id": "7", "command": command, "args": args}
    base.update(kw)
    replies = await dispatch(Request(**base), services)  # type: ignore[arg-type]
    assert len(replies) == 1
    return replies[0].text


def test_commands_are_registered_with_examples() -> None:
    for name in ("sub", "subs", "unsub", "pause", "resume"):
        assert COMMANDS[name].example
        assert len(COMMANDS[name].description) <= 100


async def test_subscribe_list_and_unsubscribe() -> None:
    services, store = services_with_store()
    assert "已订阅：cs.CL (Computation and Language)" in await say(services, "sub", "cs.CL")
    text = await say(services, "sub", '"language model" -survey')
    assert '已订阅："language model" -survey（范围：cs）' in text
    assert "每日速递：09:30（Asia/Shanghai）" in text
    assert "作者 au:Hinton（范围：cs）" in await say(services, "sub", "au:Hinton")
    listing = await say(services, "subs")
    assert "1. cs.CL (Computation and Language)" in listing
    assert "3. 作者 au:Hinton" in listing
    assert "（3/20）" in listing and "09:30（Asia/Shanghai）" in listing
    assert '已取消订阅："language model" -survey' in await say(services, "unsub", "2")
    assert [s.topic.raw for s in await store.list_subscriptions(PRIVATE)] == [
        "cs.CL",
        "au:Hinton",
    ]
    assert "没有第 5 个订阅（共 2 个）" in await say(services, "unsub", "5")
    assert "没有找到订阅「two」" in await say(services, "unsub", "two")
    assert "已取消全部 2 个订阅" in await say(services, "unsub", "all")
    assert "还没有订阅" in await say(services, "subs")


async def test_duplicates_limits_and_bad_topics() -> None:
    services, store = services_with_store()
    await say(services, "sub", "cs.CL")
    assert "已经订阅过「cs.CL」了" in await say(services, "sub", "CS.cl")
    for n in range(MAX_SUBSCRIPTIONS - 1):
        await say(services, "sub", f"topic{n}")
    assert len(await store.list_subscriptions(PRIVATE)) == MAX_SUBSCRIPTIONS
    assert f"最多 {MAX_SUBSCRIPTIONS} 个订阅" in await say(services, "sub", "one more")
    assert "未知的 arXiv 分类「cs.CX」" in await say(services, "sub", "cs.CX")
    assert "主题太长了" in await say(services, "sub", "x" * 201)
    assert "用法：/sub" in await say(services, "sub", "")


async def test_group_members_cannot_change_subscriptions() -> None:
    services, store = services_with_store()
    member = {"chat": GROUP, "chat_kind": ChatKind.GROUP, "is_admin": False}
    for command, args in (("sub", "cs.CL"), ("unsub", "all"), ("pause", ""), ("resume", "")):
        assert await say(services, command, args, **member) == "只有群管理员可以修改本群的订阅。"
    assert await store.list_subscriptions(GROUP) == []
    assert "还没有订阅" in await say(services, "subs", **member)  # reading is fine
    admin = {"chat": GROUP, "chat_kind": ChatKind.CHANNEL, "is_admin": True}
    assert "已订阅" in await say(services, "sub", "math.AG", **admin)


async def test_pause_and_resume_drive_active_subscriptions() -> None:
    services, store = services_with_store()
    await say(services, "sub", "cs.CL")
    assert len(await store.active_subscriptions()) == 1
    assert "已暂停" in await say(services, "pause")
    assert await store.active_subscriptions() == []
    assert "已暂停（/resume 恢复）" in await say(services, "subs")
    assert "已恢复每日速递" in await say(services, "resume")
    assert len(await store.active_subscriptions()) == 1


async def test_without_a_store_the_commands_say_so() -> None:
    services = fake_services()
    assert "订阅功能未启用" in await say(services, "sub", "cs.CL")
    assert "订阅功能未启用" in await say(services, "subs")


@pytest.mark.parametrize(
    ("args", "answer", "field", "value"),
    [
        ("time 8:05", "推送时间已改为 08:05（Asia/Shanghai（UTC+8））", "digest_time", "08:05"),
        ("time 21：30", "推送时间已改为 21:30（Asia/Shanghai（UTC+8））", "digest_time", "21:30"),
        ("tz europe/berlin", "时区已改为 Europe/Berlin（UTC+1）", "timezone", "Europe/Berlin"),
        ("tz 北京", "时区已改为 Asia/Shanghai（UTC+8）", "timezone", "Asia/Shanghai"),
        ("tz UTC+8", "时区已改为 UTC+8", "timezone", "Etc/GMT-8"),
        ("tz +05:30", "时区已改为 Asia/Kolkata（UTC+5:30）", "timezone", "Asia/Kolkata"),
        ("max 25", "每期篇数已改为 25", "max_papers", 25),
        ("cross off", "已关闭交叉发布论文", "include_cross", False),
        ("mode 完整", "卡片详细程度已改为 完整（full）", "digest_mode", "full"),
        ("mode condensed", "卡片详细程度已改为 精简（condensed）", "digest_mode", "condensed"),
        ("notice on", "已开启无公告日提示", "empty_notice", True),
        ("style cards", "速递样式已改为 卡片（每篇一条消息）", "digest_style", "cards"),
    ],
)
async def test_digest_settings(args: str, answer: str, field: str, value: object) -> None:
    services, _ = services_with_store()
    text = await say(services, "settings", args)
    assert answer in text
    assert " time " not in text and " tz " not in text  # words, not raw keys
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    assert getattr(chats.chats[PRIVATE].settings, field) == value


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ("time 25:00", "请用 24 小时制 HH:MM"),
        ("time noon", "请用 24 小时制 HH:MM"),
        ("time 9:7", "请用 24 小时制 HH:MM"),
        ("tz Mars/Olympus", "Asia/Shanghai、UTC+8、+08:00、北京"),
        ("tz ../../etc/passwd", "不是可识别的时区"),
        ("max 0", "1 到 50 之间的整数"),
        ("max 51", "1 到 50 之间的整数"),
        ("cross maybe", "请填写 on 或 off"),
        ("mode short", "condensed（精简）或 full（完整）"),
    ],
)
async def test_bad_setting_values_are_explained(args: str, error: str) -> None:
    services, _ = services_with_store()
    text = await say(services, "settings", args)
    labels = {"time": "推送时间", "tz": "时区", "max": "每期篇数", "cross": "交叉发布论文"}
    labels["mode"] = "卡片详细程度"
    assert text.startswith(f"{labels[args.split()[0]]}的取值无效")
    assert error in text


async def test_settings_listing_shows_digest_words() -> None:
    services, _ = services_with_store()
    text = await say(services, "settings")
    for line in (
        "推送时间：09:30（Asia/Shanghai（UTC+8））",
        "时区：Asia/Shanghai（UTC+8）",
        "每期篇数：10",
        "速递样式：精简（一条消息）",
        "交叉发布论文：开",
        "卡片详细程度：精简（condensed）",
        "下一期速递：今天（12-01 周二）09:30",
    ):
        assert line in text
    assert "自动回复链接" not in text and "子区" not in text  # group / Discord only
