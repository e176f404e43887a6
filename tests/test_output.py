"""Atomic output folders, manifest.json and `publisher verify` (SPEC §6)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publisher import __version__
from publisher.cli import main
from publisher.errors import UsageError
from publisher.names import safe_name
from publisher.output import MANIFEST, OutputFolder, sha256_file, verify


def snapshot(folder: Path) -> dict:
    """Names and bytes of everything under ``folder`` (the whole observable state)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "notice.yaml"
    path.parent.mkdir()
    path.write_text("kind: notice\ntitle: 测试\n", "utf-8")
    return path


def test_manifest_lists_outputs_sources_version_command(tmp_path, source):
    out = tmp_path / "out"
    with OutputFolder(out, [source], command="publisher notice notice.yaml") as folder:
        folder.write_bytes("a.docx", b"docx bytes")
        folder.write_bytes("济南技师学院/录取通知书.pdf", b"%PDF-1.7 ...")
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert manifest["version"] == __version__
    assert manifest["command"] == "publisher notice notice.yaml"
    made_by = "publisher notice notice.yaml"
    assert manifest["outputs"] == [
        {"path": "a.docx", "sha256": sha256_file(out / "a.docx"), "size": 10, "made_by": made_by},
        {"path": "济南技师学院/录取通知书.pdf", "sha256": sha256_file(out / "济南技师学院/录取通知书.pdf"), "size": 12,
         "made_by": made_by},
    ]
    assert [s["sha256"] for s in manifest["sources"]] == [sha256_file(source)]
    assert manifest["sources"][0]["path"].endswith("notice.yaml")
    assert verify(out) == []
    assert leftovers(tmp_path) == []


def make_out(tmp_path, source) -> Path:
    out = tmp_path / "out"
    with OutputFolder(out, [source]) as folder:
        folder.write_bytes("a.xlsx", b"one")
        folder.write_bytes("sub/b.pdf", b"two")
    return out


