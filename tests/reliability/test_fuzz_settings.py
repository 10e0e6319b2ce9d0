"""Fuzzing `/settings` through dispatch and `load_settings` over random environments."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import AliasChoices

from bot.config import ConfigError, Settings, load_settings
from bot.config_messages import HEADER
from handlers.ports import ChatSettings
from handlers.registry import dispatch
from handlers.settings import SETTINGS
from handlers.types import ChatKind, ChatRef, Request
from tests.fakes.services import MemoryChats, fake_services

FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHAT = ChatRef("telegram", "-100123")

WORDS = st.sampled_from(
    [*SETTINGS, "LINKS", "链接", "on", "off", "开", "关", "yes", "0", "1", "09:30", "24:00",
     "9.05", "２１：３０", "Asia/Shanghai", "北京", "utc", "../../etc/passwd", "Europe/Berlin",
     "0", "50", "51", "-1", "１０", "full", "完整", "condensed", "'; DROP TABLE chats;--", "\u202e",
     "\x00", "999999999999999999999"]
)  # fmt: skip
ARGS = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(WORDS, st.text(max_size=6)), max_size=5).map(" ".join),
)


async def run_settings(
    args: str, kind: ChatKind, is_admin: bool
) -> tuple[str, ChatSettings, ChatSettings]:
    services = fake_services()
    request = Request(
        chat=CHAT, user_id="42", command="settings", args=args, chat_kind=kind, is_admin=is_admin,
        text=f"/settings {args}",
    )  # fmt: skip
    chats = services.chats
    assert isinstance(chats, MemoryChats)
    await chats.upsert_chat(CHAT, kind, "群")
    before = (await chats.get_chat(CHAT)).settings  # type: ignore[union-attr]
    [reply] = await dispatch(request, services)
    after = (await chats.get_chat(CHAT)).settings  # type: ignore[union-attr]
    return reply.text, before, after


@FUZZ
@given(ARGS, st.sampled_from(list(ChatKind)), st.booleans())
def test_settings_command_answers_in_chinese_and_stores_only_valid_values(
    args: str, kind: ChatKind, is_admin: bool
) -> None:
    text, before, after = asyncio.run(run_settings(args, kind, is_admin))
    assert text.strip()
    assert len(text) < 2000
    # what is stored is always a valid ChatSettings document
    assert ChatSettings.model_validate(after.model_dump(mode="json")) == after
    if kind is not ChatKind.PRIVATE and not is_admin:
        assert after == before
    if after != before:
        assert text.startswith("✅"), text
        changed = [f for f in ChatSettings.model_fields if getattr(after, f) != getattr(before, f)]
        assert len(changed) == 1
    if not text.startswith("✅"):
        assert after == before


def _env_names() -> list[str]:
    names = []
    for info in Settings.model_fields.values():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names += [str(choice) for choice in alias.choices]
    return names


ENV_NAMES = _env_names()
ENV_VALUE = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=40),
    st.sampled_from(["", " ", "0", "-1", "1e309", "nan", "inf", "true", "maybe", "http://", "https://x",
                     "sqlite:///", "postgresql://u:p@h/db", "mysql://x", "gemini", "openai", "auto",
                     "DEBUG", "json", "99999999999999999999", "cs", "physics", "Asia/Shanghai"]),
)  # fmt: skip


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


@FUZZ
@given(st.dictionaries(st.sampled_from(ENV_NAMES), ENV_VALUE, max_size=8))
def test_load_settings_gives_settings_or_a_config_error(values: dict[str, str]) -> None:
    with environment(values):
        try:
            loaded = load_settings()
        except ConfigError as exc:
            message = str(exc)
            assert message.startswith(HEADER)
            assert any(name in message for name in values)  # names the variable to fix
            for line in message.splitlines():  # each bad value: its variable and an example
                if line.startswith("- ") and "=" in line.split("：")[0]:
                    variable = line[2:].split("=", 1)[0]
                    assert variable in values, line
                    assert f"例如：{variable}=" in line or " 需要 " in line, line
        else:
            assert isinstance(loaded, Settings)
            loaded.secrets()
            _ = loaded.resolved_provider
