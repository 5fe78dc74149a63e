"""Each reader: PDF (Chinese, CID font), DOCX, HTML, GB18030, UTF-16, UTF-8 BOM, JSONL, CSV, sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import archive
from archive.readers.text import decode

ZH_BULLETIN = [
    "绿色丝路新闻",
    "2019年11月6日，中国国家主席习近平在人民大会堂同法国总统马克龙会谈。",
    "（来源：新华网）",
    "2019年11月5日，第二届中国国际进口博览会在上海国家会展中心开幕。",
    "（来源：新华网）",
]


def _expected(items: tuple[archive.Item, ...]) -> list[tuple[str, str, str]]:
    return [(it.date, it.source, it.text) for it in items]


EXPECTED_ZH = [
    ("2019-11-06", "新华网", ZH_BULLETIN[1]),
    ("2019-11-05", "新华网", ZH_BULLETIN[3]),
]


def _make_pdf(path: Path, lines: list[str]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        c.drawString(40, y, line)
        y -= 24
    c.showPage()
    c.setFont("STSong-Light", 11)
    c.drawString(40, 800, "2019年10月24日，首届可持续发展论坛在北京召开。")
    c.save()


def test_chinese_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "brief-2019-11.pdf"
    _make_pdf(pdf, ZH_BULLETIN)
    pf = archive.read(pdf)
    assert _expected(pf.items) == [*EXPECTED_ZH, ("2019-10-24", "", "2019年10月24日，首届可持续发展论坛在北京召开。")]
    assert pf.items[0].section == "绿色丝路新闻"
    assert pf.bulletin.id == "brief-2019-11" and "read as PDF" in pf.bulletin.notes


def test_docx_with_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("联盟简报 2019年11月", level=1)
    document.add_heading("绿色丝路新闻", level=2)
    for line in ZH_BULLETIN[1:]:
        document.add_paragraph(line)
    path = tmp_path / "brief.docx"
    document.save(str(path))
    pf = archive.read(path)
    assert _expected(pf.items) == EXPECTED_ZH
    assert pf.bulletin.title == "联盟简报 2019年11月"
    assert {it.section for it in pf.items} == {"绿色丝路新闻"}


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-8-sig", "utf-8"])
def test_text_encodings(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"brief-{codec}.txt"
    path.write_bytes("\n\n".join(ZH_BULLETIN).encode(codec))
    pf = archive.read(path)
    assert _expected(pf.items) == EXPECTED_ZH
    assert pf.items[0].section == "绿色丝路新闻"


def test_encoding_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes("\n\n".join(ZH_BULLETIN).encode("gb18030"))
    assert "decoded as gb18030" in archive.read(path).bulletin.notes
    assert decode("English only.".encode("utf-16"), "x") == ("English only.", "utf-16")


def test_jsonl_keeps_given_ids(tmp_path: Path) -> None:
    path = tmp_path / "imports.jsonl"
    rows = [
        {"id": "xinhua-001", "kind": "news", "title": "习近平会见马克龙", "text": ZH_BULLETIN[1], "date": "2019-11-06",
         "source": "新华网", "section": "绿色丝路新闻"},
        {"kind": "quote", "text": "The ocean is a victim of climate change.", "speaker": "Erik Solheim",
         "date": "6 November 2019", "unknown_field": 1},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    pf = archive.read(path)
    assert pf.items[0].id == "xinhua-001" and pf.items[0].source == "新华网" and pf.items[0].lang == "zh"
    assert pf.items[1].id.startswith("imports-") and pf.items[1].date == "2019-11-06" and pf.items[1].lang == "en"
    assert pf.items[1].title == "The ocean is a victim of climate change."
    assert pf.bulletin.date == "2019-11-06" and pf.bulletin.date_inferred


def test_csv_items(tmp_path: Path) -> None:
    path = tmp_path / "imports.csv"
    path.write_text(
        "id,kind,title,text,date,place\nev-1,event,年度交流会,联盟年度交流会将于深圳召开。,2019-12-02,深圳\n"
        ",news,Talks,\"Talks, in Beijing.\",,\n",
        encoding="utf-8-sig",
    )
    pf = archive.read(path)
    assert [(it.id[:5], it.kind, it.place, it.text) for it in pf.items] == [
        ("ev-1", "event", "深圳", "联盟年度交流会将于深圳召开。"), ("impor", "news", "", "Talks, in Beijing.")]


def test_sidecar_gives_bulletin_metadata(tmp_path: Path) -> None:
    path = tmp_path / "brief-7.txt"
    path.write_text("\n\n".join(ZH_BULLETIN), encoding="utf-8")
    (tmp_path / "brief-7.meta.toml").write_text(
        'title = "简报第7期"\ndate = "2019-11-20"\nissue = "7"\npublisher = "秘书处"\nurl = "https://example.org/7"\n',
        encoding="utf-8")
    b = archive.read(path).bulletin
    assert {it.url for it in archive.read(path).items} == {"https://example.org/7"}
    assert (b.title, b.date, b.issue, b.publisher, b.date_inferred) == ("简报第7期", "2019-11-20", "7", "秘书处", False)
    result = archive.read_dir(tmp_path)
    assert [f.bulletin.id for f in result.files] == ["brief-7"] and not result.errors


def test_supported_suffixes() -> None:
    assert archive.SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".html", ".htm", ".docx", ".jsonl", ".csv")
