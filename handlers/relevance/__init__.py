"""Relevance: rank each chat's matched papers by topic terms, meaning and its own 👍/👎."""
