"""Typed errors of the core; each carries a short Chinese message fit to show a user."""

from __future__ import annotations

import logging


class PaperbotError(Exception):
    """Base class: `user_message` is safe to show in a chat; str(self) is for logs."""

    user_message = "出错了，请稍后再试。"

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(detail or self.user_message)
        if user_message is not None:
            self.user_message = user_message


class NoArxivReference(PaperbotError):
    user_message = "没有在消息中找到 arXiv 链接或编号。示例：/paper 2401.12215"


class MalformedArxivId(PaperbotError):
    def __init__(self, raw: str) -> None:
        super().__init__(
            f"malformed arXiv id: {raw!r}",
            user_message=f"「{raw[:40]}」不是有效的 arXiv 编号。示例：2401.12215 或 hep-th/9901001",
        )
        self.raw = raw


class NotArxivLink(PaperbotError):
    """A link, but not to arXiv (nor a site that mirrors arXiv ids)."""

    def __init__(self, raw: str) -> None:
        super().__init__(
            f"not an arXiv link: {raw!r}",
            user_message=(
                f"「{raw[:60]}」不是 arXiv 链接。请发送 arXiv 论文的链接或编号，例如 2401.12215。"
            ),
        )
        self.raw = raw


class MalformedArxivLink(MalformedArxivId):
    """An arxiv.org (or alphaxiv, Hugging Face papers, DOI) link whose id is not valid."""

    def __init__(self, raw: str) -> None:
        super().__init__(raw)
        self.user_message = (
            f"链接「{raw[:60]}」中的 arXiv 编号无效。arXiv 编号形如 2401.12215 或 hep-th/9901001。"
        )


class PaperNotFound(PaperbotError):
    def __init__(self, arxiv_id: str) -> None:
        super().__init__(
            f"no such paper: {arxiv_id}",
            user_message=f"找不到论文 arXiv:{arxiv_id}，请检查编号是否正确。",
        )
        self.arxiv_id = arxiv_id


class ArxivUnavailable(PaperbotError):
    """arXiv (or the configured mirror) could not be reached or answered an error."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"arXiv unreachable at {url}: {reason}. If arxiv.org is blocked on this network, "
            "point PAPERBOT_ARXIV_API_URL at a mirror (and set HTTPS_PROXY if you use a proxy).",
            user_message="⚠️ 暂时无法连接 arXiv，请稍后再试。",
        )
        self.url = url
        self.reason = reason


class ProviderError(PaperbotError):
    """The model endpoint failed (network, quota, server error, unusable output).

    `degraded_reason` labels the fallback summary (None: the generic 模型暂不可用);
    `log_level` lets expected refusals (a spent daily budget) log below WARNING."""

    user_message = "⚠️ 摘要生成失败（模型暂不可用）。"
    degraded_reason: str | None = None
    log_level: int = logging.WARNING

    def __init__(self, provider: str, reason: str, *, retryable: bool = False) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.retryable = retryable


class ModelUnavailable(ProviderError):
    """The endpoint answered 404 / NOT_FOUND for the model: retired or misspelled. Not worth a
    retry on every request: the provider stops asking until the model is changed."""

    user_message = "⚠️ 摘要生成失败（模型不可用：已停用或名称有误，请联系管理员）。"
    degraded_reason = "模型不可用（已停用或名称有误）"

    def __init__(self, provider: str, model: str, reason: str, *, fix: str = "") -> None:
        super().__init__(provider, f"model {model!r} unknown or retired: {reason}")
        self.model = model
        self.fix = fix
