"""File formats -> text: encoding detection, PDF, HTML, DOCX.

Every failure becomes an :class:`~archive.errors.UnreadableFile` naming the file and the reason.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from archive.errors import UnreadableFile
from archive.normalize import cjk_count

log = logging.getLogger(__name__)
# pypdf logs damage warnings ("EOF marker not found"); without this they reach stderr through logging's
# last-resort handler. Applications that configure logging still receive them (propagation is kept).
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MAX_BYTES = 50 * 1024 * 1024
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing empty and oversized files.

    Args:
        path: File to read.
        max_bytes: Largest accepted size.

    Raises:
        UnreadableFile: Missing, unreadable, empty or too big.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(str(path), f"file is too big ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(str(path), f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise UnreadableFile(str(path), "file is empty")
    return data


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    return len(_BAD_CONTROL.findall(sample)) <= max(2, len(sample) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    even, odd = data[0::2].count(0), data[1::2].count(0)
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _truncated_utf8(data: bytes) -> bool:
    return any(_try(data[:-k], "utf-8") is not None for k in (1, 2, 3) if len(data) > k)


def _guess(data: bytes) -> tuple[str | None, str]:
    """Decode non-UTF-8 bytes: GB18030 when it yields Chinese text, else charset-normalizer's best."""
    gb = _try(data, "gb18030")
    if gb is not None and cjk_count(gb) >= len(gb) * 0.2 and _looks_like_text(gb):
        return gb, "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, ""
    return str(best), best.encoding


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Detect the encoding of a text file and decode it.

    Args:
        data: The file's bytes.
        path: File name for error messages.

    Returns:
        (text, encoding name).

    Raises:
        UnreadableFile: Binary data, truncated UTF-8 or an unknown encoding.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data, codec)
            if text is None:
                raise UnreadableFile(path, f"bytes do not decode as {codec} although the file starts with its mark")
            return text, codec
    text, codec = _decode_plain(data, path)
    if not _looks_like_text(text):
        raise UnreadableFile(path, "file looks binary, not text")
    return text, codec


def _decode_plain(data: bytes, path: str) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        if text is None or not _looks_like_text(text):
            raise UnreadableFile(path, "file looks binary, not text (NUL bytes)")
        return text, "utf-16"
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    if _truncated_utf8(data):
        raise UnreadableFile(path, "file is truncated (it ends in the middle of a UTF-8 character)")
    guessed, codec = _guess(data)
    if guessed is None:
        raise UnreadableFile(path, "file looks binary or uses an unknown text encoding")
    return guessed, codec


def pdf_text(data: bytes, path: str) -> str:
    """Text of a PDF, pages joined line to line.

    Raises:
        UnreadableFile: Not a PDF, truncated, encrypted, or no extractable text.
    """
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableFile(path, "not a PDF file (no %PDF header)")
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(path, "PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise UnreadableFile(path, f"PDF is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(pages)  # a page break is no paragraph break: paragraphs run across pages
    if not text.strip():
        raise UnreadableFile(path, "PDF has no extractable text (scanned images?)")
    return text


def docx_text(data: bytes, path: str) -> str:
    """Text of a DOCX; heading styles become Markdown ``#`` headings.

    Raises:
        UnreadableFile: Not a DOCX, truncated or damaged.
    """
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = [_docx_paragraph(p) for p in document.paragraphs]
        for table in document.tables:
            blocks.extend(cell.text for row in table.rows for cell in row.cells)
    except Exception as exc:  # zipfile/lxml/KeyError on damaged files
        raise UnreadableFile(path, f"DOCX is damaged or truncated ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise UnreadableFile(path, "DOCX has no text")
    return text


def _docx_paragraph(paragraph: object) -> str:
    text = paragraph.text.strip()
    style = (getattr(paragraph.style, "name", "") or "").lower()
    m = re.match(r"heading (\d)", style)
    if m and text:
        return "#" * int(m.group(1)) + " " + text
    return "# " + text if style == "title" and text else text


_DROP = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg", "button", "menu"]
_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "dd", "dt", "figcaption"]


def html_text(data: bytes, path: str) -> str:
    """Article text of an HTML page (navigation, scripts, headers and footers dropped).

    Raises:
        UnreadableFile: The page holds no text.
    """
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(_html_unicode(data), "html.parser")
    except Exception as exc:  # bs4 is lenient; this is a last resort
        raise UnreadableFile(path, f"HTML cannot be parsed ({exc})") from exc
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [_html_block(el) for el in root.find_all(_BLOCKS) if not el.find_parent(_BLOCKS)]
    text = "\n\n".join(b for b in blocks if b) or root.get_text("\n")
    if not text.strip():
        raise UnreadableFile(path, "HTML page has no text")
    return text


def _html_unicode(data: bytes) -> str:
    """Decode a page: its BOM or declared charset, else UTF-8, else detection; bad bytes become U+FFFD."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096])
    codecs = [declared.group(1).decode("ascii")] if declared else []
    for codec in [*codecs, "utf-8"]:
        text = _try(data, codec)
        if text is not None:
            return text
    guessed, _ = _guess(data)
    return guessed if guessed is not None else data.decode("utf-8", errors="replace")


def _html_block(el: object) -> str:
    text = re.sub(r"\s+", " ", el.get_text("")).strip()
    if text and el.name[0] == "h":
        return "#" * int(el.name[1]) + " " + text
    return text
