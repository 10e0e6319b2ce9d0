"""`paperbot doctor`: checks configuration, database, platforms, model and arXiv; says the fix."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from bot.cli import fixes
from bot.cli.doctor_report import Check, report, verdict
from bot.cli.fixes import PROXY_HINT
from bot.config import ConfigError, Settings, load_settings

__all__ = ["Check", "doctor_main", "report", "run_checks", "verdict"]

TIMEOUT = 8.0
KNOWN_PAPER = "2401.12215"
RSS_CATEGORY = "cs.AI"
DISCORD_DEFAULT_API = "https://discord.com/api/v10"


def _network_error(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"超时（{TIMEOUT:g} 秒内无响应）"
    return f"无法连接（{type(exc).__name__}: {exc}）"


def _proxy_note() -> str:
    names = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
    return "，已设置代理 HTTPS_PROXY" if any(os.environ.get(n) for n in names) else ""


def check_config(settings: Settings) -> list[Check]:
    env_file = os.environ.get("PAPERBOT_ENV_FILE") or ".env"
    where = env_file if os.path.exists(env_file) else "（没有 .env 文件）"
    checks = [Check("配置（configuration）", "ok", f"环境变量与 {where} 均有效" + _proxy_note())]
    if settings.telegram_bot_token is None and settings.discord_bot_token is None:
        checks.append(
            Check(
                "聊天平台（platforms）",
                "fail",
                "没有配置任何平台，`paperbot run` 无法启动",
                "在 .env 中设置 TELEGRAM_BOT_TOKEN=123456:ABC…（向 @BotFather 申请）"
                "和/或 DISCORD_BOT_TOKEN=…（Discord Developer Portal → Bot → Reset Token）",
            )
        )
    if settings.telegram_webhook_url and settings.telegram_webhook_secret is None:
        checks.append(
            Check(
                "Telegram webhook",
                "warn",
                "设置了 PAPERBOT_TELEGRAM_WEBHOOK_URL 但没有 PAPERBOT_TELEGRAM_WEBHOOK_SECRET",
                "设置一个随机字符串，例如 PAPERBOT_TELEGRAM_WEBHOOK_SECRET=$(openssl rand -hex 16)",
            )
        )
    return checks


def sqlite_blocker(path: Path) -> str | None:
    """Why `path` (and its missing parent directories) could not be created; None if it can.
    Creates nothing: looks at the nearest existing ancestor, as `paperbot run` would mkdir."""
    ancestor = path.parent.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        return f"{ancestor} 不是目录"
    if hasattr(os, "statvfs") and os.statvfs(ancestor).f_flag & os.ST_RDONLY:
        return f"目录 {ancestor} 在只读文件系统上"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        return f"没有目录 {ancestor} 的写权限"
    return None


async def check_database(settings: Settings) -> Check:
    from storage.engine import Database, sqlite_path
    from storage.health import ping, schema_revision
    from storage.migrate import head_revision

    name = "数据库（database）"
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        blocked = sqlite_blocker(path)
        if blocked:
            return Check(
                name,
                "fail",
                f"无法创建 SQLite 文件 {path}：{blocked}",
                "把 DATABASE_URL 指向可写的位置，例如 DATABASE_URL=sqlite:///./data/paperbot.db，"
                "或先建好该目录并给运行 paperbot 的用户写权限",
            )
        return Check(
            name, "warn", f"SQLite 文件 {path} 尚不存在", "首次 `paperbot run` 会自动创建并迁移"
        )
    db = Database(settings.database_url)
    try:
        await asyncio.wait_for(ping(db), TIMEOUT)
        revision = await schema_revision(db)
    except Exception as exc:
        fix = fixes.database_fix(db.dialect)
        return Check(name, "fail", f"无法连接 {db!r}：{type(exc).__name__}: {exc}", fix)
    finally:
        await db.dispose()
    head = head_revision()
    if revision == head:
        return Check(name, "ok", f"{db.dialect} 可连接，结构为最新（{head}）")
    if revision is None:
        return Check(
            name, "warn", "数据库尚未迁移", "运行 `paperbot db upgrade`（`paperbot run` 启动时也会)"
        )
    return Check(
        name,
        "warn",
        f"结构版本 {revision}，当前代码为 {head}",
        "运行 `paperbot db upgrade`；若数据库比代码新，请升级 paperbot",
    )


async def check_telegram(settings: Settings, client: httpx.AsyncClient) -> Check:
    name = "Telegram"
    if settings.telegram_bot_token is None:
        return Check(name, "skip", "未配置 TELEGRAM_BOT_TOKEN（可选）")
    token = settings.telegram_bot_token.get_secret_value()
    api = settings.telegram_api_url
    try:
        response = await client.get(f"{api}/bot{token}/getMe")
    except httpx.HTTPError as exc:
        return Check(
            name,
            "fail",
            f"{api} {_network_error(exc)}",
            fixes.TELEGRAM_NETWORK,
        )
    if response.status_code in (401, 404):
        return Check(
            name,
            "fail",
            f"TELEGRAM_BOT_TOKEN 无效（getMe 返回 {response.status_code}）",
            fixes.TELEGRAM_TOKEN,
        )
    if response.status_code != 200:
        return Check(name, "fail", f"getMe 返回 HTTP {response.status_code}", "稍后重试")
    username = response.json().get("result", {}).get("username", "?")
    return Check(name, "ok", f"令牌有效，机器人 @{username}")


async def check_discord(settings: Settings, client: httpx.AsyncClient) -> Check:
    name = "Discord"
    if settings.discord_bot_token is None:
        return Check(name, "skip", "未配置 DISCORD_BOT_TOKEN（可选）")
    api = (settings.discord_api_url or DISCORD_DEFAULT_API).rstrip("/")
    headers = {"Authorization": f"Bot {settings.discord_bot_token.get_secret_value()}"}
    try:
        response = await client.get(f"{api}/users/@me", headers=headers)
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{api} {_network_error(exc)}", fixes.DISCORD_NETWORK)
    if response.status_code == 401:
        return Check(
            name,
            "fail",
            "DISCORD_BOT_TOKEN 无效（/users/@me 返回 401）",
            fixes.DISCORD_TOKEN,
        )
    if response.status_code != 200:
        return Check(name, "fail", f"/users/@me 返回 HTTP {response.status_code}", "稍后重试")
    return Check(name, "ok", f"令牌有效，机器人 {response.json().get('username', '?')}")


async def check_model(settings: Settings, client: httpx.AsyncClient) -> Check:
    """The configured provider's key and model, by the probe its registry entry declares."""
    from summarizer.providers.registry import PROVIDERS, spec

    budget = settings.daily_token_budget
    note = f"；每日令牌预算 {budget}" if budget else ""
    chosen = spec(settings.resolved_provider)
    if chosen is None:
        return Check(
            "模型（model）",
            "warn",
            "未配置模型，只能给出英文原文的要点摘录（extractive），没有中文摘要",
            "设置 "
            + "，或 ".join(p.key_hint for p in PROVIDERS)
            + "（任何 OpenAI 兼容接口，如 DeepSeek、通义千问、本地 vLLM）",
        )
    config = settings.provider_config(chosen)
    probe = chosen.probe
    base = (config.base_url or probe.default_base).rstrip("/")
    url = f"{base}{probe.models_path}"
    name = f"模型 {chosen.label}（{config.model}）"
    blocked = f"{chosen.blocked_hint}；{PROXY_HINT}"
    try:
        response = await client.get(url, headers=probe.auth_header(config.api_key or ""))
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{base} {_network_error(exc)}", blocked)
    status = response.status_code
    if status in (400, 401, 403):
        return Check(
            name,
            "fail",
            f"{chosen.key_env} 无效或无权限（HTTP {status}）",
            f"检查 .env 中的 {chosen.key_env}",
        )
    if status == 404 and probe.list_optional:
        return Check(name, "warn", f"{url} 不提供模型列表，无法确认模型名{note}")
    if status != 200:
        return Check(name, "fail", f"{url} 返回 HTTP {status}", blocked)
    listed = _listed_models(response)
    if listed is not None and config.model not in listed:
        usable = [m for m in config.fallback_models if m in listed]
        sample = "、".join(sorted(listed)[:5])
        fallback = f"；将改用后备模型 {usable[0]}" if usable else ""
        return Check(
            name,
            "warn" if usable else "fail",
            f"密钥有效，但模型列表中没有 {config.model}（已停用或名称有误）{fallback}",
            f"设置 {chosen.model_env}={chosen.default_model}（可用：{sample}）",
        )
    return Check(name, "ok", f"{base} 可用，密钥有效，模型 {config.model} 可用{note}")


