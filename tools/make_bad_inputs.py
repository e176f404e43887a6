"""Write the bad-input corpus to tests/data/bad/ (SPEC §6: survive any file a user throws at it).

    python tools/make_bad_inputs.py            # (re)write tests/data/bad/
    python tools/make_bad_inputs.py --check    # exit 1 if the committed corpus differs

Every file is small and deterministic (seeded random bytes, fixed ZIP times), so
the committed corpus is what this script writes.  Large or tool-dependent files
(a 100,000-row workbook, a really encrypted workbook) are made at test time by
``big_registrations`` and ``encrypted_workbook`` below.
"""
from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from publisher.domain.people import check_character  # noqa: E402
from publisher.render.package import normalise_zip  # noqa: E402

BAD = ROOT / "tests" / "data" / "bad"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
REG_HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
PROG_HEADER = ["序号", "学校名称", "当年招收建档立卡贫困家庭子女人数（人）", "建档立卡贫困家庭子女在校生人数（人）",
               "建档立卡贫困家庭子女毕业生人数（人）", "建档立卡贫困家庭子女毕业生就业人数（人）",
               "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", "培训后就业创业人数（人）"]
SCHOOLS = ("济南技师学院", "平阴县技工学校")          # the schools of tests/data/good/catalog.yaml


def make_id(n: int, male: bool = True, region: str = "370124", birth: str = "20030512") -> str:
    first = f"{region}{birth}{n % 100:02d}{(2 * (n % 5) + (1 if male else 0)) % 10}"
    return first + check_character(first)


def person(n: int, name: str = "张伟", male: bool = True, school: str = SCHOOLS[0]) -> list:
    return [n, name, "男" if male else "女", "汉族", f"3701241050{n:08d}", make_id(n, male),
            f"1381234{n:04d}", f"济南市平阴县洪范池镇书院村{n}号", school]


