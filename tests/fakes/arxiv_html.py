"""pytest plugin: arXiv HTML pages in LaTeXML markup, and a fake arxiv.org `/html` + `/pdf` server.

The pages follow what arxiv.org/html serves (LaTeXML 0.8): `ltx_document`, `ltx_authors` with
`ltx_personname` and `ltx_contact ltx_role_affiliation`, `ltx_abstract`, `ltx_section` with
`ltx_tag_section`, `ltx_para`, `ltx_figure`/`ltx_caption`, `ltx_bibliography`, and arXiv's own
page header around it (whose GitHub "report an issue" link is not the paper's code).
"""

from __future__ import annotations

import asyncio
import html
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from aiohttp import web

from summarizer.fulltext import FullTextSource, MemoryFullTextStore, PaperFetcher
from tests.fakes.arxiv_server import LESS_COULD_BE_BETTER

REAL_PDF = Path(__file__).resolve().parent.parent / "data" / "real" / "1111.2011v2.pdf"
AuthorStyle = Literal["contact", "personname", "none"]


@dataclass
class HtmlSection:
    title: str
    paragraphs: Sequence[str] = ()
    tag: str | None = None
    subsections: Sequence[HtmlSection] = ()
    figure: str | None = None  # caption of a figure placed after the paragraphs
    kind: Literal["section", "subsection", "appendix"] = "section"


@dataclass
class HtmlAuthor:
    name: str
    affiliations: Sequence[str] = ()
    email: str | None = None
    marks: str = ""


def _p(text: str, ident: str) -> str:
    # `$x$` in a paragraph becomes LaTeXML MathML carrying its TeX as alttext.
    parts = html.escape(text).split("$")
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(
                f'<math id="{ident}.m{i}" class="ltx_Math" alttext="{part}" display="inline">'
                f'<semantics><mi>{part}</mi><annotation encoding="application/x-tex">{part}'
                "</annotation></semantics></math>"
            )
        else:
            out.append(part)
    return f'<div id="{ident}" class="ltx_para"><p id="{ident}.1" class="ltx_p">{"".join(out)}</p></div>'


def _section(sec: HtmlSection, ident: str, figure_no: list[int]) -> str:
    level = {"section": ("section", "h2"), "subsection": ("subsection", "h3")}
    name, h = level.get(sec.kind, ("appendix", "h2"))
    tag = f'<span class="ltx_tag ltx_tag_{name}">{html.escape(sec.tag)} </span>' if sec.tag else ""
    body = [_p(text, f"{ident}.p{i}") for i, text in enumerate(sec.paragraphs, 1)]
    if sec.figure:
        figure_no[0] += 1
        n = figure_no[0]
        body.append(
            f'<figure id="{ident}.F{n}" class="ltx_figure"><img src="x{n}.png" id="{ident}.F{n}.g1"'
            ' class="ltx_graphics ltx_centering ltx_img_landscape" width="598" height="240"'
            ' alt="Refer to caption"><figcaption class="ltx_caption ltx_centering">'
            f'<span class="ltx_tag ltx_tag_figure">Figure {n}: </span>{html.escape(sec.figure)}'
            "</figcaption></figure>"
        )
    for j, sub in enumerate(sec.subsections, 1):
        body.append(_section(sub, f"{ident}.SS{j}", figure_no))
    return (
        f'<section id="{ident}" class="ltx_{name}"><{h} class="ltx_title ltx_title_{name}">'
        f"{tag}{html.escape(sec.title)}</{h}>\n" + "\n".join(body) + "</section>"
    )


def _authors(authors: Sequence[HtmlAuthor], style: AuthorStyle) -> str:
    if style == "personname":
        # \author{A$^1$, B$^2$ \\ $^1$Univ X \\ $^2$Lab Y}: one personname, lines split by <br>.
        names = ", ".join(
            f'{html.escape(a.name)}<sup class="ltx_sup">{a.marks}</sup>' for a in authors
        )
        seen: list[str] = []
        for a in authors:
            seen += [x for x in a.affiliations if x not in seen]
        lines = [f'<sup class="ltx_sup">{i}</sup>{html.escape(x)}' for i, x in enumerate(seen, 1)]
        return (
            '<div class="ltx_authors"><span class="ltx_creator ltx_role_author">'
            f'<span class="ltx_personname">{names}<br class="ltx_break">'
            + '<br class="ltx_break">'.join(lines)
            + "</span></span></div>"
        )
    parts = []
    for a in authors:
        notes = ""
        if style == "contact":
            notes = "".join(
                '<span class="ltx_contact ltx_role_affiliation"><span class="ltx_contact_name">'
                f"Affiliation: </span>{html.escape(x)}</span>"
                for x in a.affiliations
            )
            if a.email:
                notes += (
                    '<span class="ltx_contact ltx_role_email"><a href="mailto:'
                    f'{a.email}">{a.email}</a></span>'
                )
            notes = f'<span class="ltx_author_notes"><span class="ltx_author_notes_content">{notes}</span></span>'
        parts.append(
            '<span class="ltx_creator ltx_role_author"><span class="ltx_personname">'
            f"{html.escape(a.name)}</span>{notes}</span>"
        )
    return (
        '<div class="ltx_authors">'
        + '<span class="ltx_author_before">, </span>'.join(parts)
        + "</div>"
    )


