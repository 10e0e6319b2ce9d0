"""`/sub` topics: parse what a user typed into a Topic, and the text folding matching shares.

Grammar (whitespace separated, case-insensitive):
- categories / archives: `cs.CL`, `hep-th`, `cat:cs`; a bare archive word (`cs`, `math`) is a
  category only when it is the whole topic (else it is a keyword; `cat:math` forces it);
- keywords: words and "quoted phrases" (“中文引号” and 「」 too) are ANDed; `OR` (or `|`)
  separates alternatives; `-word` / `-"phrase"` excludes papers;
- authors: `au:Hinton`, `au:"Geoffrey Hinton"`, `au:Hinton_G` (arXiv's last_initial form);
- interests: `~free text` (Chinese or English), matched by meaning, optionally after categories:
  `cs.CL ~多模态大模型的幻觉评测`.
Keyword and author topics without a category are scoped to the default archive.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from handlers.digest.types import Topic, TopicKind
from summarizer.arxiv.taxonomy import ARCHIVES, canonical_code, looks_like_code, suggest

MAX_TOPIC_CHARS = 200
MAX_ALTERNATIVES = 10
EXAMPLES = '示例：/sub cs.CL、/sub "language model" -survey、/sub au:Hinton'

_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»「」『』＂", '"'))
_EDGE_PUNCT = ",.;:!?()[]{}<>'，。；：！？、（）【】《》"
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
# Latin letters that Unicode does not decompose into a base letter and a diacritic.
_LATIN = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE",
     "æ": "ae", "Œ": "OE", "œ": "oe", "ı": "i", "Þ": "Th", "þ": "th", "ð": "d"}
)  # fmt: skip
_CODE_SHAPE = re.compile(r"[a-z][a-z-]*\.[A-Z]{2}")  # `qbio.NC`: meant as a category
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class TopicError(ValueError):
    """An invalid `/sub` argument; str(self) is a Chinese explanation for the user."""


def fold(text: str) -> str:
    """Lower-case, NFKC width-normalised, diacritics removed: `Schölkopf` -> `scholkopf`."""
    if text.isascii():  # the common case for arXiv metadata, and 20x faster
        return text.lower()
    text = unicodedata.normalize("NFKC", text).translate(_LATIN)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """Simple plural folding shared by queries and papers: `models`/`model`, `LLMs`/`LLM`,
    `studies`/`study`; `-ss` words and tokens of 3 letters or fewer stay as they are."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def word_tokens(text: str) -> list[str]:
    """Folded, stemmed tokens: runs of letters/digits; each CJK character is its own token so
    Chinese phrases match as character sequences. Hyphens split (`self-supervised`)."""
    folded = fold(text)
    if folded.isascii():  # arXiv's English metadata: no CJK splitting needed
        return [stem(run) for run in _TOKEN.findall(folded)]
    out: list[str] = []
    for run in _TOKEN.findall(folded):
        if _CJK.search(run):
            for piece in re.split(f"({_CJK.pattern})", run):
                if piece:
                    out.append(stem(piece) if not _CJK.fullmatch(piece) else piece)
        else:
            out.append(stem(run))
    return out


def author_key(name: str) -> str:
    """A name folded to space-separated tokens: `Geoffrey E. Hinton` -> `geoffrey e hinton`."""
    return " ".join(_TOKEN.findall(fold(name).replace("_", " ")))


def _snippet(text: str, limit: int = 30) -> str:
    """User text echoed in an error: printable characters only, cut short."""
    return "".join(c for c in text if c.isprintable())[:limit]


@dataclass(frozen=True)
class _Tok:
    kind: str  # word | phrase | or | author | cat
    text: str
    negative: bool = False


def _read(text: str, i: int) -> tuple[str, int, bool]:
    """Read a word or a quoted phrase starting at i: (text, next index, quoted)."""
    if text[i] == '"':
        end = text.find('"', i + 1)
        if end < 0:
            raise TopicError(f"引号不成对：请检查「{_snippet(text[i:])}」。{EXAMPLES}")
        return text[i + 1 : end].strip(), end + 1, True
    end = i
    while end < len(text) and not text[end].isspace() and text[end] != '"':
        end += 1
    return text[i:end], end, False


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        lowered = text[i : i + 4].lower()
        if lowered.startswith("au:") and i + 3 < len(text) and not text[i + 3].isspace():
            value, i, _ = _read(text, i + 3)
            toks.append(_Tok("author", value))
        elif lowered == "cat:" and i + 4 < len(text) and not text[i + 4].isspace():
            value, i, _ = _read(text, i + 4)
            toks.append(_Tok("cat", value))
        elif text[i] == "-" and i + 1 < len(text) and not text[i + 1].isspace():
            value, i, quoted = _read(text, i + 1)
            toks.append(_Tok("phrase" if quoted else "word", value, negative=True))
        else:
            value, i, quoted = _read(text, i)
            if not quoted and value in ("OR", "|", "｜"):
                toks.append(_Tok("or", value))
            else:
                toks.append(_Tok("phrase" if quoted else "word", value))
    return toks


