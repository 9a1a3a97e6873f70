"""What-if: the analysis of a map after a plan of changes and activities, without storing anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from powermap.analysis.whatif import apply_plan
from powermap.model.plan import parse_plan
from powermap.service.analyses import analysis_report, rounded
from powermap.service.core import ServiceCore


class WhatIfService(ServiceCore):
    """What-if: the map after planned activities, without storing it."""

    def whatif(self, account_id: str, plan_document: Any, *, today: dt.date | None = None) -> dict[str, Any]:
        """``analyze`` before and after the plan is applied to a copy of the map, and the headline changes.

        The plan is checked first (its shape, then every step against the contract, as an import is)
        and refused as a whole with every problem named; the store is only read.
        """
        plan = parse_plan(plan_document)
        account_map = self.store.get_map(account_id)
        after_map = apply_plan(account_map, plan, today=today or dt.datetime.now(dt.UTC).date())
        before, after = analysis_report(account_map), analysis_report(after_map)
        return {
            "account": account_id,
            "before": before,
            "after": after,
            "delta": {
                "support_index": rounded(after["forecast"]["support_index"] - before["forecast"]["support_index"]),
                "coverage": rounded(after["coverage"] - before["coverage"]),
            },
        }
