"""Group classified paragraphs into draft items (news, quotes, events, about)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.layout.dates import starts_with_date
from archive.layout.headings import SectionNames, find_contents, is_about_heading, is_caps_heading
from archive.layout.paragraphs import NUMBERED, Para, is_short_line, numbered_rank
from archive.layout.quotes import join_attribution, parse_attribution
from archive.layout.sources import split_trailing_source
from archive.layout.toc import SECTION_WORDS, Toc, TocEntry, best_headline, overlap
from archive.normalize import collapse_repeats, ends_sentence, join_lines

ABOUT_CUE = re.compile(r"发起成立|成立于|主要目标|宗旨|致力于|简介|关于我们|\babout (us|the)\b|\bfounded\b|\bour mission\b", re.I)
HEADLINE_SCORE = 0.5
ISSUE = re.compile(r"第\s*\d+\s*期|\bissue\b|\bno\.\s*\d|\bvol\.|简报|bulletin|newsletter|weekly|周报|月报", re.I)


@dataclass
class Draft:
    """An item under construction."""

    paras: list[str] = field(default_factory=list)
    line_no: int = 0
    title: str = ""
    section: str = ""
    source: str = ""
    speaker: str = ""
    speaker_title: str = ""
    when: str = ""
    where: str = ""
    quote: bool = False
    after_furniture: bool = False
    about: bool = False
    entry: TocEntry | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paras)


class Segmenter:
    """Walks paragraphs and emits drafts.

    Args:
        toc: The contents map, or None for headline layouts (sections and headlines inline).
        section_names: Known section names (running headers in the body).
    """

    def __init__(self, toc: Toc | None, section_names: SectionNames) -> None:
        self.toc = toc
        self.section_names = section_names
        self.drafts: list[Draft] = []
        self.current = Draft()
        self.section = ""
        self.after_furniture = False
        self.in_about = False
        self.masthead: list[str] = []

    def flush(self) -> None:
        """Close the current draft (a headline with no text below keeps its headline as text)."""
        if not self.current.paras and self.current.title:
            self.current.paras.append(self.current.title)
        if self.current.paras:
            self.drafts.append(self.current)
        self.current = Draft(section=self.section, after_furniture=self.after_furniture, about=self.in_about)

    def _start(self, para: Para) -> None:
        if not self.current.paras and not self.current.title:
            self.current.line_no = para.line_no

    def feed(self, para: Para, next_para: Para | None) -> None:
        """Consume one paragraph."""
        handler = getattr(self, f"_on_{para.kind}")
        handler(para, next_para)

    def _on_furniture(self, para: Para, next_para: Para | None) -> None:
        self.flush()
        self.after_furniture = True
        self.current.after_furniture = True

    def _on_credit(self, para: Para, next_para: Para | None) -> None:
        """Editor or publisher credit: part of the masthead at the top, page furniture elsewhere."""
        if not self.drafts and not self.current.paras and not self.current.title:
            self.masthead.extend(para.lines)

    def _on_source(self, para: Para, next_para: Para | None) -> None:
        if self.current.paras:
            self.current.source = str(para.value)
            self.flush()
        else:
            self.current.paras.append(para.text)
            self._start(para)

    def _on_field(self, para: Para, next_para: Para | None) -> None:
        name, value = para.value
        if getattr(self.current, name):
            self.flush()
        self._start(para)
        setattr(self.current, name, value)
        self.current.paras.append(para.text)

    def _on_attribution(self, para: Para, next_para: Para | None) -> None:
        quote = self._pop_quote()
        self.flush()
        speaker, title = parse_attribution(join_attribution(para.raw))
        self.current = Draft(
            [quote] if quote else [], para.line_no, section=self.section, speaker=speaker,
            speaker_title=title, quote=True,
        )
        if not quote:
            self.current.paras.append(para.text)
        self.flush()

    def _pop_quote(self) -> str:
        """Take the quoted passage off the current draft: its last paragraph, plus earlier ones it continues."""
        paras = self.current.paras
        if not paras or self.current.when or self.current.where:
            return ""
        quote = paras.pop()
        while paras and not ends_sentence(paras[-1]) and not split_trailing_source(paras[-1])[1]:
            quote = join_lines([paras.pop(), quote])
        return quote

    def _on_markup(self, para: Para, next_para: Para | None) -> None:
        text = para.text.lstrip("#").strip().rstrip("#").strip()
        level = int(para.value)
        follows_text = next_para is not None and next_para.kind in ("text", "field", "source")
        if level == 1 and not self.drafts and not self.section:
            return
        if follows_text and not self._is_section_name(text) and not looks_like_section(text) and level >= 2:
            self._headline(para, text)
        else:
            self._heading(text)

    def _on_text(self, para: Para, next_para: Para | None) -> None:
        first = collapse_repeats(para.lines[0])
        if self._is_section_name(first) or is_about_heading(first):
            if is_about_heading(first):
                self._about_heading()
            else:
                self._heading(first)
            if len(para.lines) > 1:
                self._on_text(Para("text", para.lines[1:], para.raw[1:], para.line_no + 1, False), next_para)
            return
        if self.toc is None and self._masthead(para, next_para):
            return
        if self.toc is None and self._inline_headline(para, next_para):
            return
        pieces = _sentence_pieces(para)
        if self.current.when or self.current.where or self._new_item(pieces[0]):
            self.flush()
        self._start(para)
        self.current.paras.append(pieces[0].text)
        for piece in pieces[1:]:
            if self._new_item(piece):
                self.flush()
                self._start(piece)
                self.current.paras.append(piece.text)
            else:
                self.current.paras[-1] = join_lines([self.current.paras[-1], piece.text])

    def _masthead(self, para: Para, next_para: Para | None) -> bool:
        """Leading short lines followed by a heading or headline: the bulletin's masthead."""
        if self.drafts or self.current.paras or self.current.title or self.section:
            return False
        if not all(is_short_line(line) and not ends_sentence(line) for line in para.lines):
            return False
        if len(para.lines) == 1 and SECTION_WORDS.search(para.text) and len(para.text) <= 20 and not ISSUE.search(para.text):
            return False
        if next_para is None or next_para.kind not in ("text", "markup", "credit") or not _candidate(next_para.lines[0]):
            return False
        self.masthead.extend(para.lines)
        return True

    def _is_section_name(self, text: str) -> bool:
        return text in self.section_names

    def _heading(self, name: str) -> None:
        self.flush()
        self.in_about = self.current.about = False
        if self.toc is None:
            self.section = self.section_names.display(_strip_number(name))
            self.current.section = self.section

    def _about_heading(self) -> None:
        """``关于联盟`` / ``About us``: what follows is the organisation's self-description."""
        self.flush()
        self.in_about = self.current.about = True

    def _headline(self, para: Para, title: str) -> None:
        self.flush()
        self.current.title = title
        self.current.line_no = para.line_no

    def _inline_headline(self, para: Para, next_para: Para | None) -> bool:
        """Headline layouts: a numbered or short line heads the paragraph(s) after it.

        Returns:
            True when the paragraph was consumed as a heading or headline.
        """
        first = para.lines[0]
        if len(para.lines) > 1:
            if numbered_rank(first) is None and not (is_short_line(first) and _heads(first, para.lines[1])):
                return False
            self._headline(para, first)
            self.current.paras.append(Para("text", para.lines[1:], para.raw[1:], para.line_no + 1).text)
            return True
        if not _candidate(first):
            if numbered_rank(first) is not None:
                self.flush()
            return False
        if next_para is None or next_para.kind not in ("text", "field"):
            return False
        next_is_section = self._is_section_name(collapse_repeats(next_para.lines[0]))
        if next_para.kind == "text" and not next_is_section and _candidate(next_para.lines[0]) and _deeper(first, next_para):
            self._heading(first)
        else:
            self._headline(para, first)
        return True

    def _new_item(self, para: Para) -> bool:
        """Whether a text paragraph opens a new item rather than continuing the current one."""
        cur = self.current
        if not cur.paras:
            return False
        if self.toc is None:
            return not cur.title and starts_with_date(para.text)
        here, score = best_headline(self.toc.entries, para.text)
        mine, my_score = best_headline(self.toc.entries, cur.text)
        switch = here is not None and here != mine and score >= HEADLINE_SCORE and my_score >= HEADLINE_SCORE
        if starts_with_date(para.text):
            return not (here is not None and here == mine and score >= HEADLINE_SCORE)
        return switch and _score_for(mine, para.text) < score / 2