def workbook_bytes(rows: list, title: str | None = None, meta: str | None = None, patch=None) -> bytes:
    """A one-sheet workbook with fixed ZIP times; ``patch`` may edit the sheet XML."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    if meta:
        ws.append([meta])
    for row in rows:
        ws.append(row)
    wb.properties.creator = "publisher tests"
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if patch:
        data = _patch_sheet(data, patch)
    from datetime import datetime
    return normalise_zip(data, datetime(2019, 6, 10))


def _patch_sheet(data: bytes, patch) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = patch(content)
            dst.writestr(info, content)
    return out.getvalue()


def registrations(rows: list) -> bytes:
    return workbook_bytes([REG_HEADER, *rows], "济南市精准技能扶贫对象登记汇总表",
                          "填表单位（盖章）：济南市人力资源社会保障局  填表时间：2019年3月20日")


def progress(rows: list, patch=None) -> bytes:
    return workbook_bytes([PROG_HEADER, *rows], "全省技工院校服务脱贫攻坚工作进展情况表",
                          "填表单位（盖章）：济南市人力资源社会保障局  填表时间：2019年6月10日", patch)


def ole_bytes(marker: bytes = b"", size: int = 4096) -> bytes:
    """An OLE compound-file header, optionally naming a stream (UTF-16LE, as directory entries do)."""
    body = bytearray(OLE + bytes(504))
    body[0x1C:0x1E] = b"\xfe\xff"                     # byte order mark of the compound file
    body += marker + bytes(max(0, size - len(body) - len(marker)))
    return bytes(body)


def csv_text(rows: list) -> str:
    return "\r\n".join(",".join(str(c) for c in row) for row in rows) + "\r\n"


def _cached_formulas(xml: bytes) -> bytes:
    """Give formula cells the value Excel would have cached, as a workbook saved by Excel has it."""
    def fill(match):
        ref = match.group(1).decode()
        value = CACHED.get(ref)
        if value is None:
            return match.group(0)
        kind = b"" if isinstance(value, int) else b' t="str"'
        text = str(value).encode("ascii", "xmlcharrefreplace")
        return b'<c r="' + match.group(1) + b'"' + kind + b"><f>" + match.group(2) + b"</f><v>" + text + b"</v></c>"
    return re.sub(rb'<c r="([A-Z]+\d+)"><f>([^<]*)</f><v></v></c>', fill, xml)


# Cached results per cell: 总计 row of progress_formulas, names of registrations_formulas.
CACHED = {"C6": 43, "D6": 114, "B3": "张三", "B4": "张四"}


def corpus() -> dict[str, bytes]:
    """File name -> bytes of every committed corpus file."""
    rng = random.Random(20190610)
    files: dict[str, bytes] = {}
    for suffix in ("xlsx", "yaml", "csv", "xls"):
        files[f"random_bytes.{suffix}"] = bytes(rng.randrange(256) for _ in range(2048))
    for suffix in ("xlsx", "yaml", "csv"):
        files[f"empty.{suffix}"] = b""
    files["whitespace_only.yaml"] = b"  \n\t\n"
    files["random_text.yaml"] = "这不是一个源文件，只是一段随便写的文字。\n".encode()
    good = registrations([person(i) for i in range(1, 6)])
    files["truncated.xlsx"] = good[: len(good) // 2]
    files["zip_not_workbook.xlsx"] = _plain_zip()
    files["old_excel.xls"] = ole_bytes(b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00")
    files["password_protected.xlsx"] = ole_bytes("EncryptionInfo".encode("utf-16-le"))

    reg_rows = [REG_HEADER] + [person(i, name) for i, name in enumerate(("王芳", "李娜", "赵磊"), 1)]
    files["registrations_gbk.csv"] = csv_text(reg_rows).encode("gbk")
    rare = [REG_HEADER, person(1, "王芳"), person(2, "吉𠮷")]
    files["registrations_gb18030.csv"] = csv_text(rare).encode("gb18030")
    files["registrations_utf8_bom.csv"] = csv_text(reg_rows).encode("utf-8-sig")
    files["registrations_semicolons.csv"] = csv_text(reg_rows).replace(",", ";").encode("utf-8")
    files["only_commas.csv"] = b",,,,\r\n,,,\r\n"
    files["binary_zero.csv"] = b"\x00" * 64

    files["yaml_bad_indent.yaml"] = "kind: catalog\ncity: 济南市\n schools:\n  - name: 济南技师学院\n".encode()
    files["yaml_tabs.yaml"] = "kind: catalog\nschools:\n\t- name: 济南技师学院\n".encode()
    files["yaml_unclosed_quote.yaml"] = 'kind: notice\ntitle: "关于印发行动计划的通知\ndate: 2017-12-23\n'.encode()
    files["yaml_duplicate_keys.yaml"] = ("kind: progress\ncity: 济南市\ncity: 淄博市\nperiod: 2019-H1\n"
                                         "filled_on: 2019-06-10\nrows:\n"
                                         "  - {school: 济南技师学院, enrolled: 1, enrolled: 2}\n").encode()
    files["yaml_wrong_kind.yaml"] = "kind: budget\ncity: 济南市\n".encode()
    files["yaml_no_kind.yaml"] = "city: 济南市\nyear: 2019\n".encode()
    files["yaml_list_top.yaml"] = "- kind: catalog\n- city: 济南市\n".encode()
    files["yaml_scalar_top.yaml"] = "济南市\n".encode()
    files["yaml_python_tag.yaml"] = "kind: catalog\ncity: !!python/object/apply:os.system ['echo hi']\n".encode()
    files["yaml_billion_laughs.yaml"] = _laughs().encode()
    files["yaml_deep_nesting.yaml"] = ("kind: catalog\nschools: " + "[" * 3000 + "]" * 3000 + "\n").encode()
    files["yaml_rows_not_list.yaml"] = "kind: registrations\ncity: 济南市\nrows: 张三\n".encode()
    files["yaml_rows_of_scalars.yaml"] = "kind: progress\ncity: 济南市\nrows: [1, 2, 3]\n".encode()
    files["yaml_wrong_types.yaml"] = ("kind: catalog\ncity: [济南市]\nyear: 二〇一九\npublished_on: 明天\n"
                                      "schools:\n  - name: {a: 1}\n    type: 3\n    majors: 5\n").encode()
    files["yaml_huge_numbers.yaml"] = ("kind: progress\ncity: 济南市\nperiod: 2019-H1\nfilled_on: 2019-06-10\nrows:\n"
                                       "  - {school: 济南技师学院, enrolled: 1e30, in_school: 99999999999,"
                                       " graduates: .inf, employed: .nan, trained: -0, trained_employed: 1e400}\n").encode()
    files["yaml_dates_as_text.yaml"] = _dates_yaml().encode()
    files["yaml_template_in_data.yaml"] = ("kind: catalog\ncity: 济南市\nyear: 2019\npublished_on: 2019-02-27\n"
                                           "schools:\n  - name: \"{{ 7*7 }}技师学院\"\n    type: 技师学院\n"
                                           "    affiliation: 市属\n    address: \"<script>alert(1)</script>\"\n"
                                           "    majors:\n      - {code: \"0103\", name: \"{% raw %}数控\", "
                                           "level: 中级工, years: 3, plan: 40}\n").encode()
    files["publisher_config_broken.yaml"] = "issuer: [\ncity: 济南市\n".encode()

    files["progress_huge_numbers.xlsx"] = progress([[1, SCHOOLS[0], 1e30, 99999999999, 3, 2, 10, 5],
                                                    [2, SCHOOLS[1], -5, 2.5, "12人", "１２", "约10", None]])
    files["progress_formulas.xlsx"] = progress(
        [[1, SCHOOLS[0], 32, 96, 13, 13, 190, 128], [2, SCHOOLS[1], 11, 18, 3, 2, 107, 94],
         ["总计", None, "=SUM(C3:C4)", "=SUM(D3:D4)", 16, 15, 297, 222]], patch=_cached_formulas)
    files["progress_formulas_uncached.xlsx"] = progress(
        [[1, SCHOOLS[0], "=1+1", "=A1", 13, 13, 190, 128]])
    files["registrations_formulas.xlsx"] = workbook_bytes(
        [REG_HEADER, person(1), [2, '=HYPERLINK("http://example.invalid","张三")', *person(2)[2:]],
         [3, "=cmd|' /C calc'!A0", *person(3)[2:]], [4, "+张三", *person(4)[2:]], [5, "@SUM(1)", *person(5)[2:]]],
        patch=_cached_formulas)
    files["registrations_rare_names.xlsx"] = registrations(
        [person(1, "吉𠮷"), person(2, "𪚥𪚥", male=False), person(3, "王\U0002B740"),
         [4, "张\ue000", *person(4)[2:]], [5, "赵\u200b磊", *person(5)[2:]]])
    files["registrations_dates_text.xlsx"] = _dates_workbook()
    files["no_known_columns.xlsx"] = workbook_bytes([["甲", "乙", "丙"], [1, 2, 3]])
    files["header_only_registrations.xlsx"] = registrations([])
    files["header_only_progress.xlsx"] = progress([])
    files["catalog_header_only.xlsx"] = workbook_bytes([["序号", "学校名称", "学校类别", "隶属关系", "专业代码",
                                                          "专业名称", "培养层次", "学制（年）", "招生计划（人）"]],
                                                        "济南市2019年度精准技能扶贫技工院校和专业目录")
    files["registrations_missing_columns.xlsx"] = workbook_bytes([["序号", "姓名", "性别"], [1, "张三", "男"]])
    files["registrations_ids_as_numbers.xlsx"] = registrations(
        [[1, "王芳", "女", "汉族", 370124105000000001, 370124200305121021, 13812340001, "书院村1号", SCHOOLS[0]]])
    files["registrations_all_blank_cells.xlsx"] = registrations([[None] * 9, [" "] * 9, ["\u3000"] * 9])
    files["registrations_wrong_school.xlsx"] = registrations([person(1, school="不存在的技工学校")])
    files.update(issue11_bombs())
    files.update(_names_and_outputs())
    files.update(_issue11_templates())
    files.update(issue15_formats())
    return files


# --- issue 15: .xls/.et/.ods read through python-calamine ----------------------------------
ODS_HEAD = ('<?xml version="1.0"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            '<office:body><office:spreadsheet><table:table table:name="S">')
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods(content: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(zipfile.ZipInfo("content.xml"), content, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("META-INF/manifest.xml"), '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>', zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def issue15_formats() -> dict[str, bytes]:
    """An .ods whose repeated cells claim a billion filled values, an .ods whose merged ranges claim
    the whole sheet, an .xls cut short, and an .et that is random bytes in an OLE shell."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    header = "<table:table-row>" + "".join(cell.format(t) for t in REG_HEADER) + "</table:table-row>"
    merged = ('<table:table-row><table:table-cell table:number-rows-spanned="1048576" '
              'table:number-columns-spanned="16384" office:value-type="string"><text:p>x</text:p>'
              "</table:table-cell></table:table-row>")
    xls = (ROOT / "tests" / "data" / "formats" / "registrations.xls").read_bytes()
    return {
        "ods_repeat_bomb.ods": _ods(ODS_HEAD + header + '<table:table-row table:number-rows-repeated="1000000">'
                                    '<table:table-cell table:number-columns-repeated="1000" '
                                    'office:value-type="string"><text:p>x</text:p></table:table-cell>'
                                    "</table:table-row>" + ODS_TAIL),
        "ods_merge_bomb.ods": _ods(ODS_HEAD + header + merged + ODS_TAIL),
        "xls_truncated.xls": xls[:3000],
        "et_random_ole.et": OLE + random.Random(15).randbytes(4088),
    }