def test_verify_clean_exit_0(tmp_path, source, runner):
    out = make_out(tmp_path, source)
    result = runner.invoke(main, ["verify", str(out)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "核对通过" in result.output


def test_verify_changed_byte(tmp_path, source, runner):
    out = make_out(tmp_path, source)
    (out / "sub/b.pdf").write_bytes(b"twO")          # same size, one byte changed
    result = runner.invoke(main, ["verify", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "sub/b.pdf: 内容已被改动" in result.output
    assert "a.xlsx" not in result.output


def test_verify_missing_and_extra_file(tmp_path, source, runner):
    out = make_out(tmp_path, source)
    (out / "a.xlsx").unlink()
    (out / "sub/extra.docx").write_bytes(b"x")
    result = runner.invoke(main, ["verify", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "a.xlsx: 文件缺失" in result.output
    assert "sub/extra.docx: 不在清单中" in result.output
    assert "2 处不符" in result.output


@pytest.mark.parametrize("content", ["{not json", '{"outputs": 5}', '{"outputs": [{"size": 1}]}', "[]"])
def test_verify_damaged_manifest(tmp_path, source, runner, content):
    out = make_out(tmp_path, source)
    (out / MANIFEST).write_text(content, "utf-8")
    result = runner.invoke(main, ["verify", str(out)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "清单文件已损坏" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output


def test_verify_refuses_paths_outside_folder(tmp_path, source):
    out = make_out(tmp_path, source)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    manifest["outputs"].append({"path": "../src/notice.yaml", "sha256": "0", "size": 1})
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert any("输出文件夹以外" in p for p in verify(out))


def test_verify_not_an_output_folder(tmp_path, runner):
    result = runner.invoke(main, ["verify", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1 and "找不到 manifest.json" in result.output
    result = runner.invoke(main, ["verify", str(tmp_path / "nope")], catch_exceptions=False)
    assert result.exit_code == 1 and "不存在" in result.output


def test_other_command_keeps_earlier_outputs_in_manifest(tmp_path, source):
    out = make_out(tmp_path, source)
    with OutputFolder(out, [source], command="publisher notice other.yaml") as folder:
        folder.write_bytes("c.docx", b"three")
    assert (out / "a.xlsx").read_bytes() == b"one"
    assert verify(out) == []
    paths = [e["path"] for e in json.loads((out / MANIFEST).read_text("utf-8"))["outputs"]]
    assert paths == ["a.xlsx", "c.docx", "sub/b.pdf"]


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_failed_run_leaves_target_untouched(tmp_path, source, exc):
    out = make_out(tmp_path, source)
    (out / "notes.txt").write_text("用户自己的文件", "utf-8")
    before = snapshot(out)
    with pytest.raises(type(exc)):
        with OutputFolder(out, [source]) as folder:
            folder.write_bytes("a.xlsx", b"half-written")
            folder.write_bytes("new.pdf", b"new")
            raise exc
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_failed_first_run_creates_nothing(tmp_path, source):
    out = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        with OutputFolder(out, [source]) as folder:
            folder.write_bytes("a.pdf", b"x")
            raise RuntimeError("boom")
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_interrupt_during_swap_restores_target(tmp_path, source, monkeypatch):
    out = make_out(tmp_path, source)
    before = snapshot(out)
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:                    # old folder moved away, new one not yet in place
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr("publisher.output.os.replace", replace)
    with pytest.raises(KeyboardInterrupt):
        with OutputFolder(out, [source]) as folder:
            folder.write_bytes("a.xlsx", b"new")
    monkeypatch.setattr("publisher.output.os.replace", real_replace)
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


def test_stale_temp_folder_of_a_killed_run_is_removed(tmp_path, source):
    stale = tmp_path / ".out.tmp-999999999"
    stale.mkdir()
    (stale / "half.pdf").write_bytes(b"x")
    make_out(tmp_path, source)
    assert leftovers(tmp_path) == []


def test_unsafe_targets_are_refused(tmp_path, source, monkeypatch):
    afile = tmp_path / "report.pdf"
    afile.write_bytes(b"keep")
    with pytest.raises(UsageError, match="已有的文件"):
        with OutputFolder(afile, [source]):
            pass
    assert afile.read_bytes() == b"keep"
    monkeypatch.chdir(tmp_path)
    for target in (".", ".."):
        with pytest.raises(UsageError, match="当前文件夹"):
            with OutputFolder(Path(target), [source]):
                pass


def test_output_names_cannot_escape(tmp_path, source):
    with pytest.raises(ValueError):
        with OutputFolder(tmp_path / "out", [source]) as folder:
            folder.write_bytes("../evil.pdf", b"x")
    assert not (tmp_path / "evil.pdf").exists()
    assert safe_name("../济南/技师*学院") == "济南_技师_学院"
    assert safe_name("..") == "未命名"
    for bad in ("a/../b.pdf", "CON.pdf", "a:b.pdf", "x/.", ""):
        with pytest.raises(ValueError):
            with OutputFolder(tmp_path / "out", [source]) as folder:
                folder.write_bytes(bad, b"x")
    assert not (tmp_path / "out").exists()


def test_command_recorded_as_typed(tmp_path, runner):
    source = tmp_path / "registrations.xlsx"
    import shutil
    from conftest import DATA
    shutil.copy(DATA / "good" / "registrations.xlsx", source)
    result = runner.invoke(main, ["form", "attachment2", str(source), "--mask", "--format", "xlsx",
                                  "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text("utf-8"))
    # as typed, paths by their file names only (no local folder in any output)
    assert manifest["command"] == "publisher form attachment2 registrations.xlsx -o out --format xlsx --mask"
    assert manifest["outputs"][0]["made_by"] == "publisher form attachment2 registrations.xlsx --format xlsx --mask"
    assert manifest["sources"][0]["path"] == "registrations.xlsx"
