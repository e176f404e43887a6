"""`publisher serve` as the IT person starts it: a real uvicorn on a free loopback port, talked to over HTTP."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx2")
pytest.importorskip("uvicorn")

from click.testing import CliRunner  # noqa: E402

from conftest import ROOT  # noqa: E402
from publisher.cli import main  # noqa: E402
from test_serve_api import planted, students, upload  # noqa: E402

BANNER = re.compile(r"publisher 网页已启动：(http://127\.0\.0\.1:\d+/)")


class Server:
    """``python -m publisher serve …`` in ``cwd``; its stderr (banner and log) goes to a file."""

    def __init__(self, cwd: Path, *args: str, env: dict | None = None):
        self.log = cwd.parent / f"{cwd.name}-serve.log"
        environment = dict(os.environ, PYTHONPATH=str(ROOT))
        environment.pop("PUBLISHER_TOKEN", None)
        environment.update(env or {})
        with open(self.log, "wb") as sink:
            self.process = subprocess.Popen([sys.executable, "-m", "publisher", "serve", *args, "--port", "0"],
                                            cwd=cwd, env=environment, stdout=sink, stderr=subprocess.STDOUT)
        self.url = self._wait_for_banner()

    def _wait_for_banner(self) -> str:
        end = time.monotonic() + 60
        while time.monotonic() < end:
            found = BANNER.search(self.text())
            if found and "Application startup complete" in self.text():
                return found.group(1)
            if self.process.poll() is not None:
                raise AssertionError(f"serve ended: {self.text()}")
            time.sleep(0.1)
        raise AssertionError(f"no banner: {self.text()}")

    def text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(60)


@pytest.fixture
def server(tmp_path):
    started = []

    def start(*args, folder: Path | None = None, env=None) -> Server:
        cwd = folder or tmp_path / f"empty{len(started)}"
        cwd.mkdir(exist_ok=True)
        started.append(Server(cwd, *args, env=env))
        return started[-1]

    yield start
    for s in started:
        s.stop()


def test_in_an_empty_folder_it_answers_on_loopback_with_a_chinese_page(server):
    s = server()
    page = httpx.get(s.url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html and "上传文件" in html and '<input type="file" id="files"' in html
    # every asset is the server's own: nothing from the network
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") or a.startswith("data:") for a in assets)
    for asset in (a for a in assets if a.startswith("/static/")):
        assert httpx.get(s.url.rstrip("/") + asset).status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    script = httpx.get(s.url + "static/app.js").text
    assert "http://" not in script and "https://" not in script


def test_a_60_mb_upload_gets_413_and_the_server_keeps_answering(server, tmp_path):
    s = server()
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    with open(big, "rb") as handle:
        answer = httpx.post(s.url + "api/check", files={"files": ("big.xlsx", handle)}, timeout=120)
    assert answer.status_code == 413
    assert answer.json() == {"error": "上传的文件太大：一次最多 50 MB；请分几次上传，或请管理员调整上限"}

    def chunks():                        # no Content-Length: counted as it streams in
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="x.xlsx"\r\n\r\n'
        for _ in range(60):
            yield bytes(1024 * 1024)
        yield b"\r\n--b--\r\n"
    answer = httpx.post(s.url + "api/check", content=chunks(), timeout=120,
                        headers={"content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413
    assert httpx.get(s.url + "api/info").status_code == 200
    admissions, catalog, _ = students(tmp_path / "d", 3, seed=60)
    assert httpx.post(s.url + "api/check", files=upload(admissions, catalog), timeout=60).json() == []


def test_with_a_token_a_request_without_it_gets_401_and_with_it_200(server):
    s = server(env={"PUBLISHER_TOKEN": "office-token-2019"})
    info = s.url + "api/info"
    refused = httpx.get(info)
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    assert refused.json()["error"].startswith("需要访问口令")
    assert httpx.get(info, headers={"authorization": "Bearer wrong-token-123"}).status_code == 401
    assert httpx.get(info, headers={"authorization": "Bearer office-token-2019"}).status_code == 200
    assert httpx.get(s.url + "static/app.js").status_code == 401
    # the page asks once and keeps the token in an HttpOnly, SameSite=Strict cookie
    login = httpx.get(s.url)
    assert login.status_code == 401 and 'name="token"' in login.text and "访问口令" in login.text
    assert httpx.post(s.url + "login", data={"token": "nope-nope-nope"}).status_code == 401
    with httpx.Client(base_url=s.url) as browser:
        answer = browser.post("/login", data={"token": "office-token-2019"})
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        cookie = answer.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        assert browser.get("/").status_code == 200 and browser.get("/api/info").status_code == 200


def test_another_host_without_a_token_is_refused_at_start():
    runner = CliRunner()
    result = runner.invoke(main, ["serve", "--host", "0.0.0.0"], env={"PUBLISHER_TOKEN": ""})
    assert result.exit_code == 2
    assert "在 0.0.0.0 上监听会让局域网里的其他电脑也能打开这个网页" in result.output
    assert "请用 --token 设置访问口令" in result.output and "Traceback" not in result.output
    short = runner.invoke(main, ["serve", "--host", "0.0.0.0", "--token", "abc"])
    assert short.exit_code == 2 and "访问口令太短" in short.output


def test_a_port_in_use_is_a_chinese_message(server, tmp_path):
    s = server()
    port = s.url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run([sys.executable, "-m", "publisher", "serve", "--port", port], cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and f"端口 {port} 已被占用" in result.stderr


def test_other_sites_are_kept_out(server):
    s = server()
    host = s.url.split("/")[2]
    rebound = httpx.get(s.url + "api/info", headers={"host": f"evil.example:{host.split(':')[1]}"})
    assert rebound.status_code == 400 and "只接受从本机打开" in rebound.json()["error"]
    forged = httpx.post(s.url + "api/check", headers={"origin": "http://evil.example"}, files={"files": ("a.csv", b"x")})
    assert forged.status_code == 403


def test_the_log_holds_no_personal_data_and_stop_removes_every_file(server, tmp_path):
    s = server()
    registrations, catalog, _ = planted(tmp_path / "data")
    findings = httpx.post(s.url + "api/check", files=upload(registrations, catalog), timeout=60).json()
    job = httpx.post(s.url + "api/build", files=upload(registrations, catalog), timeout=60).json()["job"]
    while httpx.get(f"{s.url}api/jobs/{job}").json()["state"] not in ("done", "failed"):
        time.sleep(0.1)
    private = [p for p in Path("/tmp").glob(f"publisher-serve-{s.process.pid}-*")]
    assert len(private) == 1 and any(private[0].iterdir())
    log = s.text()
    assert "POST /api/check" in log and f"job {job}: failed" in log
    from openpyxl import load_workbook
    cells = [str(c) for row in load_workbook(registrations).active.iter_rows(values_only=True) for c in row if c]
    secrets_ = [c for c in cells if len(c) >= 2 and c not in ("序号", "男", "汉族")] + [f["message"] for f in findings]
    leaked = [c for c in secrets_ if c in log]
    assert leaked == [] and "登记汇总表" not in log
    assert s.stop() == 0
    assert not private[0].exists()
    assert "网页已停止，所有任务的临时文件已删除。" in s.text() and "Traceback" not in s.text()
