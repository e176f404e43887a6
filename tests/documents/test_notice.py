"""The 公文 (GB/T 9704-2012): positions, not only text — page size, margins, red mark, page numbers, 版记."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.domain.notice import number_problems, parse_body
from publisher.linebreak import break_lines
from publisher.render.seal import seal_svg

DATA = Path(__file__).resolve().parents[1] / "data" / "notice"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("notice") / "out"
    result = CliRunner().invoke(main, ["notice", str(DATA / "city.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("title, lines", [
    # the example: it used to break after 和 ("…技工院校和 / 专业目录的通知")
    ("关于公布2019年度精准技能扶贫技工院校和专业目录的通知",
     ["关于公布2019年度精准技能扶贫", "技工院校和专业目录的通知"]),
    # the seed: near-equal lines rather than the seed's own 19/7 ("…工作 / 行动计划的通知")
    ("关于印发山东省技工院校服务脱贫攻坚工作行动计划的通知",
     ["关于印发山东省技工院校服务", "脱贫攻坚工作行动计划的通知"]),
    ("关于进一步加强技工院校服务脱贫攻坚工作的意见", ["关于进一步加强技工院校", "服务脱贫攻坚工作的意见"]),
    # four lines: a diamond; the issuers' names whole, "济南市" kept with its bureau
    ("济南市人力资源和社会保障局济南市扶贫开发领导小组办公室关于公布2019年度承担精准技能扶贫工作的技工院校和专业目录的通知",
     ["济南市人力资源和社会保障局", "济南市扶贫开发领导小组办公室", "关于公布2019年度承担精准技能扶贫",
      "工作的技工院校和专业目录的通知"]),
    ("全省技工院校服务脱贫攻坚工作进展情况表", ["全省技工院校服务脱贫攻坚工作进展情况表"]),
])
def test_titles_break_at_words_balanced(title, lines):
    from publisher.linebreak import NO_END, text_units
    assert break_lines(title, 20) == lines
    assert all(not line.endswith(tuple(NO_END)) for line in lines[:-1])
    assert all(text_units(line) <= 20 for line in lines)


def test_title_terms_stay_whole_and_no_hourglass():
    from publisher.linebreak import LEXICON, _shape, text_units
    for title in ("关于做好技工院校专业目录和行动计划备案工作的通知",
                  "关于转发人力资源社会保障部职业技能提升行动计划实施方案的通知"):
        lines = break_lines(title, 10)
        assert "".join(lines) == title and len(lines) >= 3
        for a, b in zip(lines, lines[1:]):
            for term in ("技工院校", "专业目录", "行动计划", "人力资源社会保障"):
                joined = a[-len(term):] + b[:len(term)]
                assert not (term in joined and term not in a and term not in b), (term, lines)
            assert a[-1] not in "和的与及并"
        assert _shape([text_units(x) for x in lines]) == 0, lines
    assert "专业目录" in LEXICON and "行动计划" in LEXICON


def test_number_form_and_headings():
    assert number_problems("鲁人社字〔2017〕100号") is None
    assert "济人社字〔2019〕12号" in number_problems("济人社字[2019]第012号")
    paras = parse_body("一、指导思想\n（一）精心拟制方案，明晰工作责任。各级部门\n1．三级。正文\n（1）四级")
    assert [p.level for p in paras] == [1, 2, 3, 4]
    assert paras[1].head == "（一）精心拟制方案，明晰工作责任。"


def test_seal_placeholder_svg():
    svg = seal_svg(42)
    assert "stroke-dasharray" in svg and "（印章）" in svg and 'width="42mm"' in svg


def test_pdf_page_size_numbers_and_banji(city):
    pdf = city / "city.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89" in info
    pages = _pages(pdf)
    assert pages % 2 == 0
    for n in range(1, pages):
        text = _page_text(pdf, n)
        number = re.compile(rf"—\s*{n}\s*—")
        lines = [ln for ln in text.splitlines() if number.search(ln)]
        if not lines:
            continue                                   # the numberless blank page before the 版记
        col = number.search(lines[-1]).start()
        width = max(len(ln) for ln in text.splitlines())
        if n > 2:
            continue                                   # rotated form pages: pdftotext reorders their text
        if n % 2:
            assert col > width / 2 - 8, (n, lines[-1])  # odd: right
        else:
            assert col < width / 4, (n, lines[-1])      # even: left
    assert re.search(r"—\s*1\s*—", _page_text(pdf, 1))
    assert re.search(r"—\s*2\s*—", _page_text(pdf, 2))
    last = _page_text(pdf, pages)
    assert "济南市人力资源和社会保障局办公室" in last and "2019年2月21日印发" in last
    assert "抄送：山东省人力资源和社会保障厅，山东省扶贫开发领导小组办公室。" in last.replace(" ", "").replace("\n", "")
    assert not re.search(rf"—\s*{pages}\s*—", last)


def test_pdf_has_every_paragraph(city):
    text = subprocess.run(["pdftotext", str(city / "city.pdf"), "-"], capture_output=True, text=True).stdout
    # Paragraphs run on over page ends (22 full lines a page): drop the page numbers between.
    flat = re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))
    import yaml
    data = yaml.safe_load((DATA / "city.yaml").read_text(encoding="utf-8"))
    for para in data["body"].split("\n\n"):
        assert para.strip() in flat, para
    assert "济人社字〔2019〕12号" in flat
    assert "（此件主动公开）" in flat


def test_pdf_red_mark_on_page_one(city, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm missing")
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(city / "city.pdf"),
                    str(tmp_path / "p")], check=True)
    from PIL import Image
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    w, h = image.size
    red = sum(1 for x in range(w) for y in range(h // 2)
              if (lambda p: p[0] > 180 and p[1] < 120 and p[2] < 100)(image.getpixel((x, y))))
    assert red > 200


def test_docx_page_setup_fonts_and_red(city):
    with zipfile.ZipFile(city / "city.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
    first = re.search(r"<w:sectPr.*?</w:sectPr>", xml, re.S).group(0)
    assert 'w:w="11906"' in first and 'w:h="16838"' in first          # A4 in twips
    assert re.search(r'w:top="2098"', first) and re.search(r'w:bottom="1984"', first)
    assert re.search(r'w:left="1587"', first) and re.search(r'w:right="1474"', first)
    assert 'w:type="linesAndChars"' in first
    assert "evenAndOddHeaders" in settings
    assert 'w:color w:val="E8380D"' in xml                           # red mark
    assert "济南市人力资源和社会保障局" in xml
    # 一、 headings in 黑体, （一） in 楷体
    assert re.search(r'w:eastAsia="黑体"[^<]*/>.*?<w:t[^>]*>一、工作要求', xml, re.S)
    assert re.search(r'w:eastAsia="楷体_GB2312"[^<]*/>.*?<w:t[^>]*>（一）做好宣传发动。', xml, re.S)
    assert 'w:orient="landscape"' in xml
    assert "prstDash" in xml and "（印章）" in xml


def test_missing_title_exit_1_with_line(tmp_path):
    src = tmp_path / "bad.yaml"
    src.write_text("kind: notice\nissuers: [某某局]\ntitle:\nbody: 正文。\ndate: 2019-01-02\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["notice", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.yaml:3" in result.output and "标题" in result.output
    assert not (tmp_path / "out").exists()


# --- signature block: room for the 附注, joint 署名 that wraps (GBT9704.md 署名/印章, "no room") ---

SEED = {
    "kind": "notice",
    "issuers": ["山东省人力资源和社会保障厅", "山东省扶贫开发领导小组办公室"],
    "mark": "文件",
    "number": "鲁人社字〔2017〕100号",
    "title": "关于印发山东省技工院校服务脱贫攻坚工作行动计划的通知",
    "to": "各市人力资源社会保障局、扶贫办，省直有关部门",
    "body": "现将《山东省技工院校服务脱贫攻坚工作行动计划》印发给你们，请结合实际，认真贯彻落实。",
    "date": "2017-12-23",
    "seal": "placeholder",
    "notes": ["此件主动公开", "联系单位：职业能力建设处"],
    "printed_by": "山东省人力资源和社会保障厅办公室",
    "printed_on": "2017-12-23",
}


def _notice(tmp_path, name="seed", **changes):
    import yaml
    data = {**SEED, **changes}
    src = tmp_path / f"{name}.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _plan(src, room):
    from publisher.documents import notice_layout as L
    from publisher.project import load_project
    notice = load_project([src]).of_kind("notice")[0].model
    return L, L.signature_layout(notice, True, 42.0, room)


def _assert_under_seal(L, plan):
    centre = plan.seal_top + plan.diameter / 2
    assert plan.seal_top <= L.LINE                                   # top within one line of the body
    assert plan.glyph_top(plan.name_top) >= centre                   # 署名 below the centre
    assert plan.glyph_top(plan.date_top) + L.GLYPH <= plan.seal_top + plan.diameter   # date pressed
    assert plan.pitch >= L.MIN_PITCH - 1e-9


def test_wrapped_joint_signature_lies_under_the_last_seal(tmp_path):
    L, plan = _plan(_notice(tmp_path), None)
    assert [n.lines for n in plan.names] == [["山东省人力资源和社会保障厅"], ["山东省扶贫开发", "领导小组办公室"]]
    assert plan.rows == 2
    _assert_under_seal(L, plan)
    assert plan.names[-1].centre == pytest.approx(plan.date_centre)  # last seal centred on the date
    left = plan.seals[0][0] - plan.diameter / 2
    right = plan.seals[-1][0] + plan.diameter / 2
    assert left >= 0 and right <= L.TEXT_W                          # seals inside the text area
    assert plan.seals[1][0] - plan.seals[0][0] > plan.diameter      # not touching


def test_signature_tightens_only_as_far_as_needed(tmp_path):
    L, grid = _plan(_notice(tmp_path, issuers=["山东省人力资源和社会保障厅"], mark=""), 200)
    assert not grid.tight and grid.pitch == pytest.approx(L.LINE)
    assert grid.name_top == pytest.approx(2 * L.LINE)               # names on the grid
    _assert_under_seal(L, grid)
    room = grid.total - 10                                          # grid misses by 10 mm
    L, tight = _plan(_notice(tmp_path, issuers=["山东省人力资源和社会保障厅"], mark=""), room)
    assert tight.tight and tight.total + 0.3 <= room and tight.note_pitch == tight.pitch
    _assert_under_seal(L, tight)
    L, flow = _plan(_notice(tmp_path, issuers=["山东省人力资源和社会保障厅"], mark=""), grid.height + 1)
    assert not flow.tight and flow.note_pitch == pytest.approx(L.LINE)   # the 附注 flow on instead


def test_seed_keeps_notes_on_page_one(tmp_path):
    src = _notice(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["notice", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output and "notice.layout" not in result.output   # self-check passes
    first = re.sub(r"\s+", "", _page_text(out / "seed.pdf", 1))
    assert "（此件主动公开）" in first and "（联系单位：职业能力建设处）" in first
    assert "2017年12月23日" in first and "领导小组办公室" in first
    with zipfile.ZipFile(out / "seed.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # DOCX: the same tightened pitch off the grid for 署名 rows, date and 附注.
    tail = xml[xml.index("认真贯彻落实"):xml.index("联系单位")]
    pitches = re.findall(r'<w:snapToGrid w:val="0"/><w:spacing w:lineRule="exact" w:line="(\d+)"', tail)
    assert len(pitches) >= 5 and len(set(pitches[1:])) == 1, pitches   # anchor, 2 name rows, date, note
    assert int(pitches[1]) < 579                                        # tighter than the 28.95 pt grid
    assert len(re.findall(r'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0<', tail)) == 2


def test_docx_landscape_pages_keep_the_portrait_page_number_place(city):
    """GBT9704.md tables: the turned number sits at the landscape page's left edge (the sheet's
    bottom), 7 mm outside the text area, at the odd/even end as on portrait pages."""
    from publisher.documents import notice_docx_pages as D
    from publisher.documents import notice_layout as L
    emu = lambda mm: int(mm * 36000)  # noqa: E731
    with zipfile.ZipFile(city / "city.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")}
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="(footer\d+\.xml)"', rels)) or \
        {i: t for t, i in re.findall(r'Target="(footer\d+\.xml)"[^>]*Id="(rId\d+)"', rels)}
    landscape = [s for s in re.findall(r"<w:sectPr.*?</w:sectPr>", xml, re.S) if 'w:orient="landscape"' in s]
    assert landscape
    for sect in landscape:
        assert 'w:left="1984"' in sect and 'w:right="2098"' in sect      # 35 / 37 mm: the turned portrait
        refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(rId\d+)"/>', sect))
        for kind, odd in (("default", True), ("even", False)):
            footer = parts["word/" + targets[refs[kind]]]
            assert 'vert="vert"' in footer and "layout-flow:vertical" in footer
            assert "<w:instrText" in footer and " PAGE " in footer and "— " in footer
            offsets = [int(v) for v in re.findall(r"<wp:posOffset>(-?\d+)</wp:posOffset>", footer)]
            x = 35 - L.PAGE_NO_GAP - D.NUMBER_BOX
            y = (210 - 26 - L.CHAR - D.NUMBER_RUN) if odd else (28 + L.CHAR)
            assert offsets == [pytest.approx(emu(x), abs=400), pytest.approx(emu(y), abs=400)]
            assert f'<w:jc w:val="{"right" if odd else "left"}"/>' in footer
            assert 'relativeFrom="page"' in footer
    # the portrait footers keep their horizontal "— n —"
    first = re.search(r"<w:sectPr.*?</w:sectPr>", xml, re.S).group(0)
    refs = dict(re.findall(r'<w:footerReference w:type="(\w+)" r:id="(rId\d+)"/>', first))
    assert "vert=" not in parts["word/" + targets[refs["default"]]]


# --- what a 办公室 review checks on every 公文 (issue 13) -----------------------------------

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    result = CliRunner().invoke(main, ["notice", str(ROOT / "catalogs" / "province" / "notice.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "警告" not in result.output, result.output                 # the layout self-check passes
    return out / "notice.pdf"


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def test_blank_forms_carry_no_red_ink_and_nothing_red_leaves_the_text_area(seed, city, tmp_path):
    from test_filing import TEXT_BOTTOM, red_rows
    red = red_rows(seed, tmp_path / "seed")
    forms = [n for n in red if "填表单位" in _page_text(seed, n)]
    assert forms == [8, 9]
    assert {n: len(red[n]) for n in forms} == {8: 0, 9: 0}               # no seal on a form sent out blank
    assert red[1]                                                        # the mark, rule and seals are red
    for pdf, folder in ((seed, "seed"), (city / "city.pdf", "city")):
        rows = red_rows(pdf, tmp_path / folder) if folder == "city" else red
        assert {n: max(r) for n, r in rows.items() if r and max(r) > TEXT_BOTTOM + 0.7} == {}


def test_banji_page_is_numbered_unless_a_blank_page_precedes_it(seed, city):
    last = _pages(seed)
    assert last % 2 == 0 and re.search(rf"—\s*{last}\s*—", _page_text(seed, last))      # seed p10: numbered
    pages = _pages(city / "city.pdf")
    blank = _page_text(city / "city.pdf", pages - 1)
    assert not blank.strip()                                             # city: a blank page, then the 版记
    assert not re.search(r"—\s*\d+\s*—", _page_text(city / "city.pdf", pages))


def test_attachment_note_numbers_sit_on_their_titles_line(seed):
    words = _words(seed, 7)
    lead = next(w for w in words if w[4].startswith("附件：1."))
    first = next(w for w in words if w[4].startswith("全省技工院校服务脱贫攻坚"))
    two = next(w for w in words if w[4] == "2.")
    second = next(w for w in words if w[4].startswith("××市精准技能扶贫"))
    assert abs(lead[1] - first[1]) <= 1.5 and abs(lead[3] - first[3]) <= 1.5          # pt
    assert abs(two[1] - second[1]) <= 1.5
    assert two[0] == pytest.approx(lead[2] - (two[2] - two[0]), abs=1.5)            # "2." under "1."


def test_self_check_finds_numbers_off_their_line(tmp_path):
    """The self-check fails on the old rule (absolutely placed spans of line-height 1)."""
    from publisher.render.html import builtin_templates
    css = (builtin_templates() / "html" / "notice.css").read_text("utf-8")
    css += "\n.att-note .lead, .att-note .num { line-height: 1; }\n"
    (tmp_path / "tpl" / "html").mkdir(parents=True)
    (tmp_path / "tpl" / "html" / "notice.css").write_text(css, "utf-8")
    (tmp_path / "publisher.yaml").write_text("templates: tpl\n", "utf-8")
    src = _notice(tmp_path, attachments=["全省技工院校服务脱贫攻坚工作进展情况表", "××市精准技能扶贫对象登记汇总表"])
    result = CliRunner().invoke(main, ["notice", str(src), "-o", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "警告: 附件说明“附件：1.全省技工院校服务脱贫攻坚工" in result.output and "的序号与标题不在同一行（相差 6.5 磅）" \
        in result.output


def test_joint_signature_names_apart_date_four_characters_in(seed):
    words = _words(seed, 1)
    left = [w for w in words if w[4] == "山东省人力资源和社会保障厅"][-1]        # the 署名, not the mark
    right = next(w for w in words if w[4] == "山东省扶贫开发")
    date = next(w for w in words if w[4] == "2017年12月23日")
    char = 156 / 28 * MM
    assert abs(left[1] - right[1]) < 1                                   # one row ...
    assert right[0] - left[2] >= 2 * char - 1                            # ... two characters apart
    assert date[2] == pytest.approx((28 + 156) * MM - 4 * char, abs=1.5)   # 右空四字 exactly


def test_every_title_in_one_weight(tmp_path):
    """The main title, the enclosure's and the attachments' titles: the 小标宋 role at one weight."""
    from publisher.documents.notice import job_for, measured
    from publisher.documents import notice_pdf as P
    from publisher.options import make_options
    from publisher.project import load_project
    from publisher.render.html import render
    project = load_project([ROOT / "catalogs" / "province" / "notice.yaml"])
    options = make_options(project.config, formats=("pdf",))
    m = measured(job_for(project.of_kind("notice")[0], project), options)
    ctx = P.context(m.job, options, banji=m.layout.banji)
    document = P._render(render("html/notice.html.j2", ctx, None), None)
    seen = {}
    for cls in ("title", "enc-title", "att-title"):
        for _, box in P._find(document, lambda el, b, c=cls: c in (el.get("class") or "").split()):
            seen[cls] = (box.style["font_weight"], tuple(box.style["font_family"]), box.style["font_size"])
    assert set(seen) == {"title", "enc-title", "att-title"} and len(set(seen.values())) == 1, seen


def test_fit_signature_keeps_the_seal_inside_the_text_area(tmp_path):
    """For any room left below the body, the block chosen to stay there keeps its seals above
    the 版心's bottom edge (or it moves on with the last lines: the grid layout)."""
    from publisher.documents import notice_layout as L
    from publisher.project import load_project
    for issuers in (["山东省人力资源和社会保障厅"], SEED["issuers"]):
        src = _notice(tmp_path, issuers=issuers)
        notice = load_project([src]).of_kind("notice")[0].model
        grid = L.signature_layout(notice, True, 42.0, None)
        for tenths in range(250, 1200, 5):
            room = tenths / 10
            sign = L.signature_layout(notice, True, 42.0, room)
            assert sign.seal_bottom <= room or sign == grid, (issuers, room)


