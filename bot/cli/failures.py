"""Start-up failures as one Chinese line with the fix (network, DNS, proxy, token, database,
data directory) and the exit code; the database is tried before anything else starts."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.cli import fixes
from bot.config import Settings
from bot.ops.network import env_proxy

# sysexits.h: a service is unavailable / a file cannot be created / configuration is wrong.
EX_UNAVAILABLE = 69
EX_CANTCREAT = 73
EX_CONFIG = 78
DATABASE_TIMEOUT = 10.0
DISCORD_DEFAULT_API = "https://discord.com/api/v10"
LABELS = {"telegram": "Telegram", "discord": "Discord", "database": "数据库", "data": "数据目录"}
OS_REASONS = {
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "只读文件系统",
    errno.ENOSPC: "磁盘已满",
}
DNS_WORDS = (
    "Name or service not known",
    "Temporary failure in name resolution",
    "nodename nor servname provided",
    "No address associated with hostname",
    "getaddrinfo failed",
)


@dataclass(frozen=True)
class Failure:
    """What failed (`kind`: network / dns / proxy / token / database / data), for whom."""

    service: str
    kind: str
    problem: str
    fix: str
    exit_code: int = EX_UNAVAILABLE

    def line(self) -> str:
        return f"❌ {LABELS.get(self.service, self.service)}：{self.problem} → 修复：{self.fix}"


class StartupFailure(Exception):
    """Raised with the explained failure; the CLI prints `line()` and exits with its code."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.line())
        self.failure = failure


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what caused it (`__cause__`, `__context__`) and exception-group members."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _is_dns(chain: list[BaseException]) -> bool:
    for error in chain:
        if isinstance(error, socket.gaierror) or type(error).__name__ == "ClientConnectorDNSError":
            return True
        if any(word in str(error) for word in DNS_WORDS):
            return True
    return False


def _is_timeout(chain: list[BaseException]) -> bool:
    return any(
        isinstance(e, TimeoutError) or type(e).__name__ in ("TimedOut", "ConnectTimeout")
        for e in chain
    )


def _is_network(chain: list[BaseException]) -> bool:
    names = {"NetworkError", "TimedOut", "ClientError", "GatewayNotFound", "ConnectionClosed"}
    return any(isinstance(e, OSError | TimeoutError) or _class_names(e) & names for e in chain)


def _class_names(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def _token_rejected(service: str, chain: list[BaseException]) -> bool:
    for error in chain:
        names = _class_names(error)
        if "InvalidToken" in names or "LoginFailure" in names:
            return True
        if "HTTPException" in names and getattr(error, "status", None) == 401:
            return True
        if "ConfigError" in names and f"{service.upper()}_BOT_TOKEN" in str(error):
            return True
    return False


def _infer_service(chain: list[BaseException]) -> str | None:
    for error in chain:
        module = type(error).__module__
        if module.startswith("telegram"):
            return "telegram"
        if module.startswith(("discord", "aiohttp")):
            return "discord"
    return None


def api_url(service: str, settings: Settings) -> str:
    if service == "telegram":
        return settings.telegram_api_url
    return (settings.discord_api_url or DISCORD_DEFAULT_API).rstrip("/")


def explain(error: BaseException, settings: Settings, service: str | None = None) -> Failure | None:
    """The one-line explanation of a platform failure, or None when it is not one we know
    (a bug: the caller lets the traceback through)."""
    chain = list(causes(error))
    for item in chain:
        if isinstance(item, StartupFailure):
            return item.failure
    service = service or _infer_service(chain)
    if service not in ("telegram", "discord"):
        return None
    variable = f"{service.upper()}_BOT_TOKEN"
    if _token_rejected(service, chain):
        fix = fixes.TELEGRAM_TOKEN if service == "telegram" else fixes.DISCORD_TOKEN
        return Failure(service, "token", f"{variable} 无效，被服务器拒绝", fix, EX_CONFIG)
    if not _is_network(chain):
        return None
    url = api_url(service, settings)
    proxy = env_proxy(url)  # discord.py is given the same proxy (bot.ops.network.env_proxy)
    if proxy is not None:
        problem = f"无法通过代理 {proxy[0]}（{proxy[1]}）连接 {url}"
        return Failure(service, "proxy", problem, fixes.proxy_fix(*proxy))
    if _is_dns(chain):
        host = _host(url)
        problem = f"找不到主机 {host}（DNS 解析失败）"
        return Failure(service, "dns", problem, f"{fixes.DNS}；{fixes.network_fix(service)}")
    problem = f"无法连接 {url}（{_network_reason(chain)}）"
    return Failure(service, "network", problem, fixes.network_fix(service))


def _network_reason(chain: list[BaseException]) -> str:
    if _is_timeout(chain):
        return "连接超时"
    refused = ("Connection refused", "Connect call failed", "All connection attempts failed")
    if any(isinstance(e, ConnectionRefusedError) or any(w in str(e) for w in refused)
           for e in chain):  # fmt: skip
        return "连接被拒绝或网络不通"
    return next((_short(e) for e in reversed(chain)), "网络错误")


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0][:120] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


async def check_database(settings: Settings, limit: float = DATABASE_TIMEOUT) -> None:
    """Create the SQLite directory and open one connection, or raise StartupFailure."""
    from storage.engine import Database, sqlite_path
    from storage.health import database_location, ping

    path = sqlite_path(settings.database_url)
    if path is not None:
        _check_directory(path.parent)
    dialect, where, host = database_location(settings.database_url)
    db = Database(settings.database_url)
    try:
        await asyncio.wait_for(ping(db), limit)
    except Exception as exc:
        problem = f"无法连接 {where}（{_database_reason(exc, host)}）"
        failure = Failure("database", "database", problem, fixes.database_fix(dialect))
        raise StartupFailure(failure) from exc
    finally:
        await db.dispose()


def _check_directory(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
        failure = Failure(
            "data", "data", f"无法创建 {directory}（{reason}）", fixes.DATA_DIRECTORY, EX_CANTCREAT
        )
        raise StartupFailure(failure) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        failure = Failure("data", "data", f"{directory} 不可写", fixes.DATA_DIRECTORY, EX_CANTCREAT)
        raise StartupFailure(failure)


def _database_reason(error: BaseException, host: str) -> str:
    chain = list(causes(error))
    names = set().union(*(_class_names(e) for e in chain))
    if _is_dns(chain):
        return f"找不到主机 {host}"
    if "InvalidPasswordError" in names or "InvalidAuthorizationSpecificationError" in names:
        return "用户名或密码错误"
    if "InvalidCatalogNameError" in names:
        return "数据库不存在"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "连接被拒绝，服务未启动或端口不对"
    if _is_timeout(chain):
        return "连接超时"
    if any(isinstance(e, PermissionError) for e in chain) or "readonly" in str(error):
        return "没有写权限"
    return _short(chain[-1])
