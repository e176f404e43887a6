"""Benchmark: `publisher admissions` on 2,000 and 10,000 students against the naive way.

    python bench/bench_admissions.py [N ...] [--sample 50] [--keep DIR]

For each N: makes the data (bench/make_admissions.py), runs the real command in
a subprocess while sampling the summed RSS of it and its worker processes
(/proc, every 0.1 s), checks the outputs (pages per school, DOCX count, roster
rows), then measures the naive way on a sample of students in the same run —
one docxtpl render and one WeasyPrint HTML→PDF call per student — and prints
seconds, letters/s, peak memory, the naive seconds per letter and the ratio.
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_admissions  # noqa: E402


def _pss(pid: str):
    """Proportional set size: forked workers share pages with their parent, so RSS would count them twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _tree_rss(pid: int) -> int:
    """Memory (PSS, else RSS) of ``pid`` and all its descendants."""
    children = {}
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = _pss(entry) if _pss(entry) is not None else int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_command(adm: Path, cat: Path, out: Path) -> tuple[float, int]:
    """(seconds, peak summed RSS in bytes) of one `publisher admissions` run."""
    cmd = [sys.executable, "-m", "publisher", "admissions", str(adm), "--catalog", str(cat), "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"publisher failed ({proc.returncode}):\n{stderr.decode()}")
    return seconds, peak


def verify(out: Path, n: int) -> str:
    from openpyxl import load_workbook
    pages = docx = rows = 0
    for school in sorted(p for p in out.iterdir() if p.is_dir()):
        info = subprocess.run(["pdfinfo", str(school / "录取通知书.pdf")], capture_output=True, text=True).stdout
        pages += int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))
        docx += len(list((school / "通知书").glob("*.docx")))
        ws = load_workbook(school / "录取名单.xlsx", read_only=True).active
        rows += sum(1 for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None)
    ok = pages == docx == rows == n
    return f"pages {pages}, docx {docx}, roster rows {rows}: {'OK' if ok else 'MISMATCH'}"


def naive(adm: Path, cat: Path, sample: int) -> float:
    """Seconds per letter the naive way: docxtpl render + WeasyPrint call per student."""
    from docxtpl import DocxTemplate
    from publisher.documents import admissions, admissions_docx, admissions_pdf
    from publisher.checks import check_project
    from publisher.project import load_project
    project = load_project([adm, cat])
    findings = check_project(project)
    plan = admissions.plan(project, findings)
    letters = [l for b in plan.schools for l in b.letters][:sample]
    settings = admissions_pdf.Settings.of(plan.config)
    template = admissions_docx.template_path(plan.config)
    start = time.perf_counter()
    for letter in letters:
        tpl = DocxTemplate(str(template))
        tpl.render(letter.context(), autoescape=True)
        tpl.save(io.BytesIO())
        admissions_pdf.render_letters([letter], settings, plan.date)
    return (time.perf_counter() - start) / len(letters)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 10000])
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        for n in args.sizes:
            adm, cat = make_admissions.make(folder / f"data-{n}", n)
            out = folder / f"out-{n}"
            seconds, peak = run_command(adm, cat, out)
            check = verify(out, n)
            per_naive = naive(adm, cat, args.sample)
            per_ours = seconds / n
            rows.append((n, seconds, n / seconds, peak / 2**20, per_naive, per_naive / per_ours, check))
            print(f"  {n}: {seconds:.1f} s, {n / seconds:.1f} letters/s, peak {peak / 2**20:.0f} MiB, naive "
                  f"{per_naive:.3f} s/letter, ratio {per_naive / per_ours:.1f}x, load {os.getloadavg()[0]:.1f}; {check}",
                  file=sys.stderr, flush=True)
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| students | seconds | letters/s | peak memory (MiB, PSS of all processes) | naive s/letter | ours s/letter | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, seconds, rate, peak, per_naive, ratio, _ in rows:
        print(f"| {n:,} | {seconds:.1f} | {rate:.1f} | {peak:.0f} | {per_naive:.3f} | {seconds / n:.4f} | {ratio:.1f}× |")
    for row in rows:
        print(f"{row[0]}: {row[-1]}")


if __name__ == "__main__":
    main()
