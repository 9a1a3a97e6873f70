"""Single-champion risk: what the account loses if one person leaves (``powermap dependency``)."""

from __future__ import annotations

from typing import Any

from powermap.analysis.dependency import HANGS_ON_SHARE, dependency
from powermap.graph import build_graph
from powermap.service.analyses import rounded
from powermap.service.core import ServiceCore


class DependencyService(ServiceCore):
    """Who the account depends on."""

    def dependency(self, account_id: str) -> dict[str, Any]:
        """Coverage, support and reach lost if each member or stakeholder left, largest first, and who we hang on."""
        account_map = self.store.get_map(account_id)
        names = {m.id: m.name for m in account_map.team}
        stakeholder_names = {s.id: s.name for s in account_map.stakeholders}
        found = dependency(build_graph(account_map))

        def drops(kind: str, items: list[Any], named: dict[str, str]) -> list[dict[str, Any]]:
            return [
                {
                    kind: d["id"],
                    "name": named[d["id"]],
                    "coverage_drop": rounded(d["coverage_drop"]),
                    "support_drop": rounded(d["support_drop"]),
                    "reach_drop": rounded(d["reach_drop"]),
                }
                for d in items
            ]

        return {
            "account": account_id,
            "members": drops("member", found["members"], names),
            "stakeholders": drops("stakeholder", found["stakeholders"], stakeholder_names),
            "coverage": rounded(found["coverage"]),
            "support_index": rounded(found["support_index"]),
            "reach": rounded(found["reach"]),
            "hangs_on_one_person": bool(found["hangs_on"]),
            "hangs_on": [
                {
                    "kind": p["kind"],
                    "id": p["id"],
                    "name": (names if p["kind"] == "member" else stakeholder_names)[p["id"]],
                    "coverage_drop": rounded(p["coverage_drop"]),
                    "reach_drop": rounded(p["reach_drop"]),
                }
                for p in found["hangs_on"]
            ],
            "rule": (
                f"the account hangs on one person when a single departure costs at least {HANGS_ON_SHARE:.0%} "
                "of our coverage or of our reach"
            ),
        }
