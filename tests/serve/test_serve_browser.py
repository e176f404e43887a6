"""The page in a real browser: Debian's headless Chromium, driven by Playwright (never `playwright install`).

upload → findings → build → download, at 1280 px and at a phone's width, against a real
`publisher serve`.  With PUBLISHER_SHOTS=DIR the steps are also saved as PNG pictures.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("httpx2")
CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="没有 /usr/bin/chromium，无法在浏览器中测试网页")

from test_serve_api import planted, students  # noqa: E402
from test_serve_server import server  # noqa: E402,F401  (the fixture)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]
WAIT = 120_000          # ms: explicit waits, generous for a loaded CI machine
SHOTS = os.environ.get("PUBLISHER_SHOTS")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size,layout", [("1280", WIDE), ("phone", PHONE)])
def test_upload_findings_build_download(chromium, server, tmp_path, size, layout):  # noqa: F811
    s = server()
    registrations, reg_catalog, plant = planted(tmp_path / "bad")
    admissions, catalog, schools = students(tmp_path / "good", 40, seed=1616)
    context = chromium.new_context(accept_downloads=True, locale="zh-CN", **layout)
    page = context.new_page()
    expect = sync_api.expect
    page.goto(s.url)
    expect(page.locator("h1")).to_have_text("技工院校服务脱贫攻坚 · 文件生成")
    expect(page.locator("#office")).to_contain_text("一次最多上传 50 MB", timeout=WAIT)
    assert page.locator("input[type=file]#files").count() == 1
    shot(page, f"1-start-{size}")

    # upload a workbook with planted errors and its catalog: every planted cell is in the table
    page.set_input_files("#files", [str(registrations), str(reg_catalog)])
    expect(page.locator("#summary")).to_contain_text("个错误", timeout=WAIT)
    group = page.locator(".file-group", has=page.locator("h3", has_text="登记汇总表.xlsx"))
    rows = group.locator("tbody tr")
    cells = {rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())}
    assert {f"{column}{row}" for row, column, _ in plant} <= cells
    assert group.locator("td .level.error").count() >= len(plant)
    shot(page, f"2-findings-{size}")

    # building with errors: the page says so in Chinese, nothing to download
    page.locator("#kinds button[data-what=all]").click()
    expect(page.locator("#result .failed")).to_have_text("发现错误，未生成任何文件。请按上面的提示修改源文件后重试。",
                                                         timeout=WAIT)
    assert page.locator("#download").count() == 0
    shot(page, f"3-failed-{size}")

    # take them away, upload clean sources: no problems, buttons for what they can make
    while page.locator("#chosen .remove").count():
        page.locator("#chosen .remove").first.click()
    page.set_input_files("#files", [str(admissions), str(catalog)])
    expect(page.locator("#summary")).to_have_text("检查完毕，没有发现问题。", timeout=WAIT)
    labels = page.locator("#kinds button").all_inner_texts()
    assert labels == ["全部生成", "技能扶贫技工院校和专业目录", "目录备案报告和公布通知", "录取通知书"]
    options = page.locator("#school option").all_inner_texts()
    assert options[0] == "全部学校" and sorted(options[1:]) == schools
    shot(page, f"4-clean-{size}")

    # letters for every school: the progress bar counts, then the ZIP downloads
    page.locator("#kinds button[data-what=letters]").click()
    expect(page.locator("#progress-box")).to_be_visible(timeout=WAIT)
    expect(page.locator("#progress-text")).to_contain_text(re.compile(r"\d+ / \d+"), timeout=WAIT)
    shot(page, f"5-progress-{size}")
    expect(page.locator("#download")).to_be_visible(timeout=WAIT)
    expect(page.locator("#progress-text")).to_contain_text("完成：生成了", timeout=WAIT)
    assert page.locator("#bar").evaluate("b => [b.value, b.max]") == [80, 80]     # 40 letters, PDF and DOCX
    shot(page, f"6-done-{size}")
    with page.expect_download(timeout=WAIT) as download:
        page.locator("#download").click()
    data = Path(download.value.path()).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    made = {o["path"] for o in manifest["outputs"]}
    assert all(f"{school}/录取通知书.pdf" in made for school in schools)
    assert download.value.suggested_filename == "publisher-生成的文件.zip"
    context.close()


def test_the_page_asks_for_the_token_once(chromium, server):  # noqa: F811
    s = server(env={"PUBLISHER_TOKEN": "office-token-2019"})
    context = chromium.new_context(**WIDE)
    page = context.new_page()
    page.goto(s.url)
    expect = sync_api.expect
    expect(page.locator("label[for=token]")).to_have_text("访问口令")
    page.fill("#token", "wrong-token-000")
    page.locator("button[type=submit]").click()
    expect(page.locator(".wrong")).to_have_text("口令不对，请重新输入。", timeout=WAIT)
    shot(page, "0-login-1280")
    page.fill("#token", "office-token-2019")
    page.locator("button[type=submit]").click()
    expect(page.locator("#office")).to_contain_text("一次最多上传", timeout=WAIT)
    cookie = next(c for c in context.cookies() if c["name"] == "publisher_token")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.reload()                                      # asked once: the cookie carries it
    expect(page.locator("#files")).to_have_count(1, timeout=WAIT)
    context.close()
