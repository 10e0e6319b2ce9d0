"""`/like <id>…` (seed the chat's taste) and the `相关论文` button (similar recent papers)."""

from __future__ import annotations

import logging

from handlers.services import Services
from handlers.types import Button, Reply, Request
from summarizer.arxiv.ids import find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import PaperbotError
from summarizer.models import Paper

log = logging.getLogger(__name__)

MAX_LIKES = 20
LIKE_USAGE = (
    "用法：/like <arXiv 编号或链接>…（可一次写多篇）\n"
    "例：/like 2401.12187 2402.01234\n"
    "记下这个聊天喜欢的论文，之后的每日速递会优先推荐与之相似的论文。"
)
NOT_WIRED = "相关性排序尚未启用（机器人未配置向量存储）。"
RELATED_NONE = "最近两周的公告中还没有找到与这篇相似的论文。"


def related_button(paper: Paper) -> Button:
    return Button("相关论文", action=f"rel:{paper.arxiv_id}")


async def handle_like(request: Request, services: Services) -> list[Reply]:
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=NOT_WIRED)]
    args = request.args.strip()
    if not args:
        count = sum(1 for s in await relevance.store.signals(request.chat) if s.value > 0)
        return [Reply(text=f"{LIKE_USAGE}\n这个聊天目前记有 {count} 篇喜欢的论文。")]
    refs = find_arxiv_refs(args, limit=MAX_LIKES + 1)
    if not refs:
        return [Reply(text=f"没有找到 arXiv 编号或链接。\n{LIKE_USAGE}")]
    too_many = len(refs) > MAX_LIKES
    refs = refs[:MAX_LIKES]
    await request.progress("⏳ 正在读取论文信息…")
    found = await services.papers.fetch_papers(refs)
    papers = [found[r] for r in refs if r in found]
    missing = [r.versioned for r in refs if r not in found]
    await relevance.remember(request.chat, papers, "like")
    lines = []
    if papers:
        lines.append(f"✅ 已记下 {len(papers)} 篇喜欢的论文，之后的速递会优先推荐相似的论文：")
        lines.extend(f"• {p.arxiv_id}：{p.title[:80]}" for p in papers)
    if missing:
        lines.append(f"⚠️ arXiv 上找不到：{'、'.join(missing)}，请检查编号。")
    if too_many:
        lines.append(f"一次最多记录 {MAX_LIKES} 篇，其余的请再发一次。")
    return [Reply(text="\n".join(lines))]


async def handle_related_action(request: Request, services: Services) -> list[Reply]:
    """`rel:<id>`: the recent announced papers closest in meaning to this one."""
    relevance = services.relevance
    if relevance is None:
        return [Reply(text=NOT_WIRED, ephemeral=True)]
    _, raw_id = (request.action or "").split(":", 1)
    try:
        ref = parse_arxiv_ref(raw_id)
        paper = await services.papers.fetch_paper(ref)
    except PaperbotError as exc:
        return [Reply(text=exc.user_message, ephemeral=True)]
    await relevance.remember(request.chat, [paper], "asked")
    similar = await relevance.similar(paper)
    if not similar:
        return [Reply(text=RELATED_NONE)]
    found = await services.papers.fetch_papers([parse_arxiv_ref(i) for i, _ in similar])
    by_id = {p.arxiv_id: p for p in found.values()}
    lines = [f"🔎 与 {paper.arxiv_id} 相似的近期论文："]
    for number, (arxiv_id, _) in enumerate(similar, start=1):
        title = by_id[arxiv_id].title if arxiv_id in by_id else ""
        lines.append(f"{number}. {title[:90]}（{arxiv_id}）https://arxiv.org/abs/{arxiv_id}")
    lines.append("觉得有用？发送 /like <编号> 让之后的速递多推荐这类论文。")
    return [Reply(text="\n".join(lines))]
