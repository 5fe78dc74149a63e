"""Web pages: one news item per page (title, date, source), bulletin pages, bilingual pages, bad HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import archive
from archive.readers.html import html_text

FURNITURE = ["首页", "新闻中心", "关于联盟", "当前位置", "版权所有", "京ICP备", "分享到", "微信", "相关新闻", "联盟秘书处访问挪威",
             "热点新闻", "热点一", "Home", "About us", "Related articles", "Copyright", "Share", "Twitter", "Subscribe",
             "Most read", "Advertisement", "Skip to content"]

ZH_BODY = [
    "2019年11月6日，“一带一路”绿色发展国际联盟2019年度合作伙伴会议在北京召开。",
    "会议回顾了联盟一年来的工作进展，讨论了下一阶段的重点任务。",
    "与会代表一致认为，联盟应继续推动绿色金融和绿色能源合作。",
]
ZH_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>联盟在京召开2019年度合作伙伴会议_新闻中心_“一带一路”绿色发展国际联盟</title>
<script>var _hmt = _hmt || [];</script><style>.nav li {{ float: left; }}</style></head>
<body>
<div class="header"><div class="logo"><a href="/">“一带一路”绿色发展国际联盟</a></div>
 <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/about">关于联盟</a></li>
 <li><a href="/news">新闻中心</a></li></ul></div></div>
<div class="main clearfix">
 <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/news">新闻中心</a></div>
 <div class="left">
  <h1>联盟在京召开2019年度合作伙伴会议</h1>
  <div class="info"><span>发布时间：2019-11-08 10:23</span>&nbsp;&nbsp;<span>来源：新华网</span>
   <span>浏览次数：1024</span></div>
  <div class="TRS_Editor">
   <p>{0}</p>
   <p>会议回顾了联盟一年来的工作进展，
   讨论了下一阶段的重点任务。</p>
   <p>{2}</p>
  </div>
  <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>
  <div class="xgxw"><h4>相关新闻</h4><ul><li><a href="/1">联盟秘书处访问挪威</a></li>
   <li><a href="/2">绿色金融论坛举行</a></li></ul></div>
 </div>
 <div class="right"><h3>热点新闻</h3><ul><li><a href="/3">热点一</a></li><li><a href="/4">热点二</a></li></ul></div>
</div>
<div class="footer"><p>版权所有 © 2019 “一带一路”绿色发展国际联盟 京ICP备12345678号</p></div>
</body></html>""".format(*ZH_BODY)

EN_BODY = [
    "OSLO, 23 October 2019 - Norway and China launched a partnership on ocean governance on Wednesday.",
    "The partnership will support research on marine plastics and sustainable fisheries.",
    "\u201cThe ocean is a victim of climate change, but it can also provide solutions,\u201d said Erik Solheim.",
]
EN_PAGE = f"""<html><head><title>Ocean partnership launched in Oslo | BRIGC</title>
<meta property="og:url" content="https://en.brigc.net/news/2019/ocean.html"></head><body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<main id="main"><div class="post">
 <h1 class="entry-title">Ocean partnership launched in Oslo</h1>
 <p class="byline"><time datetime="2019-10-24T09:00:00+08:00">October 24, 2019</time> | Source: Xinhua</p>
 <div class="entry-content"><p>{EN_BODY[0]}</p><p>{EN_BODY[1]}</p><p>{EN_BODY[2]}</p></div>
 <div class="share-buttons"><span>Share</span> <a href="#">Twitter</a> <a href="#">Facebook</a></div>
 <section class="related-posts"><h2>Related articles</h2><ul><li><a href="/a">Green shipping dialogue</a></li>
  <li><a href="/b">Finance forum</a></li></ul></section>
</div></main>
<aside class="widget"><h3>Most read</h3><p>Advertisement</p></aside>
<footer><p>Copyright 2019 BRIGC. <a href="/subscribe">Subscribe</a></p></footer></body></html>"""

ALT_ZH = ["2019年11月5日，第二届中国国际进口博览会在上海开幕。", "联盟在博览会期间举办了绿色发展主题论坛。"]
ALT_EN = ["On 5 November 2019, the second China International Import Expo opened in Shanghai.",
          "During the Expo, the Coalition held a forum on green development."]
