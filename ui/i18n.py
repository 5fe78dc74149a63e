"""Interface labels in 中文 and English: every visible label of the app goes through ``t``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from index.interface.filters import Filters

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
    "item.translation_of": ("原文", "Translation of"),
    "item.translations": ("译文", "Translations"),
    "item.extraction": ("文字来源", "Text"),
    "item.ocr": ("扫描件文字识别（OCR），可能有误", "read from a scan by OCR; may contain errors"),
    "item.read_bulletin": ("阅读这期简报", "Read this issue"),
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
    # navigation (one label per page)
    "nav.search": ("检索", "Search"),
    "nav.quotes": ("发言", "Quotes"),
    "nav.bulletins": ("简报", "Bulletins"),
    "nav.coverage": ("报道趋势", "Coverage"),
    "nav.admin": ("添加简报", "Add bulletins"),
    "nav.to_item": ("查看条目", "Open the item"),
    # quotes page
    "quotes.title": ("按主题查找发言", "Quotes by theme"),
    "quotes.caption": ("合作伙伴和专家说过什么？按主题（语义）或关键词查找发言，可按发言人、机构、简报和日期筛选。",
                       "What did partners and experts say? Find quotes by theme (meaning) or keyword; filter by "
                       "speaker, organisation, bulletin and date."),
    "quotes.label": ("主题", "Theme"),
    "quotes.placeholder": ("例如：海洋治理、绿色金融、climate finance",
                           "e.g. ocean governance, 绿色金融, climate finance"),
    "quotes.count": ("共 {total} 条发言", "{total} quotes"),
    "quotes.count_query": ("共 {total} 条与“{query}”相关的发言", "{total} quotes about “{query}”"),
    "quotes.none": ("没有符合条件的发言。", "No quotes match."),
    "quotes.speakers": ("发言人（{n} 位）", "Speakers ({n})"),
    "quotes.speakers_help": ("点击发言人只看其发言，再点一次取消。", "Click a speaker to see only their quotes; "
                             "click again to see everyone."),
    "quotes.speaker_quotes": ("{n} 条发言", "{n} quote(s)"),
    "quotes.export_help": ("下载全部发言（最多 {n} 条），含所属新闻和引用格式",
                           "All quotes (up to {n}), with their news item and citation"),
    # bulletins page
    "bulletins.title": ("全部简报", "All bulletins"),
    "bulletins.count": ("共 {n} 期简报，{items} 个条目，按期号日期从新到旧排列。",
                        "{n} bulletins, {items} items, newest first."),
    "bulletins.items": ("{n} 个条目", "{n} items"),
    "bulletins.read": ("阅读本期", "Read this issue"),
    "bulletins.back": ("返回简报列表", "Back to all bulletins"),
    "bulletins.by_section": ("栏目", "Sections"),
    "bulletins.by_kind": ("类型", "Kinds"),
    "bulletins.missing": ("找不到简报 {id}，可能索引已更新。", "Bulletin {id} was not found; the index may have changed."),
    "bulletins.publisher": ("发布机构：{name}", "Publisher: {name}"),
    "bulletins.issue": ("第 {issue} 期", "No. {issue}"),
    "bulletins.date_inferred": ("日期 {date}（根据条目推断）", "dated {date} (inferred from the items)"),
    "bulletins.no_date": ("日期不详", "date unknown"),
    "bulletins.no_section": ("（无栏目）", "(no section)"),
    "bulletins.search_in": ("在检索页筛选本期", "Search within this issue"),
    # coverage page
    "coverage.title": ("报道趋势", "Coverage over time"),
    "coverage.caption": ("每月条目数：全部简报，以及当前检索和筛选。点击柱子（Shift 可多选）或拖动下方滑块选择时间段，"
                         "结果随之筛选。",
                         "Items per month, for the whole archive and for the current query and filters. Click a "
                         "bar (Shift for several) or drag the slider below to pick a period; the results follow."),
    "coverage.by": ("分组方式", "Group by"),
    "coverage.by.section": ("按栏目", "By section"),
    "coverage.by.kind": ("按类型", "By kind"),
    "coverage.archive": ("全部简报", "Whole archive"),
    "coverage.query": ("当前检索：{scope}", "Current query: {scope}"),
    "coverage.month": ("月份", "Month"),
    "coverage.items": ("条目数", "Items"),
    "coverage.group.section": ("栏目", "Section"),
    "coverage.group.kind": ("类型", "Kind"),
    "coverage.none": ("没有带日期的条目。", "No dated items."),
    "coverage.period": ("时间段", "Period"),
    "coverage.period_all": ("全部时间", "All time"),
    "coverage.period_chosen": ("已选时间段：{since} 至 {until}", "Chosen period: {since} to {until}"),
    "coverage.top_sources": ("主要来源", "Top sources"),
    "coverage.top_speakers": ("主要发言人", "Top speakers"),
    "coverage.top_places": ("主要地点", "Top places"),
    "coverage.top_none": ("（无）", "(none)"),
    "coverage.results": ("结果（前 {n} 条，共 {total} 条）", "Results (top {n} of {total})"),
    "coverage.all_results": ("在检索页查看全部结果", "See all results on the search page"),
    # admin page
    "admin.title": ("添加简报", "Add bulletins"),
    "admin.caption": ("上传简报文件，先预览解析出的条目；确认后文件写入数据目录 {path}，索引随即更新，新条目立即可检索。",
                      "Upload bulletin files and preview the items they hold; on confirmation the files go into "
                      "the data folder {path} and the index is updated, so the new items are searchable at once."),
    "admin.upload": ("选择文件（可多选）", "Choose files (several at once is fine)"),
    "admin.upload_help": ("支持 {types}；单个文件不超过 {mb} MB。", "Supported: {types}; up to {mb} MB per file."),
    "admin.file": ("文件", "File"),
    "admin.status": ("结果", "Status"),
    "admin.reason": ("说明", "Details"),
    "admin.bulletin": ("简报", "Bulletin"),
    "admin.items": ("条目数", "Items"),
    "admin.status.new": ("新简报", "New"),
    "admin.status.replaces": ("替换同名文件", "Replaces a file"),
    "admin.status.unchanged": ("已在档案中，无需改动", "Already in the archive"),
    "admin.status.sidecar": ("简报元数据", "Bulletin metadata"),
    "admin.status.rejected": ("拒绝", "Refused"),
    "admin.status.failed": ("无法读取", "Could not be read"),
    "admin.preview": ("{name}：{n} 个条目", "{name}: {n} items"),
    "admin.title_col": ("标题", "Title"),
    "admin.confirm": ("确认添加 {n} 个文件并更新索引", "Add {n} file(s) and update the index"),
    "admin.nothing": ("没有可添加的文件，档案不会改动。", "Nothing to add; the archive stays as it is."),
    "admin.writing": ("正在写入文件并更新索引……", "Writing the files and updating the index…"),
    "admin.done": ("已添加 {files} 个文件。索引现有 {items} 个条目，新条目已可检索。",
                   "Added {files} file(s). The index now holds {items} items; the new ones are searchable."),
    "admin.failed": ("添加失败：{message}", "Adding failed: {message}"),
    # admin sign-in
    "signin.name": ("您的名字（随每次添加记入审计日志）", "Your name (recorded with each upload in the audit log)"),
    "signin.password": ("管理密码", "Admin password"),
    "signin.submit": ("登录", "Sign in"),
    "signin.wrong": ("密码不正确，请重试。", "Wrong password; try again."),
    "signin.as": ("已登录：{actor}", "Signed in as {actor}"),
    "signin.out": ("退出登录", "Sign out"),
    "signin.with": ("通过 {provider} 登录", "Sign in with {provider}"),
    "signin.not_editor": ("{email} 不在编辑名单中，不能添加简报。", "{email} is not on the editors list and cannot add bulletins."),
    "signin.bad_hash": ("{env} 或 [admin] password_hash 不是 `bulletins admin-password` 生成的哈希（请勿填写明文密码）。",
                        "{env} or [admin] password_hash is not a hash made by `bulletins admin-password` "
                        "(never put the plain password there)."),
    "signin.not_configured": ("尚未配置登录方式，添加简报功能已关闭。请先设置管理密码的哈希：",
                              "No sign-in is configured, so adding bulletins is off. Set an admin password hash first:"),
    "signin.other_ways": ("也可以写入 `.streamlit/secrets.toml` 的 `[admin] password_hash = \"…\"`；或配置 OIDC 单点登录"
                          "（`[auth]` 段，见 Streamlit 的 `st.login` 文档），并用 `[admin] editors = [\"…\"]` 列出可添加简报的邮箱。",
                          "Or put it in `.streamlit/secrets.toml` as `[admin] password_hash = \"…\"`; or configure OIDC "
                          "sign-in (an `[auth]` section, see Streamlit's `st.login`) and list the editors' e-mail "
                          "addresses in `[admin] editors = [\"…\"]`."),
    # live archive (`bulletins app --watch`)
    "live.added_one": ("新到 1 期简报", "1 new bulletin"),
    "live.added": ("新到 {n} 期简报", "{n} new bulletins"),
    "live.updated_one": ("更新 1 期简报", "1 bulletin updated"),
    "live.updated": ("更新 {n} 期简报", "{n} bulletins updated"),
    "live.items_one": ("共 1 条", "1 item"),
    "live.items": ("共 {n} 条", "{n} items"),
    "live.which": ("简报：{titles}", "Bulletins: {titles}"),
    "live.failed": ("无法读取：{files}", "Could not be read: {files}"),
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


def arrival_notice(added: int, updated: int, items: int, lang: str = DEFAULT_LANG) -> str:
    """'1 new bulletin, 20 items' / '新到 1 期简报，共 20 条' ('' when no bulletin came or changed)."""
    if not added and not updated:
        return ""
    parts = [t("live.added_one" if added == 1 else "live.added", lang, n=added)] if added else []
    if updated:
        parts.append(t("live.updated_one" if updated == 1 else "live.updated", lang, n=updated))
    parts.append(t("live.items_one" if items == 1 else "live.items", lang, n=items))
    return ("，" if lang != "en" else ", ").join(parts)


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
