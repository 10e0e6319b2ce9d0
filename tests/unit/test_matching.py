"""match_papers / PaperIndex: ranking, scopes, cross-lists, negatives, authors, replacements."""

from __future__ import annotations

from handlers.digest.matching import PaperIndex, match_papers
from handlers.digest.types import FeedEntry, Match
from handlers.subscriptions.topics import parse_topic
from summarizer.models import Paper
from tests.fakes.arxiv_feed import (
    AGENTS,
    ATTENTION,
    DAY_PAPERS,
    DISTILL,
    HODGE,
    LORA,
    REPLACED,
    STRINGS,
    SURVEY,
    VIT,
    feed_for,
)

EVERYTHING = feed_for(["cs", "stat", "math", "hep-th"], DAY_PAPERS)


def ids(matches: list[Match]) -> list[str]:
    return [m.paper.arxiv_id for m in matches]


def run(
    *topics: str, include_cross: bool = True, entries: list[FeedEntry] = EVERYTHING
) -> list[Match]:
    return match_papers(entries, [parse_topic(t) for t in topics], include_cross=include_cross)


def entry(paper: Paper, kind: str = "new") -> FeedEntry:
    return FeedEntry(paper=paper, announce_type=kind, feed_category=paper.categories[0])  # type: ignore[arg-type]


def test_category_topic_matches_primary_and_with_cross_the_secondary_categories() -> None:
    primary_only = run("cs.CL", include_cross=False)
    assert set(ids(primary_only)) == {ATTENTION.arxiv_id, LORA.arxiv_id, SURVEY.arxiv_id}
    assert not any(m.cross for m in primary_only)
    with_cross = run("cs.CL", include_cross=True)
    assert set(ids(with_cross)) == {*ids(primary_only), AGENTS.arxiv_id}
    crossed = {m.paper.arxiv_id: m.cross for m in with_cross}
    assert crossed[AGENTS.arxiv_id] is True
    assert ids(with_cross)[-1] == AGENTS.arxiv_id  # cross-lists rank below primary matches


def test_archive_topic_matches_every_class_of_the_archive() -> None:
    found = set(ids(run("cs", include_cross=False)))
    assert found == {p.arxiv_id for p in (ATTENTION, LORA, SURVEY, VIT, AGENTS)}
    assert set(ids(run("math"))) == {HODGE.arxiv_id}
    assert set(ids(run("hep-th"))) == {STRINGS.arxiv_id}
    # stat.ML primary, cs.LG secondary: a cross-list for `cs`.
    assert DISTILL.arxiv_id in ids(run("cs", include_cross=True))
    assert DISTILL.arxiv_id not in ids(run("cs", include_cross=False))


def test_replacements_never_match() -> None:
    entries = [*EVERYTHING, entry(REPLACED, "replace"), entry(REPLACED, "replace-cross")]
    assert REPLACED.arxiv_id not in ids(run("cs.LG", "scaling", entries=entries))
    assert REPLACED.arxiv_id not in ids(run("au:Kaplan", entries=entries))


def test_announced_cross_entry_needs_include_cross_unless_primary_is_in_scope() -> None:
    entries = [entry(AGENTS, "cross")]
    assert ids(run("cs.CL", entries=entries, include_cross=False)) == []
    assert ids(run("cs.CL", entries=entries, include_cross=True)) == [AGENTS.arxiv_id]
    assert ids(run("cs.LG", entries=entries, include_cross=False)) == [AGENTS.arxiv_id]


def test_title_matches_rank_above_abstract_matches() -> None:
    found = run('"large language models"')
    # SURVEY and LORA have the phrase in the title; nobody else does (LoRA: also abstract).
    assert set(ids(found)[:2]) == {SURVEY.arxiv_id, LORA.arxiv_id}
    assert all(m.score > 1.4 for m in found[:2])
    transformer = run("transformer")
    assert ids(transformer)[0] == VIT.arxiv_id  # "Transformers" in the title
    assert ATTENTION.arxiv_id in ids(transformer)  # abstract only: lower
    assert transformer[0].score > transformer[-1].score


def test_more_topics_matched_rank_higher() -> None:
    found = run("cs.CV", "transformer", "au:Dosovitskiy")
    assert ids(found)[0] == VIT.arxiv_id
    assert found[0].topics == ("cs.CV", "transformer", "au:Dosovitskiy")
    assert found[0].score > 3
    assert all(m.score < 2 for m in found[1:])


