"""The staff-editable bilingual glossary: loading, bad rows, expansions, matching inside queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.keyword.analysis import analyze
from index.keyword.glossary import Glossary, GlossaryError, default_glossary, form_key, load_glossary
from tests.paths import ROOT


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "data" / "glossary.csv")


def test_shipped_glossary_loads_cleanly(glossary: Glossary) -> None:
    assert glossary.problems == () and len(glossary) >= 50


@pytest.mark.parametrize(("term", "expected"), [
    ("联盟", {"BRIGC", "Belt and Road Initiative International Green Development Coalition"}),
    ("BRIGC", {"联盟"}),
    ("国合会", {"CCICED", "中国环境与发展国际合作委员会"}),
    ("cciced", {"国合会"}),
    ("生态环境部", {"MEE", "Ministry of Ecology and Environment"}),
    ("Solheim", {"索尔海姆"}),
    ("HELGESEN", {"赫尔格森"}),
    ("Lambertini", {"兰博蒂尼"}),
    ("丝路", {"丝绸之路"}),
    ("一带一路", {"Belt and Road", "BRI"}),
    ("Oslo", {"奥斯陆"}),
    ("green shipping", {"绿色航运"}),
    ("ADB", {"亚洲开发银行"}),
    ("國合會", {"CCICED"}),
    ("Bloomberg  Philanthropies", {"彭博慈善基金会"}),
])
def test_expansions(glossary: Glossary, term: str, expected: set[str]) -> None:
    assert expected <= glossary.expansions(term)


def test_expansions_exclude_the_term_itself_and_unknown_terms(glossary: Glossary) -> None:
    assert "Solheim" not in glossary.expansions("solheim")
    assert glossary.expansions("no such term") == set() and glossary.expansions("，") == set()


def test_match_finds_the_longest_form_in_a_token_sequence(glossary: Glossary) -> None:
    tokens = [t.text for t in analyze("green shipping in the Belt and Road Initiative")]
    assert glossary.match(tokens, 0) == (2, {"绿色航运"})
    size, forms = glossary.match(tokens, 4)
    assert size == 4 and "一带一路" in forms
    assert glossary.match(tokens, 2) == (0, set())


def test_keys_ignore_case_script_spacing_and_punctuation() -> None:
    assert form_key("“國合會”") == form_key("国合会") == "国合会"
    assert form_key("DNV  GL") == form_key("dnv gl")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_are_reported_with_file_and_line_and_others_load(tmp_path: Path) -> None:
    path = write(tmp_path, "zh,en,variants\n索尔海姆,Solheim,\n孤单,,\n挪威,Norway,x,y,z\n# comment\n\n"
                           "奥斯陆,Oslo,\n空,，,\n")
    glossary = load_glossary(path)
    assert len(glossary) == 2 and glossary.expansions("Oslo") == {"奥斯陆"}
    assert len(glossary.problems) == 3
    assert all(str(path) in p for p in glossary.problems)
    assert [p.split(" line ")[1].split(":")[0] for p in glossary.problems] == ["3", "4", "8"]


def test_same_term_in_two_rows_merges(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, "zh,en,variants\n海洋,ocean,\n海洋,marine,\n"))
    assert glossary.expansions("海洋") == {"ocean", "marine"}


def test_unusable_files_raise_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(tmp_path / "missing.csv")
    with pytest.raises(GlossaryError, match="line 1: header"):
        load_glossary(write(tmp_path, "chinese,english\n索尔海姆,Solheim\n"))
    (tmp_path / "bad.csv").write_bytes(b"zh,en\n\xff\xfe,\n")
    with pytest.raises(GlossaryError, match="bad.csv"):
        load_glossary(tmp_path / "bad.csv")


def test_default_glossary_respects_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETINS_GLOSSARY", str(write(tmp_path, "zh,en\n奥斯陆,Oslo\n")))
    assert len(default_glossary()) == 1
    monkeypatch.setenv("BULLETINS_GLOSSARY", str(tmp_path / "none.csv"))
    assert len(default_glossary()) == 0
