"""pytest plugin: llm_servers fixtures (filled in by its owner)."""
