"""build_services(settings): the one place where real implementations are chosen and closed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.ops.metrics import BUDGET_FALLBACKS, MODEL_COMPONENT, InstrumentedSummaries, set_component
from handlers.rate_limit import FairLimiter
from handlers.relevance.service import Relevance
from handlers.services import Services
from storage.engine import Database
from storage.migrate import upgrade_database
from storage.relevance_store import SqlRelevanceStore
from storage.repositories import (
    SqlChatStore,
    SqlFeedbackStore,
    SqlPaperStore,
    SqlSummaryStore,
    SqlUsageStore,
)
from storage.subscription_store import SqlSubscriptionStore
from summarizer.arxiv.http import ArxivHttp
from summarizer.arxiv.source import ArxivSource
from summarizer.embeddings.choose import build_embedder
from summarizer.errors import ModelUnavailable
from summarizer.ports import LLMProvider, ModelLifecycle, PaperSource
from summarizer.providers import registry
from summarizer.service import SummaryService

log = logging.getLogger(__name__)

MODEL_CHECK_TIMEOUT = 10.0

if TYPE_CHECKING:  # PyMuPDF loads only when full text is turned on
    from summarizer.fulltext import FullTextSource
    from summarizer.qa.service import AnswerService


def build_provider(settings: Settings) -> LLMProvider | None:
    """The configured model endpoint (through the provider registry), or None for the offline
    extractive summaries. A model found retired at call time is reported to /healthz."""
    spec = registry.spec(settings.resolved_provider)
    if spec is None:
        return None
    provider = spec.build(settings.provider_config(spec))
    if isinstance(provider, ModelLifecycle):
        provider.on_unavailable = _report_unavailable
    return provider


def _report_unavailable(exc: ModelUnavailable) -> None:
    set_component(MODEL_COMPONENT, False, f"{exc.model}: unknown or retired (404); {exc.fix}")


async def check_model_at_start(provider: LLMProvider) -> None:
    """One log line (with the fix) when the configured model is unknown or retired."""
    if not isinstance(provider, ModelLifecycle):
        return
    try:
        ok, detail = await asyncio.wait_for(provider.check_model(), MODEL_CHECK_TIMEOUT)
    except TimeoutError:
        ok, detail = None, f"model {provider.model!r} could not be checked (timeout)"
    if ok is False:
        log.error("%s", detail)
        set_component(MODEL_COMPONENT, False, detail)
    elif ok is None:
        log.warning("%s", detail)
    else:
        log.info("model %s · %s is available", provider.name, provider.model)
        set_component(MODEL_COMPONENT, True, provider.model)


def budgeted_provider(provider: LLMProvider, usage: SqlUsageStore, budget: int) -> LLMProvider:
    """PAPERBOT_DAILY_TOKEN_BUDGET: past it, summaries fall back to the extractive text."""
    from summarizer.budget import BudgetedProvider

    async def tokens_today() -> int:
        return await usage.tokens_on(datetime.now(UTC).date())

    return BudgetedProvider(provider, tokens_today, budget, on_exhausted=BUDGET_FALLBACKS.inc)


def build_fulltext(
    settings: Settings, database: Database, http: ArxivHttp | None = None
) -> FullTextSource | None:
    """Full text (arxiv.org/html, PDF fallback) cached in the database; None if turned off."""
    if not settings.resolved_fulltext:
        return None
    from storage.fulltext_store import SqlFullTextStore
    from summarizer.fulltext import FullTextSource, PaperFetcher

    fetcher = PaperFetcher(
        http=http,
        html_url=settings.arxiv_html_url,
        pdf_url=settings.arxiv_pdf_url,
        min_interval=settings.arxiv_min_interval,
    )
    return FullTextSource(fetcher, store=SqlFullTextStore(database))


def build_answers(
    settings: Settings,
    database: Database,
    provider: LLMProvider | None,
    usage: SqlUsageStore,
    fulltext: FullTextSource | None,
) -> AnswerService:
    """Questions about papers: the same model, budget and full text as summaries; threads'
    turns in the database."""
    from storage.qa_store import SqlTurnStore
    from summarizer.qa.service import AnswerService

    return AnswerService(
        provider,
        usage,
        fulltext=fulltext,
        turns=SqlTurnStore(database),
        cost_per_million=(settings.llm_input_price, settings.llm_output_price),
    )


class Configured:
    """The default of an override: build what the settings say."""


CONFIGURED = Configured()


@asynccontextmanager
async def build_services(
    settings: Settings,
    *,
    provider: LLMProvider | Configured | None = CONFIGURED,
    papers: PaperSource | None = None,
) -> AsyncIterator[Services]:
    """The one composition root (`run`, every CLI command, the demo, export and tests):
    migrate the database, then build every service, the digest pipeline included; everything
    is closed on exit. Overrides: `provider` (None: extractive), `papers` (a paper source
    instead of the arXiv API, e.g. the shipped seed papers)."""
    async with AsyncExitStack() as stack:
        await upgrade_database(settings.database_url)
        database = Database(settings.database_url)
        stack.push_async_callback(database.dispose)
        # One client for every arXiv host: the API, the feeds and full text share its gate.
        http = ArxivHttp(
            min_interval=settings.arxiv_min_interval,
            retries=settings.arxiv_retries,
            backoff=settings.arxiv_backoff,
        )
        stack.push_async_callback(http.aclose)
        source: PaperSource = papers or ArxivSource(
            settings.arxiv_api_url, store=SqlPaperStore(database), http=http
        )
        if isinstance(provider, Configured):
            provider = build_provider(settings)
        close = getattr(provider, "aclose", None)
        if close is not None:
            stack.push_async_callback(close)
        if provider is not None:
            await check_model_at_start(provider)
        usage = SqlUsageStore(database)
        if provider is not None and settings.daily_token_budget > 0:
            provider = budgeted_provider(provider, usage, settings.daily_token_budget)
        fulltext = build_fulltext(settings, database, http)
        if fulltext is not None:
            stack.push_async_callback(fulltext.aclose)
        summaries = InstrumentedSummaries(
            SummaryService(
                source,
                SqlSummaryStore(database),
                usage,
                provider,
                cost_per_million=(settings.llm_input_price, settings.llm_output_price),
                fulltext=fulltext,
            ),
            default_provider=provider.name if provider else "extractive",
        )
        services = Services(
            papers=source,
            summaries=summaries,
            chats=SqlChatStore(database),
            feedback=SqlFeedbackStore(database),
            user_limiter=FairLimiter(settings.user_rate_limit, settings.user_rate_window),
            max_links=settings.max_links_per_message,
            model_label=f"{provider.name} · {provider.model}" if provider else "extractive",
            subscriptions=SqlSubscriptionStore(database),
            default_archive=settings.default_archive,
            fulltext=fulltext,
            answers=build_answers(settings, database, provider, usage, fulltext),
            relevance=build_relevance(settings, database),
        )
        if services.relevance is not None:  # closed before the database (the stack is LIFO)
            stack.push_async_callback(services.relevance.aclose)
        from bot.scheduler import open_digest

        services.digest = await stack.enter_async_context(
            open_digest(settings, database, services, http)
        )
        yield services


def build_relevance(settings: Settings, database: Database) -> Relevance:
    """Paper vectors and chat profiles: the embedding backend chosen once (see
    summarizer.embeddings.choose), vectors stored in the database and shared by all chats."""
    key = settings.embeddings_api_key
    embedder = build_embedder(
        settings.embeddings_url,
        model=settings.embeddings_model,
        api_key=key.get_secret_value() if key is not None else None,
        backend=settings.embeddings,
        lexical_weight=settings.embeddings_lexical_weight,
    )
    return Relevance(embedder, SqlRelevanceStore(database))