def _listed_models(response: httpx.Response) -> set[str] | None:
    """Model ids from a complete (single-page) model list; None when it cannot be told."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or body.get("nextPageToken"):
        return None
    if "models" in body:  # Gemini: {"models": [{"name": "models/gemini-2.5-flash"}, ...]}
        names = {str(m.get("name", "")).removeprefix("models/") for m in body["models"]}
    elif "data" in body:  # OpenAI: {"data": [{"id": "gpt-4o-mini"}, ...]}
        names = {str(m.get("id", "")) for m in body["data"]}
    else:
        return None
    return (names - {""}) or None


async def check_arxiv_api(settings: Settings, client: httpx.AsyncClient) -> Check:
    from summarizer.arxiv.atom import parse_atom

    name = "arXiv API"
    api = settings.arxiv_api_url
    fix = f"若本网络无法访问 arxiv.org，将 PAPERBOT_ARXIV_API_URL 指向镜像；{PROXY_HINT}"
    try:
        response = await client.get(api, params={"id_list": KNOWN_PAPER, "max_results": 1})
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{api} {_network_error(exc)}", fix)
    if response.status_code != 200:
        return Check(name, "fail", f"{api} 返回 HTTP {response.status_code}", fix)
    try:
        feed = parse_atom(response.content)
    except Exception as exc:
        return Check(name, "fail", f"{api} 返回的不是 arXiv Atom：{exc}", fix)
    if not feed.papers:
        return Check(name, "warn", f"{api} 可访问，但查不到 {KNOWN_PAPER}", "确认镜像是完整的")
    return Check(name, "ok", f"{api} 可用")


async def check_arxiv_rss(settings: Settings, client: httpx.AsyncClient) -> Check:
    name = "arXiv RSS"
    url = f"{settings.arxiv_rss_url}/{RSS_CATEGORY}"
    fix = f"若本网络无法访问 rss.arxiv.org，将 PAPERBOT_ARXIV_RSS_URL 指向镜像；{PROXY_HINT}"
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{url} {_network_error(exc)}（每日推送需要它）", fix)
    if response.status_code != 200:
        return Check(name, "fail", f"{url} 返回 HTTP {response.status_code}", fix)
    if b"<rss" not in response.content[:2000] and b"<feed" not in response.content[:2000]:
        return Check(name, "fail", f"{url} 返回的不是 RSS/Atom", fix)
    return Check(name, "ok", f"{url} 可用")


async def run_checks(settings: Settings, *, request_timeout: float = TIMEOUT) -> list[Check]:
    """Every check; network checks run concurrently with short timeouts."""
    checks = check_config(settings)
    async with httpx.AsyncClient(timeout=request_timeout, trust_env=True) as client:
        network: list[Callable[[Settings, httpx.AsyncClient], Awaitable[Check]]] = [
            check_telegram, check_discord, check_model, check_arxiv_api, check_arxiv_rss,
        ]  # fmt: skip
        results = await asyncio.gather(
            check_database(settings), *(check(settings, client) for check in network)
        )
    return [*checks, *results]


def doctor_main() -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        fix = "按上面每一行的提示修改 .env 或环境变量，然后重新运行 `paperbot doctor`"
        # The same problems `paperbot run` reports, without its header and footer lines.
        problems = [line for line in str(exc).splitlines() if line.startswith("- ")]
        message = "配置无效\n" + "\n".join(problems) if problems else str(exc)
        print("\n".join(Check("配置（configuration）", "fail", message, fix).lines()))
        print("\n结论：❌ 配置无效，其余检查未运行。")
        return 2
    print("paperbot doctor：正在检查…", flush=True)
    text, code = report(asyncio.run(run_checks(settings)), settings.secrets())
    print(text)
    sys.stdout.flush()
    return code
