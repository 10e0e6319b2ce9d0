"""The Discord platform: client lifecycle, requests from commands, buttons and messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any

import discord
import yarl
from discord import app_commands

from bot.config import Settings
from bot.discord.commands import register_commands
from bot.discord.interactions import InteractionResponder, answer_error
from bot.discord.reconnect import WatchedClient, discord_proxy
from bot.discord.send import (
    NO_MENTIONS,
    UNREACHABLE,
    chat_ref,
    mark_unreachable,
    send_rendered,
    send_reply_to_channel,
)
from bot.discord.views import ActionButton
from bot.ops.network import ConnectionWatch
from handlers.command import parse_command
from handlers.ondemand.paper import may_want_answer
from handlers.registry import COMMANDS, dispatch
from handlers.services import Services
from handlers.types import ChatKind, RepliedMessage, Reply, Request

log = logging.getLogger(__name__)

READY_TIMEOUT = 30.0
THREAD_NAME = "论文摘要"


class PaperbotClient(WatchedClient):
    """discord.Client with the command tree and a hook for the persistent buttons."""

    def __init__(self, platform: DiscordPlatform, **options: Any) -> None:
        super().__init__(**options)
        self.platform = platform
        self.watch = platform.watch
        self.tree: app_commands.CommandTree[PaperbotClient] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton)

    async def handle_action(self, interaction: discord.Interaction[Any], action: str) -> None:
        await self.platform.on_action(interaction, action)

    async def on_message(self, message: discord.Message) -> None:
        await self.platform.on_message(message)


class DiscordPlatform:
    name = "discord"

    def __init__(
        self,
        settings: Settings,
        services: Services,
        *,
        guild_ready_timeout: float = 2.0,
        ready_timeout: float = READY_TIMEOUT,
        defer_after: float = 2.0,
    ) -> None:
        if settings.discord_bot_token is None:
            raise ValueError("DISCORD_BOT_TOKEN is not set")
        self.settings = settings
        self.services = services
        self.ready_timeout = ready_timeout
        self.defer_after = defer_after
        intents = discord.Intents.default()
        intents.message_content = settings.discord_message_content
        self.watch = ConnectionWatch(self.name)  # `run` after start: drops and recoveries
        self.client = PaperbotClient(
            self,
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            proxy=discord_proxy(settings),
        )
        self.client.tree.error(answer_error)
        register_commands(
            self.client.tree, list(COMMANDS.values()), self.on_command, self.on_context_menu
        )
        self._task: asyncio.Task[None] | None = None
        self._saved_urls: tuple[str, yarl.URL] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Log in, sync the slash commands, connect the gateway in a background task and
        return once the client is ready."""
        self._point_at_servers()
        assert self.settings.discord_bot_token is not None
        try:
            await self.client.login(self.settings.discord_bot_token.get_secret_value())
            synced = await self.client.tree.sync()
        except BaseException:
            await self.stop()
            raise
        log.info("discord: synced %d application commands", len(synced))
        self._task = asyncio.create_task(self.client.connect(), name="discord-gateway")
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._task}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            failed = self._task if self._task in done else None
            await self.stop()
            if failed is not None and failed.exception() is not None:
                raise RuntimeError("discord: gateway connection failed") from failed.exception()
            raise TimeoutError(f"discord: not ready after {self.ready_timeout:.0f} s")

    async def stop(self) -> None:
        await self.client.close()
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._task
            self._task = None
        if self._saved_urls is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_urls
            )
            self._saved_urls = None

    def _point_at_servers(self) -> None:
        """PAPERBOT_DISCORD_API_URL / _GATEWAY_URL: self-hosted proxies and the test fakes."""
        api, gateway = self.settings.discord_api_url, self.settings.discord_gateway_url
        if api is None and gateway is None:
            return
        self._saved_urls = (
            discord.http.Route.BASE,
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        )
        if api is not None:
            discord.http.Route.BASE = api.rstrip("/")
        if gateway is not None:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)

    async def send_reply(self, channel_id: int | str, reply: Reply) -> list[str]:
        """For the digest: see bot.discord.send.send_reply_to_channel."""
        return await send_reply_to_channel(self.client, self.services.chats, channel_id, reply)

    # -- interactions --------------------------------------------------------------------------
    async def on_command(self, interaction: discord.Interaction[Any], name: str, args: str) -> None:
        await self._run(interaction, command=name, args=args, text=f"/{name} {args}".strip())

    async def on_context_menu(
        self, interaction: discord.Interaction[Any], message: discord.Message
    ) -> None:
        await self._run(interaction, text=message.content, addressed=True)

    async def on_action(self, interaction: discord.Interaction[Any], action: str) -> None:
        try:
            await self._run(interaction, component=True, action=action)
        except Exception as exc:
            await answer_error(interaction, exc)  # component errors bypass tree.on_error

    async def _run(
        self, interaction: discord.Interaction[Any], *, component: bool = False, **fields: Any
    ) -> None:
        async with InteractionResponder(
            interaction, component=component, defer_after=self.defer_after
        ) as responder:
            request = Request(
                chat=chat_ref(interaction.channel_id or interaction.user.id),
                user_id=str(interaction.user.id),
                chat_kind=chat_kind(interaction.guild_id, interaction.channel),
                chat_title=chat_title(interaction.channel),
                is_admin=interaction.guild_id is None or can_manage(interaction.permissions),
                progress=responder.progress,
                preview=responder.preview,
                answers_privately=True,  # a refusal goes to the user alone (ephemeral)
                **fields,
            )
            replies = await dispatch(request, self.services)
            await responder.deliver(replies)

    # -- plain messages ------------------------------------------------------------------------
    async def on_message(self, message: discord.Message) -> None:
        request = self.message_request(message)
        if request is None:
            return
        try:
            replies = await dispatch(request, self.services)
            if replies:
                await self._answer_message(message, request, replies)
        except UNREACHABLE as exc:
            await mark_unreachable(self.services.chats, request.chat, exc)
        except Exception:
            log.exception("discord: message %s failed", message.id)

    def message_request(self, message: discord.Message) -> Request | None:
        """Which messages deserve a look: DMs, mentions of the bot, and (with the
        message-content intent) channel messages holding an arXiv link."""
        me = self.client.user
        if message.author.bot or me is None or not message.content:
            return None
        dm = message.guild is None
        replied = getattr(message.reference, "resolved", None)
        mentioned = any(user.id == me.id for user in message.mentions) or (
            isinstance(replied, discord.Message) and replied.author.id == me.id
        )
        text = re.sub(rf"<@!?{me.id}>", " ", message.content).strip()
        command, args = split_command(text)
        request = Request(
            chat=chat_ref(message.channel.id),
            user_id=str(message.author.id),
            text=text,
            command=command,
            args=args,
            chat_kind=chat_kind(message.guild.id if message.guild else None, message.channel),
            chat_title=chat_title(message.channel),
            is_admin=dm or member_can_manage(message),
            addressed=dm or mentioned,
            progress=TypingOnce(message.channel),
            reply_to=replied_message(replied, me.id),
        )
        return request if may_want_answer(request) else None

    async def _answer_message(
        self, message: discord.Message, request: Request, replies: list[Reply]
    ) -> None:
        info = await self.services.chats.get_chat(request.chat)
        target: discord.abc.Messageable = message.channel
        reference: discord.Message | None = message
        if info is not None and info.settings.reply_in_thread and message.guild is not None:
            try:
                target = await message.create_thread(name=thread_name(replies))
                reference = None
            except UNREACHABLE:
                raise
            except discord.HTTPException:
                log.info("discord: cannot open a thread in %s, replying instead", request.chat)
        for reply in replies:
            if reply.toast and not (reply.text or reply.summary):
                reply = Reply(text=reply.toast)
            await send_rendered(target, reply, reference=reference)
            reference = None


