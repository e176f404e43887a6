"""`publisher serve`'s API through Starlette's TestClient: the same app, jobs in their own processes.

Data is made fresh here (other seeds than the demo and the benchmarks), so nothing is
answered from a fixture the code was tuned on.
"""
from __future__ import annotations

import importlib.util
import io
import json
import stat
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")
from starlette.testclient import TestClient  # noqa: E402

from conftest import ROOT, make_id, write_rows  # noqa: E402
from publisher.serve.app import create_app  # noqa: E402
from publisher.serve.settings import make_settings  # noqa: E402

REG_HEAD = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
TOKEN = "s3cret-token-16"


def bench_data():
    spec = importlib.util.spec_from_file_location("make_admissions", ROOT / "bench" / "make_admissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def students(folder: Path, n: int, seed: int, schools: int = 5) -> tuple[Path, Path, list[str]]:
    """(admissions workbook, catalog, the schools students were admitted to) for ``n`` new students."""
    from openpyxl import load_workbook
    made = bench_data()
    folder.mkdir(parents=True, exist_ok=True)
    catalog = folder / "目录.yaml"
    data = made.write_catalog(catalog, schools)
    admissions = folder / "录取名单.xlsx"
    made.write_admissions(admissions, n, data, seed)
    rows = list(load_workbook(admissions, read_only=True).active.iter_rows(min_row=4, values_only=True))
    return admissions, catalog, sorted({r[11] for r in rows})


def planted(folder: Path) -> tuple[Path, Path, set]:
    """A registrations workbook with errors at known cells, its catalog, and {(row, column, code)} planted."""
    _, catalog, _ = students(folder / "cat", 5, seed=99, schools=3)
    school = "济南技师学院"
    good = [make_id("370112", f"2004{m:02d}15", f"{m}{m}") for m in range(1, 10)]
    bad_check = good[0][:-1] + ("0" if good[0][-1] != "0" else "1")
    rows = [["济南市精准技能扶贫对象登记汇总表"], REG_HEAD,
            [1, "王小明", "男", "汉族", "370112001", good[1], "13812345678", "历城区某村1号", school],     # row 3: fine
            [2, "李华", "男", "汉族", "370112002", bad_check, "13812345679", "历城区某村2号", school],    # row 4: checksum
            [3, "赵强", "男", "汉族", "370112003", good[2][:15], "13812345670", "历城区某村3号", school],  # row 5: length
            [4, "孙丽", "男", "汉族", "370112004", make_id("370112", "20040310", "22", male=False), "13812345671",
             "历城区某村4号", school],                                                                  # row 6: gender
            [5, "周杰", "男", "火星族", "370112005", good[3], "13812345672", "历城区某村5号", school],    # row 7: 民族
            [6, "吴刚", "男", "汉族", "370112006", good[4], "13812345673", "历城区某村6号", school],
            [7, "郑明", "男", "汉族", "370112007", good[4], "13812345674", "历城区某村7号", school],      # row 9: duplicate
            [8, "", "男", "汉族", "370112008", good[5], "13812345675", "历城区某村8号", school],          # row 10: no name
            [9, "冯伟", "男", "汉族", "370112009", good[6], "13812345676", "历城区某村9号", "不存在技工学校"],  # row 11
            ]
    path = write_rows(folder / "登记汇总表.xlsx", rows)
    plant = {(4, "F", "id.checksum"), (5, "F", "id.length"), (6, "C", "id.gender"), (7, "D", "ethnicity.unknown"),
             (9, "F", "id.duplicate"), (10, "B", "required.empty"), (11, "I", "school.unknown")}
    return path, catalog, plant


def upload(*paths: Path, names=None) -> list:
    names = names or [p.name for p in paths]
    return [("files", (name, p.read_bytes(), "application/octet-stream")) for name, p in zip(names, paths)]


@pytest.fixture
def serve(tmp_path):
    """serve(**settings) -> a TestClient of a fresh app whose lifespan runs; stopped at the test's end."""
    made = []

    def start(folder=None, token=None, headers=None, **more):
        settings = make_settings(folder, "127.0.0.1", 0, token, **more)
        root = tmp_path / f"root{len(made)}"
        root.mkdir(mode=0o700)
        client = TestClient(create_app(settings, root), base_url="http://127.0.0.1:8000", headers=headers or {})
        client.__enter__()
        client.root = root
        made.append(client)
        return client

    yield start
    for client in made:
        client.__exit__(None, None, None)


def wait(client, job: str, seen: list | None = None, limit: float = 240) -> dict:
    """Poll a job until it ends; every status seen is kept in ``seen``."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        status = client.get(f"/api/jobs/{job}").json()
        if seen is not None:
            seen.append(status)
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not end: {status}")


# ---------------------------------------------------------------- check

def test_check_finds_every_planted_error_row(serve, tmp_path):
    registrations, catalog, plant = planted(tmp_path)
    client = serve()
    answer = client.post("/api/check", files=upload(registrations, catalog))
    assert answer.status_code == 200
    findings = answer.json()
    found = {(f["row"], f["column"], f["code"]) for f in findings if f["file"] == "登记汇总表.xlsx"}
    assert plant <= found
    assert all(f["level"] == "error" for f in findings if (f["row"], f["column"], f["code"]) in plant)
    # the same JSON as `publisher check --json` on the same files (file names as uploaded)
    from click.testing import CliRunner
    from publisher.cli import main
    import os
    here = os.getcwd()
    try:
        os.chdir(tmp_path)
        cli = CliRunner().invoke(main, ["check", "登记汇总表.xlsx", "cat/目录.yaml", "--json"])
    finally:
        os.chdir(here)
    expected = [dict(f, file=Path(f["file"]).name) for f in json.loads(cli.output)]
    assert findings == expected
    job = client.get(f"/api/jobs/{answer.headers['publisher-job']}").json()
    assert job["state"] == "done" and {k["what"] for k in job["can"]} == {"catalog", "filing", "forms"}


def test_clean_sources_check_clean_and_say_what_they_can_make(serve, tmp_path):
    admissions, catalog, schools = students(tmp_path, 12, seed=4242)
    client = serve()
    answer = client.post("/api/check", files=upload(admissions, catalog))
    assert answer.status_code == 200 and answer.json() == []
    job = client.get(f"/api/jobs/{answer.headers['publisher-job']}").json()
    assert [k["what"] for k in job["can"]] == ["catalog", "filing", "letters"]
    assert sorted(job["schools"]) == schools


def test_check_of_nothing_and_of_wrong_files_is_refused_in_chinese(serve, tmp_path):
    client = serve()
    assert client.post("/api/check", data={"x": "1"}).json() == {"error": "请选择要上传的文件（files 字段）"}
    (tmp_path / "说明.pdf").write_bytes(b"%PDF-1.4")
    answer = client.post("/api/check", files=upload(tmp_path / "说明.pdf"))
    assert answer.status_code == 400 and "“说明.pdf”不是可以处理的文件" in answer.json()["error"]
    (tmp_path / "publisher.yaml").write_text("city: 济南市\n", "utf-8")
    answer = client.post("/api/check", files=upload(tmp_path / "publisher.yaml"))
    assert answer.status_code == 400 and "项目设置文件，不能上传" in answer.json()["error"]


# ---------------------------------------------------------------- build

def test_build_of_100_new_students_reports_progress_and_zips_every_school(serve, tmp_path):
    admissions, catalog, schools = students(tmp_path, 100, seed=16016)
    client = serve()
    answer = client.post("/api/build", files=upload(admissions, catalog))
    assert answer.status_code == 202
    job = answer.json()["job"]
    seen: list = []
    final = wait(client, job, seen)
    assert final["state"] == "done", final
    assert final["done"] == final["total"] == 200            # 100 letters, PDF and DOCX each
    running = [(s["done"], s["total"]) for s in seen if s["state"] == "running" and s["total"]]
    assert running and all(0 <= d <= t == 200 for d, t in running) and min(d for d, _ in running) < 200
    data = client.get(f"/api/jobs/{job}/download")
    assert data.status_code == 200 and data.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data.content))
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    made = {o["path"] for o in manifest["outputs"]}
    for school in schools:
        assert {f"{school}/录取通知书.pdf", f"{school}/录取通知书.docx", f"{school}/录取名单.xlsx"} <= made
    assert set(names) == made | {"manifest.json"} == set(final["files"])
    catalog_files = {n for n in made if n.endswith(("技工院校和专业目录.pdf", "技工院校和专业目录.docx"))}
    assert len(catalog_files) == 2, made                      # build: every kind the sources allow
    assert sum(n.endswith(".pdf") for n in names) > len(schools) and sum(n.endswith(".docx") for n in names) > 100
    assert {s["path"] for s in manifest["sources"]} == {"目录.yaml", "录取名单.xlsx"}


def test_letters_for_one_school_in_one_format_masked(serve, tmp_path):
    admissions, catalog, schools = students(tmp_path, 20, seed=777)
    client = serve()
    answer = client.post("/api/build", files=upload(admissions, catalog),
                         data={"what": "letters", "school": schools[0], "format": "xlsx", "mask": "true"})
    final = wait(client, answer.json()["job"])
    assert final["state"] == "done", final
    assert [f for f in final["files"] if f != "manifest.json"] == [f"{schools[0]}/录取名单.xlsx", "录取情况汇总.xlsx"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(final["download"]).content))
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(archive.read(f"{schools[0]}/录取名单.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if "身份证号" in row)
    ids = [row[rows[head].index("身份证号")] for row in rows[head + 1:] if row[0]]
    assert len(ids) > 1 and all(len(i) == 18 and i[6:14] == "********" for i in ids), ids


def test_a_build_with_errors_fails_with_the_findings_in_chinese(serve, tmp_path):
    registrations, catalog, plant = planted(tmp_path)
    client = serve()
    final = wait(client, client.post("/api/build", files=upload(registrations, catalog)).json()["job"])
    assert final["state"] == "failed"
    assert final["message"] == "发现错误，未生成任何文件。请按上面的提示修改源文件后重试。"
    assert plant <= {(f["row"], f["column"], f["code"]) for f in final["findings"]}
    assert "Traceback" not in json.dumps(final, ensure_ascii=False)
    assert client.get(f"/api/jobs/{final['job']}/download").status_code == 409


def test_bad_fields_are_refused_before_anything_runs(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path, 3, seed=5)
    client = serve()
    for fields, said in [({"what": "everything"}, "what 字段的“everything”不认识"),
                         ({"what": "letters", "format": "html"}, "录取通知书不能生成 html 格式"),
                         ({"school": "济南技师学院"}, "school 字段只用于生成录取通知书"),
                         ({"mask": "maybe"}, "mask 字段应为 true 或 false")]:
        answer = client.post("/api/build", files=upload(admissions, catalog), data=fields)
        assert answer.status_code == 400 and said in answer.json()["error"], (fields, answer.json())
    assert list(client.root.iterdir()) == []            # no job folder stays behind


def test_an_unknown_school_is_a_chinese_message(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path, 3, seed=6)
    client = serve()
    job = client.post("/api/build", files=upload(admissions, catalog), data={"what": "letters", "school": "火星技校"})
    final = wait(client, job.json()["job"])
    assert final["state"] == "failed" and final["message"].startswith("--school “火星技校”不在目录中")


# ---------------------------------------------------------------- names, folders, jobs

def test_odd_names_land_inside_the_job_folder(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path / "d", 3, seed=8)
    client = serve()
    names = ["../../evil.xlsx", "..\\..\\..\\目录.yaml"]
    answer = client.post("/api/check", files=upload(admissions, catalog, names=names))
    assert answer.status_code == 200 and answer.json() == []
    src = client.root / answer.headers["publisher-job"] / "src"
    assert sorted(p.name for p in src.iterdir()) == ["evil.xlsx", "目录.yaml"]
    assert not (client.root.parent / "evil.xlsx").exists() and not (tmp_path.parent / "evil.xlsx").exists()
    assert list(tmp_path.rglob("evil.xlsx")) == [src / "evil.xlsx"]
    for weird, saved in [("CON.xlsx", "CON_.xlsx"), ("a:b|c?.csv", "a_b_c.csv"), (".hidden.yaml", "hidden.yaml")]:
        answer = client.post("/api/check", files=[("files", (weird, b"x", "text/plain"))])
        src = client.root / answer.headers["publisher-job"] / "src"
        assert [p.name for p in src.iterdir()] == [saved]


def test_job_folders_are_private_and_go_after_the_hour_and_at_shutdown(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path, 3, seed=9)
    client = serve()
    job = client.post("/api/check", files=upload(admissions, catalog)).headers["publisher-job"]
    folder = client.root / job
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    board = client.app.state.board
    assert board.sweep(now=time.monotonic() + 3000) == 0 and folder.exists()
    assert board.sweep(now=time.monotonic() + 3601) == 1 and not folder.exists()
    assert client.get(f"/api/jobs/{job}").status_code == 404
    client.post("/api/check", files=upload(admissions, catalog))
    assert len(list(client.root.iterdir())) == 1
    client.__exit__(None, None, None)                  # shutdown: every job folder removed
    assert list(client.root.iterdir()) == []


def test_no_listing_of_jobs_and_unknown_ids_are_404(serve):
    client = serve()
    for path in ("/api/jobs", "/api/jobs/", "/api/jobs/abc", "/api/jobs/" + "A" * 22):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/jobs/" + "A" * 22 + "/download").status_code == 404


def test_two_jobs_at_once(serve, tmp_path):
    first = students(tmp_path / "a", 30, seed=21)
    second = students(tmp_path / "b", 30, seed=22)
    client = serve()
    jobs = [client.post("/api/build", files=upload(a, c), data={"what": "letters", "format": "pdf"}).json()["job"]
            for a, c, _ in (first, second)]
    together = False                  # both seen running at one moment: the pool runs two at once
    end = time.monotonic() + 240
    while time.monotonic() < end:
        now = [client.get(f"/api/jobs/{job}").json() for job in jobs]
        together |= all(n["state"] == "running" for n in now)
        if all(n["state"] in ("done", "failed") for n in now):
            break
        time.sleep(0.05)
    finals = now
    assert [f["state"] for f in finals] == ["done", "done"] and together
    for (_, _, schools), final in zip((first, second), finals):
        assert {f.split("/")[0] for f in final["files"] if "/" in f} == set(schools)
    both = zipfile.ZipFile(io.BytesIO(client.get(finals[0]["download"]).content)).namelist()
    assert both != zipfile.ZipFile(io.BytesIO(client.get(finals[1]["download"]).content)).namelist() or \
        first[2] == second[2]


def test_jobs_past_the_pool_wait_in_line(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path, 30, seed=31)
    client = serve(max_jobs=1)
    jobs = [client.post("/api/build", files=upload(admissions, catalog), data={"what": "letters", "format": "pdf"})
            .json()["job"] for _ in range(2)]
    second = client.get(f"/api/jobs/{jobs[1]}").json()
    assert second["state"] == "queued"
    assert [wait(client, j)["state"] for j in jobs] == ["done", "done"]


# ---------------------------------------------------------------- the office's folder

def test_the_office_folder_is_used_and_never_changed(serve, tmp_path):
    office = tmp_path / "office"
    admissions, catalog, _ = students(office, 6, seed=41)
    (office / "publisher.yaml").write_text("city: 济南市\nyear: 2019\nissuer: {name: 济南市人力资源和社会保障局, code: 济人社字}\n",
                                           "utf-8")
    (office / "output").mkdir()
    (office / "output" / "old.xlsx").write_bytes(b"old")
    before = sorted((p.relative_to(office).as_posix(), p.stat().st_mtime_ns) for p in office.rglob("*"))
    client = serve(folder=office)
    info = client.get("/api/info").json()["office"]
    assert info["config"] and info["city"] == "济南市" and info["sources"] == ["录取名单.xlsx", "目录.yaml"]
    final = wait(client, client.post("/api/build", files=upload(admissions, names=["录取名单.xlsx"]),
                                     data={"what": "letters", "format": "xlsx"}).json()["job"])
    assert final["state"] == "done", final
    assert final["notes"][0] == "上传的“录取名单.xlsx”代替了服务器项目文件夹中的同名文件（只用于这一次）"
    assert sorted((p.relative_to(office).as_posix(), p.stat().st_mtime_ns) for p in office.rglob("*")) == before


def test_a_notice_may_not_print_a_file_of_the_server(serve, tmp_path):
    secret = tmp_path / "secret"
    admissions, _, _ = students(secret, 3, seed=51)
    notice = tmp_path / "notice.yaml"
    notice.write_text(f"kind: notice\nissuers: [济南市人力资源和社会保障局]\ntitle: 关于公布名单的通知\ndate: 2019-03-01\n"
                      f"body: 现将名单印发给你们。\nattachments:\n  - {{title: 名单, table: {admissions}}}\n", "utf-8")
    client = serve()
    findings = client.post("/api/check", files=upload(notice)).json()
    assert [(f["code"], f["row"]) for f in findings if f["level"] == "error"] == [("serve.outside", 7)]
    assert all("secret" not in f["file"] for f in findings)
    final = wait(client, client.post("/api/build", files=upload(notice)).json()["job"])
    assert final["state"] == "failed" and "没有一起上传的文件" in final["message"]


def test_the_marked_up_workbook_is_linked_when_the_clerk_module_is_there(serve, tmp_path):
    pytest.importorskip("publisher.annotate", reason="publisher.annotate（issue 15）还没有合并")
    registrations, catalog, _ = planted(tmp_path)
    client = serve()
    answer = client.post("/api/check", files=upload(registrations, catalog))
    job = client.get(f"/api/jobs/{answer.headers['publisher-job']}").json()
    linked = [a for a in job["annotated"] if a["file"] == "登记汇总表.xlsx"]
    assert linked
    workbook = client.get(linked[0]["url"])
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_a_letter_template_rides_along_and_only_one_is_taken(serve, tmp_path):
    admissions, catalog, _ = students(tmp_path, 4, seed=61)
    template = ROOT / "templates" / "docx" / "letter.docx"
    client = serve()
    answer = client.post("/api/check", files=upload(admissions, catalog, template))
    assert answer.status_code == 200 and answer.json() == []
    final = wait(client, client.post("/api/build", files=upload(admissions, catalog, template),
                                     data={"what": "letters", "format": "docx"}).json()["job"])
    assert final["state"] == "done" and any(f.endswith("录取通知书.docx") for f in final["files"])
    two = client.post("/api/check", files=upload(template, template, names=["甲校.docx", "乙校.docx"]))
    assert two.status_code == 400 and two.json()["error"] == "只能上传一个录取通知书模板（.docx）；这次有“甲校.docx”和“乙校.docx”"


def test_a_compilation_with_a_bad_return_is_done_and_names_it(serve):
    returns = sorted((ROOT / "catalogs" / "province" / "returns").glob("*.xlsx"))
    client = serve()
    final = wait(client, client.post("/api/build", files=upload(*returns), data={"what": "compilation"}).json()["job"])
    assert final["state"] == "done", final
    assert final["message"] == "潍坊市.xlsx 有错误，已在汇总表的报送情况中列出，未计入总计；其余文件照常生成"
    assert {f.rsplit(".", 1)[1] for f in final["files"] if f != "manifest.json"} == {"xlsx", "docx", "pdf"}
    assert any(f["file"] == "潍坊市.xlsx" and f["level"] == "error" for f in final["findings"])
