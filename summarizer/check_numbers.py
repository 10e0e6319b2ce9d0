"""The number check: every figure a summary writes must be a figure of the source, in any spelling.

Equal means equal in value, or equal after rounding at the digits the summary shows, across
scales (1.22 million = 122万, 21K = 21,000, 0.97 = 97%), spellings (digit groups, LaTeX, English
number words: "ten", "five percent", "three-quarters") and parts of compounds (12-lead, top-20,
x1.3, 32-fold). Digits that belong to a name (GPT-3.5, ChestX-ray14, ResNet-50) are not figures.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

SCALES: dict[str, Decimal] = {
    "k": Decimal(10**3), "thousand": Decimal(10**3), "thousands": Decimal(10**3),
    "m": Decimal(10**6), "million": Decimal(10**6), "millions": Decimal(10**6),
    "b": Decimal(10**9), "billion": Decimal(10**9), "billions": Decimal(10**9),
    "bn": Decimal(10**9), "trillion": Decimal(10**12),
    "万": Decimal(10**4), "亿": Decimal(10**8), "百万": Decimal(10**6), "千万": Decimal(10**7),
}  # fmt: skip
HUNDRED = Decimal(100)

# English number words (source side): "ten", "twenty-four", "five percent", "three-quarters".
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
_UNITS += " fifteen sixteen seventeen eighteen nineteen"
WORD_VALUES: dict[str, int] = {word: i for i, word in enumerate(_UNITS.split())}
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES |= {word: 10 * (i + 2) for i, word in enumerate(_TENS)}
WORD_VALUES |= {"dozen": 12, "hundred": 100, "twice": 2, "double": 2, "doubles": 2}
WORD_VALUES |= {"doubled": 2, "triple": 3, "tripled": 3, "quadruple": 4}
FRACTION_WORDS = {"half": Decimal("0.5"), "third": Decimal(1) / 3, "thirds": Decimal(1) / 3}
FRACTION_WORDS |= {"quarter": Decimal("0.25"), "quarters": Decimal("0.25")}
_WORD = "|".join(sorted(WORD_VALUES, key=len, reverse=True))
_NUMBER_WORDS = re.compile(
    rf"\b({_WORD})(?:[- ]({_WORD}))?(?:[- ](hundred|thousand|million|billion))?"
    r"(?:[- ](percent|per cent|thirds?|quarters?))?\b",
    re.IGNORECASE,
)
_ALWAYS_MULTIPLE = ("twice", "double", "doubles", "doubled", "triple", "tripled", "quadruple")
_MULTIPLE = re.compile(r"[- ]?(?:times|fold|x)\b", re.IGNORECASE)
_A_FRACTION = re.compile(r"\b(?:a|one)[- ](half|third|quarter)\b", re.IGNORECASE)
_SCALE_WORD = re.compile(r"\b(?:a|one)[- ](hundred|thousand|million|billion)\b", re.IGNORECASE)

# LaTeX and digit-group spellings, removed before reading figures.
_LATEX_DROP = re.compile(r"\\[A-Za-z]+\s*(?=\{)")  # \textbf{5,7}, \texttt{HELiX}, \rm{IoU}
_LATEX_SPACE = re.compile(r"\\(?:rightarrow|to|approx|sim|pm|leq?|geq?|cdot|,|;|!|quad)")
_THIN_GROUP = re.compile(r"(?<=\d)(?:\\,|[\u2009\u202f]|\{,\}|')(?=\d{3})")  # 84'000
_EURO_DECIMAL = re.compile(r"(?<![\d,])(\d+),(\d{1,2})(?![\d,])")

_FIGURE = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?!\d)|\d+)(\.\d+)?"
    r"(?:(?=\s*(?:[-–~]|至|到)\s*\d+(?:\.\d+)?\s*(%|×|倍)))?"  # 97-99%, 1.7-2.2倍: one unit
    r"(?:\s*(%|×|倍|千万|百万|万|亿))?"
)
_FRACTION = re.compile(r"(?<![\d.,/])(\d+)\s*/\s*(\d+)(?![\d.,/])")
_TECH_TOKEN = re.compile(r"[A-Za-z0-9]+(?:(?:[-_./]|--)[A-Za-z0-9]+)*")
_PART_SPLIT = re.compile(r"--|[-_/]")
_PURE = re.compile(r"(\d+)(\.\d+)?")
_WITH_UNIT = re.compile(r"[xX×]?(\d+)(\.\d+)?([A-Za-z]{1,2})?")
_LATIN_SCALE = re.compile(r"(\d+(?:\.\d+)?)\s*(thousands?|millions?|billions?|trillion|bn)\b", re.I)


def _value(integer: str, fraction: str | None = None) -> Decimal:
    try:
        return Decimal(integer.replace(",", "") + (fraction or "")).normalize()
    except InvalidOperation:  # pragma: no cover - the regexes only admit digits
        return Decimal(-1)


def strip_markup(text: str) -> str:
    """NFKC, LaTeX commands and math marks out, thin-space digit groups joined."""
    text = unicodedata.normalize("NFKC", text)
    text = _THIN_GROUP.sub("", text)
    text = _LATEX_DROP.sub("", text)
    text = _LATEX_SPACE.sub(" ", text).replace("\\times", "×").replace("\\%", "%")
    text = re.sub(r"\\([A-Za-z]+)", r" \1 ", text)  # \Theta, \Delta4.1%: the word stays, apart
    text = re.sub(r"[_^](?=\{)", "", text)  # IoU_{50} -> IoU50
    text = _ACCENTED.sub(_fold, text)  # Cramér -> Cramer
    return re.sub(r"[${}^\\]", "", text)


_ACCENTED = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")  # letters, not × ÷


def _fold(match: re.Match[str]) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", match.group()) if c.isascii())


@lru_cache(maxsize=64)
def _compact_source(source_text: str) -> str:
    return re.sub(r"\s+", "", strip_markup(source_text)).lower()


def is_name(token: str) -> bool:
    return bool(re.search(r"[A-Za-z]", token) and re.search(r"\d", token))


def _part_values(token: str) -> set[Decimal]:
    """Figures that are whole parts of a compound: 12-lead, top-20, x1.3, 1.7-2.2x, 7B, 21K.
    A bare number right after a capitalized part is a version (GPT-3.5, ResNet-50): skipped."""
    values: set[Decimal] = set()
    previous = ""
    for part in _PART_SPLIT.split(token):
        unit = _WITH_UNIT.fullmatch(part)
        if unit and (unit.group(3) or part[0] in "xX×"):
            number = _value(unit.group(1), unit.group(2))
            values.add(number)
            scale = SCALES.get((unit.group(3) or "").lower())
            if scale is not None:
                values.add(number * scale)
        elif _PURE.fullmatch(part) and not re.search(r"[A-Z]", previous):
            values.add(_value(part))
        previous = part
    return values


def source_numbers(source_text: str) -> frozenset[Decimal]:
    """Every figure of the source in every spelling it can be read back in."""
    return _source_figures(source_text)[0]


@lru_cache(maxsize=64)
def _source_figures(source_text: str) -> tuple[frozenset[Decimal], frozenset[Decimal]]:
    """(every figure, the figures a % or 倍 may repeat as is): "three datasets" supports 3 and
    3万 but not 3% or 3倍; "three times faster" and "3 datasets" support 3倍."""
    text = strip_markup(source_text)
    values: set[Decimal] = set()

    def compound(match: re.Match[str]) -> str:
        token = match.group()
        if not is_name(token):
            return token
        values.update(_part_values(token))
        return " "

    for match in _LATIN_SCALE.finditer(text):
        number = Decimal(match.group(1))
        values.update({number, number * SCALES[match.group(2).lower()]})
    for match in _EURO_DECIMAL.finditer(text):  # \textbf{5,7}x: a decimal comma
        values.add(_value(match.group(1), "." + match.group(2)))
    text = _TECH_TOKEN.sub(compound, re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text))  # 25,000-task
    for match in _FIGURE.finditer(text):
        number = _value(match.group(1), match.group(2))
        values.add(number)
        unit = match.group(3) or match.group(4)
        if unit == "%":
            values.add(number / HUNDRED)
        elif unit in SCALES:
            values.add(number * SCALES[unit])
    if re.search(r"\bperfect(?:ly)?\b", text, re.IGNORECASE):
        values.add(HUNDRED)  # "perfect accuracy" = 100%
    words, multiples = _word_values(text)
    digits = values | multiples | {v * HUNDRED for v in values | multiples if 0 < v < 1}
    return frozenset(digits | words | {v * HUNDRED for v in words if 0 < v < 1}), frozenset(digits)


def _word_values(text: str) -> tuple[set[Decimal], set[Decimal]]:
    """(numbers written in words, those that are multiples or percentages: "six times", "twice",
    "three-fold", "five percent")."""
    values: set[Decimal] = set()
    multiples: set[Decimal] = set()
    for match in _NUMBER_WORDS.finditer(text):
        first, second, scale, tail = match.groups()
        number = Decimal(
            WORD_VALUES[first.lower()] + (WORD_VALUES[second.lower()] if second else 0)
        )
        if scale:
            number *= HUNDRED if scale.lower() == "hundred" else SCALES[scale.lower()]
        values.add(number)
        if first.lower() in (
            "twice",
            "double",
            "doubles",
            "doubled",
            "triple",
            "tripled",
        ) or _MULTIPLE.match(text, match.end()):
            multiples.add(number)
        if tail and tail.lower().startswith("per"):
            multiples.update({number, number / HUNDRED})
        elif tail:
            values.add(number * FRACTION_WORDS[tail.lower()])
    values.update(FRACTION_WORDS[m.group(1).lower()] for m in _A_FRACTION.finditer(text))
    for match in _SCALE_WORD.finditer(text):
        word = match.group(1).lower()
        values.add(HUNDRED if word == "hundred" else SCALES[word])
    return values, multiples


def _matches(value: Decimal, quantum: Decimal, known: frozenset[Decimal]) -> bool:
    """Equal, or equal after rounding at the digits shown (167万 for 1,674,321)."""
    half = quantum / 2
    return any(abs(value - k) <= half for k in known)


def _quantum(fraction: str | None) -> Decimal:
    return Decimal(1).scaleb(-(len(fraction) - 1)) if fraction else Decimal(1)


def _figure_ok(
    integer: str,
    fraction: str | None,
    unit: str | None,
    known: tuple[frozenset[Decimal], frozenset[Decimal]],
) -> bool:
    value, quantum = _value(integer, fraction), _quantum(fraction)
    every, digits = known
    if unit in SCALES:
        return _matches(value * SCALES[unit], quantum * SCALES[unit], every)
    if unit == "%":
        return _matches(value / HUNDRED, quantum / HUNDRED, every) or _matches(
            value, quantum, digits
        )
    return _matches(value, quantum, digits if unit else every)


def unsupported_numbers(text: str, source_text: str) -> list[str]:
    """Figures in `text` (integers >= 10, decimals, %, ×, 倍, 万/亿, fractions) not in source."""
    norm = strip_markup(text)
    figures = _source_figures(source_text)
    known = figures[0]
    compact_source = _compact_source(source_text)
    missing: list[str] = []

    def tech_name(match: re.Match[str]) -> str:
        token = match.group()
        if not is_name(token):
            return token
        unit = _WITH_UNIT.fullmatch(token)
        if unit and (unit.group(3) or token[0] in "xX×"):  # 16x, 7B, 1.2M, x1.3: a figure
            scale = SCALES.get((unit.group(3) or "").lower())
            value = _value(unit.group(1), unit.group(2))
            quantum = _quantum(unit.group(2))
            if scale is None:  # 16x: a multiple
                ok = _matches(value, quantum, figures[1])
            else:
                ok = _matches(value * scale, quantum * scale, known)
            ok = ok or token.lower() in compact_source
            if not ok and (unit.group(2) or value >= 10 or scale is not None):
                missing.append(token)
            return " "
        # a name found verbatim in the paper is fine; otherwise its big or decimal numbers count
        if token.lower() not in compact_source and any(
            _value(m.group(1), m.group(2)) not in known
            for m in _PURE.finditer(token)
            if m.group(2) or _value(m.group(1)) >= 10
        ):
            missing.append(token)
        return " "

    norm = _TECH_TOKEN.sub(tech_name, norm)
    for match in _FRACTION.finditer(norm):
        whole = Decimal(match.group(1)) / Decimal(match.group(2)) if int(match.group(2)) else None
        parts_known = all(_value(p) in known or _value(p) < 10 for p in match.groups())
        if not parts_known and not (whole is not None and _matches(whole, Decimal("0.01"), known)):
            missing.append(match.group())
    norm = _FRACTION.sub(" ", norm)
    for match in _FIGURE.finditer(norm):
        integer, fraction, range_unit, unit = match.groups()
        unit = unit or range_unit
        if fraction is None and unit is None and _value(integer) < 10:
            continue
        if not _figure_ok(integer, fraction, unit, figures):
            missing.append(match.group().strip())
    return missing
