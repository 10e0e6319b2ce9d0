"""Telegram (python-telegram-bot): the platform lifecycle, updates in, messages out, the digest's
messenger."""
