"""PDF -> text shaped like the text dump, read with the layout: lines (pypdfium2), page furniture, reading order,
flow into paragraphs and headings, and OCR of scanned pages (Tesseract)."""
