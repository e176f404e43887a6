"""The routes of `publisher serve` (Starlette): the page, its files, and the API it uses.

API (README, "The office's web page"):
  POST /api/check                     files → 200, the list ``publisher check --json`` prints
                                      (header ``Publisher-Job``: the job keeping marked-up workbooks)
  POST /api/build                     files, what, school, format, mask → 202 {"job": id}
  GET  /api/jobs/<id>                 {"state", "done", "total", "findings", "files", …}
  GET  /api/jobs/<id>/download        the ZIP of the outputs with manifest.json
  GET  /api/jobs/<id>/annotated/<n>   the n-th marked-up workbook (when ``publisher.annotate`` exists)
  GET  /api/info                      what the page needs: the office's folder, limits, kinds, formats
Every refusal is ``{"error": "<Chinese>"}`` with a 4xx/5xx status; no route lists jobs.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import re
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import UsageError
from .guard import Guard, login_cookie
from .jobs import Board, Busy
from .office import Office
from .uploads import ACCEPTED, MAX_FILES, Refused, read_order, save_files

STATIC = Path(__file__).resolve().parent / "static"
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
GONE = "任务不存在或已过期（结果保留一小时，服务器重新启动后也会清除）；请重新上传"
SWEEP_EVERY = 60.0


def create_app(settings, root: Path) -> Starlette:
    """The ASGI application; ``root`` is the server's private folder (jobs live under it)."""
    office = Office.scan(settings.folder)          # too big: UsageError before anything listens
    board = Board(settings, root)

    def fail(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": message}, status_code=status)

    def found(request: Request):
        job_id = request.path_params["job"]
        job = board.get(job_id) if JOB_ID.match(job_id) else None
        return job

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def login(request: Request) -> Response:
        if settings.token is None:
            return RedirectResponse("/", status_code=303)
        if request.method == "GET":
            return Response(login_page(), media_type="text/html; charset=utf-8")
        form = await request.form(max_files=0, max_fields=4)
        given = str(form.get("token", "")).strip()
        if not hmac.compare_digest(given.encode("utf-8"), settings.token.encode("utf-8")):
            return Response(login_page(wrong=True), status_code=401, media_type="text/html; charset=utf-8")
        answer = RedirectResponse("/", status_code=303)
        answer.headers["set-cookie"] = login_cookie(settings.token)
        return answer

    async def info(request: Request) -> Response:
        from .. import kinds as registry
        every = registry.kinds()
        formats = [{"name": f.name, "label": f.label} for f in registry.FORMATS.values()]
        try:
            now = await run_in_threadpool(Office.scan, settings.folder)    # as the next job will see it
        except UsageError as exc:
            return fail(500, exc.message.removeprefix(f"{settings.folder}: 错误: "))
        return JSONResponse({"office": now.describe(), "max_upload": settings.max_upload,
                             "accept": list(ACCEPTED),
                             "kinds": [{"what": k.name, "label": k.label, "formats": list(k.formats)} for k in every],
                             "formats": formats})

    async def received(request: Request, what: str):
        """The started job of a check or build request whose files are saved; raises Refused or Busy."""
        form = await request.form(max_files=MAX_FILES + 1, max_fields=20)
        try:
            order = read_order(form) if what == "build" else None
            files = form.getlist("files")
            if not files and (what == "build" or not office.files):
                raise Refused("请选择要上传的文件（files 字段）")
            job = board.new(what)
            try:
                saved = await run_in_threadpool(save_files, files, job.src)
            except BaseException:
                board.discard(job)
                raise
        finally:
            await form.close()
        spec = {"template": str(job.src / saved.template) if saved.template else None}
        if order is not None:
            spec.update(kinds=order.kinds, school=order.school, formats=order.formats, mask=order.mask)
        board.start(job, spec)
        return job

    async def check(request: Request) -> Response:
        try:
            job = await received(request, "check")
        except (Refused, Busy) as exc:
            return refused(exc)
        while not job.finished.is_set():
            await asyncio.sleep(0.1)
        if job.state == "failed":
            return fail(500, job.message)
        return JSONResponse(job.findings, headers={"publisher-job": job.id})

    async def build(request: Request) -> Response:
        try:
            job = await received(request, "build")
        except (Refused, Busy) as exc:
            return refused(exc)
        return JSONResponse({"job": job.id}, status_code=202, headers={"location": f"/api/jobs/{job.id}"})

    async def status(request: Request) -> Response:
        job = found(request)
        return JSONResponse(job.status()) if job else fail(404, GONE)

    async def download(request: Request) -> Response:
        job = found(request)
        if job is None:
            return fail(404, GONE)
        if job.what != "build" or job.state != "done" or not job.zip.is_file():
            return fail(409, "任务还没有完成，或没有生成文件；完成后再下载")
        return FileResponse(job.zip, media_type="application/zip",
                            headers={"content-disposition": attachment("publisher-生成的文件.zip", "publisher-output.zip")})

    async def annotated(request: Request) -> Response:
        job = found(request)                   # by number: a file name in the path would reach the access log
        number = request.path_params["number"]
        if job is None or not number.isdigit() or int(number) >= len(job.annotated):
            return fail(404, "没有这个标注后的工作簿")
        name = job.annotated[int(number)]["name"]
        return FileResponse(job.folder / "annotated" / name, headers={"content-disposition": attachment(Path(name).name, "marked-up.xlsx")},
                            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    def refused(exc) -> JSONResponse:
        if isinstance(exc, Busy):
            return fail(503, str(exc))
        return fail(exc.status, exc.message)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {400: "请求的格式不对（上传的内容无法解析）", 404: "没有这个页面", 405: "不支持这种请求方式"}
        return fail(exc.status_code, messages.get(exc.status_code, "请求无法处理"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        sweeper = asyncio.create_task(_sweep(board))
        try:
            yield
        finally:
            sweeper.cancel()
            await run_in_threadpool(board.close)

    routes = [
        Route("/", page), Route("/index.html", page),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/api/info", info),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/build", build, methods=["POST"]),
        Route("/api/jobs/{job}", status),
        Route("/api/jobs/{job}/download", download),
        Route("/api/jobs/{job}/annotated/{number}", annotated),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error},
                    middleware=[Middleware(Guard, settings=settings, login_page=login_page)])
    app.state.board = board
    return app


async def _sweep(board: Board) -> None:
    while True:
        await asyncio.sleep(SWEEP_EVERY)
        await run_in_threadpool(board.sweep)


def login_page(wrong: bool = False) -> bytes:
    html = (STATIC / "login.html").read_text("utf-8")
    if wrong:
        html = html.replace("<!--message-->", '<p class="wrong" role="alert">口令不对，请重新输入。</p>')
    return html.encode("utf-8")


def attachment(name: str, plain: str | None = None) -> str:
    """Content-Disposition naming a download, in UTF-8 and, for old clients, in ASCII (RFC 6266)."""
    plain = plain or name.encode("ascii", "ignore").decode().strip("._-") or "download.xlsx"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
