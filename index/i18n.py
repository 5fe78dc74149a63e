"""Interface labels in 中文 and English: every visible label of the app goes through ``t``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from index.filters import Filters

log = logging.getLogger(__name__)

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}

# key -> (中文, English). Placeholders use str.format names.
LABELS: dict[str, tuple[str, str]] = {
    # page
    "app.title": ("简报档案检索", "Bulletin Archive"),
    "app.caption": ("按关键词、语义或混合方式检索简报，支持中文和英文。",
                    "Search the bulletins by keyword, meaning or both, in Chinese or English."),
    "ui.language": ("界面语言", "Interface language"),
    # search box and modes
    "search.label": ("检索", "Search"),
    "search.placeholder": ("输入中文或英文，例如：海洋治理、green shipping",
                           "Type Chinese or English, e.g. 海洋治理, green shipping"),
    "search.mode": ("检索方式", "Search mode"),
    "mode.hybrid": ("混合", "Hybrid"),
    "mode.keyword": ("关键词", "Keyword"),
    "mode.semantic": ("语义", "Semantic"),
    "mode.help": ("混合：关键词与语义结合（推荐）；关键词：只找包含检索词的条目；语义：按意思查找，可跨语言。",
                  "Hybrid: keyword and meaning combined (recommended); Keyword: items containing the words; "
                  "Semantic: by meaning, also across languages."),
    # result summary
    "results.count": ("共 {total} 条结果，用时 {ms} 毫秒", "{total} results in {ms} ms"),
    "results.count_one": ("共 1 条结果，用时 {ms} 毫秒", "1 result in {ms} ms"),
    "results.browse": ("共 {total} 条，按简报顺序浏览", "{total} items, in bulletin order"),
    "results.scope": ("筛选：{scope}", "Filtered: {scope}"),
    "results.none": ("没有找到与“{query}”相符的结果。", "No results for “{query}”."),
    "results.none_browse": ("当前筛选条件下没有条目。", "No items match these filters."),
    "results.try_mode": ("可以试试“{mode}”方式。", "Try the {mode} mode."),
    "results.try_filters": ("也可以减少筛选条件。", "Or use fewer filters."),
    "results.notice": ("检索式有误，已按普通词语检索。",
                       "The query syntax was not understood, so it was searched as plain words."),
    "results.page": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
    "results.prev": ("上一页", "Previous"),
    "results.next": ("下一页", "Next"),
    # result card
    "card.open": ("查看全文", "Open"),
    "card.why": ("为什么出现这条结果", "Why this result"),
    "card.rank": ("综合排名 {rank}，得分 {score}", "Overall rank {rank}, score {score}"),
    "card.keyword_rank": ("关键词排名 {rank}，得分 {score}", "Keyword rank {rank}, score {score}"),
    "card.keyword_none": ("关键词检索未命中", "Not found by keyword"),
    "card.semantic_rank": ("语义排名 {rank}，相似度 {score}", "Semantic rank {rank}, similarity {score}"),
    "card.semantic_none": ("语义检索未命中", "Not found by meaning"),
    "card.passage": ("最相关的段落", "Best-matching passage"),
    "card.terms": ("匹配的检索词：{terms}", "Matched terms: {terms}"),
    "card.duplicates": ("另有 {n} 条相近重复内容", "{n} near-duplicate(s)"),
    "card.speaker": ("发言人", "Speaker"),
    "card.source": ("来源", "Source"),
    # filters
    "filters.title": ("筛选", "Filters"),
    "filters.since": ("起始日期", "From"),
    "filters.until": ("截止日期", "To"),
    "filters.dates": ("日期范围", "Date range"),
    "filters.any": ("全部", "Any"),
    "filters.bulletins": ("简报", "Bulletin"),
    "filters.sections": ("栏目", "Section"),
    "filters.kinds": ("类型", "Kind"),
    "filters.sources": ("来源", "Source"),
    "filters.speakers": ("发言人", "Speaker"),
    "filters.langs": ("语言", "Language"),
    "filters.org": ("发言人机构", "Speaker's organisation"),
    "filters.org_placeholder": ("发言人职务中包含，例如：世界资源研究所", "Part of the speaker's title, e.g. 世界资源研究所"),
    "filters.active": ("当前筛选：{scope}", "Active filters: {scope}"),
    "filters.none": ("未设筛选条件", "No filters"),
    "filters.clear": ("清除筛选", "Clear filters"),
    "filters.months": ("按月分布", "By month"),
    # item view
    "item.back": ("返回结果", "Back to results"),
    "item.missing": ("找不到条目 {id}，可能索引已更新。", "Item {id} was not found; the index may have changed."),
    "item.bulletin": ("简报", "Bulletin"),
    "item.issue_date": ("期号日期", "Issue date"),
    "item.section": ("栏目", "Section"),
    "item.kind": ("类型", "Kind"),
    "item.date": ("日期", "Date"),
    "item.time": ("时间", "Time"),
    "item.place": ("地点", "Place"),
    "item.source": ("来源", "Source"),
    "item.speaker": ("发言人", "Speaker"),
    "item.speaker_title": ("职务", "Title"),
    "item.language": ("语言", "Language"),
    "item.id": ("条目编号", "Item ID"),
    "item.url": ("原文链接", "Original link"),
    "item.parent": ("所属新闻", "From the news item"),
    "item.duplicate_of": ("与此条目相近重复", "Near-duplicate of"),
    "item.citation": ("引用（可复制）", "Citation (ready to copy)"),
    "item.similar": ("相似条目", "Similar items"),
    "item.similar_none": ("没有相似条目。", "No similar items."),
    "item.in_bulletin": ("本期简报的全部条目", "All items of this bulletin"),
    "item.show_bulletin": ("浏览这期简报", "Browse this bulletin"),
    "item.quotes": ("本条新闻中的发言", "Quotes from this news item"),
    # export
    "export.csv": ("下载 CSV", "Download CSV"),
    "export.json": ("下载 JSON", "Download JSON"),
    "export.help": ("下载全部结果（最多 {n} 条），含引用格式", "All results (up to {n}), with citations"),
    # first run and errors
    "index.building": ("首次运行：正在为内置示例简报建立索引……", "First run: building the index of the built-in sample…"),
    "index.stage.parse": ("读取简报", "Reading bulletins"),
    "index.stage.keyword": ("建立关键词索引", "Building the keyword index"),
    "index.stage.embed": ("计算语义向量", "Computing embeddings"),
    "index.built": ("索引已建立：{items} 个条目。", "Index built: {items} items."),
    "index.failed_files": ("有文件未能读取：{files}", "Some files could not be read: {files}"),
    "index.problem": ("索引无法使用：{message}", "The index cannot be used: {message}"),
    "index.no_data": ("没有找到示例数据目录 {path}。", "The sample data folder {path} was not found."),
    "index.info": ("索引：{items} 个条目，{bulletins} 期简报，模型 {model}，建于 {built_at}",
                   "Index: {items} items, {bulletins} bulletins, model {model}, built {built_at}"),
    "model.problem": ("语义模型无法加载：{message}", "The embedding model cannot be loaded: {message}"),
    # values
    "kind.news": ("新闻", "News"),
    "kind.quote": ("发言", "Quote"),
    "kind.event": ("活动", "Event"),
    "kind.report": ("报告", "Report"),
    "kind.about": ("简介", "About"),
    "lang.zh": ("中文", "Chinese"),
    "lang.en": ("英文", "English"),
    "lang.mixed": ("中英混合", "Mixed"),
    "value.none": ("（无）", "(none)"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label ``key`` in ``lang`` ('zh' or 'en'), with ``{placeholders}`` filled from ``values``.

    An unknown key is a programming error and raises KeyError; an unknown language falls back to 中文.
    """
    zh, en = LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def value_label(kind: str, value: str, lang: str = DEFAULT_LANG) -> str:
    """A data value shown in the interface: kinds and languages are translated, others shown as they are."""
    key = f"{kind}.{value}"
    return t(key, lang) if key in LABELS else value


def mode_label(mode: str, lang: str = DEFAULT_LANG) -> str:
    return t(f"mode.{mode}", lang)


def describe_filters(filters: Filters, lang: str = DEFAULT_LANG, bulletin_titles: Mapping[str, str] | None = None
                     ) -> str:
    """``Filters.describe`` with values as the interface shows them: translated kinds and languages,
    bulletin titles instead of ids ('类型 发言 · 简报 …简报 2019年11月')."""
    titles = bulletin_titles or {}
    shown = replace(
        filters,
        kinds=tuple(value_label("kind", v, lang) for v in filters.kinds),
        langs=tuple(value_label("lang", v, lang) for v in filters.langs),
        bulletins=tuple(titles.get(v, v) for v in filters.bulletins),
    )
    return shown.describe(lang)
