"""`/sub`, `/subs`, `/unsub`, `/pause` and `/resume`."""

from __future__ import annotations

import re
import unicodedata

from handlers.digest.catchup import ask_instead_of_surprise, last_day
from handlers.digest.types import Subscription, Topic, TopicKind
from handlers.digest.when import next_digest_line
from handlers.ports import ChatSettings
from handlers.services import Services
from handlers.subscriptions.glossary import GENERIC, needs_english, suggest
from handlers.subscriptions.topics import TopicError, parse_topic
from handlers.types import Reply, Request
from handlers.wording import may_change, not_admin
from summarizer.arxiv.calendar import is_announcement_expected
from summarizer.arxiv.taxonomy import describe_code

MAX_SUBSCRIPTIONS = 20
ENGLISH_ONLY = (
    "arXiv 的标题和摘要都是英文，中文关键词「{topic}」匹配不到论文，所以没有订阅。\n"
    "可以改用英文关键词或分类，例如：\n{examples}"
)
NOT_ENABLED = "订阅功能未启用（管理员未配置数据库）。"
SUB_USAGE = (
    "用法：/sub <主题>\n"
    "• 分类：/sub cs.CL（整个领域：/sub cs）\n"
    '• 关键词：/sub "language model" OR LLM -survey（引号为短语，-为排除）\n'
    '• 作者：/sub au:Hinton 或 /sub au:"Geoffrey Hinton"\n'
    "关键词和作者默认只在 {archive} 领域内匹配，可加分类限定：/sub cs.CL agent"
)


def _may_change(request: Request) -> bool:
    return may_change(request)


def _not_admin(request: Request) -> list[Reply]:
    return [Reply(text=not_admin(request, "订阅"), ephemeral=True)]


async def when_line(
    request: Request, services: Services, settings: ChatSettings, prefix: str = "下一期速递"
) -> str:
    return next_digest_line(
        settings,
        services.clock(),
        last_day=await last_day(services, request),
        expected=is_announcement_expected,
        prefix=prefix,
    )


async def _settings(request: Request, services: Services) -> ChatSettings:
    info = await services.chats.get_chat(request.chat)
    return info.settings if info is not None else ChatSettings()


def describe_topic(topic: Topic) -> str:
    """How a topic reads in lists: `cs.CL (Computation and Language)`, `"llm" -survey · cs`."""
    if topic.kind is TopicKind.CATEGORY:
        shown = "、".join(describe_code(c) for c in topic.categories)
        return shown + "".join(f" -{e}" for e in topic.exclude)
    label = {TopicKind.AUTHOR: "作者 ", TopicKind.INTEREST: "兴趣（按语义匹配）"}.get(
        topic.kind, ""
    )
    named = any(c in topic.raw.split() for c in topic.categories)
    scope = "" if named else f"（范围：{'、'.join(topic.categories)}）"
    return f"{label}{topic.raw}{scope}"


def schedule_line(settings: ChatSettings) -> str:
    state = "⏸ 已暂停（/resume 恢复）" if settings.paused else "▶️ 推送中"
    when = f"{settings.digest_time}（{settings.timezone}）"
    return f"每日速递：{when} · 最多 {settings.max_papers} 篇 · {state}"


async def handle_sub(request: Request, services: Services) -> list[Reply]:
    store = services.subscriptions
    if store is None:
        return [Reply(text=NOT_ENABLED)]
    if not request.args.strip():
        return [Reply(text=SUB_USAGE.format(archive=services.default_archive))]
    if not _may_change(request):
        return _not_admin(request)
    if needs_english(request.args) and "~" not in request.args:  # `~` interests: by meaning
        found = suggest(request.args) or list(GENERIC)
        examples = "\n".join(f"/sub {s}" for s in found)
        return [Reply(text=ENGLISH_ONLY.format(topic=request.args.strip()[:40], examples=examples))]
    try:
        topic = parse_topic(request.args, default_archive=services.default_archive)
    except TopicError as exc:
        return [Reply(text=f"❌ {exc}")]
    existing = await store.list_subscriptions(request.chat)
    if any(s.topic.raw == topic.raw for s in existing):
        return [Reply(text=f"已经订阅过「{topic.raw}」了。发送 /subs 查看全部订阅。")]
    if len(existing) >= MAX_SUBSCRIPTIONS:
        return [
            Reply(
                text=f"每个会话最多 {MAX_SUBSCRIPTIONS} 个订阅，请先用 /unsub <编号> 删除不需要的。"
            )
        ]
    await store.add_subscription(request.chat, topic)
    settings = await _settings(request, services)
    question: list[Reply] = []
    if not existing:  # a first subscription after today's delivery time: ask, don't surprise
        asked, question = await ask_instead_of_surprise(
            services, request, settings, services.clock()
        )
        if asked != settings:
            await services.chats.save_settings(request.chat, asked)
            settings = asked
    first = await when_line(
        request, services, settings, "第一期速递" if not existing else "下一期速递"
    )
    text = (
        f"✅ 已订阅：{describe_topic(topic)}\n{first}\n{schedule_line(settings)}\n"
        "查看全部：/subs；修改时间：/settings time 08:00"
    )
    return [Reply(text=text), *question]