def test_docx_mark_fits_the_text_area_and_names_the_fonts(tmp_path):
    from publisher.render.docx_lang import OFFICIAL_FONTS, problems
    src = _notice(tmp_path)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["notice", str(src), "-o", str(out), "--format", "docx"]).exit_code == 0
    data = (out / "seed.docx").read_bytes()
    with zipfile.ZipFile(out / "seed.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    grid = re.search(r"<w:tblGrid>(.*?)</w:tblGrid>", xml).group(1)             # the joint mark
    width = sum(int(w) for w in re.findall(r'w:w="(\d+)"', grid))
    assert 8700 < width <= round(156 * 1440 / 25.4)                               # 8845 twips
    assert problems(data) == []
    for name, (alt, *_rest) in OFFICIAL_FONTS.items():
        assert re.search(rf'<w:font w:name="{name}"><w:altName w:val="{alt}"/>.*?<w:charset w:val="86"/>', fonts)


def test_filled_form_seal_sits_on_the_unit_line_clear_of_the_title(tmp_path):
    from test_filing import red_rows
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["form", "attachment1", str(ROOT / "tests" / "data" / "good" / "progress.xlsx"),
                                       "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*.pdf"))
    words = _words(pdf, 1)
    title = next(w for w in words if w[4] == "全省技工院校服务脱贫攻坚工作进展情况表")
    unit = next(w for w in words if w[4].startswith("填表单位"))
    red = red_rows(pdf, tmp_path / "png", dpi=60)[1]
    assert red, "a filled form carries the seal placeholder"
    assert min(red) > title[3] / MM                               # below the title's line box
    assert min(red) < unit[1] / MM and max(red) > unit[3] / MM     # across the 填表单位 line
