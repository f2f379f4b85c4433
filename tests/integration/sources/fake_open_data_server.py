"""A real local HTTP server that plays the odcloud (gov24) or 온통청년 API, and misbehaves
on demand. Used by the live-source integration tests; listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    endpoint: str
    page: int
    params: dict[str, str]


@dataclass
class FakeOpenData:
    """`rows[endpoint]` is the whole table; pages are cut from it as the client asks.

    `faults[(endpoint, page)]` is a list of actions, one consumed per request for that page:
    ``"500"``, ``"429:<seconds>"``, ``"slow:<seconds>"``, ``"truncated"``, ``"drop"``.
    """

    rows: dict[str, list[Any]]
    kind: str = "odcloud"  # or "youth"
    key: str = "test-key"
    faults: dict[tuple[str, int], list[str]] = field(default_factory=lambda: defaultdict(list))
    totals: dict[str, int] = field(default_factory=dict)  # override the stated totalCount
    requests: list[Request] = field(default_factory=list)
    on_request: Callable[[Request], None] | None = None
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> FakeOpenData:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def pages_requested(self, endpoint: str) -> list[int]:
        return [r.page for r in self.requests if r.endpoint == endpoint]

    # -- answers --

    def answer(self, endpoint: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        table = self.rows.get(endpoint)
        if self.kind == "odcloud":
            if params.get("serviceKey") != self.key:
                return 401, {"code": -4, "msg": "등록되지 않은 인증키 입니다."}
            if table is None:
                return 404, {"code": -1, "msg": "not found"}
            page, size = int(params.get("page", 1)), int(params.get("perPage", 10))
            chunk = table[(page - 1) * size : page * size]
            total = self.totals.get(endpoint, len(table))
            return 200, {
                "page": page,
                "perPage": size,
                "totalCount": total,
                "currentCount": len(chunk),
                "matchCount": total,
                "data": chunk,
            }
        if params.get("apiKeyNm") != self.key:
            return 200, {"resultCode": 401, "resultMessage": "인증키가 유효하지 않습니다."}
        assert table is not None
        page, size = int(params.get("pageNum", 1)), int(params.get("pageSize", 10))
        chunk = table[(page - 1) * size : page * size]
        total = self.totals.get(endpoint, len(table))
        return 200, {
            "resultCode": 200,
            "resultMessage": "성공",
            "result": {
                "pagging": {"totCount": total, "pageNum": page, "pageSize": size},
                "youthPolicyList": chunk,
            },
        }


def _make_handler(fake: FakeOpenData) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            endpoint = parts.path.rstrip("/").rsplit("/", 1)[-1]
            if fake.kind == "youth":
                endpoint = "youth"
            page = int(params.get("page") or params.get("pageNum") or 1)
            request = Request(endpoint, page, params)
            fake.requests.append(request)
            if fake.on_request is not None:
                fake.on_request(request)
            actions = fake.faults.get((endpoint, page))
            action = actions.pop(0) if actions else "ok"
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._act(action, endpoint, params)

        def _act(self, action: str, endpoint: str, params: dict[str, str]) -> None:
            if action == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if action == "500":
                self._send(500, b'{"code": -500, "msg": "internal error"}')
                return
            if action.startswith("429"):
                seconds = action.partition(":")[2] or "1"
                self._send(429, b'{"msg": "too many requests"}', {"Retry-After": seconds})
                return
            if action.startswith("slow:"):
                time.sleep(float(action.partition(":")[2]))
            status, body = fake.answer(endpoint, params)
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            if action == "truncated":
                data = data[: len(data) // 2]
            self._send(status, data)

        def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
