"""`publisher check` over the bombs of the bad-input corpus: exit status, wall time and peak memory.

    python bench/bench_bombs.py            # the corpus files of issue 11
    python bench/bench_bombs.py --big      # also the 3 MB workbook holding 3 GB of white space (takes ~20 s to make)

Each file runs in a fresh process (peak resident memory from ru_maxrss of the
child).  Prints a table; nothing is asserted (tests never assert wall time).
"""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
BAD = ROOT / "tests" / "data" / "bad"
FILES = ("xlsx_dimension_bomb.xlsx", "xlsx_merge_bomb.xlsx", "xlsx_wide_rows.xlsx", "xlsx_whitespace_bomb.xlsx",
         "xlsx_bzip2_member.xlsx", "xlsx_huge_cell.xlsx", "xlsx_control_chars.xlsx", "xlsx_control_raw.xlsx",
         "csv_control_chars.csv", "csv_mixed_line_endings.csv", "yaml_alias_bomb_scalar.yaml",
         "yaml_alias_recursive.yaml", "yaml_billion_laughs.yaml", "yaml_control_escapes.yaml",
         "admissions_serial_dates.xlsx")


def run(path: Path) -> tuple[int, float, float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "publisher", "check", str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first = (proc.stdout + proc.stderr).strip().splitlines()[0] if (proc.stdout + proc.stderr).strip() else ""
    return proc.returncode, wall, peak, first.split(": ", 1)[-1][:60]


def main(argv: list[str]) -> int:
    paths = [BAD / name for name in FILES]
    with tempfile.TemporaryDirectory() as folder:
        if "--big" in argv:
            import make_bad_inputs as bad
            big = Path(folder) / "xlsx_whitespace_3gb.xlsx"
            big.write_bytes(bad._rezip(bad.registrations([bad.person(1)]), spaces=3 << 30))
            paths.append(big)
        print(f"{'file':<30} | {'KiB':>6} | exit | {'wall s':>6} | {'peak MiB':>8} | first line")
        print("-" * 110)
        for path in paths:
            # ru_maxrss of children is the largest child so far: run each in its own interpreter
            out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                                 cwd=ROOT, timeout=900).stdout.strip()
            print(f"{path.name:<30} | {path.stat().st_size / 1024:>6.0f} | {out}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        code, wall, peak, first = run(Path(sys.argv[2]))
        print(f"{code:>4} | {wall:>6.2f} | {peak:>8.0f} | {first}")
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
