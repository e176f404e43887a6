"""The public catalog page in a real browser: Debian's headless Chromium loads it from file://.

The page reads ``?q=`` (and filter parameters) into its controls on load, so
``--dump-dom`` shows exactly what a reader who typed that search would see.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from publisher.cli import main

from test_catalog import PREVIOUS, WEIFANG, make_workbook

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "",
                             shutil.which("google-chrome") or "") if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="没有可用的 Chromium（/usr/bin/chromium 不存在），无法在浏览器中测试公开网页")


def chromium(tmp: Path, url: str, *extra: str) -> str:
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={tmp / 'profile'}", *extra, url]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return result.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    source = make_workbook(folder / "linyi.xlsx")
    result = CliRunner().invoke(main, ["catalog", str(source), "--previous", str(PREVIOUS), "-o",
                                       str(folder / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    return folder, folder / "out" / "临沂市2021年度精准技能扶贫技工院校和专业目录.html"


def shown(dom: str) -> tuple[list[str], list[str], str]:
    """(schools shown, majors shown, the count line) in the rendered results."""
    results = dom.split('id="results"', 1)[1].split("</main>", 1)[0]
    results = re.sub(r"<noscript>.*?</noscript>", "", results, flags=re.S)
    strip = lambda html: re.sub(r"<[^>]+>", "", html)  # noqa: E731
    schools = [strip(s) for s in re.findall(r'<td[^>]*class="sc s-name"[^>]*>(.*?)</td>', results)]
    majors = [strip(m) for m in re.findall(r'<td[^>]*class="mc m-name"[^>]*>(.*?)</td>', results)]
    count = strip(re.search(r'<p id="count"[^>]*>(.*?)</p>', dom, re.S).group(1))
    return schools, majors, count


def test_search_shows_only_matching_majors(page):
    folder, html = page
    dom = chromium(folder, html.as_uri() + "?q=" + quote("焊接"), "--dump-dom")
    schools, majors, count = shown(dom)
    assert schools == ["沂南县技工学校", "兰陵县技工学校"]
    assert majors == ["焊接加工", "焊接加工"]
    assert count == "找到 2 所学校、2 个专业，招生计划 50 人（全部 3 所学校、6 个专业）"
    assert "<mark>焊接</mark>" in dom


def test_search_by_school_shows_all_its_majors_and_filters_apply(page):
    folder, html = page
    dom = chromium(folder, html.as_uri() + "?q=" + quote("临沂技师") + "&level=" + quote("中级工"), "--dump-dom")
    schools, majors, _ = shown(dom)
    assert schools == ["临沂技师学院"] and majors == ["汽车维修", "计算机程序设计"]
    dom = chromium(folder, html.as_uri() + "?affiliation=" + quote("县属") + "&years=3", "--dump-dom")
    assert shown(dom)[0] == ["沂南县技工学校", "兰陵县技工学校"]


def test_no_match_says_so_and_all_shown_without_query(page):
    folder, html = page
    dom = chromium(folder, html.as_uri() + "?q=" + quote("航天"), "--dump-dom")
    assert "没有找到符合条件的学校或专业" in dom and shown(dom)[1] == []
    schools, majors, count = shown(chromium(folder, html.as_uri(), "--dump-dom"))
    assert len(schools) == 3 and len(majors) == 6 and count == "共 3 所学校、6 个专业，招生计划 195 人"
    # the note holding </script><b>… is shown as text, never as markup
    assert "&lt;/script&gt;&lt;b&gt;订单班&lt;/b&gt;" in chromium(folder, html.as_uri(), "--dump-dom")


def test_screenshots_desktop_and_phone(page):
    folder, html = page
    for width in (1280, 390):
        shot = folder / f"shot-{width}.png"
        chromium(folder, html.as_uri() + "?q=" + quote("汽车"), f"--window-size={width},1200", f"--screenshot={shot}")
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == width


def test_merged_page_filters_by_city(tmp_path):
    source = make_workbook(tmp_path / "linyi.xlsx")
    out = tmp_path / "out"
    CliRunner().invoke(main, ["catalog", str(source), str(WEIFANG), "-o", str(out), "--format", "html"])
    html = next(out.glob("*.html"))
    dom = chromium(tmp_path, html.as_uri() + "?city=" + quote("潍坊市"), "--dump-dom")
    assert shown(dom)[0] == ["潍坊技师学院", "寿光市技工学校"]
