"""End to end: the app on a free port (`bulletins app`, and `streamlit run app.py` with the project's
.streamlit/config.toml), driven in Debian's Chromium through Playwright.

Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from index.build import audit
from service.secrets import hash_secret
from tests.chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.conftest import ROOT
from tests.net import free_port

playwright = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = ROOT / "tests" / "artifacts"
ADMIN_PASSWORD = "correct horse battery"
CONCURRENT_BOUND_S = 90  # ten first page loads and searches on two shared cores
STREAMLIT_RUN = (sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false")



def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def _serve(command: Sequence[str], env: dict[str, str], log_path: Path, cwd: Path = ROOT,
           port_flag: str = "--server.port") -> Iterator[str]:
    """``command`` on a free port with ``env``; yields its URL, stops it afterwards."""
    port = free_port()
    log = log_path.open("w")
    proc = subprocess.Popen([*command, port_flag, str(port)],
                            cwd=cwd, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(ui_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`bulletins app`, run outside the project (so its own options, not .streamlit/config.toml, apply)."""
    base = tmp_path_factory.mktemp("server")
    env = {"BULLETINS_ADMIN": ""}
    command = ["bulletins", "app", "--index", str(ui_index)]
    with _serve(command, env, base / "streamlit.log", cwd=base, port_flag="--port") as url:
        yield url


