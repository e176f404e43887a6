"""`publisher serve` against the command line on the same data: what the page costs.

    python bench/bench_serve.py [N ...]          # default: 100 1000 students

Starts a real server (``python -m publisher serve --port 0``) in an empty folder,
then for each N: the admissions workbook and its catalog (bench/make_admissions.py),
``POST /api/check`` (wall time until the findings are back), ``POST /api/build``
of the letters (until ``done``, and until the ZIP is downloaded), and the same
``publisher admissions`` on the command line.  Also the answer time of a 60 MB
upload (413) and of ``GET /api/info``.  Prints a table; asserts nothing.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def start(folder: Path) -> tuple[subprocess.Popen, str, Path]:
    log = folder.parent / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PUBLISHER_TOKEN", None)
    with open(log, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "publisher", "serve", "--port", "0"], cwd=folder, env=env,
                                   stdout=sink, stderr=subprocess.STDOUT)
    for _ in range(300):
        text = log.read_text("utf-8", "replace")
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", text)
        if found and "startup complete" in text:
            return process, found.group(1), log
        time.sleep(0.1)
    raise SystemExit(f"server did not start: {log.read_text()}")


def rss_mib(pid: int) -> float:
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total = int(line.split()[1])
    return total / 1024


def main(counts: list[int]) -> None:
    import httpx2 as httpx
    import make_admissions
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    (work / "empty").mkdir()
    process, url, _ = start(work / "empty")
    rows = []
    try:
        t = time.perf_counter()
        httpx.get(url + "api/info")
        rows.append(("GET /api/info", "", f"{(time.perf_counter() - t) * 1000:.0f} ms"))
        big = work / "big.xlsx"
        with open(big, "wb") as handle:
            handle.truncate(60 * 1024 * 1024)
        t = time.perf_counter()
        with open(big, "rb") as handle:
            status = httpx.post(url + "api/check", files={"files": ("big.xlsx", handle)}, timeout=120).status_code
        rows.append(("60 MB upload", str(status), f"{(time.perf_counter() - t) * 1000:.0f} ms"))
        rows.append(("server RSS, idle", "", f"{rss_mib(process.pid):.0f} MiB"))
        for n in counts:
            adm, cat = make_admissions.make(work / f"n{n}", n, schools=6, seed=n + 3)
            files = [("files", (p.name, p.read_bytes())) for p in (adm, cat)]
            t = time.perf_counter()
            answer = httpx.post(url + "api/check", files=files, timeout=600)
            rows.append((f"check, {n} students", f"{len(answer.json())} findings", f"{time.perf_counter() - t:.2f} s"))
            t = time.perf_counter()
            job = httpx.post(url + "api/build", files=files, data={"what": "letters"}, timeout=600).json()["job"]
            polls = 0
            while True:
                state = httpx.get(f"{url}api/jobs/{job}").json()
                polls += 1
                if state["state"] in ("done", "failed"):
                    break
                time.sleep(0.2)
            built = time.perf_counter() - t
            data = httpx.get(f"{url}api/jobs/{job}/download", timeout=600).content
            fetched = time.perf_counter() - t
            rows.append((f"page: letters, {n} students", f"{state['state']}, {len(state['files'])} files, "
                         f"{len(data) / 1048576:.1f} MiB ZIP", f"{built:.1f} s (+ZIP {fetched - built:.1f} s)"))
            t = time.perf_counter()
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            subprocess.run([sys.executable, "-m", "publisher", "admissions", str(adm), "--catalog", str(cat), "-o",
                            str(work / f"cli{n}")], env=env, capture_output=True, check=False)
            rows.append((f"CLI: letters, {n} students", "", f"{time.perf_counter() - t:.1f} s"))
        rows.append(("server RSS, after", "", f"{rss_mib(process.pid):.0f} MiB"))
    finally:
        process.terminate()
        process.wait(60)
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'result':<40}  time")
    for what, result, took in rows:
        print(f"{what:<{width}}  {result:<40}  {took}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
