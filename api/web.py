"""The war-room web app: sign in, the accounts, and each account's live, editable map.

Pages are served by the same process as the API, over the same store and keys (included in
:func:`powermap.api.main.create_app`). Signing in turns an API key into a session cookie (:mod:`powermap.api.session`);
the pages' scripts then call the ordinary API routes with that cookie, so every rule of the API
(roles, accounts, ``If-Match``, problem details) holds for the browser exactly as for any client.

Every page loads only this server's scripts and styles (``/app/assets/...``, the same files the
offline map inlines) under a strict Content-Security-Policy: no inline script, no remote load, no
framing. Names and notes reach the page only as JSON read by scripts that set ``textContent``.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from powermap.api.deps import CurrentKey, ReadAccount, ServiceDep, SettingsDep, StoreDep, get_current_key, require
from powermap.api.page_data import PageDataCache
from powermap.api.problems import ApiProblem
from powermap.api.session import COOKIE, CSRF_HEADER, current_session, sessions_of
from powermap.model import ActivityKind, DecisionRole, Level, Stance
from powermap.model.keys import ApiKeyPublic, Role, hash_token
from powermap.service import PowermapService
from powermap.viz.page import render_template
from powermap.viz.render import MapDay, legend_context

router = APIRouter(include_in_schema=False)

#: Files of ``viz/assets`` the pages may load, with their media types.
ASSETS: Final = {
    "vis-network.min.js": "text/javascript",
    "vis-network.css": "text/css",
    "powermap-boot.js": "text/javascript",
    "powermap-paths.js": "text/javascript",
    "powermap-map.js": "text/javascript",
    "powermap-panels.js": "text/javascript",
    "powermap-app.js": "text/javascript",
}
CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: How often the account page asks whether the map changed (milliseconds).
POLL_MS: Final = 2_000


def _page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = render_template(template, **context)
    headers = {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
    }
    return HTMLResponse(html, status_code=status_code, headers=headers)


@functools.cache
def _asset(name: str) -> tuple[bytes, str]:
    """An asset's bytes (read once: they ship with the package) and its ETag."""
    body = resources.files("powermap.viz").joinpath("assets", name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get("/app/assets/{name}")
def asset(name: str, request: Request) -> Response:
    """A script or style of the pages; a browser that has it already is answered 304 (its ETag)."""
    media = ASSETS.get(name)
    if media is None:
        raise ApiProblem(404, "not-found", "Not found", f"no asset {name!r}")
    body, etag = _asset(name)
    headers = {"Cache-Control": "no-cache", "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


@router.get("/signin")
def signin_page() -> HTMLResponse:
    return _page("app_signin.html")


class SignIn(BaseModel):
    key: str = Field(min_length=1, max_length=512, description="An API key's token")


@router.post("/session", status_code=204)
def sign_in(body: SignIn, request: Request, store: StoreDep) -> Response:
    """Check the key and open a session: an HttpOnly, SameSite=Strict cookie."""
    token_hash = hash_token(body.key.strip())
    if request.app.state.keys.lookup(store, token_hash) is None:
        raise ApiProblem(401, "unauthenticated", "Unknown API key", "this key is unknown or was revoked")
    session_id, _ = sessions_of(request).open(token_hash)
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE,
        session_id,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/session/end", status_code=204)
def sign_out(request: Request, key: CurrentKey) -> Response:
    """End the session (a write: same-origin and CSRF-checked like every cookie write)."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        sessions_of(request).close(session_id)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def _page_key(request: Request, settings: SettingsDep, store: StoreDep) -> ApiKeyPublic | None:
    """The key a page is shown for (the session's, or a Bearer key), or None: sign in first."""
    try:
        return get_current_key(request, settings, store, None)
    except ApiProblem as problem:
        if problem.status_code == 401:
            return None
        raise


PageKey = Annotated[ApiKeyPublic | None, Depends(_page_key)]
_SIGN_IN = "/signin"


@router.get("/")
def accounts_page(request: Request, store: StoreDep, key: PageKey) -> Response:
    """The accounts this key may see, with size, support index, coverage and last change."""
    if key is None:
        return RedirectResponse(_SIGN_IN, status_code=303)
    service = PowermapService(store, actor=key.name)
    rows = []
    for summary in service.accounts():
        if not key.may_see(summary.id):
            continue
        report = service.analyze(summary.id)
        rows.append(
            {
                "id": summary.id,
                "name": summary.name,
                "stakeholders": summary.stakeholders,
                "support_index": report["forecast"]["support_index"],
                "outlook": report["forecast"]["outlook"],
                "coverage": report["coverage"],
                "updated_at": summary.updated_at.isoformat(timespec="seconds"),
            }
        )
    return _page("app_accounts.html", accounts=rows, key=key, csrf=_csrf(request))


def _csrf(request: Request) -> str:
    session = current_session(request)
    return session.csrf if session is not None else ""


@router.get("/app/accounts/{account}")
def account_page(request: Request, account: str, store: StoreDep, settings: SettingsDep, key: PageKey) -> Response:
    """The live map of one account with its panels; editing controls for editor and admin keys."""
    if key is None:
        return RedirectResponse(_SIGN_IN, status_code=303)
    require(key, Role.VIEWER, account)
    store.read(account)  # 404 for an account that does not exist
    editor = key.role.allows(Role.EDITOR)
    return _page(
        "app_account.html",
        account_id=account,
        key=key,
        editor=editor,
        csrf=_csrf(request),
        csrf_header=CSRF_HEADER,
        poll_ms=POLL_MS,
        levels=[level.value for level in Level],
        roles=[role.value for role in DecisionRole],
        stances=[stance.value for stance in Stance],
        activity_kinds=[kind.value for kind in ActivityKind],
        **legend_context(settings.fading_after_days),
    )


@router.get("/app/accounts/{account}/data")
def account_data(
    request: Request,
    account: ReadAccount,
    service: ServiceDep,
    settings: SettingsDep,
    recommendations: bool = True,
    since: Annotated[int | None, Query(ge=0, description="The revision the page shows: answer with the change")] = None,
) -> Response:
    """Everything the account page draws (the offline map's data) and the revision it was read at.

    ``recommendations=false`` leaves the recommendations out (``null``): the page then asks the API's
    ``/recommendations`` for them, so the map and the analysis are redrawn first. With ``since`` (a
    revision the server still keeps) the answer is only the change from that revision
    (``"delta": true``; see :mod:`powermap.api.page_data`). Each revision is drawn once, reusing what
    earlier ones computed and the change did not touch. Fading relationships and voices' ages are
    judged on today (:meth:`~powermap.service.PowermapService.day`), part of what is kept.
    """
    cache: PageDataCache = request.app.state.__dict__.setdefault("page_data", PageDataCache())
    day = MapDay.of(service.day(account), settings)
    answer = cache.answer(service, account, recommendations=recommendations, since=since, day=day)
    headers = {
        "Cache-Control": "no-store",
        "Server-Timing": answer.timings.header(),
        "X-Powermap-Reused": ",".join(sorted(answer.reused)) or "none",
    }
    return Response(answer.body, media_type="application/json", headers=headers)


@router.get("/app/accounts/{account}/revision")
def account_revision(account: ReadAccount, service: ServiceDep) -> JSONResponse:
    """The account's revision and last change: what the page polls to see others' changes."""
    summary = next((s for s in service.accounts() if s.id == account), None)
    if summary is None:
        raise ApiProblem(404, "not-found", "Not found", f"no account {account!r}")
    return JSONResponse(
        {"revision": summary.revision, "updatedAt": summary.updated_at.isoformat(timespec="seconds")},
        headers={"Cache-Control": "no-store"},
    )
