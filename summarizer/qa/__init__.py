"""Questions about a paper: passages, BM25 retrieval, the answer prompt, checks and service."""
