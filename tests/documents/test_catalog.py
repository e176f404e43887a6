"""The catalog: every format holds every school and major; changes; filing; merge; CLI exit codes."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.documents.catalog_diff import diff
from publisher.sources import load_source

DATA = Path(__file__).resolve().parents[1] / "data" / "catalog"
PREVIOUS = DATA / "previous.yaml"
WEIFANG = DATA / "weifang.yaml"

# (school, type, affiliation, address, phone, [(code, major, level, years, plan as typed, note)])
SCHOOLS = [
    ("临沂技师学院", "技师学院", "市属", "临沂市兰山区银雀山路1号", "0539-8100001", [
        ("0103", "数控加工", "高级工", 5, "40人", ""),
        ("0407", "汽车维修", "中级工", "3", "６０", ""),
        ("0603", "计算机程序设计", "中级工", 3, "20", "=1+1"),
    ]),
    ("沂南县技工学校", "技工学校", "县属", "临沂市沂南县界湖街道振兴路8号", "0539-3200002", [
        ("0110", "焊接加工", "中级工", 3, 30, ""),
    ]),
    ("兰陵县技工学校", "技工学校", "县属", "临沂市兰陵县卞庄街道文化路3号", "0539-5300004", [
        ("0407", "汽车维修", "中级工", 3, 25, "</script><b>订单班</b>"),
        ("0110", "焊接加工", "中级工", 3, "20", ""),
    ]),
]
MAJORS = [m[1] for s in SCHOOLS for m in s[5]]


def make_workbook(path: Path, date: str = "2021年2月26日") -> Path:
    """A catalog typed the way a bureau types it: title rows, merged school cells, plans as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "临沂市2021年度精准技能扶贫技工院校和专业目录"
    ws.merge_cells("A1:L1")
    ws["A2"] = f"发布日期：{date}"
    ws.append(["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称", "培养层次", "学制\n（年）",
               "招生计划(人)", "学校地址", "联系电话", "备注"])
    row = 4
    for no, (name, kind, aff, addr, phone, majors) in enumerate(SCHOOLS, 1):
        first = row
        for code, major, level, years, plan, note in majors:
            ws.append([no, name, kind, aff, code, major, level, years, plan, addr, phone, note or None]
                      if row == first else [None, None, None, None, code, major, level, years, plan, None, None,
                                            note or None])
            ws.cell(row=row, column=12).data_type = "s"
            row += 1
        if row - 1 > first:
            for col in "ABCDJK":
                ws.merge_cells(f"{col}{first}:{col}{row - 1}")
    ws.append(["总计", None, None, None, None, None, None, None, 195])
    ws.append(["填表人：张三"])
    wb.save(path)
    return path


