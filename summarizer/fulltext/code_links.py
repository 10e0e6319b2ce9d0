"""Code and project links (GitHub, GitLab, Hugging Face, project pages) found in a paper."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

MAX_CODE_URLS = 5

_TRAILING = ".,;:!?)]}>'\"”’"
_NAME = r"[A-Za-z0-9][\w.\-]*"
_REPO_HOSTS = re.compile(
    rf"(?:https?://)?(?:www\.)?(?P<host>github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)"
    rf"/(?P<owner>{_NAME})/(?P<repo>{_NAME})",
    re.IGNORECASE,
)
_HF = re.compile(
    rf"(?:https?://)?(?:www\.)?huggingface\.co/(?P<path>(?:spaces/|datasets/)?{_NAME}/{_NAME})",
    re.IGNORECASE,
)
_PAGES = re.compile(rf"(?:https?://)?(?P<owner>{_NAME})\.github\.io(?P<path>/[\w.\-/~%]*)?", re.I)
_PROJECT_HINT = re.compile(
    r"(?:project (?:page|website|site)|home ?page|code (?:is|and \w+ are|will be) (?:publicly )?"
    r"(?:available|released) at|demo (?:is )?(?:available )?at|available at)\W{0,5}"
    r"(?P<url>https?://[^\s<>\"]+)",
    re.IGNORECASE,
)
_NOT_REPO_OWNERS = {"features", "about", "orgs", "sponsors", "topics", "marketplace", "login"}
_NOT_HF = {"papers", "docs", "blog", "learn", "join", "login", "pricing", "tasks"}
_NOT_PROJECT_HOSTS = re.compile(r"arxiv\.org|doi\.org|creativecommons\.org|aclanthology", re.I)


def _tidy(text: str) -> str:
    text = text.rstrip(_TRAILING)
    return text[:-4] if text.lower().endswith(".git") else text


def _from(text: str) -> list[tuple[int, str]]:
    """(position, canonical url) for every code or project link in `text`."""
    found: list[tuple[int, str]] = []
    for m in _REPO_HOSTS.finditer(text):
        owner, repo = m["owner"], _tidy(m["repo"])
        if owner.lower() not in _NOT_REPO_OWNERS and repo:
            found.append((m.start(), f"https://{m['host'].lower()}/{owner}/{repo}"))
    for m in _HF.finditer(text):
        path = _tidy(m["path"])
        if path.split("/")[0].lower() not in _NOT_HF:
            found.append((m.start(), f"https://huggingface.co/{path}"))
    for m in _PAGES.finditer(text):
        path = _tidy(m["path"] or "").rstrip("/")
        found.append((m.start(), f"https://{m['owner'].lower()}.github.io{path}"))
    for m in _PROJECT_HINT.finditer(text):
        url = _tidy(m["url"])
        known = _REPO_HOSTS.match(url) or _HF.match(url) or _PAGES.match(url)
        if not known and not _NOT_PROJECT_HOSTS.search(url):
            found.append((m.start("url"), url))
    return found


def find_code_urls(
    texts: Iterable[str], hrefs: Sequence[str] = (), limit: int = MAX_CODE_URLS
) -> list[str]:
    """Code links in order of appearance: the texts first (the arXiv comment, then the paper),
    then link targets (`<a href>`, PDF link annotations). Duplicates are dropped."""
    ordered: list[str] = []
    for text in [*texts, "\n".join(hrefs)]:
        ordered += [url for _, url in sorted(_from(text))]
    seen: set[str] = set()
    out: list[str] = []
    for url in ordered:
        key = url.lower().rstrip("/")
        if key not in seen:
            seen.add(key)
            out.append(url)
    return out[:limit]
