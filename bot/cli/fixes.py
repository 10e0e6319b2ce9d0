"""The fix texts `doctor` and the start-up failure lines share: one place, one wording."""

from __future__ import annotations

PROXY_HINT = "如需代理，设置 HTTPS_PROXY=http://代理地址:端口（httpx 会读取它）"
TELEGRAM_NETWORK = f"检查网络；{PROXY_HINT}，或用 PAPERBOT_TELEGRAM_API_URL 指向自建 Bot API 服务器"
TELEGRAM_TOKEN = "在 @BotFather 中用 /token 重新获取令牌，写入 .env 的 TELEGRAM_BOT_TOKEN"
DISCORD_NETWORK = f"检查网络；{PROXY_HINT}"
DISCORD_TOKEN = "在 Discord Developer Portal → Bot → Reset Token 生成新令牌，写入 DISCORD_BOT_TOKEN"
DATABASE_POSTGRES = (
    "确认 PostgreSQL 已启动且 DATABASE_URL 的主机、端口、用户名和密码正确"
    "（docker compose 中为 postgresql://paperbot:paperbot@db:5432/paperbot）"
)
DATABASE_SQLITE = "确认 DATABASE_URL 指向的目录存在且可写"
DATA_DIRECTORY = (
    "把 DATABASE_URL 指向可写的位置（如 sqlite:///./data/paperbot.db），"
    "或先用 mkdir 创建该目录并确认当前用户可写"
)
DNS = "检查主机名是否拼写正确、本机 DNS 是否可用"


def network_fix(service: str) -> str:
    """What to do when `service` (telegram / discord) cannot be reached."""
    return TELEGRAM_NETWORK if service == "telegram" else DISCORD_NETWORK


def proxy_fix(proxy: str, variable: str) -> str:
    return f"确认代理 {proxy} 已启动且地址、端口正确；不需要代理时删除环境变量 {variable}"


def database_fix(dialect: str) -> str:
    return DATABASE_POSTGRES if dialect == "postgresql" else DATABASE_SQLITE
