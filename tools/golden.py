"""Golden outputs: every document kind made from fixed sources, normalised so a change is a reviewable diff.

    python tools/golden.py            # rewrite tests/golden/ from a fresh build
    python tools/golden.py --check    # exit 1 and print the diff when a fresh build differs

What is kept of each output (the stable forms of STYLE.md):
- DOCX: the text of ``word/document.xml`` (and headers/footers), a paragraph or table row a line;
- PDF: page count, page size, and the text of each page (``pdftotext -layout``);
- XLSX: the cell values of each sheet as JSON;
- HTML: the text of the page (tags dropped).
The inputs are the demo (``catalogs/``: a city and the province) and the city notice of the
tests, built with ``SOURCE_DATE_EPOCH`` fixed.  tests/test_golden.py compares a fresh build.
"""
from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EPOCH = "1561939200"            # 2019-07-01: the demo's documents carry their own dates anyway
RUNS = (
    ("demo", ["build", str(ROOT / "catalogs")]),
    ("notice", ["notice", str(ROOT / "tests" / "data" / "notice" / "city.yaml")]),
    ("blank", ["form", "attachment2", "--blank", "--city", "济南市"]),
)
# Per-student letters repeat the combined DOCX: a few stand for all.
SAMPLE_LETTERS = 2


def docx_text(path: Path) -> str:
    from xml.etree import ElementTree
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    lines = []
    with zipfile.ZipFile(path) as package:
        names = ["word/document.xml"] + sorted(n for n in package.namelist()
                                               if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        for name in names:
            root = ElementTree.fromstring(package.read(name))
            lines.append(f"## {name}")
            for block in root.iter():
                if block.tag == f"{ns}p" and not _inside(block, root, f"{ns}tc"):
                    lines.append(_text(block, ns))
                elif block.tag == f"{ns}tr":
                    lines.append(" | ".join(_text(cell, ns) for cell in block if cell.tag == f"{ns}tc"))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _inside(element, root, tag) -> bool:
    parents = {child: parent for parent in root.iter() for child in parent}
    node = element
    while node in parents:
        node = parents[node]
        if node.tag == tag:
            return True
    return False


def _text(element, ns) -> str:
    parts = []
    for node in element.iter():
        if node.tag == f"{ns}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{ns}tab",):
            parts.append("\t")
        elif node.tag in (f"{ns}br", f"{ns}cr"):
            parts.append("⏎")
    return "".join(parts)


def pdf_text(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+ x [\d.]+) pts", info).group(1)
    out = [f"pages: {pages}", f"size: {size} pt"]
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        out.append(f"## page {page}")
        out += [line.rstrip() for line in text.replace("\f", "").splitlines() if line.strip()]
    return "\n".join(out) + "\n"


def xlsx_cells(path: Path) -> str:
    import openpyxl
    workbook = openpyxl.load_workbook(path)
    sheets = {}
    for ws in workbook.worksheets:
        rows = [[_cell(c.value) for c in row] for row in ws.iter_rows()]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        sheets[ws.title] = rows
    return json.dumps(sheets, ensure_ascii=False, indent=1) + "\n"


def _cell(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def html_text(path: Path) -> str:
    html = path.read_text("utf-8")
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", "\n", html)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


NORMALISE = {".docx": (docx_text, ".txt"), ".pdf": (pdf_text, ".txt"), ".xlsx": (xlsx_cells, ".json"),
             ".html": (html_text, ".txt")}


def chosen(folder: Path) -> list[Path]:
    """The outputs kept: all, except per-student letters beyond the first few of each school."""
    files = []
    for path in sorted(folder.rglob("*")):
        if path.suffix not in NORMALISE:
            continue
        if path.parent.name == "通知书":
            letters = sorted(path.parent.glob("*.docx"))
            if path not in letters[:SAMPLE_LETTERS]:
                continue
        files.append(path)
    return files


def build(into: Path) -> dict[str, str]:
    """{golden relative path: normalised text} of a fresh build."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONPATH=str(ROOT))
    result = {}
    for name, args in RUNS:
        out = into / name
        done = subprocess.run([sys.executable, "-m", "publisher", *args, "-o", str(out)], cwd=into, env=env,
                              capture_output=True, text=True)
        if done.returncode not in (0, 3):
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
        for path in chosen(out):
            normalise, suffix = NORMALISE[path.suffix]
            rel = f"{name}/{path.relative_to(out).as_posix()}{suffix}"
            result[rel] = normalise(path)
    return result


def stored() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text("utf-8") for p in sorted(GOLDEN.rglob("*"))
            if p.is_file() and p.name != "README.md"}


def differences(fresh: dict[str, str], kept: dict[str, str]) -> list[str]:
    out = []
    for rel in sorted(set(fresh) | set(kept)):
        a, b = kept.get(rel, ""), fresh.get(rel, "")
        if a != b:
            out += difflib.unified_diff(a.splitlines(), b.splitlines(), f"golden/{rel}", f"fresh/{rel}", lineterm="",
                                        n=1)
    return out


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
    if "--check" in argv:
        diff = differences(fresh, stored())
        print("\n".join(diff[:400]) if diff else "golden outputs match")
        return 1 if diff else 0
    for path in GOLDEN.rglob("*"):
        if path.is_file() and path.name != "README.md":
            path.unlink()
    for rel, text in fresh.items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    print(f"wrote {len(fresh)} golden files into {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