# --- issue 11: names and outputs ---
# School, student and number texts that are no file name as they stand: characters Windows
# refuses, names equal but for case, device names, '..', a name too long for a file system,
# names of publisher's own files.  (Bidi and zero-width characters: tests/test_names.py.)  The catalog and the
# admissions list belong together (tests/test_names.py); alone each must still give
# a clear answer.
HOSTILE_SCHOOLS = ("甲/乙技师学院", "甲:乙技师学院", "甲 乙技师学院", "ABC技工学校", "abc技工学校", "CON", "..",
                   "录取情况汇总.xlsx", "manifest.json", "长" * 86 + "技师学院")


def _names_and_outputs() -> dict[str, bytes]:
    import yaml
    major = {"code": "0103", "name": "数控加工", "level": "中级工", "years": 3, "plan": 40, "note": ""}
    catalog = {"kind": "catalog", "city": "济南市", "year": 2019, "published_on": "2019-02-26",
               "schools": [{"name": name, "type": "技师学院", "affiliation": "市属", "address": "济南市历城区工业北路1号",
                            "phone": "0531-88000000", "report": {"date": "2019-09-01", "place": "新生报到处"},
                            "majors": [major]} for name in HOSTILE_SCHOOLS]}
    rows = [{"name": f"学生{n}", "gender": "男", "ethnicity": "汉族", "card_no": f"3701241050{n:08d}",
             "id_no": make_id(n), "phone": f"1381234{n:04d}", "address": f"济南市平阴县书院村{n}号",
             "school": school, "admitted_school": school, "admitted_major": "数控加工"}
            for n, school in enumerate(HOSTILE_SCHOOLS, 1)]
    # one school, two students whose 录取编号 and 姓名 make the same file name
    for n, number in ((21, "A/1"), (22, "A:1")):
        rows.append({**rows[0], "name": "张三", "card_no": f"3701241050{n:08d}", "id_no": make_id(n),
                     "admission_no": number})
    admissions = {"kind": "admissions", "city": "济南市", "filled_on": "2019-07-15", "rows": rows}
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200).encode()  # noqa: E731
    return {"catalog_hostile_names.yaml": dump(catalog), "admissions_hostile_names.yaml": dump(admissions)}


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("readme.txt", (2019, 6, 10, 0, 0, 0)), "not a workbook")
    return out.getvalue()


