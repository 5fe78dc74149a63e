"""Scanned pages -> lines, through the Tesseract command line (when installed).

Pages are rendered with pypdfium2 at ``DPI``; Tesseract's TSV output gives each word's box, and the
words of one Tesseract line become one :class:`~archive.readers.pdf.lines.Line` in points, so scans go
through the same furniture, column and paragraph logic as text PDFs.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from archive.normalize import join_lines
from archive.readers.pdf.lines import Line, Page

DPI = 300
WANTED = ("chi_sim", "eng")
TIMEOUT = 300  # seconds per page


@dataclass(frozen=True)
class Ocr:
    """An installed Tesseract: its executable and the languages to read with (``chi_sim+eng``)."""

    exe: str
    languages: str


@functools.cache
def find_tesseract() -> Ocr | None:
    """Tesseract on PATH with at least one of chi_sim and eng, or None."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        listed = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    have = set(listed.stdout.split()) | set(listed.stderr.split())
    langs = [lang for lang in WANTED if lang in have]
    return Ocr(exe, "+".join(langs)) if langs else None


def _tsv(ocr: Ocr, image: Path) -> str:
    done = subprocess.run(
        [ocr.exe, str(image), "stdout", "-l", ocr.languages, "--psm", "3", "tsv"],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "tesseract failed")
    return done.stdout


def _words(tsv: str) -> dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]]:
    """Words of each Tesseract line: ``{(block, paragraph, line): [(left, top, width, height, text)]}``."""
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = defaultdict(list)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, top, width, height = (int(c) for c in cols[6:10])
        lines[(block, par, line)].append((left, top, width, height, cols[11].strip()))
    return lines


def _line(page: int, words: list[tuple[int, int, int, int, str]], scale: float) -> Line:
    words = sorted(words)
    heights = sorted(w[3] for w in words)
    first = words[0]
    return Line(
        page=page, x0=first[0] * scale, x1=max(w[0] + w[2] for w in words) * scale,
        top=min(w[1] for w in words) * scale, bottom=max(w[1] + w[3] for w in words) * scale,
        size=round(heights[len(heights) // 2] * scale / 0.8 * 2) / 2, bold=False,
        text=join_lines([w[4] for w in words]), first_word=first[2] * scale,
    )


def ocr_page(ocr: Ocr, pdf_page, number: int) -> Page:
    """Render one page and read it with Tesseract.

    Raises:
        RuntimeError: Tesseract failed on the page.
    """
    width, height = pdf_page.get_size()
    bitmap = pdf_page.render(scale=DPI / 72, grayscale=True)
    with tempfile.TemporaryDirectory(prefix="bulletins-ocr-") as tmp:
        image = Path(tmp) / "page.png"
        bitmap.to_pil().save(image)
        tsv = _tsv(ocr, image)
    scale = 72 / DPI
    lines = tuple(sorted((_line(number, words, scale) for words in _words(tsv).values()), key=lambda ln: ln.top))
    return Page(number, width, height, lines)