ALTERNATING_PAGE = f"""<html><head><meta charset="utf-8"><title>进博会绿色发展论坛</title></head><body>
<nav><a href="/">首页</a></nav><article>
<h1>联盟在进博会举办绿色发展论坛</h1><h2>Coalition holds green development forum at the Import Expo</h2>
<p>发布时间：2019-11-08 来源：新华网</p>
<p>{ALT_ZH[0]}</p><p>{ALT_EN[0]}</p><p>{ALT_ZH[1]}</p><p>{ALT_EN[1]}</p>
</article><footer>版权所有 © 2019</footer></body></html>"""

BLOCK_ZH = ["2019年11月12日，联盟与联合国环境规划署签署合作备忘录。", "双方将在绿色金融、生物多样性等领域开展合作。"]
BLOCK_EN = ["On 12 November 2019, the Coalition signed a memorandum of cooperation with UN Environment.",
            "The two sides will cooperate on green finance and biodiversity."]
BLOCK_PAGE = f"""<html><head><meta charset="utf-8"><meta name="publishdate" content="2019-11-13">
<title>联盟与环境署签署合作备忘录</title></head><body><div class="nav"><a href="/">首页</a>
<a href="/en">English</a></div><div class="article">
<h1>联盟与环境署签署合作备忘录</h1><p>{BLOCK_ZH[0]}</p><p>{BLOCK_ZH[1]}</p><p>（来源：联盟秘书处）</p>
<h1>Coalition signs memorandum with UN Environment</h1><p>{BLOCK_EN[0]}</p><p>{BLOCK_EN[1]}</p>
</div><div class="footer">版权所有 © 2019 京ICP备12345678号</div></body></html>"""

SOUP_BODY = ["2019年10月28日，“一带一路”绿色发展示范项目企业座谈会在北京召开。", "来自20家企业的代表参加了座谈会。"]
SOUP_PAGE = f"""<html><head><meta charset="gb18030"><title>企业座谈会</title></head><body>
<div id="wrap"><div id="top"><div class="topbar"><a href="/login">登录</a> <a href="/">首页</a></div></div>
<div class="col"><div class="col-l"><div class="box"><div class="box-hd">栏目导航</div>
<div class="box-bd"><a href="/1">新闻中心</a><br><a href="/2">关于联盟</a><br><a href="/3">联系我们</a></div></div></div>
<div class="col-r"><div class="inner"><div class="pad">
<article><h1>示范项目企业座谈会在京召开</h1><div><div><span>发布日期：2019年10月29日</span></div></div>
<div><div><p>{SOUP_BODY[0]}</p></div><div>{SOUP_BODY[1]}<br></div></div>
<p>（来源：中国一带一路网）</p></article>
<div class="pages"><a href="/p">上一篇：联盟秘书处访问挪威</a></div></div></div></div></div>
<div id="ft">版权所有 © 2019</div></div></body></html>"""

BULLETIN_PAGE = """<html><head><meta charset="utf-8"><title>联盟简报</title></head><body>
<nav><a href="/">首页</a></nav><article><h1>联盟简报 2019年第11期</h1><p>发布时间：2019-11-30</p>
<h2>绿色丝路新闻</h2><h3>习近平同马克龙会谈</h3><p>2019年11月6日，国家主席习近平在人民大会堂同法国总统马克龙会谈。</p>
<p>（来源：新华网）</p>
<h3>第二届进博会开幕</h3><p>2019年11月5日，第二届中国国际进口博览会在上海开幕。</p><p>（来源：新华网）</p>
<h2>联盟动态</h2><h3>示范项目企业座谈会在京召开</h3><p>2019年10月28日，示范项目企业座谈会在北京召开。</p>
<p>（来源：联盟秘书处）</p></article><footer>版权所有 © 2019</footer></body></html>"""


def _page(tmp_path: Path, html: str, name: str = "page.html", codec: str = "utf-8") -> archive.ParsedFile:
    path = tmp_path / name
    path.write_bytes(html.encode(codec))
    return archive.read(path)


def _rows(pf: archive.ParsedFile) -> list[tuple[str, ...]]:
    return [(it.kind, it.title, it.date, it.source, it.lang, it.section) for it in pf.items]


