"""`/like`, the `相关论文` button, asked-for papers and `/settings rank|explore`, through the
dispatcher with fakes of our own ports (papers, chats, relevance store) and the lexical space."""

from __future__ import annotations

from handlers.registry import COMMANDS, dispatch
from handlers.relevance.profile import Signal
from handlers.relevance.service import Relevance
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Request
from summarizer.embeddings.hashing import HashingEmbedder
from tests.fakes.relevance import MemoryRelevanceStore
from tests.fakes.services import fake_services, sample_paper

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")
PAPERS = [
    sample_paper("2401.12187", title="Object hallucination in vision-language models",
                 abstract="We benchmark object hallucination of multimodal language models."),
    sample_paper("2402.00001", title="Hallucination evaluation for multimodal LLMs",
                 abstract="A benchmark measuring hallucination in multimodal models."),
    sample_paper("2402.00002", title="Faster sorting networks",
                 abstract="Sorting networks with fewer comparators."),
]  # fmt: skip


def request(text: str = "", **kw: object) -> Request:
    base: dict[str, object] = {"chat": PRIVATE, "user_id": "7", "text": text}
    base.update(kw)
    return Request(**base)  # type: ignore[arg-type]


def services_with_relevance() -> tuple[Services, MemoryRelevanceStore]:
    services = fake_services(PAPERS)
    store = MemoryRelevanceStore()
    services.relevance = Relevance(HashingEmbedder(), store)
    return services, store


async def test_like_seeds_the_profile_and_reports_unknown_ids() -> None:
    services, store = services_with_relevance()
    replies = await dispatch(
        request("/like 2401.12187 https://arxiv.org/abs/2402.00002v1 2412.99999",
                command="like", args="2401.12187 https://arxiv.org/abs/2402.00002v1 2412.99999"),
        services,
    )  # fmt: skip
    text = replies[0].text or ""
    assert "已记下 2 篇" in text and "2401.12187" in text
    assert "找不到：2412.99999" in text
    assert await store.signals(PRIVATE) == [Signal("2401.12187", 1.0), Signal("2402.00002", 1.0)]
    assert ("hashing-8192", "2401.12187") in store.vectors  # the vector is kept for ranking
    usage = await dispatch(request("/like", command="like", args=""), services)
    assert "用法：/like" in (usage[0].text or "") and "记有 2 篇" in (usage[0].text or "")
    nothing = await dispatch(request("/like hello", command="like", args="hello"), services)
    assert "没有找到 arXiv 编号" in (nothing[0].text or "")


async def test_like_in_a_group_needs_an_admin_and_is_listed() -> None:
    assert COMMANDS["like"].needs_admin("2401.12187")
    assert not COMMANDS["like"].needs_admin("")
    services, _ = services_with_relevance()
    services.relevance = None
    replies = await dispatch(
        request("/like 2401.12187", command="like", args="2401.12187"), services
    )
    assert "尚未启用" in (replies[0].text or "")


async def test_asked_for_paper_teaches_and_related_button_finds_similar() -> None:
    services, store = services_with_relevance()
    assert services.relevance is not None
    await services.relevance.vectors(PAPERS)  # as a digest would: recent announced papers
    summary = await dispatch(request("2401.12187"), services)
    assert [b.label for b in summary[0].buttons][-1] == "相关论文"
    assert await store.signals(PRIVATE) == [Signal("2401.12187", 0.5)]
    related = await dispatch(request(action=summary[0].buttons[-1].action), services)
    text = related[0].text or ""
    assert text.startswith("🔎 与 2401.12187 相似的近期论文")
    assert text.index("2402.00001") < text.index("2402.00002")
    assert "2401.12187）" not in text  # not itself
    gone = await dispatch(request(action="rel:2412.99999"), services)
    assert gone[0].ephemeral


async def test_settings_rank_and_explore() -> None:
    services, _ = services_with_relevance()
    shown = await dispatch(request("/settings", command="settings", args=""), services)
    assert "排序方式：learned" in (shown[0].text or "") and "探索新方向：开" in (
        shown[0].text or ""
    )
    changed = await dispatch(
        request("/settings rank 关键词", command="settings", args="rank 关键词"), services
    )
    assert "keyword" in (changed[0].text or "")
    await dispatch(
        request("/settings explore off", command="settings", args="explore off"), services
    )
    info = await services.chats.get_chat(PRIVATE)
    assert info is not None
    assert (info.settings.rank_mode, info.settings.explore) == ("keyword", False)
    bad = await dispatch(
        request("/settings rank best", command="settings", args="rank best"), services
    )
    assert "learned" in (bad[0].text or "") and "keyword" in (bad[0].text or "")
    group = await dispatch(
        request("/settings rank keyword", chat=GROUP, chat_kind=ChatKind.GROUP, command="settings",
                args="rank keyword"),
        services,
    )  # fmt: skip
    assert "管理员" in (group[0].text or "")


async def test_sub_accepts_a_free_text_interest() -> None:
    from tests.fakes.subscription_store import MemorySubscriptions

    services, _ = services_with_relevance()
    services.subscriptions = MemorySubscriptions(services.chats)
    replies = await dispatch(
        request("/sub ~多模态大模型的幻觉评测", command="sub", args="~多模态大模型的幻觉评测"),
        services,
    )
    assert "兴趣（按语义匹配）~多模态大模型的幻觉评测" in (replies[0].text or "")
    [sub] = await services.subscriptions.list_subscriptions(PRIVATE)
    assert sub.topic.interest == "多模态大模型的幻觉评测"
    empty = await dispatch(request("/sub ~", command="sub", args="~"), services)
    assert "~ 后写下" in (empty[0].text or "")


async def test_like_and_related_answer_in_the_chat_language() -> None:
    services, _ = services_with_relevance()
    assert services.relevance is not None
    await services.relevance.vectors(PAPERS)
    await dispatch(request("/settings lang en", command="settings", args="lang en"), services)
    liked = await dispatch(
        request("/like 2401.12187 2412.99999", command="like", args="2401.12187 2412.99999"),
        services,
    )
    text = liked[0].text or ""
    assert text.startswith("✅ Noted 1 liked papers") and "Not found on arXiv: 2412.99999" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace(PAPERS[0].title, ""))
    summary = await dispatch(request("2401.12187"), services)
    assert summary[0].buttons[-1].label == "Related papers"
    related = await dispatch(request(action=summary[0].buttons[-1].action), services)
    assert (related[0].text or "").startswith("🔎 Recent papers similar to 2401.12187:")
    await dispatch(request("/settings lang zh-TW", command="settings", args="lang zh-TW"), services)
    usage = await dispatch(request("/like", command="like", args=""), services)
    assert "記下這個聊天喜歡的論文" in (usage[0].text or "")


def test_why_lines_follow_the_chat_language() -> None:
    from handlers.relevance.texts import reason_in

    why = "匹配 cs.CL、cs.AI · 与你赞过的 2401.12187 相似 · 新方向"
    assert reason_in(why, "zh") == why
    assert (
        reason_in(why, "en")
        == "matches cs.CL, cs.AI · like 2401.12187, which you liked · a new direction"
    )
    assert reason_in("贴近兴趣「多模态幻觉」", "en") == "close to your interest “多模态幻觉”"
    assert reason_in("cs.CL（交叉发布）", "en") == "cs.CL (cross-list)"
    assert reason_in(why, "zh-TW") == "匹配 cs.CL、cs.AI · 與你贊過的 2401.12187 相似 · 新方向"
    assert reason_in(None, "en") is None