def _score_for(entry: TocEntry | None, text: str) -> float:
    return overlap(entry.headline, text) if entry else 0.0


def _much_shorter(first: str, second: str) -> bool:
    return len(first) * 2 < len(second) or (len(second) > 60 and len(first) < 50)


def _heads(first: str, second: str) -> bool:
    """Whether ``first`` is a headline over ``second``: much shorter, or followed by a dateline.

    ``Laos launches watershed protection programme along the Mekong`` over
    ``VIENTIANE, May 9, 2022 - Laos launched ...`` is a headline although the lines are alike in length.
    """
    return _much_shorter(first, second) or (starts_with_date(second) and not starts_with_date(first))


def _sentence_pieces(para: Para) -> list[Para]:
    """Split a paragraph after lines that end a sentence (items run together when blank lines are lost)."""
    pieces: list[Para] = []
    start = 0
    for i, line in enumerate(para.lines):
        if ends_sentence(line) or i == len(para.lines) - 1:
            pieces.append(Para("text", para.lines[start : i + 1], para.raw[start : i + 1], para.line_no + start))
            start = i + 1
    return pieces


def looks_like_section(text: str) -> bool:
    """A short line named like a bulletin section (``绿色丝路新闻``, ``Upcoming Events``), not an issue line."""
    return len(text) <= 20 and bool(SECTION_WORDS.search(text)) and not ISSUE.search(text)