def test_negative_terms_exclude_for_that_topic_only() -> None:
    assert SURVEY.arxiv_id not in ids(run('"language model" -survey'))
    assert SURVEY.arxiv_id in ids(run('"language model"'))
    both = run('"language model" -survey', "cs.CL")
    survey = next(m for m in both if m.paper.arxiv_id == SURVEY.arxiv_id)
    assert survey.topics == ("cs.CL",)
    assert HODGE.arxiv_id not in ids(run("math -decomposition"))


def test_or_and_and_groups() -> None:
    assert set(ids(run("hodge OR supergravity", "math", include_cross=True))) >= {HODGE.arxiv_id}
    scoped = parse_topic("cat:math hodge OR supergravity")
    wide = parse_topic("hodge OR supergravity", default_archive="hep-th")
    both = match_papers(EVERYTHING, [scoped, wide], include_cross=True)
    assert set(ids(both)) == {HODGE.arxiv_id, STRINGS.arxiv_id}
    assert ids(run("attention translation")) == [ATTENTION.arxiv_id]
    assert ids(run("attention protein")) == []


def test_word_boundaries_and_plural_folding() -> None:
    assert LORA.arxiv_id in ids(run("LLM OR adaptations"))  # adaptation ~ adaptations
    assert AGENTS.arxiv_id in ids(run("LLMs"))  # "LLM agents" in the title
    assert SURVEY.arxiv_id in ids(run("LLM"))  # "(LLMs)" in the abstract
    assert ids(run("LLaMA")) == []
    assert ids(run("attent")) == []  # no prefix matching
    assert AGENTS.arxiv_id in ids(run('"self supervised"'))  # hyphen splits tokens
    assert AGENTS.arxiv_id in ids(run("self-supervised"))


def test_phrases_match_consecutive_words_only() -> None:
    assert ids(run('"language models"')) == ids(run('"language model"'))
    assert ids(run('"models language"')) == []
    # Title and abstract do not run together into one phrase.
    paper = ATTENTION.model_copy(update={"title": "Deep Learning", "abstract": "Survey of x."})
    assert ids(run('"learning survey"', entries=[entry(paper)])) == []


def test_authors_by_last_name_full_name_initials_and_diacritics() -> None:
    assert ids(run("au:Hinton", include_cross=True)) == [DISTILL.arxiv_id]
    assert ids(run('au:"geoffrey hinton"', include_cross=True)) == [DISTILL.arxiv_id]
    assert ids(run("au:Hinton_G", include_cross=True)) == [DISTILL.arxiv_id]
    assert ids(run('au:"G. Hinton"', include_cross=True)) == [DISTILL.arxiv_id]
    assert ids(run("au:kaiser")) == [ATTENTION.arxiv_id]  # Łukasz Kaiser
    assert ids(run('au:"Lukasz Kaiser"')) == [ATTENTION.arxiv_id]
    assert ids(run("au:Muller")) == [AGENTS.arxiv_id]  # Zoë Müller
    assert ids(run('au:"Aidan Gomez"')) == [ATTENTION.arxiv_id]  # middle initial skipped
    assert ids(run('au:"Geoffrey Vinyals"')) == []
    assert ids(run("au:Hinton", include_cross=False)) == []  # stat.ML primary, scoped to cs


def test_chinese_phrases_match_as_character_sequences() -> None:
    paper = ATTENTION.model_copy(
        update={"arxiv_id": "2511.09999", "abstract": "我们提出一种大模型对齐方法。"}
    )
    entries = [entry(paper)]
    assert ids(run("“大模型”", entries=entries)) == [paper.arxiv_id]
    assert ids(run("大模型 对齐", entries=entries)) == [paper.arxiv_id]
    assert ids(run("“模型大”", entries=entries)) == []


def test_ties_rank_newest_first_and_index_is_reusable() -> None:
    index = PaperIndex(EVERYTHING)
    first = index.match([parse_topic("cs.CL")], include_cross=False)
    again = index.match([parse_topic("cs.CL")], include_cross=False)
    assert first == again
    assert ids(first) == sorted(ids(first), reverse=True)
    assert index.match([], include_cross=True) == []
    assert match_papers([], [parse_topic("cs")], include_cross=True) == []


def test_limit_keeps_the_best_in_order() -> None:
    topics = [parse_topic("cs"), parse_topic("transformer"), parse_topic("au:Hinton")]
    full = match_papers(EVERYTHING, topics, include_cross=True)
    assert len(full) > 3
    assert match_papers(EVERYTHING, topics, include_cross=True, limit=3) == full[:3]
    index = PaperIndex(EVERYTHING)
    single = index.match([parse_topic("cs")], include_cross=True)
    assert index.match([parse_topic("cs")], include_cross=True, limit=2) == single[:2]
    single.clear()  # callers get their own list; the shared cache is untouched
    assert index.match([parse_topic("cs")], include_cross=True)
