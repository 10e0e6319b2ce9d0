"""`paperbot summarize --full / --images DIR`: the paper's sections and page images for the CLI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.models import Mode, SummaryResult

if TYPE_CHECKING:
    from summarizer.fulltext import FullText, FullTextSource

NO_FULLTEXT = "没有找到论文全文（PDF），未生成截图。"
FULLTEXT_OFF = "未启用全文读取（PAPERBOT_FULLTEXT=false），未生成截图。"


def fulltext_json(fulltext: FullText | None) -> dict[str, Any] | None:
    if fulltext is None:
        return None
    return {
        "source": fulltext.source,
        "chars": fulltext.chars,
        "sections": [
            {"kind": s.kind, "heading": s.heading, "chars": len(s.text)} for s in fulltext.sections
        ],
    }


async def paper_extras(
    source: FullTextSource | None, result: SummaryResult, mode: Mode, images: str | None
) -> dict[str, Any]:
    """JSON additions: the sections a full summary read (from the cache the summary filled, no
    second download) and, with --images, the page images written to that folder."""
    extras: dict[str, Any] = {}
    if mode is Mode.FULL:
        fulltext = await source.fetch(result.paper) if source is not None else None
        extras["fulltext"] = fulltext_json(fulltext)
    if images is not None:
        paths = await source.write_images(result.paper, Path(images)) if source else []
        if paths:
            print(f"已写入 {len(paths)} 张图片（首页截图与主要插图）：{images}", file=sys.stderr)
        else:
            print(NO_FULLTEXT if source is not None else FULLTEXT_OFF, file=sys.stderr)
        extras["images"] = [str(p) for p in paths]
    return extras