def _strip_number(text: str) -> str:
    """A heading or headline without its numbering (``一、``, ``（一）``, ``1.``)."""
    for _, rx in NUMBERED:
        text = rx.sub("", text, count=1)
    return text.strip()


def _candidate(line: str) -> bool:
    """A line that could be a heading or headline."""
    return is_short_line(line) or (numbered_rank(line) is not None and not ends_sentence(line) and len(line) <= 80)


def _deeper(first: str, next_para: Para) -> bool:
    """Whether the next paragraph is a headline below ``first`` (so ``first`` is a section heading)."""
    a, b = numbered_rank(first), numbered_rank(next_para.lines[0])
    if a is not None and b is not None:
        return b > a
    if a is not None:
        return False
    return len(next_para.lines) == 1 or b is not None


def _section_names(paras: list[Para], toc: Toc | None) -> set[str]:
    """Section names of the body: the contents' sections, or lines named like sections, or capitals headings.

    Lines in capitals count only when the document has at least two distinct ones (a single one is
    more likely the masthead's title).
    """
    if toc is not None:
        return set(toc.sections)
    names = {collapse_repeats(p.lines[0]) for p in paras if p.kind == "text"
             and looks_like_section(collapse_repeats(p.lines[0])) and numbered_rank(p.lines[0]) is None}
    caps = {p.lines[0] for p in paras if p.kind == "text" and len(p.lines) == 1 and is_caps_heading(p.lines[0])
            and not ISSUE.search(p.lines[0]) and numbered_rank(p.lines[0]) is None}
    return names | caps if len(caps) >= 2 else names


def segment(paras: list[Para], toc: Toc | None) -> tuple[list[Draft], tuple[str, ...]]:
    """Group body paragraphs into drafts.

    Args:
        paras: Body paragraphs (the contents excluded).
        toc: The contents map, or None.

    Returns:
        Drafts in document order, and the masthead lines of headline layouts.
    """
    listed: list[str] = []
    if toc is None:
        start, stop, listed = find_contents([p.lines if p.kind == "text" else [] for p in paras])
        if listed:
            paras = paras[:start] + paras[stop:]
    seg = Segmenter(toc, SectionNames(_section_names(paras, toc), listed))
    for i, para in enumerate(paras):
        seg.feed(para, paras[i + 1] if i + 1 < len(paras) else None)
    seg.flush()
    return seg.drafts, tuple(seg.masthead)
