"""Section headings -> kinds (numbering and naming variants) and the three-part excerpt."""

from __future__ import annotations

import pytest

from summarizer.fulltext.sections import (
    FullText,
    Section,
    classify_heading,
    clip,
    strip_numbering,
)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("1 Introduction", "introduction"),
        ("I. INTRODUCTION", "introduction"),
        ("1. Introduction and Motivation", "introduction"),
        ("2 Related Work", "related_work"),
        ("II. RELATED WORKS", "related_work"),
        ("Background and Related Work", "related_work"),
        ("2.1 Preliminaries", "background"),
        ("3 Methodology", "method"),
        ("3 Our Approach", "method"),
        ("III. PROPOSED METHOD", "method"),
        ("4 The Framework", "method"),
        ("4 Experiments", "experiments"),
        ("5. Results", "experiments"),
        ("V. EVALUATION", "experiments"),
        ("Results and Discussion", "experiments"),
        ("6 Discussion", "discussion"),
        ("7 Limitations", "discussion"),
        ("7 Conclusion", "conclusion"),
        ("VII. CONCLUSIONS AND FUTURE WORK", "conclusion"),
        ("Discussion and Conclusions", "conclusion"),
        ("Concluding Remarks", "conclusion"),
        ("Acknowledgments", "acknowledgments"),
        ("ACKNOWLEDGEMENTS", "acknowledgments"),
        ("References", "references"),
        ("Bibliography", "references"),
        ("Appendix A Proofs", "appendix"),
        ("Abstract", "abstract"),
        ("III. CRITICAL POINT IN N →∞LIMIT", "other"),
        ("Civil Engineering Loads", "other"),
    ],
)
def test_headings_are_classified_whatever_their_numbering(heading: str, kind: str) -> None:
    assert classify_heading(heading) == kind


@pytest.mark.parametrize(
    ("heading", "bare"),
    [
        ("1 Introduction", "Introduction"),
        ("2.1 Proposed Method", "Proposed Method"),
        ("IV. CORRECTIONS AT FINITE N", "CORRECTIONS AT FINITE N"),
        ("A. Ordered Phase", "Ordered Phase"),
        ("Section 3: Results", "Results"),
        ("3) Results", "Results"),
        ("In Defense of Baselines", "In Defense of Baselines"),
        ("Civil Engineering", "Civil Engineering"),
    ],
)
def test_strip_numbering(heading: str, bare: str) -> None:
    assert strip_numbering(heading) == bare


def _text(kind: str, n: int) -> str:
    return " ".join(f"{kind} sentence {i}." for i in range(n))


def _fulltext(*sections: tuple[str, str, int]) -> FullText:
    return FullText(
        arxiv_id="2401.00001",
        version=1,
        source="html",
        sections=tuple(Section(kind=k, heading=h, text=_text(k, n)) for k, h, n in sections),
    )


def test_excerpt_reads_introduction_method_and_conclusion_within_budget() -> None:
    ft = _fulltext(
        ("abstract", "Abstract", 20),
        ("introduction", "1 Introduction", 400),
        ("related_work", "2 Related Work", 400),
        ("method", "3 Method", 400),
        ("experiments", "4 Experiments", 400),
        ("conclusion", "5 Conclusion", 400),
        ("references", "References", 400),
    )
    excerpt = ft.excerpt(3000)
    assert len(excerpt) <= 3000
    assert excerpt.index("## 1 Introduction") < excerpt.index("## 3 Method")
    assert excerpt.index("## 3 Method") < excerpt.index("## 5 Conclusion")
    for absent in ("related_work sentence", "experiments sentence", "references sentence"):
        assert absent not in excerpt
    assert excerpt.count("method sentence") > excerpt.count("conclusion sentence")


def test_unused_budget_goes_to_later_parts() -> None:
    ft = _fulltext(
        ("introduction", "Introduction", 3),
        ("method", "Method", 500),
        ("conclusion", "Conclusion", 500),
    )
    excerpt = ft.excerpt(4000)
    assert _text("introduction", 3) in excerpt
    assert len(excerpt) > 3500


def test_body_sections_stand_in_for_a_method_and_discussion_for_a_conclusion() -> None:
    ft = _fulltext(
        ("introduction", "I. INTRODUCTION", 5),
        ("other", "II. SELF-CONSISTENT ACTION", 5),
        ("other", "III. CRITICAL POINT", 5),
        ("discussion", "V. DISCUSSION", 5),
        ("acknowledgments", "ACKNOWLEDGMENTS", 5),
    )
    excerpt = ft.excerpt(10_000)
    for heading in ("II. SELF-CONSISTENT ACTION", "III. CRITICAL POINT", "V. DISCUSSION"):
        assert f"## {heading}" in excerpt
    assert "acknowledgments sentence" not in excerpt


def test_chars_and_body_text_leave_out_back_matter() -> None:
    ft = _fulltext(("introduction", "Intro", 2), ("references", "References", 2))
    assert ft.chars == len(_text("introduction", 2)) + len(_text("references", 2))
    assert "references" not in ft.body_text()


def test_clip_cuts_after_a_sentence() -> None:
    text = "First sentence here. Second sentence is longer than the budget allows."
    assert clip(text, 30) == "First sentence here."
    assert clip("short", 40) == "short"
    assert clip("x" * 50, 10) == "x" * 10 + "…"
