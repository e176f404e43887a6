"""Shared test helpers: paths, a CLI runner, and a workbook builder."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from publisher.domain.people import check_character

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


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
