"""Match announced papers to topics through a token index built once per announcement.

Semantics:
- Keywords match whole tokens after folding (case, diacritics, full-width) and simple plural
  folding (`LLM` matches `LLMs`, `model` matches `models`; `LLM` never matches `LLaMA`).
  Phrases match consecutive tokens; hyphens split tokens, so `self-supervised` matches
  `self supervised`. Chinese text matches as a character sequence.
- A topic is scoped to its categories/archives; a paper whose primary category is outside the
  scope (or that arXiv lists as `cross`) is a cross-list for that topic and matches only with
  include_cross. `replace` / `replace-cross` entries never match. Negative terms exclude the
  paper for that topic only.
- Score = number of topics matched + mean quality (< 0.5) - 0.05 if only cross-listed, so more
  topics always rank higher; within a topic a title match (0.5) beats an abstract match (0.3
  when a term occurs more than once, else 0.2); an author match is 0.5; a category match 0.3
  for the primary category, 0.1 otherwise.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.digest.types import FeedEntry, Match, Topic, TopicKind
from handlers.subscriptions.topics import author_key, word_tokens
from summarizer.arxiv.taxonomy import archive_of

TITLE_QUALITY = 0.5
AUTHOR_QUALITY = 0.5
ABSTRACT_QUALITY = 0.2
REPEATED_QUALITY = 0.3
PRIMARY_QUALITY = 0.3
SECONDARY_QUALITY = 0.1
CROSS_PENALTY = 0.05


@dataclass(frozen=True)
class _Phrase:
    """The docs with a word or phrase in the title, anywhere, and more than once."""

    title: set[int]
    text: set[int]
    repeated: set[int]


def _scope_keys(category: str) -> tuple[str, ...]:
    archive = archive_of(category)
    return (category,) if archive == category else (category, archive)


def _joined(tokens: Sequence[str]) -> str:
    """Tokens as ` a b c ` so a phrase is found with str.count (C speed); the empty token
    between title and abstract leaves a double space no phrase can span."""
    return f" {' '.join(tokens)} "


class PaperIndex:
    """The papers of one announcement, indexed once; `match()` then costs set operations."""

    def __init__(self, entries: Sequence[FeedEntry]) -> None:
        self.entries = [e for e in entries if e.delivered]
        self._titles: list[str] = []  # joined tokens, see _joined
        self._texts: list[str] = []  # title, a "" separator, abstract
        self._repeated: dict[str, set[int]] = defaultdict(set)
        self._in_title: dict[str, set[int]] = defaultdict(set)
        self._in_text: dict[str, set[int]] = defaultdict(set)
        self._in_scope: dict[str, set[int]] = defaultdict(set)
        self._primary: dict[str, set[int]] = defaultdict(set)
        self._authors: dict[str, set[int]] = defaultdict(set)
        self._phrase_cache: dict[str, _Phrase] = {}
        self._hits_cache: dict[tuple[Topic, bool], tuple[dict[int, float], frozenset[int]]] = {}
        self._match_cache: dict[tuple[int, tuple[str, ...], bool], Match] = {}
        self._single_cache: dict[tuple[Topic, bool], list[Match]] = {}
        for doc, entry in enumerate(self.entries):
            paper = entry.paper
            title = word_tokens(paper.title)
            # The "" keeps phrases from spanning the title/abstract seam.
            text = [*title, "", *word_tokens(paper.abstract)]
            self._titles.append(_joined(title))
            self._texts.append(_joined(text))
            for token in set(title):
                self._in_title[token].add(doc)
            counts = Counter(text)
            for token, count in counts.items():
                self._in_text[token].add(doc)
                if count > 1:
                    self._repeated[token].add(doc)
            for category in paper.categories:
                for key in _scope_keys(category):
                    self._in_scope[key].add(doc)
            primary = paper.primary_category or (paper.categories[0] if paper.categories else "")
            if primary:
                for key in _scope_keys(primary):
                    self._primary[key].add(doc)
            for name in paper.authors:
                for key in _author_keys(name):
                    self._authors[key].add(doc)
        newest = sorted(range(len(self.entries)), key=lambda d: self.entries[d].paper.arxiv_id)
        self._age = {doc: rank for rank, doc in enumerate(reversed(newest))}
        self._cross_listed = {d for d, e in enumerate(self.entries) if e.announce_type == "cross"}

    def _phrase(self, phrase: str) -> _Phrase:
        """Where a word or phrase occurs; computed once per index and phrase."""
        cached = self._phrase_cache.get(phrase)
        if cached is not None:
            return cached
        tokens = tuple(word_tokens(phrase))
        empty: set[int] = set()
        if not tokens:
            result = _Phrase(empty, empty, empty)
        elif len(tokens) == 1:
            token = tokens[0]
            result = _Phrase(
                self._in_title.get(token, empty),
                self._in_text.get(token, empty),
                self._repeated.get(token, empty),
            )
        else:
            maybe = set.intersection(*(self._in_text.get(t, empty) for t in tokens))
            needle = _joined(tokens)
            counts = {d: self._texts[d].count(needle) for d in maybe}
            text = {d for d, n in counts.items() if n}
            title = {d for d in text if needle in self._titles[d]}
            result = _Phrase(title, text, {d for d, n in counts.items() if n > 1})
        self._phrase_cache[phrase] = result
        return result

    def _scope(self, topic: Topic, *, include_cross: bool) -> tuple[set[int], set[int]]:
        """(docs in the topic's scope, the subset whose primary category is in scope)."""
        categories = topic.categories or ()
        if not categories:
            everything = set(range(len(self.entries)))
            return everything, everything - self._cross_listed
        primary: set[int] = set()
        for category in categories:
            primary |= self._primary.get(category, set())
        if not include_cross:
            return primary, primary
        scope: set[int] = set()
        for category in categories:
            scope |= self._in_scope.get(category, set())
        return scope, primary

    def _topic_hits(
        self, topic: Topic, *, include_cross: bool
    ) -> tuple[dict[int, float], set[int]]:
        """(doc -> quality for one topic, the docs in scope by their primary category)."""
        scope, primary = self._scope(topic, include_cross=include_cross)
        if not scope:
            return {}, primary
        for phrase in topic.exclude:
            scope = scope - self._phrase(phrase).text
        if topic.kind is TopicKind.CATEGORY:
            hits = dict.fromkeys(scope, SECONDARY_QUALITY)
            hits.update(dict.fromkeys(scope & primary, PRIMARY_QUALITY))
        elif topic.kind is TopicKind.AUTHOR:
            authored = self._authors.get(author_key(topic.author or ""), set())
            hits = dict.fromkeys(scope & authored, AUTHOR_QUALITY)
        else:
            hits = self._keyword_hits(topic.any_of, scope)
        return hits, primary

    def _keyword_hits(self, groups: Sequence[Sequence[str]], scope: set[int]) -> dict[int, float]:
        """OR of AND-groups, as set operations; a doc's quality is its best group's."""
        anywhere: set[int] = set()
        titled: set[int] = set()
        repeated: set[int] = set()
        for group in groups:
            found = [self._phrase(p) for p in group]
            docs = scope.intersection(*(f.text for f in found)) if found else set()
            if docs:
                anywhere |= docs
                titled |= docs.intersection(*(f.title for f in found))
                repeated |= docs.intersection(set().union(*(f.repeated for f in found)))
        hits = dict.fromkeys(anywhere, ABSTRACT_QUALITY)
        hits.update(dict.fromkeys(repeated, REPEATED_QUALITY))
        hits.update(dict.fromkeys(titled, TITLE_QUALITY))
        return hits

    def _cached_hits(
        self, topic: Topic, include_cross: bool
    ) -> tuple[dict[int, float], frozenset[int]]:
        """Per-topic hits, computed once per index: many chats share the same topics."""
        key = (topic, include_cross)
        cached = self._hits_cache.get(key)
        if cached is None:
            hits, primary = self._topic_hits(topic, include_cross=include_cross)
            cached = (hits, frozenset(primary.intersection(hits)))
            self._hits_cache[key] = cached
        return cached

    def _match_of(self, doc: int, names: tuple[str, ...], score: float, cross: bool) -> Match:
        """Match objects are immutable: chats with the same topics share them."""
        key = (doc, names, cross)
        found = self._match_cache.get(key)
        if found is None or found.score != score:
            found = Match(paper=self.entries[doc].paper, score=score, topics=names, cross=cross)
            self._match_cache[key] = found
        return found

    def match(
        self, topics: Sequence[Topic], *, include_cross: bool, limit: int | None = None
    ) -> list[Match]:
        """The papers matching any topic, best first (ties: newest arXiv id first); only the
        best `limit` when given (the Match objects are the costly part of a big day)."""
        unique = {topic.raw: topic for topic in topics}
        if len(unique) == 1 and limit is None:  # one topic: its list is shared by such chats
            (topic,) = unique.values()
            key = (topic, include_cross)
            single = self._single_cache.get(key)
            if single is None:
                single = self._aggregate(unique, include_cross, None)
                self._single_cache[key] = single
            return list(single)
        return self._aggregate(unique, include_cross, limit)

    def _aggregate(
        self, unique: dict[str, Topic], include_cross: bool, limit: int | None
    ) -> list[Match]:
        qualities: dict[int, float] = {}
        names: dict[int, list[str]] = {}
        direct: set[int] = set()  # matched by some topic through the primary category
        for raw, topic in unique.items():
            hits, primary_hits = self._cached_hits(topic, include_cross)
            for doc, quality in hits.items():
                found = names.get(doc)
                if found is None:
                    names[doc] = [raw]
                    qualities[doc] = quality
                else:
                    found.append(raw)
                    qualities[doc] += quality
            direct |= primary_hits
        age = self._age
        ranked = [
            (
                CROSS_PENALTY - len(found) - qualities[doc] / len(found)
                if doc not in direct
                else -len(found) - qualities[doc] / len(found),
                doc not in direct,
                age[doc],
                doc,
            )
            for doc, found in names.items()
        ]
        best = heapq.nsmallest(limit, ranked) if limit is not None else sorted(ranked)
        return [self._match_of(doc, tuple(names[doc]), -neg, cross) for neg, cross, _, doc in best]


def _author_keys(name: str) -> set[str]:
    """Lookup keys of an author: full name, last name, first+last, initial+last."""
    parts = author_key(name).split()
    if not parts:
        return set()
    keys = {" ".join(parts), parts[-1]}
    if len(parts) > 1:
        keys.add(f"{parts[0]} {parts[-1]}")
        keys.add(f"{parts[0][0]} {parts[-1]}")
        keys.add(" ".join([*(p[0] for p in parts[:-1]), parts[-1]]))
    return keys


def match_papers(
    entries: Sequence[FeedEntry],
    topics: Sequence[Topic],
    *,
    include_cross: bool,
    limit: int | None = None,
) -> list[Match]:
    """One-shot matching; build a PaperIndex once to match many chats against one day."""
    return PaperIndex(entries).match(topics, include_cross=include_cross, limit=limit)