def latexml_html(
    *,
    title: str,
    authors: Sequence[HtmlAuthor],
    abstract: str,
    sections: Sequence[HtmlSection],
    bibliography: Sequence[str] = (),
    acknowledgements: str | None = None,
    style: AuthorStyle = "contact",
) -> str:
    """A page shaped like arxiv.org/html/<id> (LaTeXML 0.8.8 output inside arXiv's frame)."""
    figure_no = [0]
    body = "\n".join(_section(s, f"S{i}", figure_no) for i, s in enumerate(sections, 1))
    if acknowledgements:
        body += (
            '<div id="Sx1" class="ltx_acknowledgements"><h6 class="ltx_title '
            f'ltx_title_acknowledgements">Acknowledgements</h6>{html.escape(acknowledgements)}</div>'
        )
    if bibliography:
        items = "".join(
            f'<li id="bib.bib{i}" class="ltx_bibitem"><span class="ltx_tag ltx_tag_bibitem">[{i}]'
            f'</span><span class="ltx_bibblock">{entry}</span></li>'
            for i, entry in enumerate(bibliography, 1)
        )
        body += (
            '<section id="bib" class="ltx_bibliography"><h2 class="ltx_title '
            f'ltx_title_bibliography">References</h2><ul class="ltx_biblist">{items}</ul></section>'
        )
    return f"""<!DOCTYPE html><html lang="en">
<head><meta charset="utf-8"><title>{html.escape(title)}</title>
<link rel="stylesheet" href="https://arxiv.org/static/browse/0.3.4/css/ar5iv.0.7.9.min.css"></head>
<body>
<header class="desktop_header"><div class="html-header-logo"><a href="https://arxiv.org/">arXiv</a>
</div><a class="ar5iv-footer-button" href="https://github.com/arXiv/html_feedback/issues/new">
Report Issue</a></header>
<div class="ltx_page_main"><div class="ltx_page_content">
<article class="ltx_document ltx_authors_1line">
<h1 class="ltx_title ltx_title_document">{html.escape(title)}</h1>
{_authors(authors, style)}
<div class="ltx_abstract"><h6 class="ltx_title ltx_title_abstract">Abstract</h6>
<p id="id1.id1" class="ltx_p">{html.escape(abstract)}</p></div>
{body}
</article></div>
<footer class="ltx_page_footer"><div class="ltx_page_logo">Generated by
<a href="http://dlmf.nist.gov/LaTeXML/">LaTeXML</a></div></footer></div>
</body></html>"""


# --- arXiv:2401.12215v1 as an HTML paper (abstract as on arXiv; body written for the tests) ----

LESS_AUTHORS = (
    HtmlAuthor("Chenyu Lian", ("School of Informatics, Xiamen University, Xiamen, China",),
               "cylian@stu.xmu.edu.cn"),
    HtmlAuthor("Hong-Yu Zhou", ("Department of Computer Science, The University of Hong Kong",)),
    HtmlAuthor("Yizhou Yu", ("Department of Computer Science, The University of Hong Kong",)),
    HtmlAuthor("Liansheng Wang", ("School of Informatics, Xiamen University, Xiamen, China",),
               "lswang@xmu.edu.cn"),
)  # fmt: skip
LESS_SECTIONS = (
    HtmlSection(
        "Introduction",
        (
            "Parameter-efficient fine-tuning (PEFT) adapts large pre-trained models by tuning a "
            "small set of parameters. Medical imaging has few labels, which makes full-parameter "
            "fine-tuning (FFT) prone to over-fitting.",
            "We study LoRA on two chest radiography foundation models and find that it beats FFT "
            "in 13 out of 18 transfer learning tasks.",
        ),
        tag="1",
        figure="Overview of the transfer learning settings.",
    ),
    HtmlSection(
        "Related Work",
        ("Adapters and prompt tuning were proposed for language models [1].",),
        tag="2",
    ),
    HtmlSection(
        "Methodology",
        ("We insert low-rank matrices into every attention layer with rank $r=8$.",),
        tag="3",
        subsections=(
            HtmlSection(
                "Low-Rank Adaptation",
                ("The update of a weight $W$ is $BA$ with $B$ and $A$ of rank 8.",),
                tag="3.1",
                kind="subsection",
            ),
        ),
    ),
    HtmlSection(
        "Experiments",
        (
            "On NIH ChestX-ray14 with 1% labels LoRA reaches an AUROC of 80.6%, and 83.4% with "
            "10% labels.",
        ),
        tag="4",
    ),
    HtmlSection(
        "Conclusions and Future Work",
        (
            "LoRA is a strong default for medical foundation models; code and models are "
            "available at https://github.com/RL4M/MED-PEFT.",
        ),
        tag="5",
    ),
    HtmlSection("Additional Results", ("Per-dataset tables.",), tag="A", kind="appendix"),
)
LESS_BIBLIOGRAPHY = (
    "E. J. Hu et al. LoRA: Low-rank adaptation of large language models. ICLR 2022. "
    '<a href="https://github.com/microsoft/LoRA" class="ltx_ref ltx_url">'
    "https://github.com/microsoft/LoRA</a>",
)


