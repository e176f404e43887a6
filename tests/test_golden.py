"""A fresh build of every document kind matches the golden outputs (tests/golden, tools/golden.py)."""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import golden  # noqa: E402


def test_fresh_outputs_match_the_golden_ones(tmp_path):
    fresh = golden.build(tmp_path)
    kept = golden.stored()
    assert set(fresh) == set(kept), f"files made: {sorted(set(fresh) ^ set(kept))[:10]}"
    diff = golden.differences(fresh, kept)
    assert not diff, "outputs changed (regenerate with `python3 tools/golden.py` if intended):\n" + \
        "\n".join(diff[:120])


def test_the_comparison_sees_a_changed_line():
    kept = {"demo/a.docx.txt": "关于公布2019年度目录的通知\n"}
    assert golden.differences({"demo/a.docx.txt": "关于公布2018年度目录的通知\n"}, kept)
    assert golden.differences({}, kept) and not golden.differences(dict(kept), kept)
