"""The privacy statement (/help and README) is true: every stored column is accounted for,
and each kind of data about a chat or a person is named in the statement."""

from __future__ import annotations

from pathlib import Path

from handlers.help import PRIVACY, help_text
from storage.chat_keyed import CHAT_KEYED  # noqa: F401  (imports every table module)
from storage.metadata import metadata

ROOT = Path(__file__).resolve().parents[2]
CHAT_ID = "聊天编号"
KIND_TITLE = "聊天类型和群名"
SETTINGS = "设置与订阅"
DIGEST = "每日速递的发送记录"
USAGE = "你让我总结的论文编号"
VOTER = "投票者的用户编号"
QA = "你就论文向我提出的问题和我的回答"
LIKED = "这个聊天标记喜欢或问过的论文编号"
# arXiv's own data, the bot's bookkeeping: nothing about a chat or a person.
PUBLIC: str | None = None

BOOKKEEPING = {"id": PUBLIC, "created_at": PUBLIC, "updated_at": PUBLIC}
CHAT = {"platform": CHAT_ID, "chat_id": CHAT_ID}
INVENTORY: dict[str, dict[str, str | None]] = {
    "chats": BOOKKEEPING | CHAT | {
        "kind": KIND_TITLE, "title": KIND_TITLE, "active": SETTINGS, "inactive_reason": SETTINGS,
        "settings": SETTINGS,
    },
    "subscriptions": BOOKKEEPING | CHAT | {"kind": SETTINGS, "raw": SETTINGS, "topic": SETTINGS},
    "feedback": BOOKKEEPING | CHAT | {
        "user_id": VOTER, "arxiv_id": VOTER, "value": VOTER, "at": VOTER,
    },
    "digest_state": BOOKKEEPING | CHAT | {"last_digest_day": DIGEST},
    "deliveries": BOOKKEEPING | CHAT | dict.fromkeys((
        "day", "part", "kind", "arxiv_id", "payload", "status", "attempts", "next_attempt_at",
        "owner", "sending_since", "message_ids", "error",
    ), DIGEST),
    "sent_papers": BOOKKEEPING | CHAT | {"arxiv_id": DIGEST, "day": DIGEST},
    "qa_turns": BOOKKEEPING | CHAT | dict.fromkeys(("thread", "arxiv_id", "question", "answer"), QA),
    "usage": BOOKKEEPING | {
        "chat": CHAT_ID, "arxiv_id": USAGE, "at": USAGE, "provider": PUBLIC, "model": PUBLIC,
        "mode": PUBLIC, "input_tokens": PUBLIC, "output_tokens": PUBLIC, "cost_usd": PUBLIC,
        "ok": PUBLIC,
    },
    "chat_interests": {"id": PUBLIC, "platform": CHAT_ID, "chat_id": CHAT_ID, "arxiv_id": LIKED,
                       "source": LIKED, "at": LIKED},
    # arXiv metadata, summaries, full text and embeddings: shared by every chat, about no chat.
    "paper_embeddings": BOOKKEEPING | dict.fromkeys(("arxiv_id", "model", "dim", "vector"), PUBLIC),
    "papers": dict.fromkeys((
        "id", "arxiv_id", "version", "title", "authors", "abstract", "categories",
        "primary_category", "published", "updated", "comment", "journal_ref", "doi", "fetched_at",
    ), PUBLIC),
    "summaries": BOOKKEEPING | dict.fromkeys((
        "arxiv_id", "version", "mode", "language", "provider", "model", "prompt_version", "status",
        "payload", "reads",
    ), PUBLIC),
    "fulltexts": dict.fromkeys((
        "id", "arxiv_id", "version", "source", "payload", "chars", "note", "fetched_at",
    ), PUBLIC),
    "paper_images": BOOKKEEPING | dict.fromkeys((
        "arxiv_id", "version", "position", "kind", "ext", "page", "caption", "data",
    ), PUBLIC),
    "digest_announcements": dict.fromkeys((
        "id", "day", "categories", "paper_ids", "entries", "fetched_at", "planner", "planning_until",
    ), PUBLIC),
}  # fmt: skip


def test_every_stored_column_is_accounted_for() -> None:
    """A new table or column fails here until someone decides what it reveals (and, if it is
    about a chat or a person, says so in PRIVACY and the README)."""
    stored = {t.name: set(t.c.keys()) for t in metadata.sorted_tables}
    assert set(stored) == set(INVENTORY)
    unlisted = {name: columns - set(INVENTORY[name]) for name, columns in stored.items()}
    assert not {name: columns for name, columns in unlisted.items() if columns}


def test_the_statement_names_every_kind_of_personal_data() -> None:
    kinds = {kind for columns in INVENTORY.values() for kind in columns.values() if kind}
    for kind in kinds:
        assert kind in PRIVACY, kind
    assert "/forget" in PRIVACY
    assert PRIVACY in help_text()


def test_the_readme_says_the_same() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Privacy", 1)[1].split("\n## ", 1)[0]
    for words in ("chat id", "group title", "settings", "subscriptions", "digest", "user id",
                  "👍/👎", "arXiv ids", "questions about papers", "/forget", "message"):  # fmt: skip
        assert words in section, words
    assert "only the chat id" not in readme and "never other message contents" not in readme
