"""Plain text files (.txt, .md, and the text of structured files): size check and encoding detection.

Every failure becomes an :class:`~archive.errors.UnreadableFile` naming the file and the reason.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from archive.errors import UnreadableFile
from archive.normalize import cjk_count
from archive.readers.document import document
from archive.readers.extracted import Extracted
from archive.readers.formats import Format

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
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


def try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _truncated_utf8(data: bytes) -> bool:
    return any(try_decode(data[:-k], "utf-8") is not None for k in (1, 2, 3) if len(data) > k)


def guess(data: bytes) -> tuple[str | None, str]:
    """Decode non-UTF-8 bytes: GB18030 when it yields Chinese text, else charset-normalizer's best."""
    gb = try_decode(data, "gb18030")
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
    for bom, codec in BOMS:
        if data.startswith(bom):
            text = try_decode(data, codec)
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
    text = try_decode(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    if _truncated_utf8(data):
        raise UnreadableFile(path, "file is truncated (it ends in the middle of a UTF-8 character)")
    guessed, codec = guess(data)
    if guessed is None:
        raise UnreadableFile(path, "file looks binary or uses an unknown text encoding")
    return guessed, codec


def text_extract(data: bytes, path: str) -> Extracted:
    """A text file's text, with the encoding it was decoded from."""
    text, codec = decode(data, path)
    return Extracted(text, f"decoded as {codec}")


FORMAT = Format("text", (".txt", ".md"), document(text_extract, "", front_matter=True))
