"""arXiv references in chat text: real-world messages, lookalikes and generated ids."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from summarizer.arxiv.ids import LEGACY_ARCHIVES, find_arxiv_refs, parse_arxiv_ref
from summarizer.errors import MalformedArxivId
from summarizer.models import ArxivRef


def R(arxiv_id: str, version: int | None = None) -> ArxivRef:
    return ArxivRef(arxiv_id=arxiv_id, version=version)


CHAT_MESSAGES: list[tuple[str, list[ArxivRef]]] = [
    ("看看这篇 https://arxiv.org/abs/2401.12215v1 。", [R("2401.12215", 1)]),
    ("2401.12215", [R("2401.12215")]),
    ("2401.12215v2", [R("2401.12215", 2)]),
    ("arXiv:2401.12215", [R("2401.12215")]),
    ("ARXIV:2401.12215v3 is out", [R("2401.12215", 3)]),
    ("see arxiv: 2312.00752 (Mamba)", [R("2312.00752")]),
    ("pdf: https://arxiv.org/pdf/2401.12215v2.pdf, worth reading", [R("2401.12215", 2)]),
    ("http://arxiv.org/pdf/2401.12215", [R("2401.12215")]),
    ("https://arxiv.org/html/2401.12215v1#S3 这一节讲方法", [R("2401.12215", 1)]),
    ("https://export.arxiv.org/abs/1706.03762", [R("1706.03762")]),
    ("www.arxiv.org/abs/1706.03762v7!", [R("1706.03762", 7)]),
    ("https://doi.org/10.48550/arXiv.2401.12215", [R("2401.12215")]),
    ("DOI 10.48550/arXiv.1706.03762；引用它", [R("1706.03762")]),
    ("https://www.alphaxiv.org/abs/2401.12215", [R("2401.12215")]),
    ("alphaxiv 讨论区 https://www.alphaxiv.org/overview/2503.10622v1", [R("2503.10622", 1)]),
    ("HF daily: https://huggingface.co/papers/2401.12215", [R("2401.12215")]),
    ("old one: hep-th/9901001", [R("hep-th/9901001")]),
    ("https://arxiv.org/abs/hep-th/9901001v2", [R("hep-th/9901001", 2)]),
    ("Perelman math.GT/0309136 改变了拓扑学", [R("math/0309136")]),
    ("cond-mat/0603029v1（凝聚态）", [R("cond-mat/0603029", 1)]),
    ("arXiv:astro-ph/0601001", [R("astro-ph/0601001")]),
    ("the first new-style id is 0704.0001.", [R("0704.0001")]),
    ("1412.9999 and 1501.00001 straddle the switch", [R("1412.9999"), R("1501.00001")]),
    ("论文2401.12215很好", [R("2401.12215")]),
    (
        "「2401.12215」『2312.00752』【1706.03762】",
        [R("2401.12215"), R("2312.00752"), R("1706.03762")],
    ),
    (
        "对比 2401.12215、2312.00752 和 1706.03762？",
        [R("2401.12215"), R("2312.00752"), R("1706.03762")],
    ),
    ("（arXiv：２４０１．１２２１５ｖ１）", [R("2401.12215", 1)]),
    ("https://arxiv.org/abs/2401.\u200b12215", [R("2401.12215")]),
    ("\u202a2401.12215\u202c 这是从 Word 里复制的", [R("2401.12215")]),
    ("2401.12215 again: 2401.12215v1", [R("2401.12215")]),
    ("2401.12215v1 then 2401.12215", [R("2401.12215", 1)]),
    ("v1 2401.12215v1 vs v2 2401.12215v2", [R("2401.12215", 1), R("2401.12215", 2)]),
    (
        "Attention is all you need (arxiv.org/abs/1706.03762), BERT (1810.04805)",
        [
            R("1706.03762"),
            R("1810.04805"),
        ],
    ),
    ("<https://arxiv.org/abs/2401.12215>", [R("2401.12215")]),
    ("[paper](https://arxiv.org/abs/2401.12215v1) 附代码", [R("2401.12215", 1)]),
    ("https://arxiv.org/abs/2401.12215?context=cs.CV", [R("2401.12215")]),
    ("今天没有论文，只是聊天。", []),
    ("python 3.11.7 升级后 torch 2.1.0 报错", []),
]

LOOKALIKES = [
    "v1.2.3",
    "python 3.11.7",
    "1.10.2",
    "2024.01.15",
    "2023-12-01",
    "电话 138.0013.8000",
    "+86 1380.1380.000",
    "192.168.1001.2001",
    "10.0.0.1",
    "1234.5678",
    "2413.12345",
    "0612.12345",
    "1501.1234",
    "2401.1234",
    "0703.1234",
    "0012.1234",
    "x2401.12215",
    "2401.12215x",
    "12401.12215",
    "2401.122150",
    "2401.12215.3",
    "v2401.12215",
    "hep-th/9901001x",
    "hep-th/99010011",
    "hep-th/0801001",
    "hep-th/9913001",
    "foo-bar/9901001",
    "2401.12215v0",
    "price 1201.5 CNY",
]


@pytest.mark.parametrize(("text", "expected"), CHAT_MESSAGES)
def test_chat_messages(text: str, expected: list[ArxivRef]) -> None:
    assert find_arxiv_refs(text) == expected


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalikes_are_not_refs(text: str) -> None:
    assert find_arxiv_refs(text) == []
    with pytest.raises(MalformedArxivId):
        parse_arxiv_ref(text)


def test_limit_stops_early() -> None:
    text = " ".join(f"2401.{n:05d}" for n in range(1, 50))
    assert find_arxiv_refs(text, limit=3) == [R("2401.00001"), R("2401.00002"), R("2401.00003")]
    assert find_arxiv_refs(text, limit=0) == []
    assert len(find_arxiv_refs(text)) == 49


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2401.12215", R("2401.12215")),
        ("  arXiv:2401.12215v3 。", R("2401.12215", 3)),
        ("https://arxiv.org/pdf/2401.12215v1.pdf", R("2401.12215", 1)),
        ("https://arxiv.org/abs/2401.12215/", R("2401.12215")),
        ("https://arxiv.org/abs/2401.12215?context=cs", R("2401.12215")),
        ("hep-th/9901001v1", R("hep-th/9901001", 1)),
        ("１７０６．０３７６２", R("1706.03762")),
    ],
)
def test_parse_one_ref(text: str, expected: ArxivRef) -> None:
    assert parse_arxiv_ref(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "2401.12215 2312.00752", "see 2401.12215", "0000.0000"]
)
def test_parse_rejects_anything_but_one_ref(text: str) -> None:
    with pytest.raises(MalformedArxivId) as info:
        parse_arxiv_ref(text)
    assert "arXiv" in info.value.user_message


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    [
        "a" * 1_000_000,
        "2401.1" * 200_000,
        "1" * 1_000_000,
        "hep-th/" * 150_000,
        "https://arxiv.org/abs/" * 45_000,
        "2401.12215v" + "9" * 1_000_000,
        "2401.12215 " * 90_000,
    ],
)
def test_megabyte_messages_are_linear(text: str) -> None:
    refs = find_arxiv_refs(text)
    assert len(refs) <= 1


# --- generated ids ---------------------------------------------------------------------------

_MONTH = st.integers(1, 12)


@st.composite
def new_ids(draw: st.DrawFn) -> str:
    year = draw(st.integers(7, 99))
    month = draw(st.integers(4, 12) if year == 7 else _MONTH)
    yymm = f"{year:02d}{month:02d}"
    digits = 5 if yymm >= "1501" else 4
    return f"{yymm}.{draw(st.integers(0, 10**digits - 1)):0{digits}d}"


@st.composite
def old_ids(draw: st.DrawFn) -> str:
    archive = draw(st.sampled_from(LEGACY_ARCHIVES))
    year = draw(st.sampled_from([*range(91, 100), *range(8)]))
    return f"{archive}/{year:02d}{draw(_MONTH):02d}{draw(st.integers(0, 999)):03d}"


FORMS = [
    "{id}",
    "arXiv:{id}",
    "arxiv: {id}",
    "https://arxiv.org/abs/{id}",
    "http://arxiv.org/pdf/{id}",
    "https://arxiv.org/pdf/{id}.pdf",
    "https://arxiv.org/html/{id}",
    "https://export.arxiv.org/abs/{id}",
    "https://www.arxiv.org/abs/{id}",
    "10.48550/arXiv.{id}",
    "https://doi.org/10.48550/arXiv.{id}",
    "https://www.alphaxiv.org/abs/{id}",
    "https://www.alphaxiv.org/overview/{id}",
    "https://huggingface.co/papers/{id}",
]
SEPARATORS = [
    " ",
    "\n",
    "\t",
    "（",
    "(",
    "「",
    "【",
    "《",
    "“",
    "。",
    "，",
    "、",
    "；",
    "！",
    "？",
    "）",
    "」",
    "】",
    '"',
    "'",
]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=300, deadline=None)
@given(
    arxiv_id=st.one_of(new_ids(), old_ids()),
    version=st.none() | st.integers(1, 30),
    form=st.sampled_from(FORMS),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
    left=st.sampled_from(SEPARATORS),
    right=st.sampled_from(SEPARATORS),
)
@example(arxiv_id="0704.0001", version=None, form="{id}", before="", after="", left=" ", right=" ")
def test_generated_ids_are_found(
    arxiv_id: str,
    version: int | None,
    form: str,
    before: str,
    after: str,
    left: str,
    right: str,
) -> None:
    ref = R(arxiv_id, version)
    text = before + left + form.format(id=ref.versioned) + right + after
    assert ref in find_arxiv_refs(text)
    assert parse_arxiv_ref(form.format(id=ref.versioned)) == ref


@settings(max_examples=100, deadline=None)
@given(arxiv_id=st.one_of(new_ids(), old_ids()), version=st.none() | st.integers(1, 9))
def test_fullwidth_ids_are_found(arxiv_id: str, version: int | None) -> None:
    ref = R(arxiv_id, version)
    assert find_arxiv_refs(f"论文{_fullwidth('arXiv:' + ref.versioned)}。") == [ref]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_crashes_and_refs_are_canonical(text: str) -> None:
    for ref in find_arxiv_refs(text):
        assert parse_arxiv_ref(ref.versioned) == ref


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(new_ids(), old_ids()), min_size=1, max_size=8, unique=True))
def test_many_ids_in_order(ids: list[str]) -> None:
    assert find_arxiv_refs("，".join(ids)) == [R(i) for i in ids]
