"""The offline map marks people with open pains and lists their open voices in the hover card (issue 9)."""

from __future__ import annotations

from powermap.model import parse_account_map
from powermap.viz import render_map
from powermap.viz.style import PAIN_MARK
from tests.unit.test_viz import embedded_data
from tests.voice_factories import voiced_document


def nodes_of(document: dict[str, object]) -> dict[str, dict[str, object]]:
    page = render_map(parse_account_map(document), {"ceo": 0.9, "cto": 0.6, "cfo": 0.7})
    return {node["ref"]: node for node in embedded_data(page)["nodes"] if node["kind"] == "stakeholder"}


def test_a_person_with_an_open_pain_is_marked_and_their_open_voices_are_in_the_hover_card() -> None:
    nodes = nodes_of(voiced_document())
    cto = nodes["cto"]  # v1: open pain; v4: rejected pseudo-need
    assert cto["label"] == f"Tao {PAIN_MARK}"
    assert cto["openPains"] == 1
    assert "v1 pain, in progress, since 2026-09-12: The MES cut-over must not stop the line" in str(cto["title"])
    assert "blockchain" not in str(cto["title"])  # closed voices are history, not in the card


def test_open_itches_are_listed_unmarked_and_resolved_pains_leave_no_mark() -> None:
    nodes = nodes_of(voiced_document())
    assert nodes["cfo"]["label"] == "Fang"  # v2 is an open itch
    assert "v2 itch, routed" in str(nodes["cfo"]["title"])
    assert nodes["ceo"]["label"] == "Chen"  # v3 is a resolved pain
    assert "Voices still open" not in str(nodes["ceo"]["title"])
    assert nodes["ceo"]["openPains"] == 0


def test_voice_text_stays_plain_text_in_the_card() -> None:
    document = voiced_document()
    document["voices"][0]["text"] = "</script><b>x</b> 停线"
    title = str(nodes_of(document)["cto"]["title"])
    assert "</script><b>x</b> 停线" in title  # plain text: the page sets it with textContent
