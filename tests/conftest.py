"""Shared test helpers: paths, a CLI runner, and a workbook builder."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from publisher.domain.people import check_character

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"

# The tests mirror the package (tests/sources for publisher/sources, …); a test may use another's
# helpers (``from test_catalog import make_workbook``) wherever either lives.
for _folder in sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name not in ("data", "golden")):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))


def make_id(region: str = "370124", birth: str = "20030512", seq: str = "10", male: bool = True) -> str:
    """A valid 18-character ID number (GB 11643) for tests."""
    first = region + birth + seq + ("1" if male else "2")
    return first + check_character(first)


def write_rows(path: Path, rows: list, merges: tuple = (), sheet: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    workbook.save(path)
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data_dir():
    return DATA
