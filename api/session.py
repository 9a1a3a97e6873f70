"""Browser sessions for the web app: an API key signed in once, kept as an HttpOnly cookie.

Signing in (``POST /session`` with the key) checks the key like any API call and opens a session
held in this process's memory: the cookie carries only a random session id (``HttpOnly`` so page
scripts cannot read it, ``SameSite=Strict`` so other sites' pages do not send it, ``Secure`` on
HTTPS). The API's routes accept the session in place of ``Authorization: Bearer`` (see
:func:`powermap.api.deps.get_current_key`), with the key's role and accounts. A write made with the cookie
must also be same-origin: its ``Origin`` header, when sent, must be this server's, and it must
carry the session's CSRF token in ``X-CSRF-Token`` (the page reads it from its own HTML; another
site cannot). Signing out, a revoked key or :data:`SESSION_TTL_S` of idleness ends a session;
restarting the server ends all of them.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import Request

from powermap.api.problems import ApiProblem

COOKIE = "powermap_session"
CSRF_HEADER = "X-CSRF-Token"
#: A session ends after this long without a request.
SESSION_TTL_S = 12 * 3600.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Session:
    token_hash: str
    csrf: str
    expires: float


class Sessions:
    """Open sessions by id (in memory; bounded by expiry)."""

    def __init__(self, ttl_s: float = SESSION_TTL_S) -> None:
        self.ttl_s = ttl_s
        self._open: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, token_hash: str) -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        session = Session(token_hash, secrets.token_urlsafe(32), time.monotonic() + self.ttl_s)
        with self._lock:
            now = time.monotonic()
            for stale in [sid for sid, s in self._open.items() if s.expires < now]:
                del self._open[stale]
            self._open[session_id] = session
        return session_id, session

    def get(self, session_id: str) -> Session | None:
        with self._lock:
            session = self._open.get(session_id)
            if session is None:
                return None
            now = time.monotonic()
            if session.expires < now:
                del self._open[session_id]
                return None
            session.expires = now + self.ttl_s
            return session

    def close(self, session_id: str) -> None:
        with self._lock:
            self._open.pop(session_id, None)


def sessions_of(request: Request) -> Sessions:
    app_state = request.app.state
    if not hasattr(app_state, "sessions"):
        app_state.sessions = Sessions()
    found: Sessions = app_state.sessions
    return found


def current_session(request: Request) -> Session | None:
    session_id = request.cookies.get(COOKIE)
    return sessions_of(request).get(session_id) if session_id else None


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def check_same_origin(request: Request, session: Session) -> None:
    """Refuse a cookie-authenticated write that another site could have made (403)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        raise ApiProblem(403, "cross-site", "Cross-site request refused", f"a write from {origin!r} is not accepted")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise ApiProblem(
            403,
            "csrf",
            "Cross-site request refused",
            f"a write made with the session cookie must carry the page's {CSRF_HEADER} header",
        )


def session_token_hash(request: Request) -> str | None:
    """The signed-in key's token hash, after the same-origin check for writes; None without a session."""
    session = current_session(request)
    if session is None:
        return None
    if request.method not in _SAFE_METHODS:
        check_same_origin(request, session)
    return session.token_hash
