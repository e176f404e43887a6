"""Small files that expand enormously (issue 11, item 5), and CSV files that broke the csv module (item 7).

Each bomb is refused (or read) within the limits of ``publisher/sources/limits.py``
with a located message; ``test_bombs_stay_under_600_mb`` runs them under an
address-space limit.  Wall time is measured by hand (see the report), never asserted.
Limits are lowered with ``monkeypatch`` where a file past the real limit would be big.
"""
from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile

import pytest

from conftest import DATA, ROOT
from publisher.cli import main
from publisher.errors import Findings, Location, SourceError
from publisher.sources import limits, load_source

sys.path.insert(0, str(ROOT / "tools"))
import make_bad_inputs as bad  # noqa: E402

BAD = DATA / "bad"
BOMBS = ["xlsx_dimension_bomb.xlsx", "xlsx_merge_bomb.xlsx", "xlsx_wide_rows.xlsx", "xlsx_whitespace_bomb.xlsx",
         "xlsx_bzip2_member.xlsx", "xlsx_huge_cell.xlsx", "yaml_alias_bomb_scalar.yaml", "yaml_alias_recursive.yaml",
         "yaml_billion_laughs.yaml"]


def check_json(runner, path):
    result = runner.invoke(main, ["check", "--json", str(path)], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def shown(path) -> str:
    """A path as the CLI names it: relative to the current folder when inside it."""
    from pathlib import Path
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def refusal(runner, path) -> str:
    """The one file.unreadable finding of ``check``, as printed ('FILE:WHERE: 错误: …')."""
    result = runner.invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if ": 错误: " in line]
    assert len(lines) == 1, result.output
    return lines[0]


# ---------------------------------------------------------------- workbooks

def test_dimension_of_the_whole_sheet_costs_nothing():
    """<dimension ref="A1:XFD1048576"> and a cell in row 1,048,576: only the real rows are read."""
    source = load_source(BAD / "xlsx_dimension_bomb.xlsx")
    assert [p.name for p in source.model.rows] == ["张伟", "李娜"]
    assert not source.findings.has_errors


def test_merges_of_the_whole_sheet_fill_only_real_cells():
    source = load_source(BAD / "xlsx_merge_bomb.xlsx")
    assert [p.name for p in source.model.rows] == ["张伟", "李娜"]


