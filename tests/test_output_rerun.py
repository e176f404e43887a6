"""A rerun leaves no stale output and keeps what is not its own (issue 11, item 3).

Rule (publisher/output.py): each manifest entry records ``made_by``, the command without
``-o``. A run replaces what the same command made before; other commands' outputs and files
publisher never made stay, and ``verify`` names the latter.
"""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest
import yaml
from click.testing import CliRunner

from conftest import make_id
from publisher.cli import main
from publisher.output import MANIFEST, OutputFolder, verify

ADM = "publisher admissions a.yaml --catalog c.yaml"


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def listed(folder):
    return [e["path"] for e in json.loads((folder / MANIFEST).read_text("utf-8"))["outputs"]]


def write(out, command, outputs: dict):
    with OutputFolder(out, [], command=command) as folder:
        for rel, data in outputs.items():
            folder.write_bytes(rel, data)


def test_same_command_replaces_its_own_outputs(tmp_path):
    out = tmp_path / "out"
    write(out, ADM, {"学院/通知书/1-张三.docx": b"a", "学院/通知书/2-李四.docx": b"b", "乙学院/x.pdf": b"c"})
    (out / "学院" / "我的笔记.txt").write_text("用户的文件", "utf-8")
    (out / "空文件夹").mkdir()
    write(out, ADM, {"学院/通知书/1-张三.docx": b"a2"})
    assert files(out) == sorted([MANIFEST, "学院/我的笔记.txt", "学院/通知书/1-张三.docx"])
    assert (out / "空文件夹").is_dir()                        # the user's empty folder stays
    assert not (out / "乙学院").exists()                      # emptied by the rerun: gone
    assert listed(out) == ["学院/通知书/1-张三.docx"]
    assert verify(out) == ["学院/我的笔记.txt: 不在清单中（多出的文件）"]


def test_other_commands_outputs_are_kept_and_listed(tmp_path):
    out = tmp_path / "out"
    write(out, "publisher form attachment2 --blank", {"附件2-空白表.xlsx": b"f"})
    write(out, "publisher notice n.yaml", {"n.docx": b"n", "n.pdf": b"p"})
    write(out, "publisher notice m.yaml", {"m.docx": b"m"})
    write(out, "publisher notice n.yaml", {"n.docx": b"n2"})           # n.pdf no longer asked for
    assert files(out) == sorted([MANIFEST, "m.docx", "n.docx", "附件2-空白表.xlsx"])
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert {e["path"]: e["made_by"] for e in manifest["outputs"]} == {
        "m.docx": "publisher notice m.yaml", "n.docx": "publisher notice n.yaml",
        "附件2-空白表.xlsx": "publisher form attachment2 --blank"}
    assert verify(out) == []


def test_output_taken_over_by_another_command_becomes_its_own(tmp_path):
    out = tmp_path / "out"
    write(out, "publisher notice n.yaml", {"n.docx": b"1", "n.pdf": b"1"})
    write(out, "publisher notice n.yaml --format docx", {"n.docx": b"2"})
    write(out, "publisher notice n.yaml --format docx", {})
    assert files(out) == sorted([MANIFEST, "n.pdf"])                  # n.docx was the second command's to remove


