"""pytest plugin: arxiv_server fixtures (filled in by its owner)."""
