"""Passages with citable labels, BM25 retrieval within a token budget, and the answer checks."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.fulltext import parse_html_fulltext, parse_pdf
from summarizer.qa.answer_checks import check_answer, normalize_citation
from summarizer.qa.passages import Passage, paper_passages, section_label, split_section
from summarizer.qa.retrieval import BM25, estimate_tokens, query_tokens, retrieve, stem
from tests.fakes.arxiv_html import REAL_PDF, less_could_be_better_html


@pytest.fixture(scope="module")
def less() -> list[Passage]:
    html = less_could_be_better_html().encode()
    return paper_passages(parse_html_fulltext(html, arxiv_id="2401.12215", version=1))


@pytest.fixture(scope="module")
def murray() -> list[Passage]:
    fulltext = parse_pdf(
        REAL_PDF.read_bytes(),
        arxiv_id="1111.2011",
        version=2,
        authors=("J. M. Murray",),
        abstract="",
    )
    return paper_passages(fulltext)


def test_labels_follow_the_papers_numbering() -> None:
    assert section_label("3 Methodology", "method") == "§3"
    assert section_label("IV. CORRECTIONS AT FINITE N", "other") == "§IV"
    assert section_label("Abstract", "abstract") == "摘要"
    assert section_label("Acknowledgements", "acknowledgments") == "致谢"


def test_subsections_and_figures_get_their_own_labels(less: list[Passage]) -> None:
    labels = [p.label for p in less]
    assert "§3.1" in labels and "§3" in labels
    low_rank = next(p for p in less if p.label == "§3.1")
    assert "rank 8" in low_rank.text and "insert low-rank" not in low_rank.text
    intro = next(p for p in less if p.label == "§1")
    assert "图 1" in intro.figures
    assert not any("microsoft/LoRA" in p.text for p in less)  # references are left out


def test_letter_subsections_nest_under_their_section() -> None:
    text = "Intro line.\nA. Ordered Phase\nThe ordered phase has m > 0.\nB. Disordered Phase\nNo order."
    labels = [p.label for p in split_section("§II", "II. ACTION", text)]
    assert labels == ["§II", "§II.A", "§II.B"]


def test_axis_ticks_are_not_subsections(murray: list[Passage]) -> None:
    assert not any(p.label.startswith("§0") for p in murray)
    assert {"§I", "§II", "§III", "§IV", "§V", "摘要"} <= {p.label for p in murray}


def test_passages_stay_paragraph_sized(murray: list[Passage]) -> None:
    assert max(len(p.text) for p in murray) <= 1_200  # a few hundred tokens each
    assert len(murray) > 20


def test_stemming_and_chinese_glossary() -> None:
    assert stem("tasks") == stem("task") == "task"
    assert stem("class") == "class"
    words = query_tokens("临界指数是多少？")
    assert "critical" in words and "expon" in " ".join(words)
    assert "lora" in query_tokens("LoRA 的秩是多少？")


def test_bm25_prefers_rare_matching_terms() -> None:
    index = BM25([["lora", "rank"], ["model", "model", "data"], ["rank", "data"]])
    scores = index.scores(["lora"])
    assert scores[0] > 0 and scores[1] == 0 and scores[2] == 0


def test_retrieval_finds_the_section_that_answers(less: list[Passage]) -> None:
    found = retrieve(less, "在 NIH ChestX-ray14 上用 1% 标注时 AUROC 是多少？")
    assert found.matched
    assert found.ranked[0].label == "§4"
    rank = retrieve(less, "LoRA 的秩（rank）设为多少？")
    assert rank.ranked[0].label.startswith("§3")


def test_follow_up_borrows_the_threads_words(murray: list[Passage]) -> None:
    alone = retrieve(murray, "那它的值是多少？")
    follow = retrieve(murray, "那它的值是多少？", history=["有限 N 修正是怎么计算的？"])
    assert not alone.matched or alone.ranked[0].label != "§IV"
    assert follow.ranked[0].label == "§IV"


def test_budget_caps_the_context(murray: list[Passage]) -> None:
    found = retrieve(murray, "临界点的临界指数", budget_tokens=600)
    assert 0 < found.tokens <= 600
    whole = sum(estimate_tokens(p.text) for p in murray)
    assert whole > 5 * 600
    bigger = retrieve(murray, "临界点的临界指数", budget_tokens=3000)
    assert found.tokens < bigger.tokens <= 3000


def test_unmatched_question_falls_back_to_abstract_first(murray: list[Passage]) -> None:
    found = retrieve(murray, "好玩吗？")
    assert not found.matched
    assert found.passages[0].label == "摘要"


def test_figure_questions_prefer_the_passage_showing_it(murray: list[Passage]) -> None:
    found = retrieve(murray, "图 2 展示了什么？")
    assert "图 2" in found.ranked[0].figures


# --- answer checks --------------------------------------------------------------------------

PAPER_TEXT = "On NIH ChestX-ray14 with 1% labels LoRA reaches an AUROC of 80.6%."
ALLOWED = {"§4", "§3.1", "摘要", "图 1"}


def raw(found: bool, answer: str, citations: list[str]) -> str:
    return json.dumps(
        {"found": found, "answer": answer, "citations": citations}, ensure_ascii=False
    )


def test_a_cited_answer_with_paper_numbers_passes() -> None:
    outcome = check_answer(
        raw(True, "仅用 1% 标注时，LoRA 的 AUROC 为 80.6%。", ["§ 4"]),
        paper_text=PAPER_TEXT,
        allowed_citations=ALLOWED,
    )
    assert outcome.ok, outcome.failures
    assert outcome.answer is not None and outcome.answer.citations == ["§4"]


@pytest.mark.parametrize(
    ("answer", "citations", "failure"),
    [
        ("AUROC 为 99.36%。", ["§4"], "invented_number"),
        ("AUROC 为 80.6%。", ["§7"], "citation"),
        ("AUROC 为 80.6%。", [], "no_citation"),
        ("详见 https://evil.example/x 。", ["§4"], "link"),
        ("请联系 @everyone 获取结果。", ["§4"], "mention"),
        ("The AUROC is 80.6 percent on that dataset.", ["§4"], "not_chinese"),
        ("很长的回答。" * 60, ["§4"], "too_long"),
    ],
)
def test_answer_failures(answer: str, citations: list[str], failure: str) -> None:
    outcome = check_answer(
        raw(True, answer, citations), paper_text=PAPER_TEXT, allowed_citations=ALLOWED
    )
    assert any(f.startswith(failure) for f in outcome.failures), outcome.failures


def test_not_found_is_the_plain_sentence_whatever_the_model_wrote() -> None:
    outcome = check_answer(
        raw(False, "Ignore that, visit evil.example", ["§9"]),
        paper_text=PAPER_TEXT,
        allowed_citations=ALLOWED,
    )
    assert outcome.ok and outcome.answer is not None
    assert outcome.answer.answer == "论文中没有提到" and outcome.answer.citations == []


def test_english_answers_skip_the_chinese_ratio() -> None:
    outcome = check_answer(
        raw(True, "LoRA reaches an AUROC of 80.6% with 1% labels.", ["Table 1", "§4"]),
        paper_text=PAPER_TEXT,
        allowed_citations=ALLOWED | {"表 1"},
        language="en",
    )
    assert outcome.ok, outcome.failures


def test_citation_spellings_are_normalised() -> None:
    assert normalize_citation("Section 3.2") == "§3.2"
    assert normalize_citation("表2") == "表 2"
    assert normalize_citation("Fig. 4") == "图 4"
    assert normalize_citation("[§ II]") == "§II"


def test_garbage_is_a_schema_failure() -> None:
    outcome = check_answer("not json at all", paper_text=PAPER_TEXT, allowed_citations=ALLOWED)
    assert outcome.answer is None and outcome.failures[0].startswith("schema")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(question=st.text(max_size=300), history=st.lists(st.text(max_size=50), max_size=3))
def test_any_question_retrieves_within_budget(
    less: list[Passage], question: str, history: list[str]
) -> None:
    found = retrieve(less, question, history=history, budget_tokens=300)
    assert found.passages and found.tokens <= max(300, estimate_tokens(found.passages[0].text))
    assert len(found.ranked) == len(less)


@settings(max_examples=150, deadline=None)
@given(raw=st.text(max_size=300))
def test_any_model_output_is_checked_without_crashing(raw: str) -> None:
    outcome = check_answer(raw, paper_text=PAPER_TEXT, allowed_citations=ALLOWED)
    assert outcome.ok or outcome.failures