LINYI = "临沂市2021年度精准技能扶贫技工院校和专业目录"          # the outputs' name: the catalog's title


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cat")
    source = make_workbook(folder / "临沂目录.xlsx")
    out = folder / "out"
    result = CliRunner().invoke(main, ["catalog", str(source), "--previous", str(PREVIOUS), "--filing",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_reads_workbook_typed_by_hand(tmp_path):
    source = load_source(make_workbook(tmp_path / "a.xlsx"), "a.xlsx")
    catalog = source.model
    assert (catalog.city, catalog.year, str(catalog.published_on)) == ("临沂市", 2021, "2021-02-26")
    assert [s.name for s in catalog.schools] == [s[0] for s in SCHOOLS]
    assert [m.plan for s in catalog.schools for m in s.majors] == [40, 60, 20, 30, 25, 20]
    assert any(f.code == "number.text" for f in source.findings)


def test_changes_named_with_old_and_new(tmp_path):
    current = load_source(make_workbook(tmp_path / "a.xlsx"), "a.xlsx").model
    previous = load_source(PREVIOUS, "previous.yaml").model
    rows = [c.as_row() for c in diff(previous, current)]
    assert rows == [
        ["调整", "临沂技师学院", "数控加工", "培养层次", "中级工", "高级工"],
        ["调整", "临沂技师学院", "数控加工", "学制", "3年", "5年"],
        ["调整", "临沂技师学院", "汽车维修", "招生计划", "50人", "60人"],
        ["新增", "临沂技师学院", "计算机程序设计", "专业", "", "0603，中级工，3年，20人"],
        ["撤销", "临沂技师学院", "市场营销", "专业", "0702，中级工，3年，20人", ""],
        ["新增", "兰陵县技工学校", "", "学校", "", "2个专业（汽车维修、焊接加工），招生计划45人"],
        ["撤销", "费县技工学校", "", "学校", "1个专业（计算机网络应用），招生计划25人", ""],
    ]


def test_renamed_major_matched_by_code(tmp_path):
    previous = load_source(PREVIOUS, "previous.yaml").model
    current = load_source(PREVIOUS, "previous.yaml").model
    current.schools[0].majors[2].name = "市场营销与策划"
    assert [c.as_row() for c in diff(previous, current)] == [
        ["调整", "临沂技师学院", "市场营销与策划", "专业名称", "市场营销", "市场营销与策划"]]


def test_xlsx_holds_every_school_major_and_change(outputs):
    out, _ = outputs
    wb = openpyxl.load_workbook(out / "临沂市2021年度精准技能扶贫技工院校和专业目录.xlsx")
    ws = wb["目录"]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "临沂市2021年度精准技能扶贫技工院校和专业目录"
    assert values[2][:6] == ["序号", "学校名称", "学校类别", "隶属关系", "专业代码", "专业名称"]
    majors = [r[5] for r in values[3:9]]
    assert majors == MAJORS
    assert [r[4] for r in values[3:9]] == ["0103", "0407", "0603", "0110", "0407", "0110"]
    assert ws["E4"].data_type == "s" and ws["K4"].number_format == "@"
    assert "B4:B6" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["L6"].value == "=1+1" and ws["L6"].data_type == "s"          # never a formula
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:L")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$3:$3"
    total = next(r for r in values if r[0] == "总计")
    assert total[8] == 195
    changes = [r for r in wb["调整情况"].iter_rows(min_row=4, values_only=True)]
    assert [(r[1], r[2], r[3]) for r in changes] == [
        ("调整", "临沂技师学院", "数控加工"), ("调整", "临沂技师学院", "数控加工"),
        ("调整", "临沂技师学院", "汽车维修"), ("新增", "临沂技师学院", "计算机程序设计"),
        ("撤销", "临沂技师学院", "市场营销"), ("新增", "兰陵县技工学校", None), ("撤销", "费县技工学校", None)]
    assert changes[2][5:] == ("50人", "60人")


def test_xlsx_reads_back_as_the_same_catalog(outputs, tmp_path):
    out, _ = outputs
    again = load_source(out / "临沂市2021年度精准技能扶贫技工院校和专业目录.xlsx", "out.xlsx").model
    assert [(s.name, s.type, s.affiliation, s.phone) for s in again.schools] == [s[:3] + (s[4],) for s in SCHOOLS]
    assert [m.code for s in again.schools for m in s.majors] == [m[0] for s in SCHOOLS for m in s[5]]
    assert [m.plan for s in again.schools for m in s.majors] == [40, 60, 20, 30, 25, 20]
    assert [m.name for s in again.schools for m in s.majors] == MAJORS


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)), xml


def test_docx_holds_everything_landscape_with_merged_schools(outputs):
    out, _ = outputs
    text, xml = _docx_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录.docx")
    for name in [s[0] for s in SCHOOLS] + MAJORS + ["调整情况", "撤销", "新增", "50人", "60人"]:
        assert name in text
    assert "学校3所，专业6个，招生计划195人" in text
    assert 'w:orient="landscape"' in xml
    assert xml.count('<w:vMerge w:val="restart"/>') >= 6 * 2      # school cells merged down
    assert "<w:tblHeader" in xml
    with zipfile.ZipFile(out / "临沂市2021年度精准技能扶贫技工院校和专业目录.docx") as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in f for f in footers)
    assert "&lt;/script&gt;" in xml


def _pdf_text(path: Path) -> tuple[str, int]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return text, int(re.search(r"Pages:\s+(\d+)", info).group(1)), info


