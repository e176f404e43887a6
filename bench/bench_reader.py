"""Reading and checking a large registrations workbook: time and peak memory per size.

    python bench/bench_reader.py                 # 1,000 / 10,000 / 100,000 rows
    python bench/bench_reader.py 100000          # one size

Each size runs in a fresh process so its peak resident memory (ru_maxrss) is its own.
Prints a table; nothing is asserted (tests never assert wall time).
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))


def measure(path: Path) -> dict:
    from publisher.checks import check_project
    from publisher.project import load_project
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    project = load_project([path])
    read = time.perf_counter() - start
    start = time.perf_counter()
    findings = check_project(project)
    check = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": len(project.sources[0].model.rows), "read_s": read, "check_s": check,
            "findings": len(findings), "peak_mib": peak / 1024, "base_mib": base / 1024}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(Path(argv[1]))))
        return 0
    from make_bad_inputs import big_registrations
    sizes = [int(a) for a in argv] or [1_000, 10_000, 100_000]
    print(f"{'rows':>8} | {'file KiB':>8} | {'make s':>6} | {'read s':>6} | {'check s':>7} | "
          f"{'findings':>8} | {'base MiB':>8} | {'peak MiB':>8}")
    print("-" * 82)
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"registrations_{size}.xlsx"
            start = time.perf_counter()
            big_registrations(path, size)
            made = time.perf_counter() - start
            out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True,
                                 text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{r['rows']:>8} | {path.stat().st_size / 1024:>8.0f} | {made:>6.1f} | {r['read_s']:>6.1f} | "
                  f"{r['check_s']:>7.1f} | {r['findings']:>8} | {r['base_mib']:>8.0f} | {r['peak_mib']:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
