"""No local path in any output: the same run from two working folders gives the same bytes (issue 11, item 9).

Sources are named in outputs by their file name (their path inside the folder given on the
command line); the manifest records the command and the sources by file name too.
"""
from __future__ import annotations

import re
import shutil
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from publisher.cli import main

sys.path.insert(0, str(ROOT / "tools"))
import make_bad_inputs as bad  # noqa: E402

SECRET = "私人文件夹-Q7Z"            # a folder name that must appear in no output


def decoded(path: Path):
    """The file's bytes, every ZIP member's and every PDF stream's, decompressed."""
    data = path.read_bytes()
    yield data
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as package:
            for name in package.namelist():
                yield package.read(name)
    if data[:4] == b"%PDF":
        for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
            try:
                yield zlib.decompress(match.group(1))
            except zlib.error:
                pass


def leaks(folder: Path, needles) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            for blob in decoded(path):
                for needle in needles:
                    for form in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
                        if form in blob:
                            found.append(f"{path.relative_to(folder)}: {needle}")
    return sorted(set(found))


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_in(cwd: Path, args, monkeypatch, exit_code: int = 0):
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result


@pytest.fixture
def returns(tmp_path):
    """Two cities' 附件1, two cities' 附件2 with one person in both, and an unreadable workbook."""
    src = tmp_path / SECRET / "returns"
    (src / "sub").mkdir(parents=True)
    shutil.copy(DATA / "good" / "progress.xlsx", src / "jinan.xlsx")
    (src / "sub" / "zibo.xlsx").write_bytes(bad.workbook_bytes(
        [bad.PROG_HEADER, [1, "淄博市技师学院", 3, 9, 2, 1, 5, 4]], "全省技工院校服务脱贫攻坚工作进展情况表",
        "填表单位（盖章）：淄博市人力资源社会保障局  填表时间：2019年6月10日"))
    shutil.copy(DATA / "good" / "registrations.xlsx", src / "reg-jinan.xlsx")
    (src / "reg-qingdao.xlsx").write_bytes(bad.workbook_bytes(
        [bad.REG_HEADER, bad.person(1)], "青岛市精准技能扶贫对象登记汇总表",
        "填表单位（盖章）：青岛市人力资源社会保障局  填表时间：2019年3月20日"))
    (src / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    return src


def test_compile_from_two_working_folders_is_byte_identical(returns, tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    # exit 3: made, the unreadable return listed
    first = run_in(tmp_path / "a", ["compile", returns, "-o", tmp_path / "a" / "out"], monkeypatch, 3)
    run_in(tmp_path / "b" / "deeper", ["compile", Path("..", "..", SECRET, "returns"), "-o", Path("..", "out")],
           monkeypatch, 3)
    one, two = tree(tmp_path / "a" / "out"), tree(tmp_path / "b" / "out")
    assert sorted(one) == sorted(two) and {Path(n).suffix for n in one} == {".xlsx", ".docx", ".pdf", ".json"}
    assert [n for n in one if one[n] != two[n]] == []             # the manifest too
    assert "未计入" in first.output or "汇总完成" in first.output
    assert leaks(tmp_path / "a" / "out", [str(tmp_path), SECRET, "/tmp/", "../../"]) == []
    # the workbook names its sources by their file names
    import openpyxl
    workbook = openpyxl.load_workbook(next((tmp_path / "a" / "out").glob("*.xlsx")))
    shown = {c.value for ws in workbook for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"jinan.xlsx", "sub/zibo.xlsx", "reg-jinan.xlsx", "reg-qingdao.xlsx", "broken.xlsx"} <= shown
    assert any(v.startswith("jinan.xlsx:") for v in shown)


def test_build_outputs_hold_no_local_path(tmp_path, monkeypatch):
    project = tmp_path / SECRET / "jinan"
    shutil.copytree(ROOT / "catalogs" / "jinan", project)
    (tmp_path / "w").mkdir()
    run_in(tmp_path / "w", ["build", project, "-o", tmp_path / "out", "--format", "docx,xlsx,html"], monkeypatch)
    assert leaks(tmp_path / "out", [str(tmp_path), SECRET]) == []
