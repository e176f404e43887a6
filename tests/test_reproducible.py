"""Reproducible outputs (SPEC §6): the same sources and version give the same bytes.

The demo is built twice: once in this process, once in a fresh process with
another hash seed (set iteration order) at a later second (time stamps), and
every file is compared.  A failed build leaves the output folder untouched.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, ROOT
from publisher.cli import main
from test_output import leftovers, snapshot

DEMO = ROOT / "catalogs"


def invoke(args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def files_of(folder: Path) -> dict:
    return {k: v for k, v in snapshot(folder).items() if v is not None and k != "manifest.json"}


def manifest_without_command(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest.pop("command")
    return manifest


@pytest.mark.skipif(not (DEMO / "jinan").is_dir(), reason="demo sources not generated yet")
def test_demo_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)              # manifest source paths are relative to the working folder
    first = invoke(["build", DEMO, "-o", "A"])
    assert first.exit_code == 3, first.output          # built; the demo's erroneous return is listed
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = "4242"
    second = subprocess.run([sys.executable, "-m", "publisher", "build", str(DEMO), "-o", "B"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 3, second.stderr
    a, b = files_of(tmp_path / "A"), files_of(tmp_path / "B")
    assert sorted(a) == sorted(b)
    assert len(a) >= 20
    suffixes = {Path(name).suffix for name in a}
    assert {".docx", ".xlsx", ".pdf"} <= suffixes
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []
    assert manifest_without_command(tmp_path / "A") == manifest_without_command(tmp_path / "B")
    assert invoke(["verify", "A"]).exit_code == 0
    # every output is in the manifest with its hash; every source with its hash
    manifest = json.loads((tmp_path / "A" / "manifest.json").read_text("utf-8"))
    assert sorted(e["path"] for e in manifest["outputs"]) == sorted(a)
    assert {Path(s["path"]).name for s in manifest["sources"]} >= {"registrations.xlsx", "notice.yaml"}
    assert manifest["command"] == f"publisher build {DEMO.name} -o A"      # file names only, no local folder


def _registrations(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(DATA / "good" / "registrations.xlsx", folder)
    shutil.copy(DATA / "good" / "catalog.yaml", folder)
    return folder / "registrations.xlsx"


def test_single_form_twice_identical(tmp_path):
    source = _registrations(tmp_path)
    for out in ("one", "two"):
        result = invoke(["form", "attachment2", source, "-o", tmp_path / out])
        assert result.exit_code == 0, result.output
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one == two and {Path(n).suffix for n in one} == {".docx", ".xlsx", ".pdf"}


@pytest.mark.skipif(not (DEMO / "province" / "notice.yaml").is_file(), reason="demo notice not generated yet")
def test_single_notice_twice_identical(tmp_path):
    for out in ("one", "two"):
        result = invoke(["notice", DEMO / "province" / "notice.yaml", "-o", tmp_path / out])
        assert result.exit_code == 0, result.output
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_dates_come_from_source_date_epoch(tmp_path, monkeypatch):
    source = _registrations(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2020, 1, 2, tzinfo=dt.timezone.utc).timestamp())))
    result = invoke(["form", "attachment2", source, "-o", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    for name in ("xlsx", "docx"):
        path = next((tmp_path / "out").rglob(f"*.{name}"))
        with zipfile.ZipFile(path) as z:
            assert {i.date_time for i in z.infolist()} == {(2020, 1, 2, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
            assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == ["2020-01-02T00:00:00Z"] * 2
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"CreationDate:\s+Thu Jan  2 00:00:00 2020", info), info
    assert b"/ID [" not in pdf.read_bytes()              # no random file identifier


@pytest.mark.parametrize("interrupt", [RuntimeError("builder failed"), KeyboardInterrupt()])
def test_failed_build_leaves_output_folder_as_it_was(tmp_path, monkeypatch, interrupt):
    source = _registrations(tmp_path)
    out = tmp_path / "out"
    assert invoke(["build", source.parent, "-o", out, "--format", "xlsx"]).exit_code == 0
    (out / "我的笔记.txt").write_text("不要动", "utf-8")
    before = snapshot(out)
    from publisher.kinds import Kind

    calls = []
    real = Kind.render_documents

    def failing(self, documents, options, report):
        # every file of the kind is written into the temporary folder; then the run fails
        for item in real(self, documents, options, report):
            calls.append(item[0])
            yield item
        raise interrupt

    monkeypatch.setattr(Kind, "render_documents", failing)
    result = invoke(["build", source.parent, "-o", out, "--format", "xlsx"])
    assert result.exit_code in (1, 130)
    assert "Traceback" not in result.output
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []
    assert calls
