"""Whether arXiv metadata says a paper version was withdrawn (from its comment or abstract)."""

from __future__ import annotations

import re

from summarizer.models import Paper

# arXiv (help/versions, read 2026-12-01): "Any replacement or withdrawal of that article
# generates a new version … Withdrawals will display the reason for withdrawal entered as a
# comment, without any content download options for that version." Older withdrawals replaced
# the abstract with the same kind of sentence ("This paper has been withdrawn by the author
# due to a crucial error in equation 3"). The patterns speak of *this* paper being withdrawn,
# so an abstract that studies withdrawals (of drugs, of papers) does not match.
_THIS = r"(?:this|the)\s+(?:paper|article|manuscript|submission|preprint|work|version)"
_PATTERNS = (
    rf"\b{_THIS}\s+(?:has\s+been|is|was|have\s+been)\s+(?:being\s+)?withdrawn\b",
    r"\bwithdrawn\s+by\s+(?:the\s+)?(?:authors?|submitter|arxiv(?:\s+admin(?:istrators?|istration)?)?)\b",
    r"\b(?:authors?|we)\s+(?:have\s+)?(?:withdrawn|withdraw|withdrew)\s+(?:this|the)\s+(?:paper|article|manuscript|submission|preprint)\b",
    r"\barxiv\s+admin\s+note:\s+this\s+\w+\s+has\s+been\s+withdrawn\b",
)
_ANYWHERE = re.compile("|".join(_PATTERNS), re.IGNORECASE)
# A comment that is only the word ("Withdrawn", "withdrawn.", "Paper withdrawn") is a
# withdrawal too; in an abstract the bare word proves nothing.
_COMMENT_ONLY = re.compile(
    r"^\s*(?:paper\s+|article\s+)?withdrawn\b[\s.:;,-]*(?:due\s+to|because|as|for|by|\(|$)",
    re.IGNORECASE,
)


def withdrawal_note(paper: Paper) -> str | None:
    """The sentence that says the paper was withdrawn (for the 已撤回 line), or None."""
    comment = " ".join((paper.comment or "").split())
    if comment and (_ANYWHERE.search(comment) or _COMMENT_ONLY.match(comment)):
        return comment[:300]
    abstract = " ".join(paper.abstract.split())
    found = _ANYWHERE.search(abstract)
    if found is None:
        return None
    cut = abstract.rfind(". ", 0, found.start())
    start = cut + 2 if cut >= 0 else 0
    end = abstract.find(". ", found.end())
    return abstract[start : end + 1 if end >= 0 else len(abstract)][:300]


def is_withdrawn(paper: Paper) -> bool:
    return withdrawal_note(paper) is not None
