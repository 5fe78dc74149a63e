"""PDF reading speed and fidelity: pages/s per layout, pages/s for OCR, item equality per bulletin x layout.

    python bench/pdf_speed.py [--ocr weekly-2021-37,monitor-2022-05] [--runs 3] [--out bench/results/pdf_speed.md]

Prints every bulletin's text version (the sample and tests/corpus) to PDF in each layout of
``tests/archive/pdfgen.py`` (reportlab) and of ``tests/archive/htmlprint.py`` (headless Chromium, when
installed; ``--no-chromium`` skips it), times ``pdf_extract`` (the layout-aware reader alone) and the whole
``archive.read`` (reader + text parser), and compares the items with the text version's. Scanned copies
of the ``--ocr`` bulletins go through Tesseract (skipped when it is not installed). Prints a markdown
table and writes it to bench/results/pdf_speed.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_PAGES_S = 5.0


def _print_all(root: Path) -> dict[tuple[str, str], tuple[Path, Path, int]]:
    from tests.archive.pdfgen import LAYOUTS, print_pdf
    from tests.paths import CORPUS, SAMPLE

    out = {}
    for layout in LAYOUTS:
        (root / layout.name).mkdir()
        for text in [SAMPLE, *sorted(CORPUS.glob("*.txt"))]:
            pdf = root / layout.name / f"{text.stem}.pdf"
            out[(text.stem, layout.name)] = (text, pdf, print_pdf(text, pdf, layout))
    return out


def _print_chromium(root: Path) -> dict[tuple[str, str], tuple[Path, Path, int]]:
    """The same bulletins printed by headless Chromium in each layout of ``tests/archive/htmlprint.py``."""
    import pypdfium2 as pdfium

    from tests.archive.htmlprint import print_all_layouts
    from tests.paths import CORPUS, SAMPLE

    texts = [SAMPLE, *sorted(CORPUS.glob("*.txt"))]
    by_stem = {text.stem: text for text in texts}
    return {key: (by_stem[key[0]], pdf, len(pdfium.PdfDocument(str(pdf))))
            for key, pdf in print_all_layouts(texts, root).items()}


def _timed(func, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def speed_rows(printed: dict, runs: int) -> list[str]:
    """One row per layout: pages, reader pages/s, reader + parser pages/s."""
    import archive
    from archive.readers.pdf.reader import pdf_extract

    rows = ["| layout | PDFs | pages | reader pages/s | read + parse pages/s |", "|---|---:|---:|---:|---:|"]
    for layout in sorted({lay for _, lay in printed}, key=[k[1] for k in printed].index):
        files = [(pdf, pages) for (_, lay), (_, pdf, pages) in printed.items() if lay == layout]
        pages = sum(p for _, p in files)
        reader = _timed(lambda files=files: [pdf_extract(f.read_bytes(), str(f)) for f, _ in files], runs)
        whole = _timed(lambda files=files: [archive.read(f) for f, _ in files], runs)
        rows.append(f"| {layout} | {len(files)} | {pages} | {pages / reader:.1f} | {pages / whole:.1f} |")
    return rows


def equality_rows(printed: dict) -> tuple[list[str], float]:
    """Item equality (all fields and normalised text) per bulletin x layout; the lowest rate."""
    from tests.archive.pdfcompare import compare

    layouts = list(dict.fromkeys(lay for _, lay in printed))
    stems = list(dict.fromkeys(stem for stem, _ in printed))
    rows = ["| bulletin | " + " | ".join(layouts) + " |", "|---|" + "---:|" * len(layouts)]
    worst = 1.0
    for stem in stems:
        cells = []
        for lay in layouts:
            text, pdf, _ = printed[(stem, lay)]
            c = compare(text, pdf)
            worst = min(worst, c.rate)
            cells.append(f"{c.equal}/{len(c.gold)}")
        rows.append(f"| {stem} | " + " | ".join(cells) + " |")
    return rows, worst


def ocr_rows(printed: dict, stems: list[str], root: Path) -> list[str]:
    """Pages/s and titles found for scanned copies of ``stems`` (one-column layout)."""
    import archive
    from archive.layout.toc import overlap
    from archive.readers.pdf.ocr import find_tesseract
    from tests.archive.pdfgen import scan

    ocr = find_tesseract()
    if ocr is None:
        return ["OCR: skipped (tesseract not installed)."]
    rows = ["| scanned bulletin | pages | seconds | pages/s | titles found |", "|---|---:|---:|---:|---:|"]
    for stem in stems:
        text, pdf, _ = printed[(stem, "one")]
        scanned = root / f"scan-{stem}.pdf"
        pages = scan(pdf, scanned)
        start = time.perf_counter()
        items = archive.read(scanned).items
        took = time.perf_counter() - start
        gold = archive.read(text).items
        found = sum(1 for g in gold if max((overlap(g.title, it.title) for it in items), default=0) >= 0.6)
        rows.append(f"| {stem} | {pages} | {took:.1f} | {pages / took:.2f} | {found}/{len(gold)} |")
    return rows + [f"\nOCR: tesseract {ocr.languages}, pages rendered at 300 dpi from 200-dpi scans."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ocr", default="weekly-2021-37,monitor-2022-05", help="bulletins to scan and OCR ('' for none)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-chromium", action="store_true", help="skip the layouts printed by headless Chromium")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "pdf_speed.md"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pdf-speed-") as tmp:
        printed = _print_all(Path(tmp))
        if not args.no_chromium and Path("/usr/bin/chromium").exists():
            printed |= _print_chromium(Path(tmp))
        speed = speed_rows(printed, args.runs)
        equality, worst = equality_rows(printed)
        ocr = ocr_rows(printed, [s for s in args.ocr.split(",") if s], Path(tmp)) if args.ocr else []
    report = "\n".join([
        "# PDF reading", "", f"Text PDFs ({os.cpu_count()} CPUs, best of {args.runs}); target >= {TARGET_PAGES_S:.0f} pages/s.",
        "", *speed, "", "Items equal to the text version's (all fields, whitespace-normalised text):", "",
        *equality, "", f"Lowest rate: {worst:.0%} (target >= 95%).", "", *ocr, "",
    ])
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
