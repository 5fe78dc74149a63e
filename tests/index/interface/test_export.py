"""CSV and JSON exports of results: readable back, plain text, a citation per row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archive.model import Bulletin, Item
from index.interface.citation import cite
from index.interface.export import COLUMNS, plain_snippet, rows, to_csv, to_json
from index.interface.filters import Filters
from index.interface.records import Hit, SearchResult


class Records:
    """Bulletins and items by id, as an archive gives them to an export."""

    def __init__(self, bulletins: dict, items: dict | None = None) -> None:
        self.bulletins, self.items = bulletins, items or {}

    def bulletin(self, bulletin_id: str) -> Bulletin | None:
        return self.bulletins.get(bulletin_id)

    def item(self, item_id: str):
        return self.items.get(item_id)


B1 = Bulletin(id="b1", title="简报 2019年11月", date="2019-11-16")
BULLETINS = Records({"b1": B1})
ITEMS = [
    Item(id="a", bulletin_id="b1", kind="quote", title="王菊英：海洋", text="海洋命运共同体", section="观点与动态",
         date="2019-10-23", speaker="王菊英", speaker_title="书记"),
    Item(id="b", bulletin_id="b1", kind="news", title="=HYPERLINK(\"http://x\")", text="a, \"quoted\"\nline",
         source="@source", lang="en"),
    Item(id="c", bulletin_id="missing", kind="event", title="Event", text="x", place="北京", date="2019-12-02",
         date_end="2019-12-03"),
]
HITS = (
    Hit(ITEMS[0], 1, 0.9, "<mark>海洋</mark>命运共同体 &amp; &lt;b&gt;", "海洋命运共同体", 1, 2, 3.5, 0.61),
    Hit(ITEMS[1], 2, 0.5, "a, &quot;quoted&quot;", "", 2, None, 1.0, None, ("dup1",)),
    Hit(ITEMS[2], 3, 0.1, "x", "x", None, 1, None, 0.2),
)
RESULT = SearchResult("海洋", "hybrid", Filters(sections=("观点与动态",)), HITS, 42, 12.5)


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for spreadsheet programs"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_reads_back_with_every_column_and_a_citation() -> None:
    table = _read_csv(to_csv(HITS, BULLETINS))
    assert list(table[0]) == list(COLUMNS)
    assert [r["id"] for r in table] == ["a", "b", "c"]
    first = table[0]
    assert first["bulletin_title"] == "简报 2019年11月" and first["speaker"] == "王菊英"
    assert first["citation"] == cite(ITEMS[0], B1)
    assert first["keyword_rank"] == "1" and first["semantic_rank"] == "2"
    assert table[1]["semantic_rank"] == "" and table[2]["keyword_rank"] == ""
    assert table[2]["bulletin_title"] == "" and table[2]["date_end"] == "2019-12-03"


def test_csv_keeps_commas_quotes_and_newlines_and_disarms_formulas() -> None:
    second = _read_csv(to_csv(HITS, BULLETINS))[1]
    assert second["snippet"] == 'a, "quoted"'
    assert second["title"] == "'=HYPERLINK(\"http://x\")"
    assert second["source"] == "'@source"


def test_snippets_are_exported_as_plain_text() -> None:
    assert rows(HITS[:1], BULLETINS)[0]["snippet"] == "海洋命运共同体 & <b>"
    assert plain_snippet("<mark>a</mark> &lt;mark&gt;") == "a <mark>"


def test_json_holds_query_filters_and_full_hits() -> None:
    data = to_json(RESULT, BULLETINS)
    assert "海洋".encode() in data, "readable UTF-8, not \\u escapes"
    doc = json.loads(data)
    assert doc["query"] == "海洋" and doc["mode"] == "hybrid" and doc["total"] == 42 and doc["exported"] == 3
    assert doc["filters"]["sections"] == ["观点与动态"] and doc["filters_text"] == "in 观点与动态"
    first = doc["hits"][0]
    assert first["citation"] == cite(ITEMS[0], B1)
    assert first["snippet"] == "海洋命运共同体 & <b>" and first["speaker_title"] == "书记"
    assert doc["hits"][1]["duplicates"] == ["dup1"]


def test_json_can_export_more_hits_than_the_page() -> None:
    doc = json.loads(to_json(SearchResult("q", "keyword", Filters(), HITS[:1], 3, 1.0), BULLETINS, HITS))
    assert [h["id"] for h in doc["hits"]] == ["a", "b", "c"]


def test_empty_results_export_a_header_and_an_empty_list() -> None:
    assert _read_csv(to_csv((), BULLETINS)) == []
    assert to_csv((), BULLETINS).decode("utf-8-sig").startswith(",".join(COLUMNS))
    assert json.loads(to_json(SearchResult("", "hybrid", Filters(), (), 0, 0.0), Records({})))["hits"] == []


@pytest.mark.slow
def test_real_search_exports_every_hit(ui_index: Path) -> None:
    from index.engines import open_archive

    archive = open_archive(ui_index)
    result = archive.search("海洋", "hybrid", Filters(kinds=("quote",)), k=100)
    bulletins_only = Records({b.bulletin.id: b.bulletin for b in archive.bulletins()})
    table = _read_csv(to_csv(result.hits, bulletins_only))
    assert len(table) == len(result.hits) == result.total > 0
    assert {r["kind"] for r in table} == {"quote"}
    assert all(r["speaker"] and r["speaker"] in r["citation"] for r in table)
    assert all("，见《" not in r["citation"] for r in table), "no items to look up: no parent named"
    with_parents = _read_csv(to_csv(result.hits, archive))
    assert all(f"，见《{archive.item(h.item.parent_id).title}》" in r["citation"]
               for h, r in zip(result.hits, with_parents, strict=True) if h.item.parent_id)
    assert all("“一带一路”绿色发展国际联盟简报" in r["citation"] for r in table)


def test_quotes_carry_their_news_item(tmp_path) -> None:
    from archive.model import Bulletin, Item
    from index.interface.records import Hit

    news = Item("n1", "b", "news", "奥斯陆启动海洋伙伴关系", "……")
    quote = Item("q1", "b", "quote", "索尔海姆：海洋", "海洋……", speaker="索尔海姆", parent_id="n1")
    bulletins = {"b": Bulletin("b", "简报", date="2019-11-16")}
    records = Records(bulletins, {"n1": news, "q1": quote})
    (row,) = rows([Hit(quote, 1, 1.0, "")], records)
    assert (row["parent_id"], row["parent_title"]) == ("n1", "奥斯陆启动海洋伙伴关系")
    assert rows([Hit(quote, 1, 1.0, "")], Records(bulletins))[0]["parent_title"] == "", "parent unknown: the id only"
    doc = json.loads(to_json(SearchResult("", "browse", Filters(org="x"), (Hit(quote, 1, 1.0, ""),), 1, 0.0),
                             records))
    assert doc["hits"][0]["parent_title"] == "奥斯陆启动海洋伙伴关系" and doc["filters"]["org"] == "x"
