"""What the IT person chose for `publisher serve`, checked before anything listens.

Refused at start (``UsageError``, exit 2, a Chinese message saying what would be
right): a host other than loopback without a token (the page would be open to the
whole office network, and it shows ID numbers), a token too short to guess at
leisure or holding characters a header or cookie cannot carry, a port out of
range, a project folder that is not a folder.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

MB = 1024 * 1024
TOKEN_ENV = "PUBLISHER_TOKEN"
MIN_TOKEN = 8
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


@dataclass(frozen=True)
class Settings:
    folder: Path | None = None          # the office's project folder (publisher.yaml, templates …); None: none
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None            # every request needs it when set
    max_upload: int = 50 * MB           # bytes one request may carry (413 past it)
    max_jobs: int = 2                   # jobs running at once; the rest wait in line
    max_waiting: int = 16               # jobs waiting in line; past it new ones get 503
    keep: float = 3600.0                # seconds a finished job's folder is kept
    time_limit: float = 1800.0          # seconds a job may run before it is stopped

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


def is_loopback(host: str) -> bool:
    """True for names and addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_settings(folder: Path | None, host: str, port: int, token: str | None,
                  max_upload_mb: float = 50, max_jobs: int = 2, **more) -> Settings:
    """Settings from the command line (``token`` None: ``PUBLISHER_TOKEN``); raises ``UsageError``."""
    if token is None:
        token = os.environ.get(TOKEN_ENV)
    token = (token or "").strip() or None
    host = (host or "").strip()
    if not host:
        raise UsageError("错误: --host 不能为空；只在本机使用时不写 --host（默认 127.0.0.1）")
    if not 0 <= port <= 65535:
        raise UsageError(f"错误: --port {port} 不是有效的端口号；应为 1 到 65535 之间的整数，如 --port 8000")
    if token is not None:
        if len(token) < MIN_TOKEN:
            raise UsageError(f"错误: 访问口令太短（{len(token)} 个字符）；请用至少 {MIN_TOKEN} 个字符的口令，"
                             "如 --token 一串随机的字母和数字")
        if not all(33 <= ord(ch) < 127 for ch in token):
            raise UsageError("错误: 访问口令只能由英文字母、数字和英文标点组成（不能有空格或中文）")
    elif not is_loopback(host):
        raise UsageError(f"错误: 在 {host} 上监听会让局域网里的其他电脑也能打开这个网页，而网页上有身份证号等个人信息；"
                         f"请用 --token 设置访问口令（或设置环境变量 {TOKEN_ENV}）后再启动，"
                         "只在本机使用时不要写 --host")
    if max_upload_mb <= 0:
        raise UsageError("错误: --max-upload 应为正数（单位 MB），如 --max-upload 50")
    if max_jobs < 1:
        raise UsageError("错误: --jobs 应为正整数，如 --jobs 2")
    if folder is not None:
        if not folder.exists():
            raise UsageError(f"{folder}: 错误: 项目文件夹不存在")
        if not folder.is_dir():
            raise UsageError(f"{folder}: 错误: 不是文件夹；请给出办公室的项目文件夹（放 publisher.yaml、模板和往年目录的文件夹）")
        folder = folder.resolve()
    return Settings(folder=folder, host=host, port=port, token=token, max_upload=int(max_upload_mb * MB),
                    max_jobs=max_jobs, **more)
