"""arXiv: ids and links, the polite HTTP client, API metadata (Atom), announcement feeds, the
announcement calendar and the category taxonomy."""
