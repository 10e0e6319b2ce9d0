"""The per-user limit is fair to ordinary use: cached answers and repeated links cost nothing,
one message counts once, dropped links are named, a group hears a refusal once per window."""

from __future__ import annotations

from handlers.registry import dispatch
from handlers.services import Services
from handlers.types import ChatKind, ChatRef, Reply, Request
from tests.fakes.services import FakeSummaries, fake_services, sample_paper

PRIVATE = ChatRef("telegram", "42")
GROUP = ChatRef("telegram", "-100")
IDS = ["2401.12215", "2401.10506", "2402.00001", "2402.00002", "2402.00003", "2402.00004"]


def services(limit: int) -> Services:
    return fake_services([sample_paper(i) for i in IDS], rate_limit=limit)


def ask(text: str, chat: ChatRef = PRIVATE, user: str = "7") -> Request:
    kind = ChatKind.PRIVATE if chat == PRIVATE else ChatKind.GROUP
    return Request(chat=chat, user_id=user, text=text, chat_kind=kind, addressed=True)


def refusals(replies: list[Reply]) -> list[Reply]:
    return [r for r in replies if r.text.startswith("请求太频繁了")]


def calls(s: Services) -> int:
    assert isinstance(s.summaries, FakeSummaries)
    return s.summaries.model_calls


async def test_the_same_cached_paper_eight_times_is_never_refused() -> None:
    s = services(limit=3)
    answers = [await dispatch(ask(f"看看 https://arxiv.org/abs/{IDS[0]}"), s) for _ in range(8)]
    assert all(len(a) == 1 and a[0].summary is not None for a in answers)
    assert [a[0].summary.cached for a in answers if a[0].summary] == [False] + [True] * 7
    assert calls(s) == 1
    # the seven cached answers left the budget untouched: two more new papers fit
    for paper in IDS[1:3]:
        [reply] = await dispatch(ask(paper), s)
        assert reply.summary is not None
    assert refusals(await dispatch(ask(IDS[3]), s))


async def test_a_multi_link_message_counts_once() -> None:
    s = services(limit=1)
    replies = await dispatch(ask(" ".join(IDS[:3])), s)
    assert [r.summary is not None for r in replies] == [True, True, True]
    again = await dispatch(ask(IDS[3]), s)  # a second new message in the window
    assert refusals(again) and all(r.summary is None for r in again)


async def test_repeated_links_cost_nothing_even_before_they_are_cached() -> None:
    s = services(limit=1)
    assert s.summaries is not None
    first = await dispatch(ask(IDS[0]), s)
    assert first[0].summary is not None
    # as if the first answer were still being written: not stored, but asked already
    assert isinstance(s.summaries, FakeSummaries)
    s.summaries.done.clear()
    second = await dispatch(ask(IDS[0]), s)
    assert not refusals(second) and second[0].summary is not None


async def test_over_the_limit_cached_ones_are_served_and_the_rest_named() -> None:
    s = services(limit=1)
    await dispatch(ask(IDS[0]), s)
    replies = await dispatch(ask(f"{IDS[0]} {IDS[1]}"), s)
    assert replies[0].summary is not None and replies[0].summary.cached
    [refusal] = refusals(replies)
    assert f"未处理：arXiv:{IDS[1]}" in refusal.text
    assert calls(s) == 1


async def test_dropped_links_are_named() -> None:
    s = services(limit=10)
    replies = await dispatch(ask(" ".join(IDS[:5])), s)
    note = replies[-1].text
    assert "最多处理 3 篇" in note and f"arXiv:{IDS[3]}、arXiv:{IDS[4]}" in note
    assert sum(r.summary is not None for r in replies) == 3


async def test_a_group_hears_a_refusal_once_per_user_per_window() -> None:
    s = services(limit=1)
    assert (await dispatch(ask(IDS[0], GROUP), s))[0].summary is not None
    second = await dispatch(ask(IDS[1], GROUP), s)
    third = await dispatch(ask(IDS[2], GROUP), s)
    assert len(refusals(second)) == 1
    assert third == []  # refused again, silently
    other = await dispatch(ask(IDS[3], GROUP, user="8"), s)
    assert other[0].summary is not None  # another member is not affected
    # private chats always say why
    assert refusals(await dispatch(ask(IDS[4], user="9"), s)) == []
    assert len(refusals(await dispatch(ask(IDS[5], user="9"), s))) == 1
    assert len(refusals(await dispatch(ask(IDS[1], user="9"), s))) == 1


async def test_a_private_answer_channel_always_hears_why_and_alone() -> None:
    s = services(limit=1)
    channel = ChatRef("discord", "555")

    def slash(paper: str) -> Request:
        return Request(
            chat=channel, user_id="7", command="paper", args=paper,
            chat_kind=ChatKind.CHANNEL, answers_privately=True,
        )  # fmt: skip

    assert (await dispatch(slash(IDS[0]), s))[0].summary is not None
    for paper in IDS[1:3]:
        [refused] = refusals(await dispatch(slash(paper), s))
        assert refused.ephemeral  # only the user sees it: no need to stay quiet
