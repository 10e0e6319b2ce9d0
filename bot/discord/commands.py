"""Discord application commands built from the shared registry, plus the message context menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from handlers.command import Command

CONTEXT_MENU_NAME = "总结这篇论文"
# A user-installable app (discord.py 2.4+ `allowed_installs` / `allowed_contexts`, Discord's
# `integration_types` 0 guild / 1 user and `contexts` 0 guild / 1 bot DM / 2 private channel):
# reading papers works wherever the user is, DMs and group DMs included, even in servers
# without the bot. Commands that change what a chat receives stay with server installs: a
# digest can only be delivered where the bot itself is.
EVERYWHERE = {"paper", "help", "start"}
USER_OR_SERVER = app_commands.AppInstallationType(guild=True, user=True)
SERVER_ONLY = app_commands.AppInstallationType(guild=True)
ANY_CHAT = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
SERVER_OR_BOT_DM = app_commands.AppCommandContext(guild=True, dm_channel=True)

RunCommand = Callable[[discord.Interaction[Any], str, str], Awaitable[None]]
RunMessage = Callable[[discord.Interaction[Any], discord.Message], Awaitable[None]]


def slash_command(command: Command, run: RunCommand) -> app_commands.Command[Any, Any, None]:
    """One slash command: Chinese description, and the registry's single string option (if
    any) named `arg_name`. discord.py reads options from the callback's signature, so the
    parameter is called `arg` and renamed."""
    name = command.name

    if command.arg_name is None:

        async def bare(interaction: discord.Interaction[Any]) -> None:
            await run(interaction, name, "")

        callback: Any = bare
    elif command.arg_required:

        async def required(interaction: discord.Interaction[Any], arg: str) -> None:
            await run(interaction, name, arg)

        callback = required
    else:

        async def optional(interaction: discord.Interaction[Any], arg: str | None = None) -> None:
            await run(interaction, name, arg or "")

        callback = optional

    if command.arg_name is not None:
        callback = app_commands.rename(arg=command.arg_name)(callback)
        description = (command.arg_description or command.arg_name)[:100]
        callback = app_commands.describe(arg=description)(callback)
    everywhere = command.name in EVERYWHERE
    return app_commands.Command(
        name=command.name,
        description=command.description[:100],
        callback=callback,
        allowed_installs=USER_OR_SERVER if everywhere else SERVER_ONLY,
        allowed_contexts=ANY_CHAT if everywhere else SERVER_OR_BOT_DM,
    )


def context_menu(run: RunMessage) -> app_commands.ContextMenu:
    """Right-click a message → Apps → 总结这篇论文. The target message's content comes with
    the interaction, so this works without the message-content intent."""

    async def summarize(interaction: discord.Interaction[Any], message: discord.Message) -> None:
        await run(interaction, message)

    return app_commands.ContextMenu(
        name=CONTEXT_MENU_NAME,
        callback=summarize,
        allowed_installs=USER_OR_SERVER,
        allowed_contexts=ANY_CHAT,
    )


def register_commands(
    tree: app_commands.CommandTree[Any], commands: list[Command], run: RunCommand, menu: RunMessage
) -> None:
    for command in commands:
        tree.add_command(slash_command(command, run))
    tree.add_command(context_menu(menu))
