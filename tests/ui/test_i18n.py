"""Interface labels: both languages for every key, and every key the app uses exists."""

from __future__ import annotations

import ast
import re

import pytest

from index.interface.filters import Filters
from tests.paths import ROOT
from ui.i18n import LABELS, describe_filters, t, value_label

APP = ROOT / "app.py"
FRONT_END = (APP, *sorted((ROOT / "ui").rglob("*.py")))  # the entry and the pages and components it draws


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_has_chinese_and_english_with_the_same_placeholders(key: str) -> None:
    zh, en = LABELS[key]
    assert zh.strip() and en.strip()
    assert _placeholders(zh) == _placeholders(en)
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the Chinese label has no Chinese"


def test_t_fills_placeholders_and_falls_back_to_chinese() -> None:
    assert t("results.count", "en", total=3, ms=12) == "3 results in 12 ms"
    assert t("results.count", "zh", total=3, ms=12) == "共 3 条结果，用时 12 毫秒"
    assert t("app.title", "fr") == t("app.title", "zh")
    with pytest.raises(KeyError):
        t("no.such.label", "en")


def test_values_are_translated_only_when_known() -> None:
    assert value_label("kind", "quote", "en") == "Quote" and value_label("kind", "quote", "zh") == "发言"
    assert value_label("kind", "memo", "en") == "memo"
    assert value_label("lang", "en", "zh") == "英文"


def _literal_keys(tree: ast.AST) -> set[str]:
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "t" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
            elif isinstance(first, ast.JoinedStr):  # f"filters.{name}": check the prefix exists
                prefix = "".join(v.value for v in first.values if isinstance(v, ast.Constant))
                keys.add(prefix + "*")
    return keys


def test_every_label_the_app_asks_for_exists() -> None:
    used = set().union(*(_literal_keys(ast.parse(path.read_text(encoding="utf-8"))) for path in FRONT_END))
    assert len(used) > 40
    for key in used:
        if key.endswith("*"):
            assert any(k.startswith(key[:-1]) for k in LABELS), key
        else:
            assert key in LABELS, key


def test_filter_summary_shows_values_as_the_interface_does() -> None:
    filters = Filters(kinds=("quote", "memo"), langs=("en",), bulletins=("b1", "b2"), sections=("观点与动态",),
                      since="2019-10")
    titles = {"b1": "简报 2019年11月"}
    assert describe_filters(filters, "zh", titles) == ("栏目 观点与动态 · 类型 发言 / memo · 简报 简报 2019年11月 / b2"
                                                       " · 语言 英文 · 起 2019-10")
    assert describe_filters(filters, "en", titles).startswith("in 观点与动态 · kind Quote / memo · bulletin 简报")
    assert describe_filters(Filters(), "en") == ""