def _laughs() -> str:
    lines = ["kind: registrations", "a: &a [\"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\", \"哈\"]"]
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        prev = name
    lines.append(f"rows: *{prev}")
    return "\n".join(lines) + "\n"


DATE_FORMS = ("2019年6月10日", "2019/6/10", "2019.6.10", "20190610", "6/10/2019", "2019-6-10", "2019年13月1日")


def _dates_yaml() -> str:
    rows = "\n".join(f"  - {{school: {SCHOOLS[0]}, enrolled: {i}}}" for i in range(1, 3))
    parts = [f"kind: progress\ncity: 济南市\nperiod: 2019-H1\nfilled_on: \"{DATE_FORMS[0]}\"\nrows:\n{rows}\n"]
    return parts[0]


def _dates_workbook() -> bytes:
    """Admissions with 报到时间 typed as text in every common form (and two wrong ones)."""
    header = REG_HEADER + ["录取院校", "录取专业", "报到时间", "报到地点"]
    rows = [person(i) + [SCHOOLS[0], "数控加工", form, "新生报到处"] for i, form in enumerate(DATE_FORMS, 1)]
    return workbook_bytes([header, *rows], "济南技师学院录取名单", "填表时间：2019.7.1")

# --- issue 11: bombs and control characters ---------------------------------------------
# Small files that claim or unpack to enormous sizes, control characters that used to crash
# a build, CSV line-ending trouble and Excel serial dates.  Files too big to commit (a CSV
# field of 200 KB, a YAML value of a million characters) are made in the tests themselves.

