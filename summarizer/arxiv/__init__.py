"""arXiv: ids and links, the polite HTTP client, API metadata (Atom), announcement feeds and
listing pages, the announcement calendar and the category taxonomy."""
