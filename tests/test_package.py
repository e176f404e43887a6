"""A plain (non-editable) install ships the templates and the demo, and builds from them."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_templates_and_demo_and_builds_without_a_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("publisher-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "publisher/demo/jinan/publisher.yaml" in names
    assert "publisher/demo/province/notice.yaml" in names
    assert any(n.startswith("publisher/templates/html/") for n in names)
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run([sys.executable, "-m", "publisher", "build", "-o", "out", "--format", "xlsx"],
                            cwd=empty, env=env, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr        # built; the demo's erroneous return is listed
    made = [p for p in (empty / "out").rglob("*.xlsx")]
    assert made, "the packaged demo produced no workbook"
    assert (empty / "out" / "manifest.json").is_file()
