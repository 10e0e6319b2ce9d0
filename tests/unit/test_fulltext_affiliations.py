"""First-page affiliations from printed lines, and their cleaning."""

from __future__ import annotations

import pytest

from summarizer.fulltext.affiliations import PdfLine, clean_affiliation, fold, pdf_affiliations


def _lines(*specs: tuple[str, float] | tuple[str, float, str]) -> list[PdfLine]:
    return [PdfLine(text=s[0], size=s[1], marker=s[2] if len(s) > 2 else "") for s in specs]


def test_markers_start_affiliations_and_unmarked_lines_continue_them() -> None:
    lines = _lines(
        ("A Study of Things", 14),
        ("Ann Lee1, Bo Chen2", 11),
        ("Department of Physics,", 9, "1"),
        ("Some University, Springfield, USA", 9),
        ("Google Research, Zurich", 9, "2"),
        ("Abstract", 10),
        ("We study things at University scale.", 10),
    )
    assert pdf_affiliations(lines, ["Ann Lee", "Bo Chen"]) == [
        "Department of Physics, Some University, Springfield, USA",
        "Google Research, Zurich",
    ]


def test_without_markers_a_trailing_comma_continues_the_line() -> None:
    lines = _lines(
        ("Title", 16),
        ("Carla Díaz Eve Martin", 11),
        ("Institute of Examples,", 10),
        ("Example City", 10),
        ("DeepMind, London", 10),
        ("{carla,eve}@example.org", 10),
        ("Received 1 May 2024", 10),
        ("Text of the abstract starts here, at the Institute of Nothing.", 10),
    )
    assert pdf_affiliations(lines, ["Carla Díaz", "Eve Martin"]) == [
        "Institute of Examples, Example City",
        "DeepMind, London",
    ]


def test_the_abstract_is_found_by_the_metadata_abstract() -> None:
    lines = _lines(
        ("Title", 16),
        ("Ann Lee", 11),
        ("University of Somewhere", 10),
        ("Large language models are studied at many universities, here too.", 10),
    )
    hint = "Large language models are studied at many universities, here too. And more."
    assert pdf_affiliations(lines, ["Ann Lee"], hint) == ["University of Somewhere"]


def test_author_lines_with_accents_printed_as_tex_are_recognised() -> None:
    assert fold("Teˇsanovi´c") == fold("Tešanović") == "tesanovic"
    lines = _lines(("Title", 14), ("Zlatko Teˇsanovi´c", 10), ("1Johns Hopkins University", 9))
    assert pdf_affiliations(lines, ["Zlatko Tesanovic"]) == ["Johns Hopkins University"]


def test_nothing_between_authors_and_abstract_means_no_affiliations() -> None:
    lines = _lines(("Title", 14), ("Ann Lee", 10), ("Abstract", 10), ("University text", 10))
    assert pdf_affiliations(lines, ["Ann Lee"]) == []
    assert pdf_affiliations([], ["Ann Lee"]) == []


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("1 Xiamen University", "Xiamen University"),
        ("*†Meta AI, Menlo Park,", "Meta AI, Menlo Park"),
        ("Tsinghua University  {a, b}@tsinghua.edu.cn", "Tsinghua University"),
        ("aUniversity of Oxford", "University of Oxford"),
        ("Peking University", "Peking University"),
    ],
)
def test_clean_affiliation(raw: str, clean: str) -> None:
    assert clean_affiliation(raw) == clean


def test_author_columns_are_one_affiliation_per_block() -> None:
    # A NeurIPS-style header: one text block per author column, name / department / school /
    # e-mail, and no superscript markers.
    def line(text: str, block: int, size: float = 10) -> PdfLine:
        return PdfLine(text=text, size=size, block=block)

    lines = [
        line("Scaling Things Up", 0, 17),
        line("Ann Lee", 1), line("Department of Computer Science", 1),
        line("Stanford University", 1), line("ann@stanford.edu", 1),
        line("Bo Chen", 2), line("Google DeepMind", 2), line("bo@google.com", 2),
        line("Abstract", 3),
    ]  # fmt: skip
    assert pdf_affiliations(lines, ["Ann Lee", "Bo Chen"]) == [
        "Department of Computer Science, Stanford University",
        "Google DeepMind",
    ]