def test_pdf_holds_everything_on_a4_landscape(outputs):
    out, _ = outputs
    text, pages, info = _pdf_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录.pdf")
    flat = re.sub(r"\s+", "", text)
    for name in [s[0] for s in SCHOOLS] + MAJORS:
        assert name in flat
    assert "临沂市2021年度精准技能扶贫技工院校和专业目录" in flat
    assert "临沂市人力资源和社会保障局" in flat and "（印章）" in flat
    assert "调整情况（与2020年度目录相比）" in flat and "撤销" in flat
    assert "841.89 x 595.276" in info
    assert f"—{pages}—" in flat


def test_html_page_self_contained_and_escaped(outputs):
    out, _ = outputs
    page = (out / "临沂市2021年度精准技能扶贫技工院校和专业目录.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="catalog-data">(.*?)</script>', page, re.S)
                      .group(1))
    assert [s["name"] for s in data["schools"]] == [s[0] for s in SCHOOLS]
    assert [m["name"] for s in data["schools"] for m in s["majors"]] == MAJORS
    assert page.count("</script>") == 2                              # the note's </script> is escaped
    assert not re.search(r"(src|href)=\"?https?:", page) and "@font-face" not in page and "@import" not in page
    assert "王老师" not in page and "联系人" not in page              # no contact person on the public page
    assert "@media print" in page and "max-width: 600px" in page