class TypingOnce:
    """Progress callback for plain messages: show "typing…" once when slow work starts."""

    def __init__(self, channel: discord.abc.Messageable) -> None:
        self.channel = channel
        self.done = False

    async def __call__(self, _status: str) -> None:
        if self.done:
            return
        self.done = True
        with contextlib.suppress(discord.HTTPException):
            await self.channel.typing()


def replied_message(replied: object, bot_id: int) -> RepliedMessage | None:
    """The message replied to (`message.reference.resolved`, sent by the gateway as
    `referenced_message`), with its buttons' custom ids and its embeds' text: our summaries
    and answers name their paper there."""
    if not isinstance(replied, discord.Message):
        return None
    actions = tuple(
        child.custom_id
        for row in replied.components
        for child in getattr(row, "children", ())
        if isinstance(getattr(child, "custom_id", None), str)
    )
    texts = [replied.content]
    for embed in replied.embeds:
        texts += [embed.title or "", embed.description or "", embed.footer.text or ""]
        texts += [f"{field.name} {field.value}" for field in embed.fields]
    text = "\n".join(t for t in texts if t)
    return RepliedMessage(str(replied.id), replied.author.id == bot_id, text, actions)


def split_command(text: str) -> tuple[str | None, str]:
    """A DM typed as `/paper 2401.12215` (not through the slash UI) still works."""
    parsed = parse_command(text)
    if parsed is not None and parsed.target is None and parsed.name in COMMANDS:
        return parsed.name, parsed.args
    return None, ""


def chat_kind(guild_id: int | None, channel: object) -> ChatKind:
    if guild_id is not None:
        return ChatKind.CHANNEL
    if isinstance(channel, discord.GroupChannel):
        return ChatKind.GROUP
    return ChatKind.PRIVATE


def chat_title(channel: object) -> str | None:
    guild = getattr(channel, "guild", None)
    name = getattr(channel, "name", None)
    if guild is None or not name:
        return None
    return f"{guild.name} #{name}"[:200]


def can_manage(permissions: discord.Permissions) -> bool:
    return permissions.administrator or permissions.manage_channels


def member_can_manage(message: discord.Message) -> bool:
    author = message.author
    if not isinstance(author, discord.Member) or not hasattr(message.channel, "permissions_for"):
        return False
    return can_manage(message.channel.permissions_for(author))


def thread_name(replies: list[Reply]) -> str:
    for reply in replies:
        if reply.summary is not None:
            return (reply.summary.record.title_zh or reply.summary.paper.title)[:100]
    return THREAD_NAME
