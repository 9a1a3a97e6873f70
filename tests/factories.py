"""Documents and maps for tests: the bundled sample, hand-made small maps and hypothesis strategies."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

from hypothesis import strategies as st

from powermap.model import AccountMap, parse_account_map

STANCES = ["champion", "supporter", "neutral", "skeptic", "opponent"]
ROLES = [
    "decision_maker",
    "technical_evaluator",
    "business_evaluator",
    "procurement",
    "user",
    "gatekeeper",
    "coach",
    "none",
]
LEVELS = ["executive", "senior", "middle", "staff"]
# A few exact values make equal-strength paths common, so tie-breaking is exercised.
UNITS = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 0.8, 1.0]), st.floats(0.0, 1.0, allow_nan=False))


def sample_document() -> dict[str, Any]:
    text = resources.files("powermap").joinpath("samples", "acme.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def sample_map() -> AccountMap:
    return parse_account_map(sample_document())


def tiny_document(account_id: str = "tiny") -> dict[str, Any]:
    """A hand-checkable account: Li knows the CTO, the CTO sways the CEO; Rival holds the CFO."""
    return {
        "format": "powermap/v1",
        "account": {"id": account_id, "name": "Tiny Co", "industry": "test", "notes": ""},
        "competitors": [{"id": "rival", "name": "Rival"}],
        "team": [
            {"id": "li", "name": "Li Ming", "role": "AR", "title": "AD", "level": "middle"},
            {"id": "boss", "name": "Big Boss", "role": "executive", "title": "CEO", "level": "executive"},
        ],
        "stakeholders": [
            {
                "id": "ceo",
                "name": "Chen",
                "title": "CEO",
                "department": "Board",
                "level": "executive",
                "decision_role": "decision_maker",
                "influence": 0.9,
                "stance": "neutral",
                "notes": "",
            },
            {
                "id": "cto",
                "name": "Tao",
                "title": "CTO",
                "department": "IT",
                "level": "senior",
                "decision_role": "technical_evaluator",
                "influence": 0.6,
                "stance": "supporter",
                "notes": "",
            },
            {
                "id": "cfo",
                "name": "Fang",
                "title": "CFO",
                "department": "Finance",
                "level": "executive",
                "decision_role": "business_evaluator",
                "influence": 0.7,
                "stance": "skeptic",
                "notes": "",
            },
        ],
        "reports_to": [{"from": "cto", "to": "ceo"}, {"from": "cfo", "to": "ceo"}],
        "influences": [{"from": "cto", "to": "ceo", "weight": 0.7}, {"from": "cfo", "to": "ceo", "weight": 0.4}],
        "relationships": [{"member": "li", "stakeholder": "cto", "strength": 0.8, "last_contact": "2026-10-01"}],
        "competitor_relationships": [{"competitor": "rival", "stakeholder": "cfo", "strength": 0.6}],
        "activities": [
            {
                "id": "a1",
                "type": "site_visit",
                "date": "2026-09-12",
                "members": ["li"],
                "stakeholders": ["cto"],
                "outcome": "agreed to a pilot",
                "notes": "",
            }
        ],
    }


HOSTILE_TEXT = (
    "陈伟 \"quoted\" 'single' <script>alert(1)</script> </script><b>x</b> [bold]markup[/bold] `tick` } // -- ;"
)
HOSTILE_IDS = ["a'b", 'q"q', "back`tick", "brace}", "slash//comment", "中文", "x\\y", "$param", "<script>"]


def hostile_document(account_id: str = "hostile`'\"}//") -> dict[str, Any]:
    """Every text field full of quotes, markup and Cypher-looking text; ids of the same sort."""
    document = tiny_document(account_id)
    document["account"]["name"] = HOSTILE_TEXT
    document["account"]["notes"] = HOSTILE_TEXT + "\nsecond line\ttab"
    document["stakeholders"] = [
        {
            "id": sid,
            "name": f"{HOSTILE_TEXT} {i}",
            "title": HOSTILE_TEXT,
            "department": "研发中心",
            "level": LEVELS[i % 4],
            "decision_role": ROLES[i % len(ROLES)],
            "influence": 0.1 * (i + 1),
            "stance": STANCES[i % 5],
            "notes": HOSTILE_TEXT,
        }
        for i, sid in enumerate(HOSTILE_IDS)
    ]
    document["reports_to"] = [{"from": HOSTILE_IDS[i], "to": HOSTILE_IDS[0]} for i in range(1, len(HOSTILE_IDS))]
    document["influences"] = [
        {"from": HOSTILE_IDS[i], "to": HOSTILE_IDS[i - 1], "weight": 0.5} for i in range(1, len(HOSTILE_IDS))
    ]
    document["team"][0]["id"] = "li'}//"
    document["team"][0]["name"] = HOSTILE_TEXT
    document["relationships"] = [
        {"member": "li'}//", "stakeholder": HOSTILE_IDS[-1], "strength": 0.9, "last_contact": None}
    ]
    document["competitors"][0]["id"] = "rival`"
    document["competitor_relationships"] = [{"competitor": "rival`", "stakeholder": HOSTILE_IDS[2], "strength": 0.7}]
    document["activities"] = [
        {
            "id": "act'`}",
            "type": "meal",
            "date": "2026-01-02",
            "members": ["li'}//"],
            "stakeholders": HOSTILE_IDS[:3],
            "outcome": HOSTILE_TEXT,
            "notes": "",
        }
    ]
    return document


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """The document as an export gives it back: defaults filled in, contract field names."""
    return parse_account_map(copy.deepcopy(document)).to_document()


@st.composite
def random_documents(draw: st.DrawFn, *, max_stakeholders: int = 7, account_id: str = "rnd") -> dict[str, Any]:
    """Random small valid account maps (reporting lines kept acyclic by pointing to earlier people)."""
    n = draw(st.integers(1, max_stakeholders))
    stakeholders = [f"s{i}" for i in range(n)]
    members = [f"m{i}" for i in range(draw(st.integers(1, 3)))]
    competitors = [f"c{i}" for i in range(draw(st.integers(0, 2)))]
    pairs = [(a, b) for a in stakeholders for b in stakeholders if a != b]
    influence_pairs = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)) if pairs else []
    report_pairs = [(stakeholders[i], stakeholders[j]) for i in range(n) for j in range(i)]
    reports = draw(st.lists(st.sampled_from(report_pairs), unique=True, max_size=6)) if report_pairs else []
    ours = draw(
        st.lists(st.sampled_from([(m, s) for m in members for s in stakeholders]), unique=True, min_size=1, max_size=8)
    )
    theirs = (
        draw(st.lists(st.sampled_from([(c, s) for c in competitors for s in stakeholders]), unique=True, max_size=6))
        if competitors
        else []
    )
    return {
        "format": "powermap/v1",
        "account": {"id": account_id, "name": "Random"},
        "competitors": [{"id": c, "name": c.upper()} for c in competitors],
        "team": [
            {
                "id": m,
                "name": m.upper(),
                "role": draw(st.sampled_from(["AR", "SR", "FR", "executive", "other"])),
                "level": draw(st.sampled_from(LEVELS)),
            }
            for m in members
        ],
        "stakeholders": [
            {
                "id": s,
                "name": s.upper(),
                "level": draw(st.sampled_from(LEVELS)),
                "decision_role": draw(st.sampled_from(ROLES)),
                "influence": draw(UNITS),
                "stance": draw(st.sampled_from(STANCES)),
            }
            for s in stakeholders
        ],
        "reports_to": [{"from": a, "to": b} for a, b in reports],
        "influences": [{"from": a, "to": b, "weight": draw(UNITS)} for a, b in influence_pairs],
        "relationships": [{"member": m, "stakeholder": s, "strength": draw(UNITS)} for m, s in ours],
        "competitor_relationships": [{"competitor": c, "stakeholder": s, "strength": draw(UNITS)} for c, s in theirs],
        "activities": [],
    }
