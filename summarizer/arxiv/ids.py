"""Finding and canonicalising arXiv references (ids, links, DOIs) in free chat text."""

from __future__ import annotations

import re
import unicodedata

from summarizer.errors import (
    MalformedArxivId,
    MalformedArxivLink,
    NoArxivReference,
    NotArxivLink,
    PaperbotError,
)
from summarizer.models import ArxivRef

# Archives that ever issued old-style ids `archive(.SC)/YYMMNNN` (arXiv's own list, incl. retired).
LEGACY_ARCHIVES: tuple[str, ...] = (
    "acc-phys",
    "adap-org",
    "alg-geom",
    "ao-sci",
    "astro-ph",
    "atom-ph",
    "bayes-an",
    "chao-dyn",
    "chem-ph",
    "cmp-lg",
    "comp-gas",
    "cond-mat",
    "cs",
    "dg-ga",
    "econ",
    "eess",
    "funct-an",
    "gr-qc",
    "hep-ex",
    "hep-lat",
    "hep-ph",
    "hep-th",
    "math",
    "math-ph",
    "mtrl-th",
    "nlin",
    "nucl-ex",
    "nucl-th",
    "patt-sol",
    "physics",
    "plasm-ph",
    "q-alg",
    "q-bio",
    "q-fin",
    "quant-ph",
    "solv-int",
    "stat",
    "supr-con",
)

# Zero-width characters, soft hyphen and bidi controls that chat clients sneak into pasted links.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_ARCHIVE_ALT = "|".join(re.escape(a) for a in sorted(LEGACY_ARCHIVES, key=len, reverse=True))

# Every piece is bounded or followed by a fixed token, so matching is linear in the text length.
_PREFIX = r"""
    (?:https?://)?
    (?:
        (?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|ps|format)/
      | (?:www\.)?alphaxiv\.org/(?:abs|overview)/
      | (?:www\.)?huggingface\.co/papers/
      | (?:dx\.)?doi\.org/10\.48550/arxiv\.
    )
  | 10\.48550/arxiv\.
  | arxiv:[ ]?
"""
_NEW_ID = r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})"
_OLD_ID = rf"(?P<archive>{_ARCHIVE_ALT})(?:\.[a-z]{{2}})?/(?P<old>\d{{7}})"
_VERSION = r"(?:v(?P<version>\d{1,4}))?"
# A bare id may not be glued to letters, digits or id punctuation (CJK text before it is fine).
_BARE_BEFORE = r"(?<![0-9a-z._\-+@])"
_AFTER = r"(?:\.pdf)?(?![0-9a-z_]|[.\-/]\d)"

_REF_RE = re.compile(
    rf"(?:{_PREFIX}|{_BARE_BEFORE})(?:{_NEW_ID}|{_OLD_ID}){_VERSION}{_AFTER}",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
# What may follow a whole link in `parse_arxiv_ref`: a query, a fragment or a trailing slash.
_LINK_TAIL = re.compile(r"(?:/|[?#]\S*)?")
_STRIP = " \t\r\n\"'`<>()[]{}.,;:!?。，、；：！？（）「」『』【】《》〈〉“”‘’…"


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and colons become ASCII) minus invisible characters."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _ref_from_match(m: re.Match[str]) -> ArxivRef | None:
    version = int(m["version"]) if m["version"] else None
    if version == 0:
        return None
    if m["yymm"]:
        yymm, num = m["yymm"], m["num"]
        month = int(yymm[2:])
        # New scheme began 0704; 5-digit sequence numbers from 1501 on, 4 digits before.
        if not 1 <= month <= 12 or yymm < "0704" or len(num) != (5 if yymm >= "1501" else 4):
            return None
        return ArxivRef(arxiv_id=f"{yymm}.{num}", version=version)
    old = m["old"]
    year, month = int(old[:2]), int(old[2:4])
    if not (year >= 91 or year <= 7) or not 1 <= month <= 12:
        return None
    # `math.GT/0309136` is arXiv's alias of `math/0309136`: the subject class is not part of the id.
    return ArxivRef(arxiv_id=f"{m['archive'].lower()}/{old}", version=version)


def find_arxiv_refs(text: str, *, limit: int | None = None) -> list[ArxivRef]:
    """Every arXiv reference in `text`, canonical, in order of first appearance.

    The same id seen with and without a version keeps the first form seen; different explicit
    versions of one id are all kept."""
    found: list[ArxivRef] = []
    if limit is not None and limit <= 0:
        return found
    seen: set[tuple[str, int | None]] = set()
    unversioned_or_any: set[str] = set()
    for m in _REF_RE.finditer(normalize_text(text)):
        ref = _ref_from_match(m)
        if ref is None:
            continue
        if ref.version is None:
            if ref.arxiv_id in unversioned_or_any:
                continue
        elif (ref.arxiv_id, None) in seen or (ref.arxiv_id, ref.version) in seen:
            continue
        seen.add((ref.arxiv_id, ref.version))
        unversioned_or_any.add(ref.arxiv_id)
        found.append(ref)
        if limit is not None and len(found) >= limit:
            break
    return found


def parse_arxiv_ref(text: str) -> ArxivRef:
    """Exactly one reference, given alone (a bare id or a link); else MalformedArxivId."""
    cleaned = normalize_text(text).strip(_STRIP)
    m = _REF_RE.match(cleaned)
    if m is not None and _LINK_TAIL.fullmatch(cleaned, m.end()):
        ref = _ref_from_match(m)
        if ref is not None:
            return ref
    raise MalformedArxivId(text.strip())


# A link to a page that would hold an arXiv id (the prefixes above, without the id).
_ARXIV_SITE = re.compile(
    r"(?:arxiv\.org|alphaxiv\.org|huggingface\.co/papers|doi\.org/10\.48550)/\S*", re.IGNORECASE
)
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)
_ID_ATTEMPT = re.compile(r"^\S{1,60}$")  # one word: meant as an id


def no_reference_error(text: str) -> PaperbotError:
    """Why `text` (which holds no arXiv reference) was refused, in the words that fit: an
    arXiv link with a broken id, a link to another site, one word that is not an id, or text."""
    cleaned = normalize_text(text).strip()
    links = [m.group().strip(_STRIP) for m in _LINK.finditer(cleaned)]
    to_arxiv = [link for link in links if _ARXIV_SITE.search(link)]
    if to_arxiv:
        return MalformedArxivLink(to_arxiv[0])
    site = _ARXIV_SITE.search(cleaned)
    if site is not None:
        return MalformedArxivLink(site.group().strip(_STRIP))
    if links:
        return NotArxivLink(links[0])
    if _ID_ATTEMPT.match(cleaned):
        return MalformedArxivId(text.strip())
    return NoArxivReference(cleaned[:100])


def one_per_paper(refs: list[ArxivRef]) -> list[ArxivRef]:
    """Several versions of one paper in one message are one paper: the newest mentioned (no
    version at all means the latest), in the place of its first mention."""
    chosen: dict[str, ArxivRef] = {}
    for ref in refs:
        seen = chosen.get(ref.arxiv_id)
        old = seen.version if seen is not None else None
        newer = old is not None and (ref.version is None or ref.version > old)
        if seen is None or newer:
            chosen[ref.arxiv_id] = ref  # replacing keeps the first mention's place
    return list(chosen.values())
