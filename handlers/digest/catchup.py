"""No surprise digests: when a resume, a time change or a first subscription makes today's
digest due after its delivery time, the chat is asked (buttons) instead of sent it at once."""

from __future__ import annotations

from datetime import date, datetime

from handlers.digest.command import parse_day
from handlers.digest.when import day_label, pending_today
from handlers.ports import ChatSettings
from handlers.services import Services
from handlers.types import Button, Reply, Request
from handlers.wording import may_change, not_admin
from summarizer.arxiv.calendar import is_announcement_expected

ACTION = "dg"
ASK = "今天的速递时间（{time}）已经过了。要现在发送今天这期（{day}的 arXiv 公告）吗？"
SENT = "✅ 已发送今天的速递。"
NOTHING = "今天这期没有与订阅匹配的新论文。"
SKIPPED = "好的，今天这期不发了，下一期照常推送。"
GONE = "这个按钮已失效：今天这期已经发送过了。"


async def last_day(services: Services, request: Request) -> date | None:
    if services.digest is None:
        return None
    return await services.digest.last_day(request.chat)


async def ask_instead_of_surprise(
    services: Services, request: Request, settings: ChatSettings, now: datetime
) -> tuple[ChatSettings, list[Reply]]:
    """The settings to save (with `skip_day` set when today's digest would otherwise go out
    right away) and the question to add to the reply."""
    if services.digest is None or settings.paused:
        return settings, []
    day = pending_today(settings, now, await last_day(services, request), is_announcement_expected)
    if day is None:
        return settings, []
    question = Reply(
        text=ASK.format(time=settings.digest_time, day=day_label(day)),
        buttons=(
            Button("现在发送", action=f"{ACTION}:now:{day:%Y%m%d}"),
            Button("今天不用了", action=f"{ACTION}:skip"),
        ),
    )
    return settings.model_copy(update={"skip_day": day.isoformat()}), [question]


async def handle_catchup_action(request: Request, services: Services) -> list[Reply]:
    """`dg:now:<yyyymmdd>` sends that day's digest now; `dg:skip` leaves it skipped."""
    parts = (request.action or "").split(":")
    if not may_change(request):
        return [Reply(toast=not_admin(request, "速递"))]
    if len(parts) < 3 or parts[1] != "now" or services.digest is None:
        return [Reply(text=SKIPPED, edit=True)]
    try:
        day = parse_day(parts[2])
    except ValueError:
        return [Reply(toast="这个按钮已失效。")]
    done = await last_day(services, request)
    if done is not None and done >= day:
        return [Reply(text=GONE, edit=True)]
    report = await services.digest.run_chat(request.chat, day)
    if not report.claimed:
        return [Reply(text=GONE, edit=True)]
    sent = report.sent.sent if report.sent is not None else 0
    return [Reply(text=SENT if sent else NOTHING, edit=True)]
