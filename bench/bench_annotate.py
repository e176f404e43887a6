"""`check --annotate` on large workbooks: time and peak memory of the marked copy per size.

    python bench/bench_annotate.py                # 1,000 / 10,000 / 50,000 rows
    python bench/bench_annotate.py 100000         # one size

Each size runs in a fresh process (its own ru_maxrss).  Every 100th row carries a
bad check character, so a size of N has N/100 marked cells.  openpyxl holds the
whole workbook in memory for the copy: this is what ``annotate.MAX_ANNOTATE_BYTES``
bounds.  Prints a table; nothing is asserted.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))


def make(path: Path, rows: int) -> Path:
    import openpyxl
    from make_bad_inputs import big_registrations
    big_registrations(path, rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for row in range(4, rows + 4, 100):          # a wrong check character every 100th row
        cell = ws.cell(row=row, column=6)
        cell.value = cell.value[:-1] + ("0" if cell.value[-1] != "0" else "1")
    wb.save(path)
    return path


def measure(path: Path) -> dict:
    from publisher.annotate import annotate_workbooks
    from publisher.pipeline import check
    start = time.perf_counter()
    project, findings = check([path])
    checked = time.perf_counter() - start
    start = time.perf_counter()
    written = annotate_workbooks(project, findings, path.parent / "out")
    annotated = time.perf_counter() - start
    with zipfile.ZipFile(path) as z:
        unpacked = sum(i.file_size for i in z.infolist())
    return {"findings": len(findings), "check_s": checked, "annotate_s": annotated, "written": len(written),
            "unpacked_mib": unpacked / 2**20, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(Path(argv[1]))))
        return 0
    sizes = [int(a) for a in argv] or [1000, 10_000, 50_000]
    print(f"{'rows':>8} {'findings':>8} {'unpacked MiB':>12} {'check s':>8} {'annotate s':>10} {'peak MiB':>9}")
    for rows in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = make(Path(tmp) / f"reg-{rows}.xlsx", rows)
            out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                                 check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{rows:>8,} {r['findings']:>8} {r['unpacked_mib']:>12.1f} {r['check_s']:>8.2f} "
                  f"{r['annotate_s']:>10.2f} {r['peak_mib']:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