def test_merged_range_down_the_sheet_fills_the_rows_that_exist(tmp_path):
    """A school merged down to Excel's last row fills the rows below it that hold data, and no others."""
    rows = [bad.person(1), [2, "李娜", "女", "汉族", *bad.person(2, male=False)[4:8]]]
    path = tmp_path / "merged.xlsx"
    path.write_bytes(bad._rezip(bad.registrations(rows), lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="I4:I1048576"/></mergeCells>')))
    source = load_source(path)
    assert [p.school for p in source.model.rows] == [bad.SCHOOLS[0]] * 2


def test_far_right_cells_on_many_rows_are_refused(runner):
    line = refusal(runner, BAD / "xlsx_wide_rows.xlsx")
    assert line.startswith(f"{shown(BAD / 'xlsx_wide_rows.xlsx')}:Sheet1!第498行: 错误: 表格的单元格总数超过 8,000,000 个")
    assert "一直到 XFD 列" in line


def test_whitespace_bomb_is_refused_from_the_zip_directory(runner):
    line = refusal(runner, BAD / "xlsx_whitespace_bomb.xlsx")
    assert f"{shown(BAD / 'xlsx_whitespace_bomb.xlsx')}: 错误: 工作簿解压后有 300 MB，超过上限 256 MB" in line


def test_deflate_whitespace_bomb_is_refused(tmp_path, monkeypatch):
    """The 3 MB workbook holding 3 GB of white space, scaled down: 2 MB of blanks over a 1 MB limit."""
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED", 1 << 20)
    path = tmp_path / "blank.xlsx"
    path.write_bytes(bad._rezip(bad.registrations([bad.person(1)]), spaces=2 << 20))
    with pytest.raises(SourceError, match=r"blank.xlsx: 错误: 工作簿解压后有 2 MB，超过上限 1 MB"):
        load_source(path, "blank.xlsx")


def test_other_compression_methods_are_refused(runner):
    """bzip2 or LZMA unpack a whole chunk at once, past any declared size: Excel never uses them."""
    line = refusal(runner, BAD / "xlsx_bzip2_member.xlsx")
    assert "部件 xl/worksheets/sheet1.xml 使用了 Excel 不会使用的压缩或加密方式" in line


def test_cell_longer_than_excel_allows(runner):
    """A million characters (3 MB) in one cell: refused while the bytes stream in, before a string is built."""
    line = refusal(runner, BAD / "xlsx_huge_cell.xlsx")
    assert line.startswith(f"{shown(BAD / 'xlsx_huge_cell.xlsx')}:Sheet1!B4: 错误: 单元格的内容超过 1 MB"
                           "（Excel 一个单元格最多 32,767 个字符）")


def test_cell_of_40000_characters(tmp_path):
    path = tmp_path / "long.xlsx"
    path.write_bytes(bad._rezip(bad.registrations([bad.person(1, "LONG")]),
                                lambda xml: xml.replace(b"LONG", "张".encode() * 40_000)))
    with pytest.raises(SourceError, match=r"^long.xlsx:Sheet1!B4: 错误: 单元格有 40,000 个字符，超过上限 32,767 个字符"):
        load_source(path, "long.xlsx")


def test_blank_run_between_rows_is_refused_as_it_streams(tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(bad._rezip(bad.registrations([bad.person(1)]),
                                lambda xml: xml.replace(b"</row>", b"</row>" + b" " * (2 << 20), 1)))
    with pytest.raises(SourceError, match=r"^blank.xlsx:Sheet1: 错误: 工作簿的 XML 中有一段超过 1 MB 的文字或空白"):
        load_source(path, "blank.xlsx")


def shared_strings_workbook(strings: list[str], rows: list[list[int]]) -> bytes:
    """A minimal workbook as Excel writes it: every cell a shared string (openpyxl writes inline strings)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f"<sst {ns}>" + "".join(f"<si>{s}</si>" for s in strings) + "</sst>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>" + "".join(
            f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{i}</v></c>' for c, i in enumerate(row))
            + "</row>" for r, row in enumerate(rows, 1)) + "</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def people_in_shared_strings(name_xml: str) -> bytes:
    """Registrations of one person whose name's <si> content is ``name_xml``."""
    person = [str(v) for v in bad.person(1)]
    strings = [f"<t>{t}</t>" for t in bad.REG_HEADER] + [f"<t>{t}</t>" for t in person]
    strings[len(bad.REG_HEADER) + 1] = name_xml
    n = len(bad.REG_HEADER)
    return shared_strings_workbook(strings, [list(range(n)), list(range(n, 2 * n))])


def test_shared_strings_are_read_as_excel_writes_them(tmp_path):
    """Rich-text runs joined, phonetic guides (rPh) left out, _x005F_ an underscore."""
    path = tmp_path / "shared.xlsx"
    path.write_bytes(people_in_shared_strings("<r><t>张</t></r><r><t>_x005F_x0041_伟</t></r>"
                                              "<rPh sb='0' eb='1'><t>zhang</t></rPh>"))
    assert load_source(path).model.rows[0].name == "张_x0041_伟"


def test_long_shared_string_is_refused_where_a_cell_uses_it(tmp_path):
    path = tmp_path / "shared.xlsx"
    path.write_bytes(people_in_shared_strings("<t>" + "伟" * 40_000 + "</t>"))
    with pytest.raises(SourceError, match=r"^shared.xlsx:名单!B2: 错误: 单元格有 40,000 个字符"):
        load_source(path, "shared.xlsx")


@pytest.mark.parametrize("limit, value, message", [
    ("MAX_ROWS", 3, r"^big.xlsx:Sheet1!第4行: 错误: 有数据的行超过 3 行"),
    ("MAX_MERGES", 2, r"^big.xlsx:Sheet1: 错误: 工作表有超过 2 个合并单元格"),
    ("MAX_MERGED_CELLS", 10, r"^big.xlsx:Sheet1!第4行: 错误: 合并单元格 I4:I6 等覆盖的单元格超过 10 个"),
    ("MAX_ROW_ELEMENTS", 5, r"^big.xlsx:Sheet1!第3行: 错误: 这一行含有超过 5 个单元格和格式元素"),
    ("MAX_XML_ELEMENTS", 50, r"^big.xlsx(:Sheet1)?: 错误: 工作簿内容过多"),
    ("MAX_PART_TAGS", 10, r"^big.xlsx: 错误: 工作簿的部件 \S+ 含有超过 10 个 XML 标记"),
    ("MAX_MEMBERS", 3, r"^big.xlsx: 错误: 工作簿由 \d+ 个部件组成，超过上限 3 个"),
])
def test_workbook_limits(limit, value, message, tmp_path, monkeypatch):
    from conftest import write_rows
    rows = [["济南市精准技能扶贫对象登记汇总表"], ["填表单位：济南市人力资源社会保障局"], bad.REG_HEADER,
            *(bad.person(n) for n in range(1, 6))]
    path = write_rows(tmp_path / "big.xlsx", rows, merges=("A1:I1", "I4:I6", "I7:I8"))
    load_source(path, "big.xlsx")                        # fine within the real limits
    monkeypatch.setattr(limits, limit, value)
    with pytest.raises(SourceError, match=message):
        load_source(path, "big.xlsx")


def test_row_and_column_beyond_excel_are_refused(tmp_path):
    for ref, row, message in (("XFE4", '<row r="4">', "单元格 XFE4 超出了 Excel 的最后一列 XFD"),
                              ("A1048577", '<row r="1048577">', "行号 1048577 超出了 Excel 的范围")):
        data = bad._rezip(bad.registrations([]), lambda xml: xml.replace(
            b"</sheetData>", f'{row}<c r="{ref}"><v>1</v></c></row></sheetData>'.encode()))
        (tmp_path / "far.xlsx").write_bytes(data)
        with pytest.raises(SourceError, match=message):
            load_source(tmp_path / "far.xlsx", "far.xlsx")


# ---------------------------------------------------------------- YAML

def test_alias_bomb_used_as_a_scalar(runner):
    line = refusal(runner, BAD / "yaml_alias_bomb_scalar.yaml")
    assert line.startswith(f"{shown(BAD / 'yaml_alias_bomb_scalar.yaml')}:7: 错误: 别名（*…）展开后的内容超过 100,000 项")


def test_alias_to_itself(runner):
    line = refusal(runner, BAD / "yaml_alias_recursive.yaml")
    assert line == f"{shown(BAD / 'yaml_alias_recursive.yaml')}:2: 错误: 别名 *a 引用了包含它自己的内容（循环引用），无法读取；请删除这个别名"


def test_ordinary_aliases_still_work(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("kind: catalog\ncity: 济南市\nyear: 2019\npublished_on: 2019-02-27\n"
                    "defaults: &d {level: 中级工, years: 3, plan: 30}\nschools:\n"
                    "  - {name: 济南技师学院, type: 技师学院, affiliation: 市属, majors: [{<<: *d, code: '0103', name: 数控加工}]}\n",
                    encoding="utf-8")
    catalog = load_source(path).model
    assert catalog.schools[0].majors[0].plan == 30


def test_yaml_value_longer_than_a_cell(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("kind: catalog\nyear: 2019\ncity: " + "济" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"^catalog.yaml:3: 错误: 这个值有 1,000,000 个字符，超过上限 32,767 个字符"):
        load_source(path, "catalog.yaml")


def test_notice_body_may_be_longer_than_a_cell(tmp_path):
    paragraph = "现将有关事项通知如下。" * 1000                # 11,000 characters a paragraph
    body = "\n\n".join([paragraph] * 4)
    text = ("kind: notice\nissuers: [济南市人力资源和社会保障局]\ntitle: 关于做好技能扶贫工作的通知\n"
            "date: 2019-02-27\nbody: |\n" + "".join(f"  {line}\n" for line in body.split("\n")))
    (tmp_path / "notice.yaml").write_text(text, encoding="utf-8")
    notice = load_source(tmp_path / "notice.yaml", "notice.yaml")
    assert notice.kind == "notice"
    (tmp_path / "notice.yaml").write_text(text.replace("现将", "现将" * 100_000, 1), encoding="utf-8")
    with pytest.raises(SourceError, match=r"^notice.yaml:5: 错误: 这个值有 .* 个字符，超过上限 200,000 个字符"):
        load_source(tmp_path / "notice.yaml", "notice.yaml")


def test_yaml_node_limit(tmp_path, monkeypatch):
    """4 MB of [1,1,1,…] took 40 s and 1.6 GB: values are counted as they are composed."""
    monkeypatch.setattr(limits, "MAX_YAML_NODES", 1000)
    path = tmp_path / "catalog.yaml"
    path.write_text("kind: catalog\nyear: 2019\ncity:\n  [" + ",".join(["1"] * 2000) + "]\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"^catalog.yaml:4: 错误: YAML 文件的内容超过 1,000 项，读取已停止"):
        load_source(path, "catalog.yaml")


def test_yaml_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_YAML_BYTES", 100)
    path = tmp_path / "catalog.yaml"
    path.write_text("kind: catalog\n# " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"^catalog.yaml: 错误: YAML 文件有 \d+ 字节，超过上限 100 字节"):
        load_source(path, "catalog.yaml")


# ---------------------------------------------------------------- CSV

def test_csv_field_over_the_csv_module_limit(tmp_path, runner):
    path = tmp_path / "registrations.csv"
    path.write_text(bad.csv_text([bad.REG_HEADER, bad.person(1, "张" * 200_000)]), encoding="utf-8")
    line = refusal(runner, path)
    assert line.startswith(f"{shown(path)}:第2行: 错误: 这一行有一个字段超过 131,072 个字符")


def test_csv_field_longer_than_a_cell(tmp_path, runner):
    path = tmp_path / "registrations.csv"
    path.write_text(bad.csv_text([bad.REG_HEADER, bad.person(1, "张" * 40_000)]), encoding="utf-8")
    assert refusal(runner, path).startswith(f"{shown(path)}:B2: 错误: 单元格有 40,000 个字符，超过上限 32,767 个字符")


def test_csv_mixed_line_endings_are_read():
    source = load_source(BAD / "csv_mixed_line_endings.csv")
    assert [p.name for p in source.model.rows] == ["张伟", "李娜", "张伟"]
    assert [p.location.row for p in source.model.rows] == [2, 3, 4]


def test_csv_line_and_size_limits(tmp_path, monkeypatch):
    path = tmp_path / "registrations.csv"
    path.write_text(bad.csv_text([bad.REG_HEADER, bad.person(1), bad.person(2, "李" * 300)]), encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_CSV_LINE_CHARS", 200)
    with pytest.raises(SourceError, match=r"^r.csv:第3行: 错误: 这一行超过 200 个字符"):
        load_source(path, "r.csv")
    monkeypatch.setattr(limits, "MAX_CSV_BYTES", 100)
    with pytest.raises(SourceError, match=r"^r.csv: 错误: CSV 文件有 1.2 KB，超过上限 100 字节"):
        load_source(path, "r.csv")


# ---------------------------------------------------------------- memory

def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20))


@pytest.mark.parametrize("name", BOMBS)
def test_bombs_stay_under_600_mb(name):
    """Each bomb in a fresh process limited to 600 MB of address space: a clear answer, no MemoryError."""
    proc = subprocess.run([sys.executable, "-m", "publisher", "check", str(BAD / name)], capture_output=True,
                          text=True, preexec_fn=_limit_memory, cwd=ROOT, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), output
    assert "内部错误" not in output and "Traceback" not in output and "MemoryError" not in output, output


@pytest.mark.parametrize("location, printed", [
    (Location("a.yaml", line=12), "a.yaml:12: 错误: x"),
    (Location("a.xlsx", "2019"), "a.xlsx:2019: 错误: x"),      # a sheet named 2019, not a line
    (Location("a.xlsx", "名单", 7, "B"), "a.xlsx:名单!B7: 错误: x"),
    (Location("a.xlsx", "名单", 9), "a.xlsx:名单!第9行: 错误: x"),
    (Location("a.csv", row=3), "a.csv:第3行: 错误: x"),
    (Location("a.csv", row=3, column="B"), "a.csv:B3: 错误: x"),
    (Location("a.xlsx"), "a.xlsx: 错误: x"),
])
def test_refusals_carry_their_location_as_data(location, printed):
    """A refusal's location is data (no message is parsed back into a location)."""
    exc = SourceError(location, "x")
    assert (exc.location, exc.problem, exc.message) == (location, "x", printed)


def test_a_refusal_becomes_a_finding_at_its_location(tmp_path):
    from publisher.project import load_project
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("kind: registrations\ncity: 济南市\nrows:\n  - name: &a [" + ",".join(["x"] * 10) + "]\n"
                    + "".join(f"  - name: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}, " f"*{'a' if i == 0 else f'a{i - 1}'}"
                              + ", " * 0 + f"*{'a' if i == 0 else f'a{i - 1}'}]\n" for i in range(40)), "utf-8")
    project = load_project([bomb])
    refusal = [f for f in project.findings if f.code == "file.unreadable"]
    assert refusal and refusal[0].location.file.endswith("bomb.yaml") and refusal[0].location.line