def less_could_be_better_html(style: AuthorStyle = "contact") -> str:
    paper = LESS_COULD_BE_BETTER
    return latexml_html(
        title=paper.title,
        authors=LESS_AUTHORS,
        abstract=paper.abstract,
        sections=LESS_SECTIONS,
        bibliography=LESS_BIBLIOGRAPHY,
        acknowledgements="We thank the reviewers.",
        style=style,
    )


# --- the server ------------------------------------------------------------------------------


@dataclass
class FullTextRequest:
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class FakeFullTextServer:
    """`GET /html/<id>` and `GET /pdf/<id>` like arxiv.org: 404 for papers it does not hold."""

    html_pages: dict[str, str] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    requests: list[FullTextRequest] = field(default_factory=list)
    faults: list[int] = field(default_factory=list)  # statuses answered to the next requests
    host: str = "127.0.0.1"
    port: int = 0
    _runner: web.AppRunner | None = None

    @classmethod
    def preloaded(cls) -> FakeFullTextServer:
        """1111.2011v2: PDF only (a 2011 paper has no arXiv HTML); 2401.12215v1: HTML and PDF."""
        pdf = REAL_PDF.read_bytes()
        return cls(
            html_pages={"2401.12215v1": less_could_be_better_html()},
            pdfs={"1111.2011v2": pdf, "1111.2011": pdf},
        )

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def html_url(self) -> str:
        return f"{self.base}/html"

    @property
    def pdf_url(self) -> str:
        return f"{self.base}/pdf"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(FullTextRequest(request.path, time.monotonic(), dict(request.headers)))
        if self.faults:
            return web.Response(status=self.faults.pop(0), text="Service Unavailable")
        kind, paper_id = request.match_info["kind"], request.match_info["id"]
        if kind == "html" and paper_id in self.html_pages:
            return web.Response(text=self.html_pages[paper_id], content_type="text/html")
        if kind == "pdf" and paper_id.removesuffix(".pdf") in self.pdfs:
            body = self.pdfs[paper_id.removesuffix(".pdf")]
            return web.Response(body=body, content_type="application/pdf")
        return web.Response(status=404, text=f"No {kind} for '{paper_id}'.")

    async def start(self) -> FakeFullTextServer:
        app = web.Application()
        app.router.add_get(r"/{kind:html|pdf}/{id:.+}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class ThreadedFullTextServer:
    """The fake on its own loop in a thread, for tests that run the CLI in a subprocess."""

    def __init__(self, server: FakeFullTextServer | None = None) -> None:
        self.server = server or FakeFullTextServer.preloaded()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeFullTextServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(timeout=10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture
async def fulltext_server() -> AsyncIterator[FakeFullTextServer]:
    """A running fake arxiv.org serving /html/<id> and /pdf/<id>."""
    server = await FakeFullTextServer.preloaded().start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def fulltext_server_thread() -> Iterator[FakeFullTextServer]:
    with ThreadedFullTextServer() as server:
        yield server


@pytest.fixture
async def fulltext_source(fulltext_server: FakeFullTextServer) -> AsyncIterator[FullTextSource]:
    """A FullTextSource (in-memory cache, no politeness pause) reading the fake server."""
    fetcher = PaperFetcher(
        html_url=fulltext_server.html_url, pdf_url=fulltext_server.pdf_url, min_interval=0.0
    )
    source = FullTextSource(fetcher, store=MemoryFullTextStore())
    try:
        yield source
    finally:
        await source.aclose()


def fetcher_kwargs(server: FakeFullTextServer, **extra: Any) -> dict[str, Any]:
    return {"html_url": server.html_url, "pdf_url": server.pdf_url, **extra}
