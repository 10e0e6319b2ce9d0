"""The name check: datasets, benchmarks, models and tools a summary names must be in the source.

A name is a Latin-script token with a capital or a digit (Matterport3D, SUNCG, GPT-4o, Replica).
It is supported when the source writes it (any case, any hyphenation, singular or plural), when
each of its parts is (CLIP-based, ToolRL-DR), when it abbreviates words of the source
(CVP for "concealed visual perception"), or when it is a generic term every field uses (AI, GPU).
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.check_numbers import strip_markup

# Generic terms and units a Chinese summary writes in Latin letters without naming anything
# the paper would have to mention (checked on 2,400 real summaries, bench/faithfulness.py).
GENERIC = frozenset(
    """ai agi llm llms mllm mllms vlm vlms lm lms gpu gpus cpu cpus tpu nlp cv ml dl rl ir cnn
    cnns rnn rnns gnn gnns gan gans vae vaes mlp mlps lstm moe vit rag sft rlhf dpo ppo kv
    sota api apis sdk rgb rgbd 2d 3d 4d 6d qa vqa ocr asr tts nlu nlg ner iot uav uavs ar
    vr xr mri ct pet ecg eeg fmri dna rna id ids url ui ux io os pc sql json xml html pdf
    http f1 auc roc iou map bleu rouge mse rmse mae psnr ssim fid acc top1 top5 ood iid k n
    m x y t p r s l d q v w pre post non via vs etc fps flops gflops tflops gb mb kb tb hz
    khz mhz ghz ms ns km cm mm kg nm db dbm ieee acm arxiv github python transformer
    transformers cot icl zero few shot xai relu ft pt""".split()  # noqa: SIM905
)

_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:(?:[-_.+/']|--)[A-Za-z0-9]+)*\+*")
_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# math with commands ($O(n^{5/3}\log n)$, \(x\), \lambda); L$_{10}$GeP$_{2}$ is a formula, kept
_MATH = re.compile(r"\$[^$]*\\[A-Za-z][^$]*\$|\\\(.*?\\\)|\\[A-Za-z]+")
_PARTS = re.compile(r"--|[-_./+']")


_GLOSS = re.compile(r"\([^()]*\)|（[^（）]*）")
_TITLE_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*")


def _in_title_phrase(text: str, match: re.Match[str]) -> bool:
    """Next to another capitalized word, with only a space between: a Title Case phrase."""
    before = re.search(r"[A-Z][A-Za-z-]*\s+$", text[: match.start()])
    after = re.match(r"\s+[A-Z]", text[match.end() :])
    return bool(before or after)


def _key(token: str) -> str:
    return re.sub(r"[^a-z0-9]", "", token.lower())


@lru_cache(maxsize=64)
def source_forms(source_text: str) -> frozenset[str]:
    """Every spelling of a Latin name the source supports, as lowercase alphanumerics."""
    text = strip_markup(source_text)
    forms: set[str] = set()
    words = _WORD.findall(text)
    for token in _NAME.findall(text):
        forms.add(_key(token))
        forms.update(_key(part) for part in _PARTS.split(token))
        forms.update(w.lower() for w in _CAMEL.findall(token))  # HyperCLIC -> clic
    for i, word in enumerate(words):
        forms.add(word.lower())
        for size in range(2, 4):  # "Matterport 3D" -> matterport3d
            forms.add("".join(w.lower() for w in words[i : i + size]))
    letters = [w[0].lower() for w in words if w[0].isalpha()]
    for i in range(len(letters)):  # initialisms: CVP for "concealed visual perception"
        for size in range(2, 7):
            forms.add("".join(letters[i : i + size]))
    forms |= {form[:-1] for form in forms if len(form) > 2 and form.endswith("s")}  # HKLs
    return frozenset(forms - {""})


def _known(key: str, forms: frozenset[str]) -> bool:
    return key in forms or key in GENERIC or (key.endswith("s") and key[:-1] in forms | GENERIC)


def unsupported_names(
    text: str, source_text: str, forms: frozenset[str] | None = None
) -> list[str]:
    """Latin names in `text` (capitals or digits) that the source never writes."""
    forms = source_forms(source_text) if forms is None else forms
    missing: list[str] = []
    text = strip_markup(_MATH.sub(" ", text))
    glosses = [m.span() for m in _GLOSS.finditer(text)]
    for match in _NAME.finditer(text):
        for token in match.group().rstrip("+.'").split("/"):  # GPT-4o/Claude: two names
            if token and _unsupported(token, text, match, glosses, forms):
                missing.append(token)
    return list(dict.fromkeys(missing))


def _unsupported(
    token: str,
    text: str,
    match: re.Match[str],
    glosses: list[tuple[int, int]],
    forms: frozenset[str],
) -> bool:
    if not re.search(r"[A-Z0-9]", token) or re.fullmatch(r"[xX]?\d[\d.]*[A-Za-z]{0,2}", token):
        return False  # plain lowercase words; figures (7B, x1.3) are the number check's
    if len(token) == 1 or re.fullmatch(r"[a-z]\d", token):
        return False  # a variable: O(n), G, n2, l1
    if _TITLE_WORD.fullmatch(token) and (
        any(a <= match.start() < b for a, b in glosses) or _in_title_phrase(text, match)
    ):
        return False  # "低秩适配（Low-Rank Adaptation）", "Monte Carlo": words, not names
    if _known(_key(token), forms):
        return False
    parts = [p for p in _PARTS.split(token) if _key(p)]
    return not (
        len(parts) > 1
        and not re.search(r"\d", token)  # LLaMA-2, GPT-4o: the version makes the name
        and all(_known(_key(p), forms) or p.islower() for p in parts)
    )
