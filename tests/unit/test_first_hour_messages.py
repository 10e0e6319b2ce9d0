"""What a new user meets in a chat: /forget, 收起, versions, and which wording for which mistake."""

from __future__ import annotations

from handlers.command import AdminNeed
from handlers.forget import CANCEL, CONFIRM, NOT_ADMIN
from handlers.rate_limit import FairLimiter
from handlers.registry import COMMANDS, dispatch, needs_admin
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Reply, Request
from summarizer.models import Mode
from summarizer.service import SummaryService
from tests.fakes.llm_servers import StaticPaperSource
from tests.fakes.memory_stores import MemorySummaryStore, MemoryUsageStore
from tests.fakes.services import MemoryChats, MemoryFeedback, fake_services, sample_paper

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")


def request(text: str = "", **kw: object) -> Request:
    base: dict[str, object] = {"chat": PRIVATE, "user_id": "7", "text": text}
    base.update(kw)
    return Request(**base)  # type: ignore[arg-type]


def group(**kw: object) -> Request:
    return request(chat=GROUP, chat_kind=ChatKind.GROUP, chat_title="读书会", **kw)


def chats_of(services: Services) -> MemoryChats:
    assert isinstance(services.chats, MemoryChats)
    return services.chats


# --- /forget ---------------------------------------------------------------------------------


async def test_forget_asks_first_then_deletes_on_confirmation() -> None:
    services = fake_services()
    [question] = await dispatch(request(command="forget"), services)
    assert "确定要删除你与我的私聊在 paperbot 中保存的全部数据吗？" in question.text
    assert [(b.label, b.action) for b in question.buttons] == [
        ("确认删除", CONFIRM),
        ("取消", CANCEL),
    ]
    assert PRIVATE in chats_of(services).chats  # nothing deleted by asking

    [cancelled] = await dispatch(request(action=CANCEL), services)
    assert cancelled.edit and "没有删除任何数据" in cancelled.text
    assert PRIVATE in chats_of(services).chats

    [done] = await dispatch(request(action=CONFIRM), services)
    assert done.edit and done.text.startswith("🗑 已删除")
    assert PRIVATE not in chats_of(services).chats


async def test_forget_in_a_group_is_for_admins_only() -> None:
    assert COMMANDS["forget"].admin is AdminNeed.ALWAYS  # platforms check the sender
    assert needs_admin(group(command="forget"))
    assert needs_admin(group(action=CONFIRM))  # and the confirmation button's presser
    assert not needs_admin(group(action="x:c:2401.12215v1"))
    assert not needs_admin(request(action=CONFIRM))  # private chats: never

    services = fake_services()
    [refused] = await dispatch(group(command="forget"), services)
    assert refused.text == NOT_ADMIN
    [pressed] = await dispatch(group(action=CONFIRM), services)
    assert pressed.toast == NOT_ADMIN
    assert GROUP in chats_of(services).chats
    [done] = await dispatch(group(action=CONFIRM, is_admin=True), services)
    assert "已删除本群" in done.text
    assert GROUP not in chats_of(services).chats


def test_help_lists_forget() -> None:
    from handlers.help import help_text

    assert "/forget — " in help_text()


# --- summaries -------------------------------------------------------------------------------


async def test_collapse_shows_no_reading_toast() -> None:
    """收起 and a second 展开 are answered from the cache: no "⏳ 正在读取论文…" toast."""
    paper = sample_paper()
    summaries = SummaryService(
        StaticPaperSource(paper), MemorySummaryStore(), MemoryUsageStore(), None
    )
    services = Services(
        papers=StaticPaperSource(paper),
        summaries=summaries,
        chats=MemoryChats(),
        feedback=MemoryFeedback(),
        user_limiter=FairLimiter(100, 60.0),
    )
    toasts: list[str] = []

    async def toast(message: str) -> None:
        toasts.append(message)

    await dispatch(request(paper.versioned_id, progress=toast), services)
    [full] = await dispatch(request(action=f"x:f:{paper.versioned_id}", progress=toast), services)
    assert full.mode is Mode.FULL and full.edit
    toasts.clear()
    [collapsed] = await dispatch(
        request(action=f"x:c:{paper.versioned_id}", progress=toast), services
    )
    assert collapsed.mode is Mode.CONDENSED and collapsed.edit
    [again] = await dispatch(request(action=f"x:f:{paper.versioned_id}", progress=toast), services)
    assert again.mode is Mode.FULL
    assert toasts == []


async def test_two_versions_in_one_message_give_one_summary() -> None:
    services = fake_services()
    replies = await dispatch(
        request("v1 https://arxiv.org/abs/2401.12215v1 和 v2 arXiv:2401.12215v2"), services
    )
    assert [r.summary is not None for r in replies] == [True]


async def _say(text: str, **kw: object) -> Reply:
    [reply] = await dispatch(request(text, **kw), fake_services())
    return reply


async def test_each_mistake_gets_its_own_wording() -> None:
    not_arxiv = await _say("", command="paper", args="https://example.com/paper/42")
    assert "「https://example.com/paper/42」不是 arXiv 链接" in not_arxiv.text
    broken = await _say("https://arxiv.org/abs/2401.999999")  # a plain message
    assert "链接「https://arxiv.org/abs/2401.999999」中的 arXiv 编号无效" in broken.text
    broken_cmd = await _say("", command="paper", args="arxiv.org/abs/hello")
    assert "中的 arXiv 编号无效" in broken_cmd.text
    word = await _say("", command="paper", args="abc")
    assert "「abc」不是有效的 arXiv 编号" in word.text
    chatter = await _say("你好，在吗")
    assert chatter.text.startswith("没有在消息中找到 arXiv 链接或编号")
    link_chat = await _say("看看这个 https://github.com/a/b")
    assert "不是 arXiv 链接" in link_chat.text
