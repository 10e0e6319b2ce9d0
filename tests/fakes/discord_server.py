"""pytest plugin: a fake Discord REST API + gateway on 127.0.0.1 that drives a real discord.py."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.config import Settings
from bot.discord.platform import DiscordPlatform
from handlers.services import Services
from tests.fakes.services import MemoryChats, fake_services

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 900000000000000100
CHANNEL_ID = 900000000000000200
DM_CHANNEL_ID = 900000000000000300
PRIVATE_CHANNEL_ID = 900000000000000600  # a DM between the user and a friend (no bot)
USER_ID = 900000000000000400
OWNER_ID = 900000000000000500
TOKEN = "fake-discord-token"

MANAGE_CHANNELS = 1 << 4
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view, send, use application commands


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py only parses bodies whose Content-Type is exactly application/json.
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(BOT_ID, "paperbot", bot=True)
HUMAN = user(USER_ID, "alice")


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    remaining: int
    retry_after: float = 0.2


@dataclass
class FakeDiscord:
    """REST under /api/v10 and a websocket gateway; tests push dispatches and read `calls`."""

    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    port: int = 0
    nonce_window: float = 120.0
    """Create Message with `nonce` + `enforce_nonce`: "checked for uniqueness in the past few
    minutes. If another message was created by the same author with the same nonce, that
    message will be returned and no new message will be created" (Discord API docs, Create
    Message, via discord-api-types RESTPostAPIChannelMessageJSONBody, checked 2026-12-01).
    The nonce is at most 25 characters."""
    lost: list[re.Pattern[str]] = field(default_factory=list)
    gateway_down: bool = False
    """The gateway refuses connections (503 on the websocket handshake)."""

    def __post_init__(self) -> None:
        self._ids = itertools.count(910000000000000000)
        self._seq = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._identified = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._nonces: dict[str, tuple[float, dict[str, Any]]] = {}

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> str:
        return str(next(self._ids))

    # -- test controls ------------------------------------------------------------------------
    def fail(
        self, method: str, path_regex: str, status: int, *, times: int = 1, retry_after: float = 0.2
    ) -> None:
        """The next `times` matching requests get `status` (429 carries Via + retry_after)."""
        self.failures.append(
            Failure(method, re.compile(path_regex), status, times, retry_after=retry_after)
        )

    async def close_gateway(self, *, refuse: bool = True) -> None:
        """Close every gateway connection (code 4000, "unknown error": clients reconnect) and,
        with `refuse`, turn reconnections away until `gateway_down` is False again."""
        self.gateway_down = refuse
        for ws in list(self._sockets):
            await ws.close(code=4000, message=b"fake gateway closed")

    def lose_response(self, path_regex: str, *, times: int = 1) -> None:
        """Carry out the next `times` POSTs matching `path_regex` (the message is created),
        then close the connection without an answer."""
        self.lost += [re.compile(path_regex)] * times

    def channel_messages(self, channel_id: int | str) -> list[dict[str, Any]]:
        """The messages that exist in a channel now, in order."""
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    def callbacks(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """The bodies of the interaction responses (callback) sent for `payload`."""
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return [c.body for c in self.calls if c.path == path]

    def find(self, method: str, path_regex: str) -> list[Call]:
        pattern = re.compile(path_regex)
        return [c for c in self.calls if c.method == method and pattern.search(c.path)]

    async def wait_for(
        self, method: str, path_regex: str, count: int = 1, within: float = 5.0
    ) -> list[Call]:
        async def enough() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.find(method, path_regex)) >= count)
            return self.find(method, path_regex)

        return await asyncio.wait_for(enough(), within)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await asyncio.wait_for(self._identified.wait(), 5)
        payload = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for ws in self._sockets:
            await ws.send_str(json.dumps(payload))

    def interaction_payload(
        self,
        data: dict[str, Any],
        *,
        kind: int = 2,
        permissions: int = MEMBER_PERMISSIONS,
        dm: bool = False,
        message: dict[str, Any] | None = None,
        private_channel: bool = False,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": self.next_id(),
            "application_id": str(APP_ID),
            "type": kind,
            "token": f"itoken-{self.next_id()}",
            "version": 1,
            "data": data,
            "attachment_size_limit": 8 * 1024 * 1024,
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": "zh-CN",
        }
        # Which installation the command came through (Discord: 0 guild, 1 user install).
        owners = {"1": str(USER_ID)} if private_channel else {"0": "0" if dm else str(GUILD_ID)}
        payload["authorizing_integration_owners"] = owners
        if private_channel:  # a user-installed app in a DM between two other users
            friend = user(USER_ID + 1, "bob")
            channel = {"id": str(PRIVATE_CHANNEL_ID), "type": 1, "recipients": [friend]}
            payload |= {"channel": channel, "channel_id": channel["id"], "user": HUMAN}
            payload["context"] = 2
            payload["app_permissions"] = str(MEMBER_PERMISSIONS)
        elif dm:
            payload["channel"] = {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [HUMAN]}
            payload["channel_id"] = str(DM_CHANNEL_ID)
            payload["user"] = HUMAN
            payload["context"] = 1
        else:
            payload["guild_id"] = str(GUILD_ID)
            payload["channel"] = self._channel()
            payload["channel_id"] = str(CHANNEL_ID)
            payload["member"] = self._member(permissions)
            payload["context"] = 0
        if message is not None:
            payload["message"] = message
        return payload

    async def slash(
        self, name: str, value: str | None = None, *, option: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        options = [] if value is None else [{"name": option, "type": 3, "value": value}]
        data = {"id": self.next_id(), "name": name, "type": 1, "options": options}
        payload = self.interaction_payload(data, **kw)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def message_payload(
        self,
        content: str,
        *,
        author: dict[str, Any] | None = None,
        mentions: list[dict[str, Any]] | None = None,
        components: list[dict[str, Any]] | None = None,
        channel_id: int = CHANNEL_ID,
        guild: bool = True,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`reply_to`: a stored message this one replies to (type 19, with
        `message_reference` and the resolved `referenced_message`, as the gateway sends)."""
        message: dict[str, Any] = {
            "id": self.next_id(),
            "channel_id": str(channel_id),
            "type": 0,
            "content": content,
            "author": author or HUMAN,
            "embeds": [],
            "attachments": [],
            "components": components or [],
            "mentions": mentions or [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "flags": 0,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
        }
        if guild:
            message["guild_id"] = str(GUILD_ID)
            message["member"] = {k: v for k, v in self._member(0).items() if k != "user"}
        if reply_to is not None:
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                **({"guild_id": str(GUILD_ID)} if guild else {}),
            }
            message["referenced_message"] = reply_to
        return message

    async def send_message(self, content: str, **kw: Any) -> dict[str, Any]:
        message = self.message_payload(content, **kw)
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    # -- gateway -------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                if frame["op"] == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif frame["op"] == 2:
                    await self._ready(ws)
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": next(self._seq), "d": ready}))
        guild = {
            "id": str(GUILD_ID),
            "name": "Paper Club",
            "icon": None,
            "owner_id": str(OWNER_ID),
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(GUILD_ID),
                    "name": "@everyone",
                    "permissions": "0",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [{k: v for k, v in self._channel().items() if k != "guild_id"}],
            "threads": [],
            "members": [self._member(0)],
            "voice_states": [],
            "presences": [],
            "premium_tier": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "preferred_locale": "zh-CN",
            "joined_at": datetime.now(UTC).isoformat(),
        }
        await ws.send_str(
            json.dumps({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": guild})
        )
        self._sockets.append(ws)
        self._identified.set()

    def _channel(self) -> dict[str, Any]:
        return {
            "id": str(CHANNEL_ID),
            "type": 0,
            "name": "papers",
            "guild_id": str(GUILD_ID),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def _member(self, permissions: int) -> dict[str, Any]:
        return {
            "user": HUMAN,
            "roles": [],
            "joined_at": datetime.now(UTC).isoformat(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    # -- REST ----------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw and request.content_type == "application/json" else raw
        async with self._changed:
            self.calls.append(Call(request.method, path, dict(request.query), body))
            self._changed.notify_all()
        failure = self._failure(request.method, path)
        if failure is not None:
            return failure
        response = self._answer(request.method, path, body)
        lost = next((p for p in self.lost if request.method == "POST" and p.search(path)), None)
        if lost is not None:
            self.lost.remove(lost)
            assert request.transport is not None
            request.transport.close()
        return response

    def _failure(self, method: str, path: str) -> web.Response | None:
        for failure in self.failures:
            if failure.remaining > 0 and failure.method == method and failure.pattern.search(path):
                failure.remaining -= 1
                if failure.status == 429:
                    return _json(
                        {
                            "message": "You are being rate limited.",
                            "retry_after": failure.retry_after,
                            "global": False,
                        },
                        429,
                        # Without Via, discord.py takes a 429 for a Cloudflare ban and gives up.
                        {
                            "Via": "1.1 google",
                            "Retry-After": str(failure.retry_after),
                            "X-RateLimit-Scope": "user",
                        },
                    )
                codes = {403: 50013, 404: 10003}
                return _json(
                    {"message": "fake failure", "code": codes.get(failure.status, 0)},
                    failure.status,
                )
        return None

    def _answer(self, method: str, path: str, body: Any) -> web.Response:
        routes: list[tuple[str, str, Callable[[re.Match[str], Any], web.Response]]] = [
            ("GET", r"^/users/@me$", lambda m, b: _json(BOT_USER)),
            ("GET", r"^/oauth2/applications/@me$", lambda m, b: _json(self._app())),
            ("PUT", r"^/applications/\d+/commands$", self._sync),
            ("POST", r"^/interactions/(\d+)/([^/]+)/callback$", self._callback),
            ("POST", r"^/webhooks/\d+/[^/]+$", lambda m, b: _json(self._store(b))),
            (
                "PATCH",
                r"^/webhooks/\d+/[^/]+/messages/(@original|\d+)$",
                lambda m, b: _json(self._store(b)),
            ),
            ("POST", r"^/channels/(\d+)/messages$", self._create_message),
            ("POST", r"^/channels/(\d+)/typing$", lambda m, b: web.Response(status=204)),
            ("POST", r"^/channels/(\d+)/messages/(\d+)/threads$", self._thread),
        ]
        for route_method, pattern, answer in routes:
            match = re.match(pattern, path)
            if route_method == method and match:
                return answer(match, body)
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _app(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "paperbot",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user(OWNER_ID, "owner"),
            "verify_key": "00",
            "flags": 0,
        }

    def _sync(self, match: re.Match[str], body: Any) -> web.Response:
        self.commands = [
            {
                "description": "",
                **cmd,
                "id": self.next_id(),
                "application_id": str(APP_ID),
                "version": "1",
            }
            for cmd in body
        ]
        return _json(self.commands)

    def _callback(self, match: re.Match[str], body: Any) -> web.Response:
        answer: dict[str, Any] = {
            "interaction": {
                "id": match.group(1),
                "type": 2,
                "response_message_loading": body.get("type") == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            },
            "resource": {"type": body["type"]},
        }
        if body["type"] in (4, 7):
            answer["resource"]["message"] = self._store(body.get("data") or {})
        return _json(answer)

    def _thread(self, match: re.Match[str], body: Any) -> web.Response:
        thread_id = self.next_id()
        return _json(
            {
                "id": thread_id,
                "type": 11,
                "guild_id": str(GUILD_ID),
                "parent_id": match.group(1),
                "name": body.get("name", "thread"),
                "owner_id": str(BOT_ID),
                "message_count": 0,
                "member_count": 1,
                "rate_limit_per_user": 0,
                "flags": 0,
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": datetime.now(UTC).isoformat(),
                    "locked": False,
                },
            }
        )

    def _create_message(self, match: re.Match[str], body: Any) -> web.Response:
        body = body if isinstance(body, dict) else {}
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            errors = {"nonce": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}}
            return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, 400)
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(str(nonce))
            if seen is not None and now - seen[0] < self.nonce_window:
                return _json(seen[1])
        message = self._store(body, channel_id=match.group(1))
        if nonce is not None:
            message["nonce"] = str(nonce)
            self._nonces[str(nonce)] = (now, message)
        return _json(message)

    def _store(self, body: Any, channel_id: str | None = None) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        message = self.message_payload(
            body.get("content") or "",
            author=BOT_USER,
            components=body.get("components"),
            channel_id=int(channel_id or CHANNEL_ID),
        )
        message["embeds"] = body.get("embeds") or []
        self.messages[message["id"]] = message
        return message


def embeds_text(body: dict[str, Any]) -> str:
    """Everything readable in a message payload's embeds, for assertions."""
    parts = []
    for embed in body.get("embeds") or []:
        parts.append(embed.get("title", ""))
        parts.append(embed.get("description", ""))
        parts += [f["name"] + f["value"] for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


@dataclass
class DiscordBot:
    """A started DiscordPlatform wired to fake services and the fake server."""

    platform: DiscordPlatform
    services: Services
    server: FakeDiscord

    @property
    def chats(self) -> MemoryChats:
        assert isinstance(self.services.chats, MemoryChats)
        return self.services.chats


async def start_discord_bot(
    server: FakeDiscord, services: Services, *, defer_after: float = 2.0, **settings: Any
) -> DiscordPlatform:
    config = Settings(
        _env_file=None,
        discord_bot_token=TOKEN,
        discord_api_url=server.api_url,
        discord_gateway_url=server.gateway_url,
        **settings,
    )
    platform = DiscordPlatform(
        config, services, guild_ready_timeout=0.1, ready_timeout=10, defer_after=defer_after
    )
    await platform.start()
    return platform


@pytest.fixture
async def discord_server() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def discord_bot(discord_server: FakeDiscord) -> AsyncIterator[DiscordBot]:
    services = fake_services()
    platform = await start_discord_bot(discord_server, services)
    try:
        yield DiscordBot(platform, services, discord_server)
    finally:
        await platform.stop()