def _assert_clean(pf: archive.ParsedFile, body: list[str]) -> None:
    """No furniture in any item; every paragraph of the body in exactly one item, once."""
    texts = [it.text for it in pf.items] + [it.title for it in pf.items]
    for word in FURNITURE:
        assert not any(word in t for t in texts), word
    for para in body:
        assert sum(it.text.count(para) for it in pf.items) == 1, para


def test_chinese_news_page(tmp_path: Path) -> None:
    pf = _page(tmp_path, ZH_PAGE)
    assert _rows(pf) == [("news", "联盟在京召开2019年度合作伙伴会议", "2019-11-08", "新华网", "zh", "")]
    assert pf.items[0].text == "\n\n".join(ZH_BODY)
    assert pf.items[0].translation_of == "" and pf.items[0].id.startswith("page-")
    assert (pf.bulletin.title, pf.bulletin.date, pf.bulletin.language) == ("联盟在京召开2019年度合作伙伴会议", "2019-11-08", "zh")
    assert "read as HTML" in pf.bulletin.notes
    _assert_clean(pf, ZH_BODY)


def test_english_news_page(tmp_path: Path) -> None:
    pf = _page(tmp_path, EN_PAGE)
    assert _rows(pf) == [("news", "Ocean partnership launched in Oslo", "2019-10-24", "Xinhua", "en", "")]
    assert pf.items[0].text == "\n\n".join(EN_BODY)
    assert pf.items[0].url == "https://en.brigc.net/news/2019/ocean.html"
    _assert_clean(pf, EN_BODY)


def test_ids_are_stable(tmp_path: Path) -> None:
    assert [it.id for it in _page(tmp_path, ZH_PAGE).items] == [it.id for it in _page(tmp_path, ZH_PAGE).items]


def test_bilingual_alternating_paragraphs(tmp_path: Path) -> None:
    pf = _page(tmp_path, ALTERNATING_PAGE)
    assert _rows(pf) == [
        ("news", "联盟在进博会举办绿色发展论坛", "2019-11-08", "新华网", "zh", ""),
        ("news", "Coalition holds green development forum at the Import Expo", "2019-11-08", "新华网", "en", ""),
    ]
    zh, en = pf.items
    assert (zh.translation_of, en.translation_of) == ("", zh.id) and zh.id != en.id
    assert (zh.text, en.text) == ("\n\n".join(ALT_ZH), "\n\n".join(ALT_EN))
    assert pf.bulletin.language == "mixed"
    assert any("translation_of" in note for note in pf.bulletin.notes)
    _assert_clean(pf, ALT_ZH + ALT_EN)


def test_bilingual_chinese_block_then_english_block(tmp_path: Path) -> None:
    pf = _page(tmp_path, BLOCK_PAGE)
    assert _rows(pf) == [
        ("news", "联盟与环境署签署合作备忘录", "2019-11-13", "联盟秘书处", "zh", ""),
        ("news", "Coalition signs memorandum with UN Environment", "2019-11-13", "联盟秘书处", "en", ""),
    ]
    zh, en = pf.items
    assert en.translation_of == zh.id and not zh.translation_of
    assert [it.position for it in pf.items] == [0, 1]
    _assert_clean(pf, BLOCK_ZH + BLOCK_EN)


def test_article_in_div_soup(tmp_path: Path) -> None:
    pf = _page(tmp_path, SOUP_PAGE, codec="gb18030")
    assert _rows(pf) == [("news", "示范项目企业座谈会在京召开", "2019-10-29", "中国一带一路网", "zh", "")]
    assert pf.items[0].text == "\n\n".join(SOUP_BODY)
    _assert_clean(pf, SOUP_BODY)
    for word in ("栏目导航", "登录", "上一篇"):
        assert word not in pf.items[0].text


def test_whole_bulletin_page(tmp_path: Path) -> None:
    pf = _page(tmp_path, BULLETIN_PAGE)
    assert _rows(pf) == [
        ("news", "习近平同马克龙会谈", "2019-11-06", "新华网", "zh", "绿色丝路新闻"),
        ("news", "第二届进博会开幕", "2019-11-05", "新华网", "zh", "绿色丝路新闻"),
        ("news", "示范项目企业座谈会在京召开", "2019-10-28", "联盟秘书处", "zh", "联盟动态"),
    ]
    assert (pf.bulletin.title, pf.bulletin.date) == ("联盟简报 2019年第11期", "2019-11-30")
    assert not any(it.translation_of for it in pf.items)
    _assert_clean(pf, ["2019年11月5日，第二届中国国际进口博览会在上海开幕。"])