def test_old_manifest_without_owner_and_hostile_entries(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep", "utf-8")
    (out / "old.pdf").write_bytes(b"old")
    (out / MANIFEST).write_text(json.dumps({"outputs": [
        {"path": "old.pdf", "sha256": "x", "size": 3},                                # an older publisher
        {"path": "../victim.txt", "made_by": ADM}, {"path": "/etc/hostname", "made_by": ADM},
        {"path": 5, "made_by": ADM}, "junk"]}), "utf-8")
    write(out, ADM, {"new.pdf": b"new"})
    assert (tmp_path / "victim.txt").read_text("utf-8") == "keep"
    assert files(out) == sorted([MANIFEST, "new.pdf", "old.pdf"])


def test_failed_rerun_removes_nothing(tmp_path):
    out = tmp_path / "out"
    write(out, ADM, {"a.pdf": b"a", "b.pdf": b"b"})
    before = {p: (out / p).read_bytes() for p in files(out)}
    with pytest.raises(KeyboardInterrupt):
        with OutputFolder(out, [], command=ADM) as folder:
            folder.write_bytes("a.pdf", b"new")
            raise KeyboardInterrupt
    assert {p: (out / p).read_bytes() for p in files(out)} == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and owners")
def test_folder_keeps_mode_and_owner(tmp_path):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    os.chmod(out, 0o700)
    (out / "private").mkdir()
    os.chmod(out / "private", 0o750)
    (out / "private" / "x.txt").write_text("x", "utf-8")
    owner = None
    if os.geteuid() == 0:                                     # root can give the folder to someone else
        owner = (12345, 23456)
        os.chown(out, *owner)
    write(out, ADM, {"a.pdf": b"a", "private/b.pdf": b"b"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "private").stat().st_mode) == 0o750
    if owner:
        assert (out.stat().st_uid, out.stat().st_gid) == owner
    write(out, ADM, {"a.pdf": b"a2"})
    assert stat.S_IMODE(out.stat().st_mode) == 0o700


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinked_output_folder_stays_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    write(link, ADM, {"a.pdf": b"a", "b.pdf": b"b"})
    write(link, ADM, {"a.pdf": b"a2"})
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert files(real) == sorted([MANIFEST, "a.pdf"]) and (real / "a.pdf").read_bytes() == b"a2"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlinks_inside_are_kept_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    out = tmp_path / "out"
    write(out, ADM, {"a.pdf": b"a"})
    (out / "link.txt").symlink_to(secret)
    (out / "dir").symlink_to(tmp_path / "elsewhere")
    write(out, ADM, {"a.pdf": b"a2"})
    assert (out / "link.txt").is_symlink() and os.readlink(out / "link.txt") == str(secret)
    assert (out / "dir").is_symlink()
    assert secret.read_text("utf-8") == "secret"


# ------------------------------------------------------------------ through the CLI

def admissions(folder, students):
    major = {"code": "0103", "name": "数控加工", "level": "中级工", "years": 3, "plan": 40, "note": ""}
    catalog = {"kind": "catalog", "city": "济南市", "year": 2019, "published_on": "2019-02-26",
               "schools": [{"name": "济南技师学院", "type": "技师学院", "affiliation": "市属", "address": "济南市1号",
                            "phone": "0531-88000000", "report": {"date": "2019-09-01", "place": "报到处"},
                            "majors": [major]}]}
    rows = [{"name": name, "gender": "男", "ethnicity": "汉族", "card_no": f"3701241050000000{i:02d}",
             "id_no": make_id(seq=f"{i:02d}"), "phone": "13812345678", "address": "济南市平阴县1号",
             "school": "济南技师学院", "admitted_school": "济南技师学院", "admitted_major": "数控加工"}
            for i, name in students]
    (folder / "c.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True), "utf-8")
    (folder / "a.yaml").write_text(yaml.safe_dump({"kind": "admissions", "city": "济南市", "filled_on": "2019-07-15",
                                                   "rows": rows}, allow_unicode=True), "utf-8")


def test_removed_student_letter_is_gone_after_rerun(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["admissions", "a.yaml", "--catalog", "c.yaml", "-o", "out", "--format", "docx,xlsx"]
    admissions(tmp_path, [(1, "张三"), (2, "李四")])
    assert runner.invoke(main, args).exit_code == 0
    form = runner.invoke(main, ["form", "attachment2", "--blank", "-o", "out", "--format", "xlsx"])
    assert form.exit_code == 0, form.output
    letters = sorted(p.name for p in (tmp_path / "out" / "济南技师学院" / "通知书").iterdir())
    assert len(letters) == 2 and letters[1].endswith("-李四.docx")
    admissions(tmp_path, [(1, "张三")])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    letters = sorted(p.name for p in (tmp_path / "out" / "济南技师学院" / "通知书").iterdir())
    assert len(letters) == 1 and letters[0].endswith("-张三.docx")
    assert (tmp_path / "out" / "附件2-空白表.xlsx").is_file()        # another command's output stays
    verified = runner.invoke(main, ["verify", "out"])
    assert verified.exit_code == 0, verified.output


def test_folder_that_cannot_be_replaced_is_a_clear_error(tmp_path, monkeypatch):
    """On Windows a file open in Word locks its folder: say so, keep the folder as it was."""
    from publisher.errors import RenderError
    out = tmp_path / "out"
    write(out, ADM, {"a.pdf": b"a"})
    real_replace = os.replace

    def locked(src, dst):
        if str(src) == str(out):
            raise PermissionError(13, "另一个程序正在使用此文件")
        return real_replace(src, dst)

    monkeypatch.setattr("publisher.output.os.replace", locked)
    with pytest.raises(RenderError, match="正被 Word"):
        write(out, ADM, {"b.pdf": b"b"})
    monkeypatch.setattr("publisher.output.os.replace", real_replace)
    assert files(out) == sorted([MANIFEST, "a.pdf"])
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []
