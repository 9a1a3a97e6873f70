"""End to end: ``powermap voice add|set|close|remove|show`` through the installed console script, on SQLite.

Expected documents are written here from the contract's defaults (``DEFAULTS`` of ``test_cli``), and the
refusals from ``docs/contract.md``'s rules: exit 2 naming the field and the voice, 3 for what does not
exist, 1 for a taken id or a stale precondition, and nothing written when refused.
"""

from __future__ import annotations

import json

import pytest

from powermap.service import PowermapService
from powermap.store import open_store
from tests.e2e.test_cli import CLI, DEFAULTS, as_json, fails, ok
from tests.e2e.test_cli import cli as cli  # noqa: PLC0414  (the fixture, re-exported for this module)
from tests.voice_factories import roadmap_document, voiced_document

HOSTILE = '订单系统 "太慢" <script>alert(1)</script> [bold]x[/bold]'


@pytest.fixture
def voiced(cli: CLI) -> CLI:
    """The tiny account with its four voices (v1-v4) and the roadmap r7, r8, r9 (seeded in-process, fast)."""
    with open_store(cli.store) as store:
        service = PowermapService(store)
        service.import_roadmap(roadmap_document())
        service.import_map(voiced_document())
    return cli


def revision(cli: CLI) -> int:
    (account,) = cli.accounts()
    return int(account["revision"])


def voices(cli: CLI) -> dict[str, dict[str, object]]:
    return {v["id"]: v for v in as_json(cli("export", "tiny"))["voices"]}


def test_a_voice_is_added_changed_closed_and_removed_one_command_at_a_time(voiced: CLI) -> None:
    added = as_json(
        voiced(
            "voice", "add", "tiny", "v9", "--stakeholder", "cfo", "--text", HOSTILE, "--date", "2026-11-01",
            "--category", "pain", "--priority", "2", "--flow", "ITR", "--roadmap", "r8", "--roadmap", "r9",
            "--activity", "a1", "--json",
        )
    )  # fmt: skip
    expected = {
        **DEFAULTS["voices"],
        "id": "v9",
        "stakeholder": "cfo",
        "text": HOSTILE,
        "date": "2026-11-01",
        "category": "pain",
        "priority": 2,
        "flow": "ITR",
        "roadmap": ["r8", "r9"],
        "activity": "a1",
    }
    assert added["voice"] == expected
    assert (added["account"], added["revision"]) == ("tiny", 2)
    assert voices(voiced)["v9"] == expected

    changed = as_json(
        voiced(
            "voice", "set", "tiny", "v9", "--owner", "Ops 运维", "--status", "in_progress", "--clear", "activity",
            "--clear", "priority", "--if-version", added["version"], "--json",
        )
    )  # fmt: skip
    expected |= {"owner": "Ops 运维", "status": "in_progress", "activity": None, "priority": None}
    assert changed["voice"] == expected
    assert changed["revision"] == 3
    assert changed["version"] != added["version"]

    closed = as_json(
        voiced(
            "voice", "close", "tiny", "v9", "--on", "2026-11-20", "--satisfaction", "5", "--if-revision", "3", "--json"
        )
    )
    expected |= {"status": "resolved", "closed_on": "2026-11-20", "satisfaction": 5}
    assert closed["voice"] == expected
    rejected = as_json(voiced("voice", "close", "tiny", "v2", "--rejected", "--on", "2026-10-02", "--json"))
    assert (rejected["voice"]["status"], rejected["voice"]["closed_on"]) == ("rejected", "2026-10-02")
    assert voices(voiced)["v9"] == expected

    shown = as_json(voiced("voice", "show", "tiny", "v9", "--json"))
    assert shown == {"account": "tiny", "revision": 5, "version": closed["version"], "voice": expected}
    assert as_json(voiced("voice", "remove", "tiny", "v9", "--if-version", closed["version"], "--json")) == {
        "account": "tiny",
        "revision": 6,
        "removed": "v9",
    }
    assert sorted(voices(voiced)) == ["v1", "v2", "v3", "v4"]