def issue11_bombs() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    base = registrations([person(1), person(2, "李娜", male=False)])
    files["xlsx_dimension_bomb.xlsx"] = _rezip(base, _patch_dimension)
    files["xlsx_merge_bomb.xlsx"] = _rezip(base, _patch_merges)
    files["xlsx_wide_rows.xlsx"] = _rezip(base, _patch_wide_rows)
    files["xlsx_whitespace_bomb.xlsx"] = _rezip(base, spaces=300 << 20, method=zipfile.ZIP_BZIP2)
    files["xlsx_bzip2_member.xlsx"] = _rezip(base, method=zipfile.ZIP_BZIP2)
    files["xlsx_huge_cell.xlsx"] = _rezip(registrations([person(1, "LONG")]),
                                          lambda xml: xml.replace(b"LONG", "张".encode() * 1_000_000))
    files["xlsx_control_chars.xlsx"] = registrations(
        [person(1, "张_x001B_三"), person(2, "王_x000B_芳", male=False), person(3, "李_x0000_四"),
         person(4, "赵\u202e磊"), [5, "钱多多", "男", "汉族", "3701241050\t00000005", *person(5)[5:]]])
    files["xlsx_control_raw.xlsx"] = _rezip(registrations([person(1, "张ESC三")]),
                                            lambda xml: xml.replace(b"ESC", b"\x1b"))
    files["csv_control_chars.csv"] = csv_text(
        [REG_HEADER, person(1, "张\x1b三"), person(2, "王\x0b芳", male=False), person(3, "李\x00四"),
         person(4, "孙\x85七")]).encode()
    files["csv_bidi_override.csv"] = csv_text([REG_HEADER, person(1, "赵\u202e磊"),
                                               [2, "\u2067王芳\u2069", *person(2, male=False)[2:]]]).encode()
    rows = [",".join(str(c) for c in row) for row in (REG_HEADER, person(1), person(2, "李娜", male=False), person(3))]
    files["csv_mixed_line_endings.csv"] = (rows[0] + "\r\n" + rows[1] + "\n" + rows[2] + "\r" + rows[3] + "\r\n").encode()
    files["csv_unclosed_quote.csv"] = (csv_text([REG_HEADER, person(1)]) + '2,"王芳,女,汉族\r\n').encode()
    files["yaml_alias_bomb_scalar.yaml"] = _laughs().replace("rows: *i", "city: *i").encode()
    files["yaml_alias_recursive.yaml"] = "kind: catalog\ncity: &a [济南市, *a]\nyear: 2019\n".encode()
    files["yaml_control_escapes.yaml"] = _people_yaml(["张\\x1b三", "王\\v芳", "李\\0四", "赵\\u202e磊"])
    files["admissions_serial_dates.xlsx"] = _serial_dates_workbook()
    return files


