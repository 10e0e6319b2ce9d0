"""LaTeX in arXiv metadata becomes plain text wherever arXiv's own words are shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.markdown import render_markdown
from bot.render.telegram_html import render_telegram_html
from bot.render.text import render_text
from handlers.ondemand.paper import summary_reply
from summarizer.arxiv.feeds import parse_rss
from summarizer.latex import plain_text
from summarizer.models import Mode
from summarizer.providers.extractive import key_sentences
from tests.fakes.services import make_result, sample_paper

MARKUP = re.compile(r"\\(?:emph|textbf|textit|texttt|mathrm|mathcal|mathbb|alpha|beta|times|sim)\b")
LATEX_ABSTRACT = (
    r"We propose \emph{LoRA-Med}, a \textbf{parameter-efficient} method. It reaches "
    r"$\sim$80.6\% AUROC with $\alpha=0.5$ and CO$_2$-aware training at $10^{-3}$ cost. "
    r"Results on G\"ottingen data beat the $\mathcal{O}(n^2)$ baseline. Code is public."
)


@pytest.mark.parametrize(
    ("latex", "plain"),
    [
        (r"\emph{x} and \textbf{\textit{y}}", "x and y"),
        (r"{\em old} style", "old style"),
        (r"CO$_2$ at $10^{-3}$", "CO₂ at 10⁻³"),
        (r"$\alpha$-helix, $\sim$50\% gain", "α-helix, ~50% gain"),
        (r"Erd\H{o}s, G\"odel, \v{C}ech", "Erdős, Gödel, Čech"),
        (r"$\frac{1}{2}$ and $\mathcal{O}(n \log n)$", "1/2 and O(n log n)"),
        (r"\href{https://x.org}{site}", "site (https://x.org)"),
        ("costs $285 and $12/task", "costs $285 and $12/task"),  # money, not math
        ("plain (x) text", "plain (x) text"),
    ],
)
def test_plain_text(latex: str, plain: str) -> None:
    assert plain_text(latex) == plain


def _real_texts(real_fixtures: Path) -> list[str]:
    """Titles and abstracts of a real day of arXiv (every archive's RSS, 2024-11-28)."""
    xml = (real_fixtures / "rss" / "rss_all-archives_2024-11-28.xml").read_bytes()
    papers = [entry.paper for entry in parse_rss(xml, feed_category="all")]
    return [text for paper in papers for text in (paper.title, paper.abstract)]


def test_real_arxiv_metadata_loses_its_markup(real_fixtures: Path) -> None:
    with_markup = 0
    for text in _real_texts(real_fixtures):
        if "\\" not in text and "$" not in text:
            assert plain_text(text) == text
            continue
        with_markup += MARKUP.search(text) is not None
        assert not MARKUP.search(plain_text(text)), text[:200]
    assert with_markup > 50  # the fixture really exercises this


@pytest.mark.parametrize("status", ["extractive", "degraded"])
@pytest.mark.parametrize("render", [render_text, render_markdown, render_telegram_html])
def test_fallback_output_shows_no_latex(status: str, render: object) -> None:
    paper = sample_paper(abstract=LATEX_ABSTRACT, title=r"\emph{LoRA-Med}: $\alpha$ matters")
    result = make_result(paper, Mode.CONDENSED, status=status)
    if status == "extractive":
        result.record.extract[:] = key_sentences(paper.abstract)
    rendered = render(summary_reply(result, Mode.CONDENSED))  # type: ignore[operator]
    text = rendered if isinstance(rendered, str) else "\n".join(rendered)
    assert "LoRA-Med" in text and "80.6%" in text and "Göttingen" in text
    assert not MARKUP.search(text)
    assert "$" not in text
