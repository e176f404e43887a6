"""Write tests/data/formats/: one registrations workbook as .xlsx, .xls (Excel 97-2003) and .ods.

    python tools/make_old_formats.py      # needs LibreOffice (soffice) to save .xls and .ods

Two sheets (济南市 with a title, 填表 lines and a merged 拟就读技工院校 cell; 商河县
with one bad ID number), so the tests can check that every reader finds the
same rows, merged cells, dates and findings.  The .xls and .ods files are
committed (LibreOffice's output is not byte-stable), so tests never need soffice.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from publisher.domain.people import check_character  # noqa: E402

OUT = ROOT / "tests" / "data" / "formats"
HEADER = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]


def ident(first17: str) -> str:
    return first17 + check_character(first17)


def workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "济南市"
    ws.append(["济南市精准技能扶贫对象登记汇总表"])
    ws.append(["填表单位（盖章）：济南市人力资源社会保障局", None, None, None, None, "填表时间：", dt.date(2019, 6, 10)])
    ws["G2"].number_format = "yyyy-mm-dd"
    ws.append(HEADER)
    ws.append([1, "张伟", "男", "汉族", "370124105000000001", ident("37012420030512101"), "13812340001",
               "济南市平阴县洪范池镇书院村1号", "济南技师学院"])
    ws.append([2, "李娜", "女", "汉族", "370124105000000002", ident("37012420040306102"), "13812340002",
               "济南市平阴县榆山街道2号", None])
    ws.merge_cells("I4:I5")
    county = wb.create_sheet("商河县")
    county.append(HEADER)
    county.append([1, "王强", "男", "汉族", "371426105000000003", "371426200305120013", "13812340003",
                   "济南市商河县许商街道3号", "平阴县技工学校"])
    wb.save(path)
    return path


def main() -> int:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice (LibreOffice) is needed to write .xls and .ods", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    source = workbook(OUT / "registrations.xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("xls", "ods"):
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", fmt, "--outdir", tmp, str(source)], check=True, capture_output=True)
            shutil.copy(Path(tmp) / f"registrations.{fmt}", OUT / f"registrations.{fmt}")
    print(f"wrote {OUT}/registrations.xlsx, .xls, .ods")
    return 0


if __name__ == "__main__":
    sys.exit(main())