def _rezip(data: bytes, patch=None, spaces: int = 0, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook with sheet1 patched, padded with ``spaces`` blanks and stored with ``method``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, (2019, 6, 10, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(entry, content)
                continue
            content = patch(content) if patch else content
            entry.compress_type = method
            head, tail = content.split(b"<sheetData>")
            with dst.open(entry, "w", force_zip64=spaces > 0) as member:
                member.write(head)
                blank = b" " * (1 << 20)
                for _ in range(spaces >> 20):
                    member.write(blank)
                member.write(b"<sheetData>" + tail)
    return out.getvalue()


def _patch_dimension(xml: bytes) -> bytes:
    """A <dimension> of the whole sheet and one cell in Excel's last row."""
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c>'
                                        b"</row></sheetData>")


def _patch_merges(xml: bytes) -> bytes:
    merges = b'<mergeCell ref="A1:XFD1048576"/>' * 300
    return xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="300">' + merges + b"</mergeCells>")


def _patch_wide_rows(xml: bytes) -> bytes:
    """600 rows with one cell in the last column, XFD: 600 x 16,384 values if rows were kept whole."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="XFD%d"><v>1</v></c></row>' % (n, n, n, n)
                    for n in range(10, 610))
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


def _people_yaml(names: list[str]) -> bytes:
    lines = ["kind: registrations", "city: 济南市", "filled_on: 2019-03-20", "filled_by: 王老师", "phone: 0531-86000000",
             "rows:"]
    for n, name in enumerate(names, 1):
        p = person(n)
        lines.append(f'  - {{name: "{name}", gender: 男, ethnicity: 汉族, card_no: "{p[4]}", id_no: "{p[5]}", '
                     f'phone: "{p[6]}", address: {p[7]}, school: {p[8]}}}')
    return ("\n".join(lines) + "\n").encode()


def _serial_dates_workbook() -> bytes:
    """Admissions whose 填表时间 and 报到时间 are Excel serial numbers: bare, date-formatted, typed as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["济南技师学院录取名单"])
    ws.append(["填表时间：", 43545])                                 # 2019-03-21, a number in General format
    header = REG_HEADER + ["录取院校", "录取专业", "报到时间", "报到地点"]
    ws.append(header)
    for n, when in enumerate((43709, 43709.5, "43709", 43709), 1):     # 2019-09-01
        ws.append(person(n) + [SCHOOLS[0], "数控加工", when, "新生报到处"])
    ws.cell(row=7, column=12).number_format = "yyyy-mm-dd"           # the last one keeps its date format
    wb.properties.creator = "publisher tests"
    buffer = io.BytesIO()
    wb.save(buffer)
    from datetime import datetime
    return normalise_zip(buffer.getvalue(), datetime(2019, 6, 10))


