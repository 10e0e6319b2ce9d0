"""pytest plugin: a fake Telegram Bot API on 127.0.0.1 (aiohttp) that records every call,
queues updates for getUpdates, validates HTML as strictly as Telegram, counts length in UTF-16
code units, enforces the broadcast limits (429) and injects faults per method."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from tests.fakes.telegram_reach import ApiError, ReachApi, ReachUpdates

TOKEN = "7012345678:AAH4fakeTokenForTests_only-0123456789abcdef"
BOT_ID = 7012345678
BOT_USERNAME = "paperbot_test_bot"
USER_ID = 111222333
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "paperbot", "username": BOT_USERNAME}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
ALLOWED_TAGS |= {"blockquote", "tg-spoiler", "span", "tg-emoji"}
RAW_TEXT_KEYS = {"text", "caption", "callback_query_id", "parse_mode", "url", "secret_token"}
ADMIN_RIGHTS = dict.fromkeys(
    ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
     "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info",
     "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories"),
    False,
)  # fmt: skip
TRUE_METHODS = {"deleteWebhook", "sendChatAction", "answerCallbackQuery", "setMyCommands"}


# Bot API "Formatting options", HTML style (checked 2026-12-01, core.telegram.org/bots/api,
# quoted in the Bot API changelog): only the tags below; "All <, > and & symbols that are not a
# part of a tag or an HTML entity must be replaced with the corresponding HTML entities"; named
# entities only &lt; &gt; &amp; &quot;, all numeric ones; <span> only with class="tg-spoiler";
# <tg-emoji> needs emoji-id; a language class on <code> only inside <pre>.
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MAX_TEXT_UTF16 = 4096  # "1-4096 characters after entities parsing": Telegram counts UTF-16


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte(text: str, index: int) -> int:
    return len(text[:index].encode())


def _tag_error(text: str, at: int, closing: bool, tag: str, attrs: dict[str, str],
               stack: list[tuple[str, dict[str, str]]]) -> str | None:  # fmt: skip
    if closing:
        if not stack or stack[-1][0] != tag:
            return f'Unmatched end tag at byte offset {_byte(text, at)}, expected "</{stack[-1][0] if stack else ""}>", found "</{tag}>"'
        return None
    if tag not in ALLOWED_TAGS:
        return f'Unsupported start tag "{tag}" at byte offset {_byte(text, at)}'
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        return f'Unsupported start tag "span" at byte offset {_byte(text, at)}'
    if tag == "tg-emoji" and "emoji-id" not in attrs:
        return f"Custom emoji entity must have an emoji-id at byte offset {_byte(text, at)}"
    if tag == "code" and "class" in attrs and not (stack and stack[-1][0] == "pre"):
        return f"Programming language can't be specified for code at byte offset {_byte(text, at)}"
    return None


def html_errors(text: str) -> tuple[list[str], str]:
    """Parse `text` the way Telegram's HTML mode does: unknown, unbalanced or malformed tags,
    a bare `<`, `>` or `&`, an unknown named entity are errors. Returns (errors, the text left
    once tags are removed and entities decoded)."""
    stack: list[tuple[str, dict[str, str]]] = []
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if m is None:
                return [f'Unsupported start tag "" at byte offset {_byte(text, i)}'], ""
            closing, tag = m.group(1) == "/", m.group(2).lower()
            attrs = {
                a.group(1).lower(): a.group(2) or a.group(3) or ""
                for a in _ATTR.finditer(m.group(3))
            }
            error = _tag_error(text, i, closing, tag, attrs, stack)
            if error:
                return [error], ""
            if closing:
                stack.pop()
            else:
                stack.append((tag, attrs))
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if m is None:
                return [
                    f"Can't find end of the entity starting at byte offset {_byte(text, i)}"
                ], ""
            named, dec, hexa = m.groups()
            out.append(_NAMED[named] if named else chr(int(dec) if dec else int(hexa, 16)))
            i = m.end()
        elif ch == ">":
            return [f"Unexpected end of name token at byte offset {_byte(text, i)}"], ""
        else:
            out.append(ch)
            i += 1
    if stack:
        return [f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"'], ""
    return [], "".join(out)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Fault:
    error: ApiError
    times: int
    chat_id: int | None = None


@dataclass
class Stall:
    """Hold the next `times` calls `seconds` before answering; `seconds=None` drops them.
    `after`: carry the call out first (the message exists), then stall or drop the answer."""

    seconds: float | None
    times: int
    chat_id: int | None = None
    after: bool = False


GLOBAL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
LIMITED = {"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage"}


class FakeTelegram(ReachApi, ReachUpdates):
    """The Bot API as PTB sees it at `base_url`. Tests push updates and inspect `calls`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.delivered_at: dict[int, float] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.stalls: dict[str, list[Stall]] = {}
        self.webhook: dict[str, Any] = {}
        # Broadcast limits (Bot FAQ "My bot is hitting limits", checked 2026-12-01): about 30
        # messages per second overall, at most 20 messages per minute to one group; beyond
        # them a 429 with `retry_after`. `limits=False` turns the check off.
        self.limits = True
        self.clock: Callable[[], float] = time.monotonic  # a test may share its fake time
        self.rejected = 0
        self._sent_window: deque[float] = deque()
        self._group_windows: dict[int, deque[float]] = {}
        ReachApi.__init__(self)
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._closing = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(
            app, shutdown_timeout=0.5, handler_cancellation=True, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._closing = True
        await self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    # test API ------------------------------------------------------------------------
    def chat(self, chat_id: int, chat_type: str = "private", title: str | None = None) -> dict:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Ada"
        else:
            chat["title"] = title or "Paper Club"
        self.chats[chat_id] = chat
        return chat

    def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        task = asyncio.get_running_loop().create_task(self._notify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return update_id

    def message(
        self,
        text: str,
        *,
        chat_id: int = USER_ID,
        chat_type: str = "private",
        user_id: int = USER_ID,
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
        sender_chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`reply_to`: a message the bot sent (from `self.messages`), quoted as Telegram
        quotes it: the whole Message with its reply_markup, without its own reply_to_message."""
        chat = self.chats.get(chat_id) or self.chat(chat_id, chat_type)
        user = {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "zh-hans"}
        msg: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if entities:
            msg["entities"] = entities
        if sender_chat:
            msg["sender_chat"] = sender_chat
        if reply_to_bot:
            msg["reply_to_message"] = {
                "message_id": next(self._ids), "date": int(time.time()), "chat": chat,
                "from": BOT_USER, "text": "📄 earlier answer",
            }  # fmt: skip
        if reply_to is not None:
            msg["reply_to_message"] = {k: v for k, v in reply_to.items() if k != "reply_to_message"}
        return msg

    def push_message(self, text: str, **kwargs: Any) -> int:
        return self.push_update({"message": self.message(text, **kwargs)})

    def push_callback(
        self, data: str, message: dict[str, Any], *, user_id: int = USER_ID
    ) -> tuple[int, str]:
        query_id = f"cq{next(self._ids)}"
        user = {"id": user_id, "is_bot": False, "first_name": "Ada"}
        query = {
            "id": query_id, "from": user, "chat_instance": "ci1", "data": data, "message": message,
        }  # fmt: skip
        return self.push_update({"callback_query": query}), query_id

    def push_my_chat_member(self, chat_id: int, chat_type: str, old: str, new: str) -> int:
        chat = self.chats.get(chat_id) or self.chat(chat_id, chat_type)
        user = {"id": USER_ID, "is_bot": False, "first_name": "Ada"}
        member = {
            "chat": chat, "from": user, "date": int(time.time()),
            "old_chat_member": {"status": old, "user": BOT_USER},
            "new_chat_member": {"status": new, "user": BOT_USER},
        }  # fmt: skip
        for key in ("old_chat_member", "new_chat_member"):
            if member[key]["status"] == "kicked":
                member[key]["until_date"] = 0
        return self.push_update({"my_chat_member": member})

    def fail(
        self, method: str, code: int, description: str, *, parameters: dict[str, Any] | None = None,
        times: int = 1, chat_id: int | None = None,
    ) -> None:  # fmt: skip
        """Answer the next `times` calls of `method` (for `chat_id`, if given) with an error."""
        fault = Fault(ApiError(code, description, parameters), times, chat_id)
        self.faults.setdefault(method, []).append(fault)

    def fail_429(self, method: str, retry_after: int = 1, **kw: Any) -> None:
        desc = f"Too Many Requests: retry after {retry_after}"
        self.fail(method, 429, desc, parameters={"retry_after": retry_after}, **kw)

    def fail_403(self, method: str, **kw: Any) -> None:
        self.fail(method, 403, "Forbidden: bot was blocked by the user", **kw)

    def fail_parse(self, method: str, **kw: Any) -> None:
        desc = 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0'
        self.fail(method, 400, desc, **kw)

    def fail_migrate(self, method: str, new_chat_id: int, **kw: Any) -> None:
        desc = "Bad Request: group chat was upgraded to a supergroup chat"
        self.fail(method, 400, desc, parameters={"migrate_to_chat_id": new_chat_id}, **kw)

    def delay(
        self, method: str, seconds: float, *, times: int = 1, chat_id: int | None = None
    ) -> None:
        """Answer the next `times` calls of `method` (for `chat_id`, if given) only after
        `seconds` (a client that times out first closes the connection: the call is then not
        carried out)."""
        self.stalls.setdefault(method, []).append(Stall(seconds, times, chat_id))

    def drop(self, method: str, *, times: int = 1, chat_id: int | None = None) -> None:
        """Close the connection of the next `times` calls of `method` without an answer (the
        call is not carried out)."""
        self.stalls.setdefault(method, []).append(Stall(None, times, chat_id))

    def lose_response(
        self, method: str, *, times: int = 1, chat_id: int | None = None, hold: float | None = None
    ) -> None:
        """Carry out the next `times` calls of `method` (the message is sent), then lose the
        answer: close the connection (`hold=None`) or answer only after `hold` seconds, after
        the client gave up. Real Telegram does this under load: the bot cannot tell."""
        self.stalls.setdefault(method, []).append(Stall(hold, times, chat_id, after=True))

    def stored_texts(self, chat_id: int) -> list[str]:
        """The texts of the messages that exist in a chat now (as Telegram shows them)."""
        return [m["text"] for (chat, _), m in self.messages.items() if chat == chat_id]

    def calls_of(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    def sent_texts(self) -> list[str]:
        return [str(c.params.get("text")) for c in self.calls_of("sendMessage", "editMessageText")]

    async def wait_for(
        self, method: str, count: int = 1, within: float = 5.0,
        where: Callable[[Call], bool] = lambda call: True,
    ) -> list[Call]:  # fmt: skip
        """Wait until `count` calls of `method` (matching `where`) were recorded."""

        def matching() -> list[Call]:
            return [c for c in self.calls_of(method) if where(c)]

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no call arrived for `quiet` seconds (to assert that nothing was sent)."""
        seen = -1
        while seen != len(self.calls):
            seen = len(self.calls)
            await asyncio.sleep(quiet)

    async def post_webhook(self, update: dict[str, Any], secret: str | None) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        body = {"update_id": next(self._update_ids), **update}
        async with httpx.AsyncClient() as client:
            response = await client.post(self.webhook["url"], json=body, headers=headers)
        return response.status_code

    # the API -------------------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return web.json_response(body, status=401)
        params = {key: _decode(key, value) for key, value in (await request.post()).items()}
        self.calls.append(Call(method, params))
        self._spawn(self._notify())  # no await here: nothing may cancel a received call
        stall = self._take_stall(method, params)
        if stall is not None and not stall.after:
            if stall.seconds is None:
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            await asyncio.sleep(stall.seconds)  # `delay`: a client gone by now cancels the call
        if method == "getUpdates":  # a long poll ends with its client
            return await self._carry_out(method, params)
        # Received in full: Telegram carries it out even if the client dies meanwhile.
        response = await asyncio.shield(self._carry_out(method, params))
        if stall is not None and stall.after:
            if stall.seconds is None:
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            await asyncio.sleep(stall.seconds)
        return response

    async def _carry_out(self, method: str, params: dict[str, Any]) -> web.Response:
        try:
            self._inject_fault(method, params)
            self._enforce_limits(method, params)
            handler = getattr(self, f"api_{method}", None)
            if method in TRUE_METHODS:
                result: Any = True
            elif handler is None:
                raise ApiError(404, "Not Found: method not found")
            else:
                result = await handler(params)
        except ApiError as exc:
            body: dict[str, Any] = {"ok": False, "error_code": exc.code}
            body["description"] = exc.description
            if exc.parameters:
                body["parameters"] = exc.parameters
            return web.json_response(body, status=exc.code)
        return web.json_response({"ok": True, "result": result})

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _take_stall(self, method: str, params: dict[str, Any]) -> Stall | None:
        for stall in self.stalls.get(method, []):
            if stall.times > 0 and stall.chat_id in (None, params.get("chat_id")):
                stall.times -= 1
                return stall
        return None

    def _enforce_limits(self, method: str, params: dict[str, Any]) -> None:
        if not self.limits or method not in LIMITED:
            return
        now = self.clock()
        window = self._sent_window
        while window and window[0] <= now - 1.0:
            window.popleft()
        chat_id = int(params.get("chat_id") or 0)
        group = self._group_windows.setdefault(chat_id, deque()) if chat_id < 0 else None
        while group and group[0] <= now - 60.0:
            group.popleft()
        wait = 0.0
        if len(window) >= GLOBAL_PER_SECOND:
            wait = window[0] + 1.0 - now
        if group is not None and len(group) >= GROUP_PER_MINUTE:
            wait = max(wait, group[0] + 60.0 - now)
        if wait > 0:
            self.rejected += 1
            retry = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        window.append(now)
        if group is not None:
            group.append(now)

    def _inject_fault(self, method: str, params: dict[str, Any]) -> None:
        for fault in self.faults.get(method, []):
            if fault.times > 0 and fault.chat_id in (None, params.get("chat_id")):
                fault.times -= 1
                raise fault.error

    async def api_getMe(self, params: dict[str, Any]) -> Any:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False}

    async def api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and not self._closing:
            timeout = float(params.get("timeout") or 0)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout), self._changed:
                    await self._changed.wait_for(lambda: bool(self.updates) or self._closing)
        batch = self.updates[: int(params.get("limit") or 100)]
        now = time.perf_counter()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    async def api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": self.chats.get(chat_id) or self.chat(chat_id, _kind(chat_id)),
            "from": BOT_USER,
        }  # fmt: skip
        self._set_text(message, params)
        self.messages[(chat_id, message["message_id"])] = message
        return message

    async def api_editMessageText(self, params: dict[str, Any]) -> Any:
        if params.get("inline_message_id"):  # an inline / guest message: answers True
            inline = self.inline_messages.get(str(params["inline_message_id"]))
            if inline is None:
                raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
            self._set_text(inline, params)
            self.inline_edits.append(str(params["inline_message_id"]))
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        message = dict(self.messages[key])
        self._set_text(message, params)
        old = self.messages[key]
        if (old["text"], old.get("reply_markup")) == (message["text"], message.get("reply_markup")):
            raise ApiError(400, "Bad Request: message is not modified")
        self.messages[key] = message
        return message

    async def api_deleteMessage(self, params: dict[str, Any]) -> Any:
        self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
        return True

    async def api_getChatMember(self, params: dict[str, Any]) -> Any:
        user_id = int(params["user_id"])
        status = self.members.get((int(params["chat_id"]), user_id), "member")
        member: dict[str, Any] = {"status": status, "user": {"id": user_id, "is_bot": False}}
        member["user"]["first_name"] = "Ada"
        if status == "administrator":
            member |= ADMIN_RIGHTS
        if status == "creator":
            member["is_anonymous"] = False
        return member

    async def api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    def _set_text(self, message: dict[str, Any], params: dict[str, Any]) -> None:
        text = str(params.get("text", ""))
        if params.get("parse_mode") == "HTML":
            errors, text = html_errors(text)
            if errors:
                raise ApiError(400, f"Bad Request: can't parse entities: {errors[0]}")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_UTF16:
            raise ApiError(400, "Bad Request: message is too long")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message["text"] = text
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)


