"""Limits that keep one client from hurting the others: body size and body pace.

A body whose ``Content-Length`` exceeds the limit is refused with 413 before a byte of it is read; a
body sent without a length (chunked) is counted as it arrives and refused as soon as it passes the
limit, so the server never holds more than the limit. A client that stops sending in the middle of a
body gets 408 after ``POWERMAP_BODY_TIMEOUT_S``. The server is asynchronous, so a slow client only
holds its own connection; uvicorn caps connections and idle keep-alive (see :mod:`powermap.cli.serve`).
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from powermap.api.problems import ApiProblem, problem_response


def too_large(limit: int) -> ApiProblem:
    return ApiProblem(413, "too-large", "Body too large", f"request bodies may hold at most {limit} bytes")


class BodyLimits:
    """ASGI middleware: 413 for bodies over ``max_bytes``, 408 when a body stalls ``timeout_s``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            problem = too_large(self.max_bytes)
            response = problem_response(
                413, problem.kind, problem.title, str(problem.detail), headers={"Connection": "close"}
            )
            await response(scope, receive, send)
            return
        received = 0
        done = False

        async def limited_receive() -> Message:
            nonlocal received, done
            if done:  # the body is complete: what follows is a disconnect, which may come any time
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout_s)
            except TimeoutError:
                raise ApiProblem(
                    408,
                    "timeout",
                    "Request timeout",
                    f"the body stalled for {self.timeout_s:g} s",
                    {"Connection": "close"},
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large(self.max_bytes)
                done = not message.get("more_body", False)
            return message

        await self.app(scope, limited_receive, send)