def _unknown_category(code: str) -> TopicError:
    guess = suggest(code)
    hint = f"你是不是想订阅 {guess}？" if guess else "分类代码见 arxiv.org/category_taxonomy。"
    return TopicError(f"未知的 arXiv 分类「{_snippet(code)}」。{hint}")


def _category(value: str) -> str:
    code = canonical_code(value)
    if code is None:
        raise _unknown_category(value)
    return code


def _as_category(tok: _Tok, whole: bool) -> str | None:
    """The category a bare word names, None if it is a keyword; raises for `cs.XX` typos."""
    if tok.kind != "word" or tok.negative:
        return None
    code = canonical_code(tok.text)
    if code is not None and (whole or "." in code or code not in ARCHIVES or "-" in code):
        return code
    if looks_like_code(tok.text) or _CODE_SHAPE.fullmatch(tok.text):
        raise _unknown_category(tok.text)
    return None


def _term(tok: _Tok) -> str | None:
    text = tok.text if tok.kind == "phrase" else tok.text.strip(_EDGE_PUNCT)
    if not word_tokens(text):
        return None
    return " ".join(text.split()).lower()


def _show(tok: _Tok, term: str) -> str:
    shown = f'"{term}"' if tok.kind == "phrase" else tok.text.strip(_EDGE_PUNCT)
    return f"-{shown}" if tok.negative else shown


def _author(value: str) -> str:
    if re.fullmatch(r"[^\W\d_][\w'-]*_[^\W\d_]{1,3}", value):  # arXiv's Hinton_G
        last, _, initials = value.partition("_")
        value = f"{initials} {last}"
    key = author_key(value)
    if not key:
        raise TopicError(f'作者名为空。示例：au:Hinton 或 au:"Geoffrey Hinton"。{EXAMPLES}')
    return key


def parse_topic(text: str, *, default_archive: str = "cs") -> Topic:
    """Parse a `/sub` argument; raises TopicError with a Chinese explanation."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())
    if not cleaned:
        raise TopicError(f"请给出要订阅的主题。{EXAMPLES}")
    if len(cleaned) > MAX_TOPIC_CHARS:
        raise TopicError(f"主题太长了（{len(cleaned)} 个字符），最多 {MAX_TOPIC_CHARS} 个字符。")
    if "~" in cleaned:
        return _interest(cleaned, default_archive)
    toks = _tokenize(cleaned)
    whole = len(toks) == 1
    categories: list[str] = []
    authors: list[str] = []
    groups: list[list[str]] = [[]]
    exclude: list[str] = []
    shown: list[str] = []
    for tok in toks:
        code = _category(tok.text) if tok.kind == "cat" else _as_category(tok, whole)
        if code is not None:
            if code not in categories:
                categories.append(code)
            shown.append(code)
        elif tok.kind == "author":
            authors.append(_author(tok.text))
            shown.append(f'au:"{tok.text}"' if " " in tok.text else f"au:{tok.text}")
        elif tok.kind == "or":
            if not groups[-1]:
                raise TopicError(f"OR 两边都需要关键词。{EXAMPLES}")
            groups.append([])
            shown.append("OR")
        elif (term := _term(tok)) is not None:
            (exclude if tok.negative else groups[-1]).append(term)
            shown.append(_show(tok, term))
    raw = " ".join(shown)
    if len(groups) > 1 and not groups[-1]:
        raise TopicError(f"OR 两边都需要关键词。{EXAMPLES}")
    if len(groups) > MAX_ALTERNATIVES:
        raise TopicError(f"OR 分支太多了，最多 {MAX_ALTERNATIVES} 个。")
    positive = tuple(tuple(dict.fromkeys(g)) for g in groups if g)
    scope = tuple(categories) or (default_archive,)
    excluded = tuple(dict.fromkeys(exclude))
    if authors:
        if len(authors) > 1 or positive:
            raise TopicError("作者订阅每次只能写一位作者，且只能附加分类，例如：au:Hinton cs.LG")
        return Topic(
            kind=TopicKind.AUTHOR, raw=raw, categories=scope, author=authors[0], exclude=excluded
        )
    if not positive:
        if categories:
            return Topic(
                kind=TopicKind.CATEGORY, raw=raw, categories=tuple(categories), exclude=excluded
            )
        raise TopicError(f"至少需要一个要匹配的关键词（只写排除词 -word 不够）。{EXAMPLES}")
    return Topic(
        kind=TopicKind.KEYWORDS,
        raw=raw,
        categories=scope,
        any_of=positive,
        exclude=excluded,
    )


def _interest(cleaned: str, default_archive: str) -> Topic:
    """`[categories] ~free text`: what comes before `~` must be categories."""
    head, _, text = cleaned.partition("~")
    text = text.strip().strip('"').strip()
    if len(text) < 2:
        raise TopicError("请在 ~ 后写下你关心的研究方向，例如：/sub ~多模态大模型的幻觉评测")
    categories = [_category(word) for word in head.split()]
    scope = tuple(dict.fromkeys(categories)) or (default_archive,)
    raw = " ".join([*dict.fromkeys(categories), f"~{text}"])
    return Topic(kind=TopicKind.INTEREST, raw=raw, categories=scope, interest=text)
