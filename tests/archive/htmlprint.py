"""Print a bulletin's text version to PDF through HTML and headless Chromium (test tooling).

An independent producer for the PDF reader: Skia's text placement, Noto CJK fonts, CSS multi-column
layout, ``text-align: justify`` for Chinese and ``hyphens: auto`` for English. Headings, titles and the
"about" text come from :func:`tests.archive.pdfblocks.bulletin_blocks` (the archive's own parse); the
running header and page-number footer are Playwright's header/footer templates, as a real producer makes them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from html import escape
from pathlib import Path

from archive.normalize import join_lines
from tests.archive.pdfblocks import Block, Bulletin, Line, bulletin_blocks
from tests.chromium import CHROMIUM, CHROMIUM_ARGS


@dataclass(frozen=True)
class HtmlLayout:
    """How Chromium prints a bulletin.

    Attributes:
        name: Layout name used in test ids and the bench table.
        columns: CSS ``columns`` of the body (1 or 2).
        numbers: Footer style: ``dash`` (- 3 -), ``page`` (第 3 页 / Page 3), ``fraction`` (3 / 12).
        sidebar: Where the "about" box goes: ``float`` (floated right in the body) or ``grid`` (a cell beside page 1).
        serif: Noto Serif CJK (else Noto Sans CJK).
        footer_text: Whether the footer repeats the publisher beside the number.
    """

    name: str
    columns: int
    numbers: str
    sidebar: str
    serif: bool = True
    footer_text: bool = False


HTML_LAYOUTS: tuple[HtmlLayout, ...] = (
    HtmlLayout("html-one", 1, "dash", "float"),
    HtmlLayout("html-two", 2, "page", "grid", footer_text=True),
    HtmlLayout("html-sans", 1, "fraction", "grid", serif=False),
    HtmlLayout("html-two-float", 2, "fraction", "float", serif=False),
)

_CSS = """
@page {{ size: A4; }}
body {{ font-family: {font}; font-size: 10pt; line-height: 1.5; margin: 0; {align} }}
p {{ margin: 0; orphans: 2; widows: 2; }}
.block {{ margin: 0; }} .gap {{ margin-top: 0.8em; }}
.indent {{ text-indent: 2em; }}
.split {{ display: flex; flex-wrap: wrap; justify-content: space-between; }}
.split span:last-child {{ margin-left: auto; }}
h1 {{ font-size: 18pt; font-weight: bold; margin: 0; line-height: 1.4; }}
h2 {{ font-size: 14pt; font-weight: bold; margin: 0; break-after: avoid; column-span: none; }}
h3 {{ font-size: 11pt; font-weight: bold; margin: 0; break-after: avoid; }}
.body {{ columns: {columns}; column-gap: 22pt; }}
aside {{ border: 1pt solid #333; padding: 8pt; font-size: 9pt; line-height: 1.45; }}
aside.side-float {{ {float} margin: 0 0 10pt 14pt; }}
.page1 {{ display: grid; grid-template-columns: minmax(0, 1fr) 170pt; column-gap: 20pt; align-items: start; }}
.toc p {{ display: flex; align-items: last baseline; }}
.toc .t {{ flex: 0 1 auto; }}
.toc .dots {{ flex: 1 0 2em; overflow: hidden; white-space: nowrap; margin: 0 4pt; }}
.toc .dots::before {{ content: "{dots}"; }}
.toc .sec {{ font-weight: bold; }}
.front {{ break-after: page; }}
"""


def _line(line: Line, tag: str = "p") -> str:
    """One logical line as a paragraph; a name set apart by a wide gap goes flush right (below when it does not fit)."""
    head, _, name = line.text.partition("    ")
    cls = "indent" if line.indent else ""
    if name.strip():
        return f'<p class="split {cls}"><span>{escape(head.strip())}</span><span>{escape(name.strip())}</span></p>'
    return f'<{tag} class="{cls}">{escape(head.strip())}</{tag}>'


def _body_line(line: Line) -> str:
    return _line(line, {"section": "h2", "title": "h3", "masthead": "h1"}.get(line.style, "p"))


def _toc_line(line: Line) -> str:
    if not line.leader:
        return _body_line(line)
    cls = "sec" if line.style == "section" else ""
    return (f'<p class="{cls}"><span class="t">{escape(line.text)}</span><span class="dots"></span>'
            f'<span class="n">{line.leader}</span></p>')


def _blocks(blocks: tuple[Block, ...], render) -> str:
    return "\n".join(f'<div class="block{" gap" if b.gap and i else ""}">{"".join(render(x) for x in b.lines)}</div>'
                     for i, b in enumerate(blocks))


def _box(blocks: tuple[Block, ...]) -> str:
    """The "about" text: each block one paragraph, wrapped to the box (its text version's breaks are the old box's)."""
    return "".join(f'<p class="{"gap" if i else ""}">{escape(join_lines([x.text for x in b.lines]))}</p>'
                   for i, b in enumerate(blocks))


def page_html(b: Bulletin, layout: HtmlLayout) -> str:
    """The bulletin as one HTML page in ``layout``."""
    zh = b.lang == "zh"
    family = f"'Noto {'Serif' if layout.serif else 'Sans'} CJK SC'"
    side = "float: right; width: 150pt;" if layout.columns == 1 else "margin-left: 0 !important;"  # a column wide
    css = _CSS.format(font=family, columns=layout.columns, float=side, dots=("…" if zh else ". ") * 80,
                      align="text-align: justify;" if zh else "hyphens: auto; -webkit-hyphens: auto;")
    aside = f'<aside class="side-{layout.sidebar}">{_box(b.box)}</aside>' if b.box else ""
    front = f'<nav class="toc">{_blocks(b.front, _toc_line)}</nav>' if b.front else ""
    body = _blocks(b.body, _body_line)
    if layout.sidebar == "grid" and aside:
        head, rest = (front, body) if front else (_blocks(b.body[:1], _body_line), _blocks(b.body[1:], _body_line))
        page1 = f'<div class="page1{" front" if front else ""}"><div>{head}</div>{aside}</div>'
        main = f'{page1}<div class="body">{rest}</div>'
    else:
        main = f'<div class="front">{front}</div>' if front else ""
        main += f'<div class="body">{aside}{body}</div>'
    lang = "zh-CN" if zh else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style></head>'
            f"<body>{main}</body></html>")


def _templates(b: Bulletin, layout: HtmlLayout) -> tuple[str, str]:
    """Playwright header and footer templates: the bulletin name, the page number (and the publisher)."""
    zh = b.lang == "zh"
    family = "'Noto Sans CJK SC'"
    n, total = '<span class="pageNumber"></span>', '<span class="totalPages"></span>'
    number = {"dash": f"- {n} -", "page": f"第 {n} 页" if zh else f"Page {n}", "fraction": f"{n} / {total}"}
    style = f"font-family: {family}; font-size: 8pt; width: 100%; margin: 0 56pt; color: #444;"
    header = f'<div style="{style}">{escape(b.header)}</div>'
    publisher = escape(b.publisher) if layout.footer_text else ""
    footer = (f'<div style="{style} display: flex; justify-content: space-between;">'
              f'<span>{publisher}</span><span>{number[layout.numbers]}</span><span></span></div>')
    return header, footer


def print_html_pdf(text_file: Path, out: Path, layout: HtmlLayout, page) -> None:
    """Print ``text_file`` (a bulletin's text version) to ``out`` with Chromium; copy its sidecar beside it.

    Args:
        text_file: The text version.
        out: The PDF to write.
        layout: The layout.
        page: A Playwright page of a Chromium browser.
    """
    b = bulletin_blocks(text_file.read_text(encoding="utf-8"), text_file)
    page.set_content(page_html(b, layout))
    header, footer = _templates(b, layout)
    page.pdf(path=str(out), format="A4", display_header_footer=True, header_template=header,
             footer_template=footer, margin={"top": "96px", "bottom": "86px", "left": "75px", "right": "75px"})
    sidecar = text_file.with_suffix(".meta.toml")
    if sidecar.exists():
        shutil.copyfile(sidecar, out.with_suffix(".meta.toml"))


def print_all_layouts(texts: list[Path], root: Path) -> dict[tuple[str, str], Path]:
    """Every text version printed by one headless Chromium in every layout: (stem, layout name) -> PDF."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for layout in HTML_LAYOUTS:
            (root / layout.name).mkdir()
            for text in texts:
                pdf = root / layout.name / f"{text.stem}.pdf"
                print_html_pdf(text, pdf, layout, page)
                out[(text.stem, layout.name)] = pdf
        browser.close()
    return out
