"""No lost updates: concurrent editors through a real HTTP server, each sending the ETag it read."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.conftest import MakeKey, seg, with_account
from tests.factories import tiny_document

EDITORS = 20


@pytest.fixture
def account(live_url: str, make_key: MakeKey, prefix: str) -> tuple[str, dict[str, str]]:
    headers = make_key("editor")
    account_id = f"{prefix}busy/账户"
    with httpx.Client(base_url=live_url, headers=headers) as http:
        assert http.put(f"/accounts/{seg(account_id)}/map", json=with_account(tiny_document(), account_id)).is_success
    return f"{live_url}/accounts/{seg(account_id)}", headers


def test_twenty_editors_of_one_stakeholder_never_apply_two_updates_from_one_etag(
    account: tuple[str, dict[str, str]],
) -> None:
    base, headers = account
    url = base + "/stakeholders/ceo"
    read_all = threading.Barrier(EDITORS)
    outcomes: list[tuple[str, int, str]] = []  # (ETag read, status, notes sent)

    def edit(editor: int) -> None:
        with httpx.Client(headers=headers, timeout=60) as http:
            for round_ in range(2):
                etag = http.get(url).headers["ETag"]
                if round_ == 0:
                    read_all.wait()  # everyone holds the same ETag before anyone writes
                notes = f"editor {editor} round {round_}"
                response = http.patch(url, json={"notes": notes}, headers={"If-Match": etag})
                assert response.status_code in {200, 412}, response.text
                outcomes.append((etag, response.status_code, notes))

    with ThreadPoolExecutor(EDITORS) as pool:
        list(pool.map(edit, range(EDITORS)))

    applied = [(etag, notes) for etag, status, notes in outcomes if status == 200]
    assert applied, "at least the first writer of the shared ETag must win"
    per_etag = Counter(etag for etag, _ in applied)
    assert max(per_etag.values()) == 1, per_etag
    first_round = [status for _, status, notes in outcomes if notes.endswith("round 0")]
    assert first_round.count(200) == 1
    assert first_round.count(412) == EDITORS - 1
    final = httpx.get(url, headers=headers).json()["notes"]
    assert final in {notes for _, notes in applied}


def test_two_editors_of_two_stakeholders_both_succeed(account: tuple[str, dict[str, str]]) -> None:
    base, headers = account
    with httpx.Client(headers=headers, timeout=60) as http:
        tags = {sid: http.get(f"{base}/stakeholders/{sid}").headers["ETag"] for sid in ("ceo", "cfo")}
    start = threading.Barrier(2)

    def edit(sid: str) -> int:
        with httpx.Client(headers=headers, timeout=60) as http:
            start.wait()
            return http.patch(
                f"{base}/stakeholders/{sid}", json={"stance": "champion"}, headers={"If-Match": tags[sid]}
            ).status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(edit, ("ceo", "cfo"))) == [200, 200]
    with httpx.Client(headers=headers) as http:
        assert [http.get(f"{base}/stakeholders/{sid}").json()["stance"] for sid in ("ceo", "cfo")] == ["champion"] * 2
