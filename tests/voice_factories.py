"""Voices and roadmaps for tests: the tiny account with a hand-checkable voice story, and its roadmap."""

from __future__ import annotations

from typing import Any

from tests.factories import tiny_document


def roadmap_document(prefix: str = "") -> dict[str, Any]:
    """Three items; ``prefix`` keeps ids apart on a shared Neo4j server."""
    return {
        "format": "powermap-roadmap/v1",
        "items": [
            {
                "id": f"{prefix}r7",
                "title": "Zero-downtime MES cut-over",
                "release": "2027-Q1",
                "status": "committed",
                "notes": "",
            },
            {"id": f"{prefix}r8", "title": "Per-group licence", "release": "2027-Q2", "status": "planned", "notes": ""},
            {"id": f"{prefix}r9", "title": "Ledger 链", "release": "", "status": "idea", "notes": "<b>maybe</b>"},
        ],
    }


def voiced_document(account_id: str = "tiny", prefix: str = "") -> dict[str, Any]:
    """The tiny account (ceo, cto, cfo) with four voices, one of each fate.

    cto: an open pain on r7 heard at a1; cfo: an open itch on r8; ceo: a resolved pain on r7 (satisfied 4);
    cto: a pseudo-need, rejected.
    """
    document = tiny_document(account_id)
    document["voices"] = [
        {
            "id": "v1",
            "stakeholder": "cto",
            "date": "2026-09-12",
            "channel": "site_visit",
            "activity": "a1",
            "text": "The MES cut-over must not stop the line for more than 4 hours",
            "category": "pain",
            "priority": 1,
            "flow": "IPD",
            "owner": "Platform R&D",
            "status": "in_progress",
            "roadmap": [f"{prefix}r7"],
            "closed_on": None,
            "satisfaction": None,
        },
        {
            "id": "v2",
            "stakeholder": "cfo",
            "date": "2026-10-01",
            "channel": "survey",
            "activity": None,
            "text": "许可证按工厂计费太贵",
            "category": "itch",
            "priority": 3,
            "flow": "LTC",
            "owner": "Sales ops",
            "status": "routed",
            "roadmap": [f"{prefix}r8"],
            "closed_on": None,
            "satisfaction": None,
        },
        {
            "id": "v3",
            "stakeholder": "ceo",
            "date": "2026-08-01",
            "channel": "summit",
            "activity": None,
            "text": "We want a supplier who co-creates our digital strategy",
            "category": "pain",
            "priority": 2,
            "flow": "IPD",
            "owner": "CTO office",
            "status": "resolved",
            "roadmap": [f"{prefix}r7"],
            "closed_on": "2026-10-20",
            "satisfaction": 4,
        },
        {
            "id": "v4",
            "stakeholder": "cto",
            "date": "2026-10-05",
            "channel": "email",
            "activity": None,
            "text": "Put the BOM on a <script>blockchain</script>",
            "category": "pseudo",
            "priority": None,
            "flow": "none",
            "owner": "",
            "status": "rejected",
            "roadmap": [],
            "closed_on": "2026-10-10",
            "satisfaction": None,
        },
    ]
    return document