async def handle_subs(request: Request, services: Services) -> list[Reply]:
    store = services.subscriptions
    if store is None:
        return [Reply(text=NOT_ENABLED)]
    subscriptions = await store.list_subscriptions(request.chat)
    settings = await _settings(request, services)
    if not subscriptions:
        return [Reply(text=f"还没有订阅。\n{SUB_USAGE.format(archive=services.default_archive)}")]
    lines = [f"📚 当前订阅（{len(subscriptions)}/{MAX_SUBSCRIPTIONS}）："]
    lines += [f"{n}. {describe_topic(s.topic)}" for n, s in enumerate(subscriptions, start=1)]
    lines += [schedule_line(settings), await when_line(request, services, settings)]
    lines.append("取消订阅：/unsub <编号或名称> 或 /unsub all")
    return [Reply(text="\n".join(lines))]


async def handle_unsub(request: Request, services: Services) -> list[Reply]:
    store = services.subscriptions
    if store is None:
        return [Reply(text=NOT_ENABLED)]
    if not _may_change(request):
        return _not_admin(request)
    arg = unicodedata.normalize("NFKC", request.args).strip().lower()
    if arg in ("all", "全部", "所有"):
        removed = await store.remove_all(request.chat)
        return [Reply(text=f"✅ 已取消全部 {removed} 个订阅。" if removed else "还没有订阅。")]
    subscriptions = await store.list_subscriptions(request.chat)
    if not arg:
        return [Reply(text="请给出 /subs 中的编号或名称，例如 /unsub 2 或 /unsub cs.CL")]
    if not re.fullmatch(r"#?\d{1,3}", arg):
        return await _unsub_by_name(request, services, subscriptions, arg)
    number = int(arg.lstrip("#"))
    if not 1 <= number <= len(subscriptions):
        if not subscriptions:
            return [Reply(text="还没有订阅。")]
        return [
            Reply(
                text=f"没有第 {number} 个订阅（共 {len(subscriptions)} 个），请先 /subs 查看编号。"
            )
        ]
    target = subscriptions[number - 1]
    if not await store.remove_subscription(request.chat, target.id):
        return [Reply(text="这个订阅已被删除，请 /subs 重新查看。")]
    return [Reply(text=f"✅ 已取消订阅：{describe_topic(target.topic)}")]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace('"', "").replace("'", "")
    return " ".join(text.split())


async def _unsub_by_name(
    request: Request, services: Services, subscriptions: list[Subscription], arg: str
) -> list[Reply]:
    """`/unsub cs.CL`, `/unsub "language model"`: the topic as typed, or one it uniquely names."""
    store = services.subscriptions
    assert store is not None
    wanted = _norm(arg)
    exact = [s for s in subscriptions if _norm(s.topic.raw) == wanted]
    found = exact or [s for s in subscriptions if wanted in _norm(s.topic.raw)]
    if not found:
        if not subscriptions:
            return [Reply(text="还没有订阅。")]
        return [Reply(text=f"没有找到订阅「{arg[:40]}」。请先 /subs 查看，再用编号或名称取消。")]
    if len(found) > 1:
        numbers = [subscriptions.index(s) + 1 for s in found]
        listed = "；".join(
            f"{n}. {describe_topic(s.topic)}" for n, s in zip(numbers, found, strict=True)
        )
        return [
            Reply(text=f"「{arg[:40]}」对应多个订阅：{listed}。请用编号，例如 /unsub {numbers[0]}")
        ]
    target = found[0]
    if not await store.remove_subscription(request.chat, target.id):
        return [Reply(text="这个订阅已被删除，请 /subs 重新查看。")]
    return [Reply(text=f"✅ 已取消订阅：{describe_topic(target.topic)}")]


async def _set_paused(request: Request, services: Services, paused: bool) -> list[Reply]:
    if not _may_change(request):
        return _not_admin(request)
    settings = await _settings(request, services)
    was_paused = settings.paused
    settings = settings.model_copy(update={"paused": paused})
    question: list[Reply] = []
    if not paused and was_paused:  # after today's delivery time: ask, don't surprise
        settings, question = await ask_instead_of_surprise(
            services, request, settings, services.clock()
        )
    await services.chats.save_settings(request.chat, settings)
    if paused:
        return [Reply(text="⏸ 已暂停每日速递，订阅会保留。恢复：/resume")]
    line = await when_line(request, services, settings)
    return [Reply(text=f"▶️ 已恢复每日速递。{schedule_line(settings)}\n{line}"), *question]


async def handle_pause(request: Request, services: Services) -> list[Reply]:
    return await _set_paused(request, services, True)


async def handle_resume(request: Request, services: Services) -> list[Reply]:
    return await _set_paused(request, services, False)
