"""Full-text settings: URLs validated, and when full summaries read the paper."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings

MIRROR = "http://127.0.0.1:9/api/query"


def test_defaults_read_arxiv_org() -> None:
    settings = load_settings()
    assert settings.arxiv_html_url == "https://arxiv.org/html"
    assert settings.arxiv_pdf_url == "https://arxiv.org/pdf"
    assert settings.resolved_fulltext is True


def test_a_mirrored_api_turns_full_text_off_unless_its_urls_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAPERBOT_ARXIV_API_URL", MIRROR)
    assert load_settings().resolved_fulltext is False  # arxiv.org is likely blocked there too
    assert load_settings().fulltext_enabled is True  # the switch itself was not turned off
    monkeypatch.setenv("PAPERBOT_ARXIV_HTML_URL", "http://127.0.0.1:9/html/")
    settings = load_settings()
    assert settings.resolved_fulltext is True
    assert settings.arxiv_html_url == "http://127.0.0.1:9/html"


def test_a_mirrored_feed_counts_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_ARXIV_RSS_URL", "http://127.0.0.1:9/rss")
    assert load_settings().resolved_fulltext is False


@pytest.mark.parametrize(("raw", "on"), [("false", False), ("0", False), ("true", True)])
def test_explicit_switch_wins(monkeypatch: pytest.MonkeyPatch, raw: str, on: bool) -> None:
    monkeypatch.setenv("PAPERBOT_ARXIV_API_URL", MIRROR)
    monkeypatch.setenv("PAPERBOT_FULLTEXT", raw)
    assert load_settings().resolved_fulltext is on


def test_a_bad_url_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_ARXIV_PDF_URL", "arxiv.org/pdf")
    with pytest.raises(ConfigError, match="PAPERBOT_ARXIV_PDF_URL"):
        load_settings()
