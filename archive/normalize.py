"""Text clean-up: line joining, layout artefacts, matching keys.

Display text keeps the original characters; only whitespace between lines and
layout artefacts (replacement characters, running headers, page furniture) go.
"""

from __future__ import annotations

import re
import unicodedata

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201f\u2014\u2026\u00b7"
_CJK_RE = re.compile(f"[{CJK}]")
_LATIN_END = re.compile(r"(?:[A-Za-z0-9,;:.!?)\]%]|\s[-–])$")  # a dash standing as a word ("2022 - Laos")
_LATIN_START = re.compile(r"^[A-Za-z0-9(\[\"']")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufeff\u200b]")
_PUNCT_OR_SPACE = re.compile(r"[\s\W_]+", re.UNICODE)

SENTENCE_END = "。！？!?；;…."

FURNITURE: frozenset[str] = frozenset(
    {
        "更多信息，欢迎点击", "更多信息,欢迎点击", "更多信息请点击", "秘书处", "咨询委员会联络人", "联系秘书处",
        "联系我们", "扫码关注", "扫描二维码", "欢迎关注", "目录", "contents", "table of contents",
        "contact us", "for more information", "for more information, click here", "subscribe",
        "unsubscribe", "read more", "follow us",
    }
)


def clean_line(line: str) -> str:
    """Remove control and replacement characters and outer whitespace from one line.

    Args:
        line: A raw line of extracted text.

    Returns:
        The cleaned line (possibly empty).
    """
    return _CONTROL.sub("", line).replace("\u00a0", " ").strip()


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture (contact boxes, 'click here', page numbers)."""
    key = line.strip().rstrip("：:").lower()
    if key in FURNITURE:
        return True
    return bool(re.fullmatch(r"(第\s*\d+\s*页|-?\s*\d{1,3}\s*-?|page \d+( of \d+)?)", key))


def collapse_repeats(line: str) -> str:
    """Collapse a line made of one phrase repeated (``联盟动态联盟动态联盟动态`` -> ``联盟动态``)."""
    text = line.strip()
    m = re.fullmatch(r"(.{2,30}?)(?:\s*\1)+", text)
    return m.group(1) if m else text


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: no space between CJK, one space between Latin words.

    Args:
        lines: Cleaned, non-empty lines.

    Returns:
        The paragraph as one string.
    """
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and re.search(r"[A-Za-z]-$", out) and line[:1].islower():
            out = out[:-1] + line
        elif _LATIN_END.search(out) and _LATIN_START.search(line):
            out = f"{out} {line}"
        else:
            out = out + line
    return out


# Full-width ASCII, the ideographic space and the ellipsis, mapped to their NFKD forms. NFKC starts by
# decomposing every character fully, so replacing a character by its NFKD form never changes the NFKC of
# a string; after it, typical Chinese text passes the (cheap) NFKC quick check and needs no normalisation.
_NFKD_WIDE: dict[int, str] = {
    c: unicodedata.normalize("NFKD", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000, 0x2026)
}


def match_key(text: str) -> str:
    """A normalised key for matching: NFKC, lower case, punctuation and spaces removed."""
    if not unicodedata.is_normalized("NFKC", text):
        text = text.translate(_NFKD_WIDE)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return _PUNCT_OR_SPACE.sub("", text.lower())


def char_ngrams(text: str, n: int = 2) -> set[str]:
    """Character n-grams of the matching key of ``text`` (the key itself when shorter than n)."""
    key = match_key(text)
    if len(key) < n:
        return {key} if key else set()
    return {key[i : i + n] for i in range(len(key) - n + 1)}


def cjk_count(text: str) -> int:
    """Number of CJK characters in ``text``."""
    return len(_CJK_RE.findall(text))


def display_width(text: str) -> int:
    """Rough line width: CJK characters count 1, Latin words count 1 each."""
    return cjk_count(text) + len(re.findall(r"[A-Za-z0-9]+", text))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence-final punctuation."""
    core = re.sub(r"[”’」』\"')）)]+$", "", text.rstrip())
    return bool(core) and core[-1] in SENTENCE_END


def clip(text: str, limit: int = 24) -> str:
    """Clip ``text`` to ``limit`` characters, adding an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"
