"""pytest plugin: discord_server fixtures (filled in by its owner)."""
