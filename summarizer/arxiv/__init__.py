"""Everything arXiv: ids, metadata, feeds, listing pages, the announcement calendar."""
