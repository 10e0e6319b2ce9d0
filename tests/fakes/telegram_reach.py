"""The Bot API methods and updates paperbot uses for reach and streaming (issue 17), mixed into
FakeTelegram: drafts, inline and guest queries, inline-message edits, channels and getChat.

Request and response shapes follow core.telegram.org/bots/api (Bot API 10.0, checked
2026-12-01 against python-telegram-bot 22.8's methods): sendMessageDraft -> True;
answerInlineQuery -> True; answerGuestQuery -> SentGuestMessage {inline_message_id};
editMessageText with inline_message_id -> True; getChat -> ChatFullInfo; updates
`inline_query`, `chosen_inline_result`, `channel_post`, `guest_message`.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

USER_ID = 111222333


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


class _Host:
    """What the mixins use of FakeTelegram."""

    chats: dict[int, dict[str, Any]]
    _ids: itertools.count[int]

    def _set_text(self, message: dict[str, Any], params: dict[str, Any]) -> None:
        raise NotImplementedError

    def push_update(self, update: dict[str, Any]) -> int:
        raise NotImplementedError


class ReachApi(_Host):
    def __init__(self) -> None:
        self.drafts: dict[tuple[int, int], list[str]] = {}  # (chat, draft_id) -> texts shown
        self.inline_answers: dict[str, dict[str, Any]] = {}  # inline_query_id -> answer
        self.inline_messages: dict[str, dict[str, Any]] = {}  # inline_message_id -> message
        self.inline_edits: list[str] = []
        self.guest_answers: dict[str, str] = {}  # guest_query_id -> inline_message_id

    async def api_sendMessageDraft(self, params: dict[str, Any]) -> Any:
        """sendMessageDraft(chat_id, draft_id, text 0-4096, parse_mode, entities,
        message_thread_id) -> True. The draft is an ephemeral preview, never a message; only
        private chats (`chat_id` > 0) have drafts."""
        chat_id, draft_id = int(params["chat_id"]), int(params.get("draft_id") or 0)
        if chat_id <= 0:
            raise ApiError(400, "Bad Request: drafts can be sent only to private chats")
        if draft_id == 0:
            raise ApiError(400, "Bad Request: draft_id must be non-zero")
        preview: dict[str, Any] = {}
        self._set_text(preview, {**params, "text": params.get("text") or "…"})
        self.drafts.setdefault((chat_id, draft_id), []).append(preview["text"])
        return True

    async def api_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        """answerInlineQuery(inline_query_id, results[≤50], cache_time, is_personal, ...)."""
        results = params.get("results") or []
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            content = result.get("input_message_content") or {}
            self._set_text({}, {**content, "text": content.get("message_text", "")})
        self.inline_answers[str(params["inline_query_id"])] = dict(params)
        return True

    async def api_answerGuestQuery(self, params: dict[str, Any]) -> Any:
        """answerGuestQuery(guest_query_id, result: InlineQueryResult) -> SentGuestMessage:
        the bot's message is posted into the chat where it was summoned as a guest."""
        result = params["result"]
        content = result.get("input_message_content") or {}
        message: dict[str, Any] = {}
        self._set_text(
            message,
            {**content, "text": content.get("message_text", ""),
             "reply_markup": result.get("reply_markup")},
        )  # fmt: skip
        inline_id = f"guest-{next(self._ids)}"
        self.inline_messages[inline_id] = message
        self.guest_answers[str(params["guest_query_id"])] = inline_id
        return {"inline_message_id": inline_id}

    async def api_getChat(self, params: dict[str, Any]) -> Any:
        """getChat(chat_id: id or @username) -> ChatFullInfo (the fields PTB 22.8 requires)."""
        wanted = str(params["chat_id"])
        chat = next(
            (c for c in self.chats.values()
             if wanted in (str(c["id"]), f"@{c.get('username', '')}")),
            None,
        )  # fmt: skip
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                        "unique_gifts": False, "premium_subscription": False,
                                        "gifts_from_channels": False}}  # fmt: skip


class ReachUpdates(_Host):
    """Test controls: channels, and pushing the new kinds of updates."""

    inline_answers: dict[str, dict[str, Any]]
    inline_messages: dict[str, dict[str, Any]]

    def channel(self, chat_id: int, username: str, title: str) -> dict[str, Any]:
        """A channel (ids below -100…): `self.members[(chat_id, user)]` says who administers it."""
        chat = {"id": chat_id, "type": "channel", "title": title, "username": username}
        self.chats[chat_id] = chat
        return chat

    def push_channel_post(self, chat_id: int, text: str) -> int:
        """A post in a channel: `sender_chat` is the channel, no `from` (unsigned)."""
        chat = self.chats[chat_id]
        post: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()), "chat": chat,
            "sender_chat": chat, "text": text,
        }  # fmt: skip
        if text.startswith("/"):
            length = len(text.split()[0])
            post["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.push_update({"channel_post": post})

    def push_inline_query(
        self, query: str, user_id: int = USER_ID, chat_type: str = "private"
    ) -> int:
        user = {"id": user_id, "is_bot": False, "first_name": "Ada"}
        inline = {"id": f"iq{next(self._ids)}", "from": user, "query": query, "offset": "",
                  "chat_type": chat_type}  # fmt: skip
        return self.push_update({"inline_query": inline})

    def push_chosen_inline_result(self, result_id: str, query: str, user_id: int = USER_ID) -> str:
        """The user picked result `result_id`; it carries `inline_message_id` only when the
        result had an inline keyboard (Bot API: chosen_inline_result)."""
        inline_id = f"inline-{next(self._ids)}"
        answer = next(reversed(self.inline_answers.values()), {})
        picked = next((r for r in answer.get("results", []) if r["id"] == result_id), {})
        content = picked.get("input_message_content") or {}
        self.inline_messages[inline_id] = {"text": content.get("message_text", ""),
                                           "reply_markup": picked.get("reply_markup")}  # fmt: skip
        user = {"id": user_id, "is_bot": False, "first_name": "Ada"}
        chosen = {"result_id": result_id, "from": user, "query": query,
                  "inline_message_id": inline_id}  # fmt: skip
        self.push_update({"chosen_inline_result": chosen})
        return inline_id

    def push_guest_message(self, text: str, chat_id: int = -1009876543210) -> str:
        """Bot API 10.0 guest mode: a user mentioned the bot in a chat it is not a member of;
        the update's message carries `guest_query_id` for answerGuestQuery."""
        query_id = f"gq{next(self._ids)}"
        chat = self.chats.get(chat_id) or {"id": chat_id, "type": "supergroup", "title": "读书会"}
        user = {"id": USER_ID, "is_bot": False, "first_name": "Ada"}
        message = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat,
                   "from": user, "text": text, "guest_query_id": query_id}  # fmt: skip
        self.push_update({"guest_message": message})
        return query_id
