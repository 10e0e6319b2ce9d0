"""pytest plugin: telegram_server fixtures (filled in by its owner)."""
