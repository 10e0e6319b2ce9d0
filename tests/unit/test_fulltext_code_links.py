"""Code links: repositories, Hugging Face, project pages; not citations or arXiv itself."""

from __future__ import annotations

from summarizer.fulltext import find_code_urls


def test_repositories_are_canonical_and_deduplicated() -> None:
    texts = [
        "Code: https://github.com/RL4M/MED-PEFT.",
        "see github.com/RL4M/MED-PEFT and https://gitlab.com/group/tool.git, also "
        "https://github.com/RL4M/MED-PEFT/tree/main/scripts",
    ]
    assert find_code_urls(texts) == [
        "https://github.com/RL4M/MED-PEFT",
        "https://gitlab.com/group/tool",
    ]


def test_hugging_face_models_spaces_and_datasets_but_not_paper_pages() -> None:
    text = (
        "Weights at https://huggingface.co/org/model-7b, demo https://huggingface.co/spaces/org/demo "
        "and data huggingface.co/datasets/org/set; discussed at https://huggingface.co/papers/2401.12215"
    )
    assert find_code_urls([text]) == [
        "https://huggingface.co/org/model-7b",
        "https://huggingface.co/spaces/org/demo",
        "https://huggingface.co/datasets/org/set",
    ]


def test_project_pages() -> None:
    text = (
        "Project page: https://example-lab.org/projects/thing/ and https://Someone.github.io/proj/"
    )
    assert find_code_urls([text]) == [
        "https://example-lab.org/projects/thing/",
        "https://someone.github.io/proj",
    ]


def test_non_code_links_are_ignored() -> None:
    text = (
        "Available at https://arxiv.org/abs/2401.12215 and https://doi.org/10.1/x; "
        "see https://github.com/features for features"
    )
    assert find_code_urls([text]) == []


def test_link_targets_count_after_texts_and_the_limit_holds() -> None:
    hrefs = [f"https://github.com/o/r{i}" for i in range(10)]
    assert find_code_urls(["https://github.com/first/one"], hrefs, limit=3) == [
        "https://github.com/first/one",
        "https://github.com/o/r0",
        "https://github.com/o/r1",
    ]
