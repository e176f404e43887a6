"""What every request passes before a route sees it: host, token, origin, size; and the headers of every answer.

- **Host** (no token): only ``localhost``, ``127.0.0.1`` or ``[::1]`` are answered, so a web
  site cannot reach the page through a name of its own pointed at this computer (DNS rebinding).
- **Token** (when set): ``Authorization: Bearer …`` or the cookie the login page sets
  (HttpOnly, SameSite=Strict); compared in constant time.  The API answers 401 with JSON,
  the page answers 401 with the login form.  Only ``/login`` is open.
- **Origin**: a POST from another site's page (its ``Origin`` header names another host) is refused.
- **Size**: a body past ``max_upload`` gets 413 — at once when ``Content-Length`` says so,
  else as soon as the count passes it while reading; nothing past the limit is stored.
- **Headers**: a content security policy allowing only the server's own files (nothing from
  the network, no inline script), ``no-store`` (pages and results hold personal data), no
  framing, no sniffing, no referrer.
"""
from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from .settings import LOOPBACK_NAMES

COOKIE = "publisher_token"
OPEN_PATHS = ("/login", "/static/login.css")       # the login form and its look; nothing else
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"), (b"cache-control", b"no-store")]


class TooLarge(Exception):
    pass


class Guard:
    """Pure ASGI middleware (it must see the body as it streams in)."""

    def __init__(self, app, settings, login_page):
        self.app = app
        self.settings = settings
        self.login_page = login_page             # () -> bytes of the login form

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message, headers=list(message.get("headers", [])) + HEADERS)
            await send(message)

        refusal = self.refuse(scope, headers)
        if refusal is not None:
            return await respond(send_with_headers, *refusal)
        limit = self.settings.max_upload
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return await respond(send_with_headers, *too_large(limit))
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, counted, send_with_headers)
        except TooLarge:
            if not started:
                await respond(send_with_headers, *too_large(limit))

    def refuse(self, scope, headers: dict):
        """(status, body, content type, extra headers) of a refusal, or None to let the request in."""
        path, method = scope["path"], scope["method"]
        api = path.startswith("/api/")
        if self.settings.token is None:
            host = (urlsplit("//" + headers.get("host", "")).hostname or "").lower()
            if host not in LOOPBACK_NAMES + ("127.0.0.1", "::1"):
                return error(400, "这个网页只接受从本机打开（http://127.0.0.1:端口/）；"
                             "请用本机地址访问，或请管理员设置访问口令")
        origin = headers.get("origin")
        if method not in ("GET", "HEAD") and origin and origin != "null":
            if urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                return error(403, "拒绝来自其他网站的请求")
        if self.settings.token is None or path in OPEN_PATHS:
            return None
        if self.authorised(headers):
            return None
        if api:
            return error(401, "需要访问口令：请在请求头中加上 Authorization: Bearer 口令",
                         [(b"www-authenticate", b'Bearer realm="publisher"')])
        return 401, self.login_page(), "text/html; charset=utf-8", []

    def authorised(self, headers: dict) -> bool:
        token = self.settings.token.encode()
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("latin-1"), token):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:                 # a malformed cookie header is no token
            return False
        morsel = cookie.get(COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value.encode("latin-1", "replace"), token)


def error(status: int, message: str, extra=()):
    return status, json.dumps({"error": message}, ensure_ascii=False).encode(), "application/json", list(extra)


def too_large(limit: int):
    return error(413, f"上传的文件太大：一次最多 {limit // (1024 * 1024)} MB；请分几次上传，或请管理员调整上限")


async def respond(send, status: int, body: bytes, content_type: str, extra) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")] + list(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def login_cookie(token: str) -> str:
    """The Set-Cookie value the login form answers with (a browser session cookie)."""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
