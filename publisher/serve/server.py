"""uvicorn on a socket we bind ourselves, the server's private folder, and a clean stop.

The socket is bound before uvicorn starts, so a port in use is a Chinese message
(exit 2) and ``--port 0`` gives a free port whose number we can announce.  The
server's private folder (``publisher-serve-<pid>-…`` in the system's temporary
folder, mode 700) holds every job and the spooled uploads; it is removed when the
server stops, and a folder left by a server that was killed outright is removed
by the next start.

The log is uvicorn's: the access log shows method, path and status (our paths
hold no personal data: job ids are random), and ``publisher.serve`` says when a
job is queued, runs and ends — never a file name, a cell or a finding's message.
"""
from __future__ import annotations

import copy
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import UsageError

PREFIX = "publisher-serve-"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``; ``UsageError`` when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise UsageError(f"错误: 找不到主机“{host}”；请写本机的 IP 地址，如 --host 0.0.0.0（所有网卡）"
                         "或 --host 127.0.0.1（只限本机）") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):           # EADDRINUSE (Linux, macOS, Windows)
            raise UsageError(f"错误: 端口 {port} 已被占用（可能 publisher serve 已经在运行）；"
                             f"请换一个端口，如 --port {port + 1 if port else 8001}") from None
        raise UsageError(f"错误: 无法在 {host}:{port} 上监听（{exc.strerror}）") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def private_folder() -> Path:
    """The server's own temporary folder (mode 700); stale ones of dead servers removed first."""
    base = Path(tempfile.gettempdir())
    for stale in base.glob(PREFIX + "*"):
        pid = stale.name[len(PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and stale.is_dir() and stale.stat().st_uid == os.getuid():
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def log_config() -> dict:
    """uvicorn's logging, with ``publisher.serve`` (job events) printed the same way."""
    from uvicorn.config import LOGGING_CONFIG
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["publisher.serve"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def run_server(settings, announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C or SIGTERM; every job stopped and every temporary file removed on the way out."""
    import uvicorn
    from .app import create_app
    sock = bind(settings.host, settings.port)
    root = private_folder()
    spool = tempfile.tempdir
    from multiprocessing.util import get_temp_dir
    get_temp_dir()                              # multiprocessing's own folder (the forkserver's socket): it removes it at exit
    try:
        tempfile.tempdir = str(root)            # uploads being received are spooled here, not in /tmp
        app = create_app(settings, root)
        port = sock.getsockname()[1]
        from dataclasses import replace
        shown = replace(settings, port=port)
        config = uvicorn.Config(app, log_config=log_config(), access_log=True, lifespan="on",
                                timeout_graceful_shutdown=10, server_header=False, proxy_headers=False)
        server = uvicorn.Server(config)
        announce(_banner(shown))
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
    finally:
        tempfile.tempdir = spool
        sock.close()
        shutil.rmtree(root, ignore_errors=True)


def _banner(settings) -> str:
    lines = [f"publisher 网页已启动：{settings.url}"]
    if not settings.loopback:
        lines.append(f"局域网内的电脑请用本机的 IP 地址打开，端口 {settings.port}；首次打开时需要输入访问口令。")
    elif settings.token:
        lines.append("首次打开时需要输入访问口令。")
    if settings.folder:
        lines.append(f"项目文件夹：{settings.folder}（每个任务使用它的副本，不会修改它）")
    else:
        lines.append("没有指定项目文件夹：只使用上传的文件。")
    lines.append("按 Ctrl-C 停止。")
    return "\n".join(lines)