# --- issue 11: templates ---
# Hostile letter templates (docx/letter.docx of a project's templates: folder) and cells that hide
# several phone or ID numbers (for --mask).  Symlinked templates cannot live in git: tests make them.
TEMPLATE_ATTACKS = {
    "rce": ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__=='_wrap_close' %}"
            "{{ c.__init__.__globals__['popen']('touch publisher_pwned; id').read() }}{% endif %}{% endfor %}"),
    "loop": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "bomb": "{{ 'x'*10**10 }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
}
HOSTILE_PHONES = ("13812345678/13912345678", "13711112222（父）", "0531-86000000转123，13612345678",
                  "+86 135-1234-5678", "１３３１２３４５６７８")


def letter_template(attack: str, where: str = "body") -> bytes:
    """The built-in letter template with ``attack`` as an extra paragraph (or as its page header)."""
    from docx import Document
    from datetime import datetime
    document = Document(str(ROOT / "templates" / "docx" / "letter.docx"))
    if where == "header":
        document.sections[0].header.paragraphs[0].text = attack
    else:
        document.add_paragraph(attack)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), datetime(2019, 6, 10))


def _issue11_templates() -> dict[str, bytes]:
    files = {f"template_letter_{name}.docx": letter_template(text) for name, text in TEMPLATE_ATTACKS.items()}
    files["template_letter_header_rce.docx"] = letter_template(TEMPLATE_ATTACKS["rce"], "header")
    header = REG_HEADER + ["录取院校", "录取专业"]
    rows = []
    for n, phone in enumerate(HOSTILE_PHONES, 1):
        row = person(n)
        row[6] = phone
        row[7] = f"济南市平阴县书院村{n}号（家长电话1351234{n:04d}，身份证{make_id(n + 50)}）"
        rows.append(row + [SCHOOLS[0], "数控加工"])
    files["admissions_hostile_numbers.xlsx"] = workbook_bytes([header, *rows], "济南技师学院录取名单")
    return files


def main(argv: list[str]) -> int:
    files = corpus()
    if "--check" in argv:
        stale = [n for n, data in files.items() if not (BAD / n).is_file() or (BAD / n).read_bytes() != data]
        extra = [p.name for p in BAD.iterdir() if p.name not in files and p.name != "README.md"] if BAD.is_dir() else []
        for name in stale + extra:
            print(f"differs: {name}")
        return 1 if stale or extra else 0
    BAD.mkdir(parents=True, exist_ok=True)
    for path in BAD.iterdir():
        if path.name not in files and path.name != "README.md":
            path.unlink()
    for name, data in files.items():
        (BAD / name).write_bytes(data)
    print(f"wrote {len(files)} files, {sum(map(len, files.values()))} bytes, to {BAD.relative_to(ROOT)}")
    return 0


# ---------------------------------------------------------------- made at test time

def big_registrations(path: Path, rows: int = 100_000) -> Path:
    """A registrations workbook of ``rows`` rows, streamed (write-only) so making it stays small."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["济南市精准技能扶贫对象登记汇总表"])
    ws.append(["填表单位（盖章）：济南市人力资源社会保障局", None, None, None, None, None, "填表时间：2019年3月20日"])
    ws.append(REG_HEADER)
    start = date(2000, 1, 1)
    for n in range(1, rows + 1):
        born = start + timedelta(days=n % 3000)        # birth date and sequence: unique IDs
        first = f"370124{born:%Y%m%d}{n // 3000:02d}{n % 10}"
        ws.append([n, f"学生{n}", "男" if n % 2 else "女", "汉族", f"3701{n:014d}",
                   first + check_character(first), f"138{n:08d}", f"济南市平阴县书院村{n}号", SCHOOLS[n % 2]])
    wb.save(path)
    return path


def encrypted_workbook(path: Path) -> tuple[Path, bool]:
    """A password-protected workbook: really encrypted when msoffcrypto-tool is installed, else crafted."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        path.write_bytes(ole_bytes("EncryptionInfo".encode("utf-16-le")))
        return path, False
    plain = io.BytesIO(registrations([person(1)]))
    with open(path, "wb") as out:
        OOXMLFile(plain).encrypt("密码123", out)
    return path, True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
