"""The web app's routes without a browser (the browser tests are tests/e2e/test_web_app.py).

Sessions and their CSRF rules, the pages' security headers, and the offline map served by the API
with the same panels and the time of the data.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from powermap.api.session import COOKIE, CSRF_HEADER
from tests.api.conftest import MakeKey, seg


def bare(client: TestClient) -> TestClient:
    """The same app, with no Authorization header (a browser)."""
    return TestClient(client.app, base_url="http://testserver")


def test_the_api_map_html_has_the_panels_and_the_time_of_the_data(client: TestClient, account: str) -> None:
    page = client.get(f"/accounts/{seg(account)}/map.html").text
    assert 'id="pm-forecast"' in page
    assert 'id="pm-recs"' in page
    assert re.search(r'data as of <time datetime="\d{4}-\d\d-\d\dT', page)


def test_pages_send_a_strict_policy_and_a_browser_without_a_session_is_sent_to_sign_in(
    client: TestClient, account: str
) -> None:
    browser = bare(client)
    first = browser.get("/", follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/signin")
    page = browser.get("/signin")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in page.text, "no inline script"
    assert browser.get(f"/app/accounts/{seg(account)}/data").status_code == 401


def test_a_session_reads_like_its_key_and_writes_only_with_the_csrf_token(
    client: TestClient, account: str, make_key: MakeKey
) -> None:
    browser = bare(client)
    token = make_key("editor")["Authorization"].removeprefix("Bearer ")
    assert browser.post("/session", json={"key": "not-a-key"}).status_code == 401
    signed = browser.post("/session", json={"key": token})
    assert signed.status_code == 204
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert browser.cookies.get(COOKIE)
    page = browser.get(f"/app/accounts/{seg(account)}")
    assert page.status_code == 200
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    assert csrf
    url = f"/accounts/{seg(account)}/stakeholders"
    new = {"id": "web1", "name": "Web One", "level": "staff", "influence": 0.2}
    assert browser.post(url, json=new).status_code == 403, "no CSRF token"
    assert browser.post(url, json=new, headers={CSRF_HEADER: "wrong"}).status_code == 403
    foreign = {CSRF_HEADER: csrf.group(1), "Origin": "http://evil.example"}
    assert browser.post(url, json=new, headers=foreign).status_code == 403, "another site's origin"
    assert browser.post(url, json=new, headers={CSRF_HEADER: csrf.group(1)}).status_code == 201
    assert browser.post("/session/end", headers={CSRF_HEADER: csrf.group(1)}).status_code == 204
    assert browser.get(f"/app/accounts/{seg(account)}/data").status_code == 401


def test_a_viewer_session_may_read_but_not_write(client: TestClient, account: str, make_key: MakeKey) -> None:
    browser = bare(client)
    token = make_key("viewer")["Authorization"].removeprefix("Bearer ")
    assert browser.post("/session", json={"key": token}).status_code == 204
    page = browser.get(f"/app/accounts/{seg(account)}")
    assert "Add stakeholder" not in page.text
    csrf = re.search(r'data-csrf="([^"]+)"', page.text)
    assert csrf
    data = browser.get(f"/app/accounts/{seg(account)}/data").json()
    assert data["revision"] >= 1
    refused = browser.post(
        f"/accounts/{seg(account)}/stakeholders",
        json={"id": "web2", "name": "Web Two", "level": "staff", "influence": 0.2},
        headers={CSRF_HEADER: csrf.group(1)},
    )
    assert refused.status_code == 403