def test_the_text_output_names_the_person_and_keeps_user_text_as_data(voiced: CLI) -> None:
    text = ok(voiced("voice", "add", "tiny", "v9", "--stakeholder", "cfo", "--text", HOSTILE)).stdout
    assert "voice 'v9' raised by Fang (cfo)" in text
    assert "revision 2" in text
    shown = ok(voiced("voice", "show", "tiny", "v9")).stdout
    assert f"text: {HOSTILE}" in shown  # markup printed as typed, never rendered


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["add", "tiny", "v9", "--stakeholder", "ghost", "--text", "x"], "voices[4].stakeholder ('v9')"),
        (["add", "tiny", "v9", "--stakeholder", "cfo"], "voice.text ('v9'): is required"),
        (
            ["add", "tiny", "v9", "--stakeholder", "cfo", "--text", "x", "--roadmap", "r99"],
            "voices[4].roadmap[0] ('v9')",
        ),
        (["add", "tiny", "v9", "--stakeholder", "cfo", "--text", "x", "--date", "soon"], "voice.date ('v9')"),
        (["add", "tiny", "v9", "--stakeholder", "cfo", "--text", "x", "--priority", "9"], "voice.priority ('v9')"),
        (["set", "tiny", "v2", "--category", "gripe"], "voice.category ('v2')"),
        (["set", "tiny", "v2", "--activity", "a9"], "voices[1].activity ('v2'): no activity has id 'a9'"),
        (["set", "tiny", "v2", "--satisfaction", "4"], "voices[1].satisfaction ('v2'): only a resolved voice"),
        (["set", "tiny", "v1", "--status", "resolved"], "voices[0].closed_on ('v1'): is required when status"),
        (["set", "tiny", "v2", "--closed-on", "2026-11-01"], "voices[1].closed_on ('v2'): must be absent"),
        (["set", "tiny", "v2", "--clear", "text"], "--clear ('v2'): 'text' cannot be cleared"),
        (["set", "tiny", "v2"], "voice ('v2'): name at least one field"),
        (["close", "tiny", "v3", "--on", "2026-07-01"], "voices[2].closed_on ('v3'): 2026-07-01 is before"),
        (["close", "tiny", "v2", "--rejected", "--satisfaction", "3"], "voices[1].satisfaction ('v2')"),
    ],
)
def test_a_voice_that_breaks_a_rule_exits_2_naming_field_and_id_and_writes_nothing(
    voiced: CLI, args: list[str], named: str
) -> None:
    assert named in fails(voiced("voice", *args), 2)
    assert revision(voiced) == 1  # nothing was written (every write moves the revision on)


def test_unknown_things_exit_3_and_taken_ids_or_stale_preconditions_exit_1(voiced: CLI) -> None:
    assert "no voice with id 'v99'" in fails(voiced("voice", "set", "tiny", "v99", "--owner", "x"), 3)
    assert "no voice with id 'v99'" in fails(voiced("voice", "remove", "tiny", "v99"), 3)
    assert "nobody" in fails(voiced("voice", "show", "nobody", "v1"), 3)
    assert "'v1' already exists" in fails(
        voiced("voice", "add", "tiny", "v1", "--stakeholder", "cfo", "--text", "x"), 1
    )
    stale = fails(voiced("voice", "set", "tiny", "v1", "--owner", "x", "--if-version", "0123456789abcdef0123"), 1)
    assert "voice 'v1'" in stale
    assert "changed meanwhile" in stale
    ok(voiced("voice", "set", "tiny", "v2", "--owner", "someone"))  # the account moves on to revision 2
    assert "revision 2, expected 1" in fails(voiced("voice", "remove", "tiny", "v1", "--if-revision", "1"), 1)
    assert revision(voiced) == 2
    assert sorted(voices(voiced)) == ["v1", "v2", "v3", "v4"]
    # --json carries the refusal for machines too, with every problem
    refused = voiced("voice", "set", "tiny", "v2", "--satisfaction", "4", "--json")
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["problems"] == [
        {
            "path": "voices[1].satisfaction",
            "item": "'v2'",
            "message": "only a resolved voice has a satisfaction (status 'routed')",
        }
    ]