def test_bilingual_bulletin_page_links_item_by_item(tmp_path: Path) -> None:
    html = """<html><body><article><h1>联盟简报 Coalition Bulletin</h1><h2>联盟动态</h2>
    <h3>示范项目企业座谈会在京召开</h3><p>2019年10月28日，示范项目企业座谈会在北京召开。</p>
    <h2>Coalition News</h2><h3>Flagship project symposium held in Beijing</h3>
    <p>On 28 October 2019, a symposium on flagship projects was held in Beijing.</p></article></body></html>"""
    pf = _page(tmp_path, html)
    assert _rows(pf) == [
        ("news", "示范项目企业座谈会在京召开", "2019-10-28", "", "zh", "联盟动态"),
        ("news", "Flagship project symposium held in Beijing", "2019-10-28", "", "en", "联盟动态"),
    ]
    assert pf.items[1].translation_of == pf.items[0].id


def test_chinese_page_quoting_english_is_not_bilingual(tmp_path: Path) -> None:
    html = f"""<html><body><h1>联盟召开年度会议</h1><p>{ZH_BODY[0]}</p><p>{ZH_BODY[1]}</p><p>{ZH_BODY[2]}</p>
    <p>"Green is gold."</p></body></html>"""
    pf = _page(tmp_path, html)
    assert [(it.lang, it.translation_of) for it in pf.items] == [("zh", "")]


def test_html_text_renders_headings() -> None:
    text = html_text(BULLETIN_PAGE.encode(), "b.html")
    assert text.startswith("# 联盟简报 2019年第11期\n\n## 绿色丝路新闻\n\n### 习近平同马克龙会谈")
    assert "首页" not in text and "发布时间" not in text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body><nav>menu</nav><footer>(c) 2019</footer></body></html>", "no text"),
        (b"<html><body><p>\xe5\x8f\x91\xe5\xb8\x83\xe6\x97\xb6\xe9\x97\xb4\xef\xbc\x9a2019-11-08</p></body></html>", "no text"),
        (b"<div>" * 5000 + b"deep" + b"</div>" * 5000, "nested too deeply"),
    ],
    ids=["only-furniture", "only-byline", "deep"],
)
def test_bad_pages_name_file_and_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    with pytest.raises(archive.UnreadableFile) as info:
        archive.read(path)
    assert info.value.path == str(path) and reason in info.value.reason


_PIECES = [*"联盟绿色发展abc XYZ2019年11月6日-:：，。<>&\"'", "来源：", "发布时间：", "Source: ", "\n"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_BLOCK = st.one_of(
    st.builds("<h{0}>{1}</h{0}>".format, st.integers(1, 6), _TEXT),
    st.builds("<p>{}</p>".format, _TEXT),
    st.builds("<div class='{}'>{}</div>".format, st.sampled_from(["nav", "content", "footer", "share", "x"]), _TEXT),
    st.builds("<ul><li><a href='/'>{}</a></li><li><a>{}</a></li></ul>".format, _TEXT, _TEXT),
    st.builds("<time datetime='{}'>{}</time>".format, _TEXT, _TEXT),
    st.builds("<meta name='publishdate' content='{}'>".format, _TEXT),
    st.sampled_from(["<nav>首页</nav>", "<footer>版权所有</footer>", "<article>", "</article>", "<br>", "<main>",
                     "</div>", "<table><tr><td>", "<!-- c -->", "<script>x</script>", "&nbsp;", "<"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(_BLOCK, max_size=14))
def test_random_pages_never_raise_anything_but_unreadable(tmp_path: Path, blocks: list[str]) -> None:
    path = tmp_path / "random.html"
    path.write_text("<html><body>" + "".join(blocks) + "</body></html>", encoding="utf-8")
    try:
        pf = archive.read(path)
    except archive.UnreadableFile as exc:
        assert exc.path == str(path)
        return
    assert pf.items and all(it.text for it in pf.items)
    ids = [it.id for it in pf.items]
    assert len(set(ids)) == len(ids)
    assert all(not it.translation_of or it.translation_of in ids for it in pf.items)
