"""Benchmark: `publisher admissions` on 2,000 and 10,000 students, with the built-in letter template and
with a school's own (bench/make_letter_templates.py), against the naive way.

    python bench/bench_admissions.py [N ...] [--sample 30] [--keep DIR] [--templates default,own]

For each template and N: makes the data (bench/make_admissions.py, with the school's own
column 宿舍号), runs the real command in a subprocess while sampling the summed PSS of it
and all its descendants — worker processes and their LibreOffice — every 0.1 s, checks
the outputs (PDF pages, DOCX files and roster rows all equal N), then measures the naive
way on a sample of students in the same run: one docxtpl render of the same template
(sandboxed) and one WeasyPrint HTML→PDF call (bench/naive_letter.html.j2, the HTML letter
publisher had before) per student.  Prints seconds, letters/s, peak memory, the naive and
our seconds per letter and their ratio.
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
import make_letter_templates  # noqa: E402


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
    """Memory (PSS, else RSS) of ``pid`` and all its descendants.  The tree comes from /proc/*/stat (cheap);
    PSS is read only for the tree's processes: reading every process's smaps_rollup ten times a second
    would cost the run being measured a good part of a core on a busy machine."""
    children = {}
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        pss = _pss(str(p))
        total += pss if pss is not None else rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_command(adm: Path, cat: Path, out: Path, template: Path | None) -> tuple[float, int]:
    """(seconds, peak summed PSS in bytes) of one `publisher admissions` run."""
    cmd = [sys.executable, "-m", "publisher", "admissions", str(adm), "--catalog", str(cat), "-o", str(out)]
    if template is not None:
        cmd += ["--template", str(template)]
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


def naive(adm: Path, cat: Path, template: Path | None, sample: int) -> float:
    """Seconds per letter the naive way: a sandboxed docxtpl render of the template and a WeasyPrint call
    of the old HTML letter, per student."""
    from docxtpl import DocxTemplate
    from publisher.checks import check_project
    from publisher.documents import admissions, letter_fields, letter_template
    from publisher.project import load_project
    from publisher.render import docx_template, fonts, sandbox
    from publisher.render.pdf import html_to_pdf
    from publisher.render.seal import seal_svg
    project = load_project([adm, cat])
    letter_set = admissions.assign_letters(project, check_project(project))
    letters = [l for b in letter_set.schools for l in b.letters][:sample]
    path = template or letter_template.template_path(None, None)[0]
    env = sandbox.environment()
    page = sandbox.environment(loader=sandbox.ConfinedLoader([str(Path(__file__).parent)]))
    html = page.get_template("naive_letter.html.j2")
    extra = {"paper": "A4", "fonts_css": fonts.css(None), "red": "#E8380D", "seal": seal_svg()}
    start = time.perf_counter()
    for letter in letters:
        context = letter_fields.context(letter, letter_set.shared, letter_set.aliases)
        tpl = DocxTemplate(str(path))
        docx_template.render(tpl, dict(context, 印章=""), path, env)
        tpl.save(io.BytesIO())
        html_to_pdf(html.render(letters=[letter.__dict__], **extra), base_url=str(ROOT), title="录取通知书")
    return (time.perf_counter() - start) / len(letters)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 10000])
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--templates", default="default,own")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        own = folder / "school.docx"
        own.parent.mkdir(parents=True, exist_ok=True)
        own.write_bytes(make_letter_templates.school_template())
        for which in args.templates.split(","):
            template = own if which == "own" else None
            for n in args.sizes:
                adm, cat = make_admissions.make(folder / f"data-{n}", n, dorms=True)
                out = folder / f"out-{which}-{n}"
                seconds, peak = run_command(adm, cat, out, template)
                check = verify(out, n)
                per_naive = naive(adm, cat, template, args.sample)
                per_ours = seconds / n
                rows.append((which, n, seconds, peak / 2**20, per_naive, per_ours, check))
                print(f"  {which} {n}: {seconds:.1f} s, {n / seconds:.1f} letters/s, peak {peak / 2**20:.0f} MiB, "
                      f"naive {per_naive:.3f} s/letter, ratio {per_naive / per_ours:.1f}x, "
                      f"load {os.getloadavg()[0]:.1f}; {check}", file=sys.stderr, flush=True)
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| template | students | seconds | letters/s | peak memory (MiB, PSS of all processes) | naive s/letter "
          "| ours s/letter | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for which, n, seconds, peak, per_naive, per_ours, _ in rows:
        name = "built-in" if which == "default" else "school's own"
        print(f"| {name} | {n:,} | {seconds:.1f} | {n / seconds:.1f} | {peak:.0f} | {per_naive:.3f} | {per_ours:.4f} "
              f"| {per_naive / per_ours:.1f}× |")
    for row in rows:
        print(f"{row[0]} {row[1]}: {row[-1]}")


if __name__ == "__main__":
    main()