@pytest.fixture(scope="module")
def admin_server(ui_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A second server in admin mode, over copies of the test data folder and index."""
    base = tmp_path_factory.mktemp("admin")
    shutil.copytree(ui_index.parent / "data", base / "data")
    shutil.copytree(ui_index, base / "index")
    env = {"BULLETINS_INDEX": str(base / "index"), "BULLETINS_DATA": str(base / "data"), "BULLETINS_ADMIN": "1",
           "BULLETINS_ADMIN_PASSWORD_HASH": hash_secret(ADMIN_PASSWORD)}
    with _serve(STREAMLIT_RUN, env, base / "streamlit.log") as url:
        yield url, base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    tab = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    tab.set_default_timeout(60_000)
    yield tab
    tab.close()


def summary(page: Page):
    """The result-count line at the top of the results."""
    return page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']").filter(
        has_text=re.compile(r"^(共 \d+ 条|\d+ results?|\d+ items)")).first


def settle(page: Page) -> None:
    """Wait until the app has run the script for the last interaction."""
    app = page.locator("[data-testid='stApp']")
    with contextlib.suppress(AssertionError):  # the run may be over before we look
        expect(app).to_have_attribute("data-test-script-state", "running", timeout=1_500)
    expect(app).to_have_attribute("data-test-script-state", "notRunning")


def search(page: Page, query: str) -> None:
    box = page.locator("[data-testid='stMain'] [data-testid='stTextInput'] input").first
    box.fill(query)
    box.press("Enter")
    settle(page)


def expect_no_developer_tools(page: Page) -> None:
    """A server for others: no "Deploy" button and no developer menu (rerun, clear cache) in the toolbar."""
    expect(page.locator("[data-testid='stAppDeployButton']")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Deploy", re.I))).to_have_count(0)
    expect(page.locator("[data-testid='stMainMenu']")).to_have_count(0)


def test_search_filter_item_language_and_shared_url(server: str, page: Page) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="简报档案检索")).to_be_visible()
    expect_no_developer_tools(page)
    expect(summary(page)).to_contain_text("按简报顺序浏览")

    # A Chinese query: ranked cards with highlighted terms, the query in the URL.
    search(page, "海洋")
    expect(summary(page)).to_contain_text(re.compile(r"共 \d+ 条结果，用时 \d+ 毫秒"))
    expect(page.get_by_role("button", name="查看全文")).to_have_count(10)
    expect(page.locator("[data-testid='stMain'] mark").first).to_have_text("海洋")
    assert page.locator("[data-testid='stMain'] mark").count() >= 10
    expect(page).to_have_url(re.compile(r"\?q=%E6%B5%B7%E6%B4%8B$"))
    page.screenshot(path=ARTIFACTS / "01-search-zh.png")

    # A sidebar filter, with its facet count, restricts the results; the summary says so.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="类型").locator("input").click()
    option = page.get_by_role("option", name=re.compile(r"^发言 \((\d+)\)$"))
    count = re.search(r"\((\d+)\)", option.inner_text()).group(1)
    option.click()
    page.keyboard.press("Escape")
    settle(page)
    expect(summary(page)).to_contain_text(f"共 {count} 条结果")
    expect(summary(page)).to_contain_text("筛选：类型 发言")
    expect(page).to_have_url(re.compile(r"kind=quote"))
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=ARTIFACTS / "02-filter-quote.png", full_page=True)

    # Open the first result: full text, citation ready to copy, similar items.
    page.get_by_role("button", name="查看全文").first.click()
    settle(page)
    expect(page.get_by_text("引用（可复制）")).to_be_visible()
    expect(page.locator("[data-testid='stCode']")).to_contain_text("“观点与动态”栏目")
    expect(page.get_by_text("相似条目")).to_be_visible()
    title = page.locator("[data-testid='stMain'] h3").first.inner_text()
    expect(page).to_have_url(re.compile(r"item="))
    page.screenshot(path=ARTIFACTS / "03-item.png", full_page=True)

    # Interface in English; the view stays.
    sidebar.get_by_text("English", exact=True).click()
    settle(page)
    expect(page.get_by_role("heading", name="Bulletin Archive")).to_be_visible()
    expect(page.get_by_text("Citation (ready to copy)")).to_be_visible()
    expect(page).to_have_url(re.compile(r"ui=en"))
    shared = page.url

    # A fresh page on the shared URL restores everything: language, item, query, mode, filter.
    page.goto("about:blank")
    page.goto(shared)
    expect(page.get_by_role("heading", name="Bulletin Archive")).to_be_visible()
    expect(page.locator("[data-testid='stMain'] h3").first).to_have_text(title)
    page.screenshot(path=ARTIFACTS / "04-restored-item-en.png", full_page=True)
    page.get_by_role("button", name="Back to results").click()
    settle(page)
    expect(summary(page)).to_contain_text(f"{count} results in")
    expect(summary(page)).to_contain_text("Filtered: kind Quote")
    expect(page.locator("[data-testid='stMain'] [data-testid='stTextInput'] input").first).to_have_value("海洋")
    page.screenshot(path=ARTIFACTS / "05-restored-results-en.png", full_page=True)


def test_document_markup_is_shown_as_text_never_run(server: str, page: Page) -> None:
    page.goto(f"{server}/?bulletin=harbour-weekly-2019-12&ui=en")
    expect(summary(page)).to_contain_text("2 items")
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("<script>window.__pwned = 1</script> **not bold**", exact=False)).to_be_visible()
    expect(main.get_by_text("US$ 5 and US$ 6 :red[not red]", exact=False)).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    assert main.locator("script, img, b, i, a[href^='javascript']").count() == 0
    assert main.locator("[data-testid='stMarkdownContainer'] .katex").count() == 0, "no LaTeX from $…$"
    page.screenshot(path=ARTIFACTS / "06-markup-probe.png", full_page=True)


def main_area(page: Page):
    return page.locator("[data-testid='stMain']")


def test_quotes_page_by_theme_then_its_news_item(server: str, page: Page) -> None:
    page.goto(f"{server}/quotes")
    expect(page.get_by_role("heading", name="按主题查找发言")).to_be_visible()
    expect(main_area(page).get_by_text(re.compile(r"^共 \d+ 条发言$"))).to_be_visible()
    box = main_area(page).locator("[data-testid='stTextInput'] input").first
    box.fill("海洋治理")
    box.press("Enter")
    settle(page)
    expect(main_area(page).get_by_text(re.compile(r"条与“海洋治理”相关的发言"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/quotes\?qq=%E6%B5%B7%E6%B4%8B%E6%B2%BB%E7%90%86"))
    expect(main_area(page).locator("[data-testid='stCode']").first).to_contain_text("，见《")
    expect(main_area(page).get_by_text(re.compile(r"^发言人（\d+ 位）"))).to_be_visible()
    page.screenshot(path=ARTIFACTS / "07-quotes.png")

    main_area(page).get_by_role("button", name=re.compile(r"^所属新闻：")).first.click()
    settle(page)
    expect(page.get_by_text("本条新闻中的发言")).to_be_visible()
    expect(page).to_have_url(re.compile(r"item="))


def test_bulletins_page_open_an_issue_then_an_item(server: str, page: Page) -> None:
    page.goto(f"{server}/bulletins")
    expect(page.get_by_role("heading", name="全部简报")).to_be_visible()
    cards = main_area(page).get_by_role("button", name="阅读本期")
    expect(cards).to_have_count(3)
    page.screenshot(path=ARTIFACTS / "08-bulletins.png", full_page=True)
    cards.last.click()  # oldest last: the Chinese sample
    settle(page)
    expect(page).to_have_url(re.compile(r"read=brigc-2019-11"))
    expect(page.get_by_role("heading", name="观点与动态")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "09-bulletin-read.png")
    main_area(page).get_by_role("button", name=re.compile("^习近平会见马克龙")).click()
    settle(page)
    expect(page.get_by_text("引用（可复制）")).to_be_visible()
    expect(page.locator("[data-testid='stMain'] h3").first).to_contain_text("习近平会见马克龙")


def test_coverage_page_charts_and_period(server: str, page: Page) -> None:
    page.goto(f"{server}/coverage?q=%E6%B5%B7%E6%B4%8B")
    expect(page.get_by_role("heading", name="报道趋势")).to_be_visible()
    charts = main_area(page).locator("[data-testid='stVegaLiteChart']")
    expect(charts).to_have_count(2)
    expect(main_area(page).get_by_text("主要来源")).to_be_visible()
    expect(main_area(page).get_by_text(re.compile(r"^结果（前 \d+ 条，共 \d+ 条）"))).to_be_visible()
    page.wait_for_timeout(1500)  # let Vega draw
    page.screenshot(path=ARTIFACTS / "10-coverage.png", full_page=True)


def test_admin_upload_then_find_the_new_item(admin_server: tuple[str, Path], page: Page,
                                            tmp_path: Path) -> None:
    url, base = admin_server
    upload = tmp_path / "port-weekly-2020-03.txt"
    upload.write_text("绿色丝路新闻\n\n2020年3月2日，青岛港启用全新岸电设施，靠港船舶使用岸电后可大幅减少排放，"
                      "推动绿色航运与港口减排。\n\n（来源：新华网）\n", encoding="utf-8")
    page.goto(f"{url}/admin")
    expect(page.get_by_role("heading", name="添加简报")).to_be_visible(timeout=60_000)  # first run loads the model
    expect_no_developer_tools(page)
    uploader = page.locator("[data-testid='stFileUploader'] input[type='file']")
    expect(uploader).to_have_count(0)

    # Sign in: a wrong password is refused, the right one opens the uploader.
    main_area(page).get_by_label("管理密码").fill("wrong horse battery")
    main_area(page).get_by_role("button", name="登录").click()
    expect(main_area(page).get_by_text("密码不正确，请重试。")).to_be_visible()
    expect(uploader).to_have_count(0)
    main_area(page).get_by_label("您的名字").fill("Browser Editor")
    main_area(page).get_by_label("管理密码").fill(ADMIN_PASSWORD)
    main_area(page).get_by_role("button", name="登录").click()
    expect(main_area(page).get_by_text("已登录：Browser Editor")).to_be_visible()
    uploader.set_input_files(str(upload))
    settle(page)
    confirm = page.get_by_role("button", name=re.compile("^确认添加 1 个文件"))
    expect(confirm).to_be_visible()
    expect(main_area(page).locator("[data-testid='stDataFrame']").first).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=ARTIFACTS / "11-admin-preview.png", full_page=True)
    assert not (base / "data" / upload.name).exists(), "nothing is written before confirming"
    confirm.click()
    expect(page.get_by_text(re.compile("^已添加 1 个文件"))).to_be_visible(timeout=120_000)
    assert (base / "data" / upload.name).is_file()
    assert [(e["actor"], e["outcome"]) for e in audit.read(base / "index")] == [("Browser Editor", "added")]
    page.screenshot(path=ARTIFACTS / "12-admin-done.png")

    page.get_by_role("link", name="检索").click()
    settle(page)
    search(page, "青岛港")
    expect(page.get_by_role("button", name="查看全文")).not_to_have_count(0)
    expect(main_area(page).get_by_text(re.compile("青岛港启用全新岸电设施")).first).to_be_visible()


CONCURRENT_QUERIES = ("海洋", "绿色", "一带一路", "合作", "生态", "气候", "能源", "green shipping", "ocean", "harbour")


def test_ten_browsers_searching_at_once_all_get_results(server: str, browser: Browser) -> None:
    """Ten sessions (separate browser contexts) send their searches together; every one gets its results."""
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
                for _ in CONCURRENT_QUERIES]
    try:
        tabs = [context.new_page() for context in contexts]
        started = time.monotonic()
        for tab, query in zip(tabs, CONCURRENT_QUERIES, strict=True):
            tab.goto(f"{server}/?q={urllib.parse.quote(query)}", wait_until="commit")  # do not wait: all at once
        bound_ms = CONCURRENT_BOUND_S * 1000
        for tab in tabs:
            expect(summary(tab)).to_contain_text(re.compile(r"共 [1-9]\d* 条结果"), timeout=bound_ms)
            expect(tab.get_by_role("button", name="查看全文").first).to_be_visible(timeout=bound_ms)
        elapsed = time.monotonic() - started
        assert elapsed < CONCURRENT_BOUND_S, f"10 concurrent searches took {elapsed:.1f} s"
    finally:
        for context in contexts:
            context.close()