def _kind(chat_id: int) -> str:
    return "private" if chat_id > 0 else "supergroup"


def _decode(key: str, value: Any) -> Any:
    """PTB form-encodes strings as-is and JSON-encodes everything else."""
    if key in RAW_TEXT_KEYS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


@asynccontextmanager
async def fake_telegram(token: str = TOKEN) -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(token)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@asynccontextmanager
async def running_platform(
    server: FakeTelegram, services: Any = None, **overrides: Any
) -> AsyncIterator[Any]:
    """A real TelegramPlatform (PTB Application) polling `server`, with fake services."""
    from bot.config import Settings
    from bot.telegram.platform import TelegramPlatform
    from tests.fakes.services import fake_services

    options = {"poll_timeout": overrides.pop("poll_timeout", 2)}
    passed = ("webhook_listen", "rate_limiter", "read_timeout")
    options |= {k: overrides.pop(k) for k in passed if k in overrides}
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=overrides.pop("telegram_bot_token", server.token),
        telegram_api_url=server.url,
        **overrides,
    )
    platform = TelegramPlatform(settings, services or fake_services(), **options)
    await platform.start()
    try:
        yield platform
    finally:
        await platform.stop()


@pytest.fixture
async def telegram_server() -> AsyncIterator[FakeTelegram]:
    async with fake_telegram() as server:
        yield server


@pytest.fixture
async def telegram_bot(telegram_server: FakeTelegram) -> AsyncIterator[Any]:
    """A started TelegramPlatform on `telegram_server` with `fake_services()`;
    the services are at `telegram_bot.services`."""
    async with running_platform(telegram_server) as platform:
        yield platform
