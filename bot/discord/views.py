"""Discord buttons: persistent action buttons (custom_id = the handler's action) and URL buttons."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from handlers.types import Button

ACTION_TEMPLATE = re.compile(r"(?P<action>[a-z]{1,8}:[^\s]{1,90})")

ActionHandler = Callable[[discord.Interaction[Any], str], Awaitable[None]]


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ACTION_TEMPLATE):
    """Any button whose custom_id looks like `x:f:2401.12215v1`. Registered once with
    `client.add_dynamic_items`, so presses on messages sent before a restart still work."""

    def __init__(self, action: str, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(label=label, custom_id=action, style=discord.ButtonStyle.secondary)
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ActionButton:
        return cls(match["action"], getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler: ActionHandler | None = getattr(interaction.client, "handle_action", None)
        if handler is not None:
            await handler(interaction, self.action)


def build_view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """A timeout-free view (5 buttons a row), or None when the reply has no buttons."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        if button.url:
            view.add_item(discord.ui.Button(label=button.label[:80], url=button.url))
        elif button.action and ACTION_TEMPLATE.fullmatch(button.action):
            view.add_item(ActionButton(button.action, button.label[:80]))
    return view