def test_filing_report_and_notice(outputs):
    out, output = outputs
    for name in (f"{LINYI}-备案报告", f"{LINYI}-公布通知"):
        assert (out / f"{name}.docx").is_file() and (out / f"{name}.pdf").is_file()
    text, count, _ = _pdf_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录-备案报告.pdf")
    report = [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]
    flat = "".join(report)
    assert "关于报送2021年度精准技能扶贫技工院校和专业目录的报告" in flat
    assert "共有3所技工院校" in flat and "开设6个专业，招生计划195人" in flat
    assert "新增学校1所、撤销学校1所、新增专业1个、撤销专业1个" in flat
    assert "2021年2月26日" in flat and "备案表" in flat
    # a 上行文 through the notice engine: mark, 发文字号 and 签发人 left blank (no publisher.yaml), 版记 last
    assert report[0].startswith("临沂市人力资源和社会保障局文件") and "〔2021〕号签发人：" in report[0]
    assert "附件1" in flat and "调整明细" in flat and "附件2" in flat
    assert report[-1].endswith("2021年2月26日印发—%d—" % count) and count % 2 == 0
    # the 备案表's 调整明细 has its 序号 column in the DOCX too
    _, xml = _docx_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录-备案报告.docx")
    assert re.search(r">序号<.*?>类型<.*?>学校<.*?>专业<.*?>项目<.*?>原值<.*?>新值<", xml, re.S)
    notice, _ = _docx_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录-公布通知.docx")
    assert "关于公布2021年度精准技能扶贫" in notice and "技工院校和专业目录的通知" in notice
    pages = [re.sub(r"\s+", "", p) for p in _pdf_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录-公布通知.pdf")[0].split("\f") if p.strip()]
    assert "文件" in pages[0] and "〔2021〕号" in pages[0] and "附件：" in "".join(pages)
    assert "印发—" in pages[-1] and _pdf_text(out / "临沂市2021年度精准技能扶贫技工院校和专业目录-公布通知.pdf")[1] % 2 == 0
    assert any("附件" in p and "临沂" in p and "焊接" in p for p in pages[1:])
    # what is missing is said, located at the catalog (there is no publisher.yaml)
    assert "临沂目录.xlsx:Sheet1: 警告: 项目文件夹中没有 publisher.yaml，filing: 中没有填写" in output
    assert "临沂目录.xlsx:Sheet1: 警告: 项目文件夹中没有 publisher.yaml，contact: 中没有填写" in output


def test_late_date_is_a_warning_and_outputs_are_made(tmp_path):
    source = make_workbook(tmp_path / "late.xlsx", "2021年3月5日")
    result = CliRunner().invoke(main, ["catalog", str(source), "-o", str(tmp_path / "o"), "--format", "xlsx"])
    assert result.exit_code == 0
    assert "警告: 发布日期 2021年3月5日 晚于规定的 2021年2月28日" in result.output
    assert (tmp_path / "o" / f"{LINYI}.xlsx").is_file()


def test_errors_exit_1_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PREVIOUS.read_text("utf-8").replace("level: 中级工, years: 3, plan: 30", "level: 大师, years: 3, plan: 30"),
                   "utf-8")
    result = CliRunner().invoke(main, ["catalog", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "bad.yaml:22: 错误: 培养层次“大师”不正确" in result.output
    assert "发现错误，未生成任何文件" in result.output
    assert not (tmp_path / "o").exists()


def test_usage_errors_exit_2(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["catalog", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "文件或文件夹不存在" in result.output
    result = runner.invoke(main, ["catalog", str(PREVIOUS), "--format", "odt", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "不认识的格式" in result.output


def test_province_merge_counts(tmp_path):
    source = make_workbook(tmp_path / "linyi.xlsx")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["catalog", str(source), str(WEIFANG), "-o", str(out)])
    assert result.exit_code == 0, result.output
    stem = "山东省2021年度精准技能扶贫技工院校和专业目录"
    assert sorted(p.name for p in out.iterdir() if p.name != "manifest.json") == \
        sorted(f"{stem}.{ext}" for ext in ("docx", "pdf", "xlsx", "html"))
    assert "临沂市 3 所学校 6 个专业；潍坊市 2 所学校 3 个专业" in result.output
    flat = re.sub(r"\s+", "", _pdf_text(out / f"{stem}.pdf")[0])
    assert "临沂市（学校3所，专业6个，招生计划195人）" in flat
    assert "潍坊市（学校2所，专业3个，招生计划135人）" in flat
    assert "合计：2个市，学校5所，专业9个，招生计划330人。" in flat
    ws = openpyxl.load_workbook(out / f"{stem}.xlsx")["目录"]
    names = [r[5] for r in ws.iter_rows(min_row=4, values_only=True) if r[5]]
    assert "现代农业技术" in names and len([n for n in names if not n.endswith("个专业")]) == 9
    text, _ = _docx_text(out / f"{stem}.docx")
    assert "潍坊市（学校2所，专业3个，招生计划135人）" in text


def test_build_publishes_latest_year_with_changes_and_filing(tmp_path):
    from publisher.pipeline import Request, build
    project = tmp_path / "linyi"
    project.mkdir()
    (project / "publisher.yaml").write_text("issuer: {name: 临沂市人力资源和社会保障局, code: 临人社字, seal: placeholder}\n"
                                            "city: 临沂市\nyear: 2021\n"
                                            "contact: {unit: 职业能力建设处, person: 李老师, phone: 0539-8100000}\n",
                                            "utf-8")
    make_workbook(project / "catalog-2021.xlsx")
    (project / "catalog-2020.yaml").write_text(PREVIOUS.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    build(project, out, Request(formats="xlsx,docx"))
    made = sorted(p.name for p in out.iterdir())
    assert made == sorted([f"{LINYI}-公布通知.docx", f"{LINYI}-备案报告.docx", f"{LINYI}.docx", f"{LINYI}.xlsx",
                           "manifest.json"])          # named in Chinese after what they are, not after catalog-2021.xlsx
    assert len(list(openpyxl.load_workbook(out / f"{LINYI}.xlsx")["调整情况"].iter_rows(min_row=4))) == 7
    report, _ = _docx_text(out / f"{LINYI}-备案报告.docx")
    assert "李老师" in report and "0539-8100000" in report


def test_reproducible_bytes(tmp_path):
    source = make_workbook(tmp_path / "a.xlsx")
    digests = []
    for run in ("1", "2"):
        out = tmp_path / run
        CliRunner().invoke(main, ["catalog", str(source), "--previous", str(PREVIOUS), "-o", str(out)])
        digests.append({p.name: p.read_bytes() for p in out.iterdir() if p.name != "manifest.json"})
    assert digests[0].keys() == {f"{LINYI}.docx", f"{LINYI}.pdf", f"{LINYI}.xlsx", f"{LINYI}.html"}
    assert digests[0] == digests[1]
