"""Discord (discord.py): the client lifecycle, interactions and commands, messages out, the
digest's messenger."""
