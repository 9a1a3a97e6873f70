"""The use cases the CLI and the HTTP API share: import, export, edit and analyse account maps.

Edits follow one pattern: read a snapshot, apply the edit to its document, validate the whole
document against the contract (so an edit is refused with the same messages as an import), then hand
the store the fine-grained write together with the snapshot's revision. If someone else wrote in
between, the store refuses and the edit is tried again on a fresh snapshot.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from powermap.analysis.coverage import Gap, competitor_gaps, coverage
from powermap.analysis.forecast import Forecast, decision_forecast
from powermap.analysis.paths import IntroPath, introduction_paths
from powermap.analysis.power import power, ranking
from powermap.analysis.recommend import Recommendation, recommend
from powermap.errors import (
    ActivityNotFoundError,
    ConflictError,
    InvalidInputError,
    InvalidMapError,
    Problem,
)
from powermap.graph import build_graph
from powermap.model import (
    EDGE_LISTS,
    EDGE_MODELS,
    NODE_LISTS,
    NODE_MODELS,
    Account,
    AccountMap,
    Activity,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    item_problems,
    parse_account_map,
)
from powermap.model.keys import ApiKey, ApiKeyPublic, NewApiKey, hash_token, new_token
from powermap.store.base import (
    AccountSummary,
    Change,
    ProgressCallback,
    Store,
    not_found_for_edge,
    not_found_for_node,
)

#: A check of the current document, run on every fresh snapshot before an edit applies; raises to refuse it.
Precondition = Callable[[dict[str, Any]], None]
#: Digits kept in analysis output: enough to rank, few enough to read.
DIGITS = 6
EDIT_ATTEMPTS = 40
EDIT_BACKOFF_CAP_S = 0.25
_NOUNS = {
    "stakeholders": "stakeholder",
    "team": "member",
    "competitors": "competitor",
    "reports_to": "reports_to",
    "influences": "influence",
    "relationships": "relationship",
    "competitor_relationships": "competitor_relationship",
    "activities": "activity",
}


def _r(value: float) -> float:
    return round(value, DIGITS)


@dataclass(frozen=True)
class ImportResult:
    account: str
    revision: int
    counts: dict[str, int]


@dataclass(frozen=True)
class Analysis:
    """Everything the analyses say of one account, kept together for reports and maps."""

    account_map: AccountMap
    powers: dict[str, float]
    highlight_path: list[str]


class PowermapService:
    """Account-map use cases over one store."""

    def __init__(self, store: Store, *, actor: str = "cli") -> None:
        self.store = store
        self.actor = actor

    # -- whole maps --------------------------------------------------------------------------------

    def import_map(self, document: Any, *, on_progress: ProgressCallback | None = None) -> ImportResult:
        """Validate a contract document and store it, replacing that account's map atomically."""
        account_map = parse_account_map(document)
        revision = self.store.put_map(
            account_map, Change(self.actor, "import", account_map.account.id), on_progress=on_progress
        )
        counts = {name: len(getattr(account_map, name)) for name in (*NODE_LISTS.values(), *EDGE_LISTS.values())}
        counts["activities"] = len(account_map.activities)
        return ImportResult(account_map.account.id, revision, counts)

    def export_map(self, account_id: str) -> dict[str, Any]:
        return self.store.get_map(account_id).to_document()

    def accounts(self) -> list[AccountSummary]:
        return self.store.list_accounts()

    def delete_account(self, account_id: str) -> None:
        self.store.delete_account(account_id, Change(self.actor, "delete account", account_id))

    # -- analyses ----------------------------------------------------------------------------------

    def analysis(self, account_id: str, *, path_to: str | None = None) -> Analysis:
        """The map with its power and, when asked, the best introduction path to one stakeholder."""
        account_map = self.store.get_map(account_id)
        graph = build_graph(account_map)
        best = introduction_paths(graph, path_to, k=1) if path_to is not None else []
        return Analysis(account_map, power(graph), best[0]["nodes"] if best else [])

    def analyze(self, account_id: str) -> dict[str, Any]:
        """Power, coverage, competitor gaps and decision forecast of an account."""
        return self._analyze(self.store.get_map(account_id))

    def analyze_with_names(self, account_id: str) -> tuple[dict[str, Any], dict[str, str]]:
        """:meth:`analyze` and the stakeholders' display names, from one read of the map (for people)."""
        account_map = self.store.get_map(account_id)
        return self._analyze(account_map), {s.id: s.name for s in account_map.stakeholders}

    def _analyze(self, account_map: AccountMap) -> dict[str, Any]:
        account_id = account_map.account.id
        graph = build_graph(account_map)
        powers = power(graph)
        forecast: Forecast = decision_forecast(graph, powers)
        gaps: list[Gap] = competitor_gaps(graph)
        return {
            "account": account_id,
            "power": {s: _r(p) for s, p in ranking(powers)},
            "coverage": _r(coverage(graph, powers)),
            "gaps": [
                {**gap, "ours": _r(gap["ours"]), "theirs": _r(gap["theirs"]), "gap": _r(gap["gap"])} for gap in gaps
            ],
            "forecast": {
                **forecast,
                "support_index": _r(forecast["support_index"]),
                "decision_makers": [
                    {**dm, "power": _r(dm["power"]), "own_lean": _r(dm["own_lean"]), "lean": _r(dm["lean"])}
                    for dm in forecast["decision_makers"]
                ],
            },
        }

    def paths(self, account_id: str, target: str, *, member: str | None = None, k: int = 3) -> dict[str, Any]:
        """The k best introduction paths to a stakeholder, best first."""
        graph = build_graph(self.store.get_map(account_id))
        found: list[IntroPath] = introduction_paths(graph, target, k=k, member=member)
        return {
            "account": account_id,
            "target": target,
            "paths": [{"strength": _r(p["strength"]), "nodes": p["nodes"]} for p in found],
        }

    def recommend(self, account_id: str, *, limit: int = 10) -> dict[str, Any]:
        """Ranked activities to run next."""
        graph = build_graph(self.store.get_map(account_id))
        found: list[Recommendation] = recommend(graph, limit=limit)
        return {
            "account": account_id,
            "recommendations": [
                {**r, "expected_gain": _r(r["expected_gain"]), "coverage_gain": _r(r["coverage_gain"])} for r in found
            ],
        }

    # -- edits -------------------------------------------------------------------------------------

    def update_account(
        self, account_id: str, data: Mapping[str, Any], *, precondition: Precondition | None = None
    ) -> Account:
        def mutate(document: dict[str, Any]) -> None:
            document["account"] = {**data, "id": account_id}

        updated = self._edit(
            account_id,
            mutate,
            lambda m, rev: self.store.update_account(
                m.account, Change(self.actor, "update account", account_id), expected_revision=rev
            ),
            precondition,
        )
        return updated.account

    def put_node(
        self, account_id: str, kind: NodeKind, data: Mapping[str, Any], *, precondition: Precondition | None = None
    ) -> Node:
        """Create or replace a stakeholder, team member or competitor."""
        list_name = NODE_LISTS[kind]
        node_id = data.get("id")

        def mutate(document: dict[str, Any]) -> None:
            _upsert(document[list_name], lambda item: item["id"] == node_id, data)

        def write(account_map: AccountMap, revision: int) -> int:
            node = next(n for n in account_map.nodes(kind) if n.id == node_id)
            return self.store.put_node(
                account_id, node, Change(self.actor, f"put {kind.value}", str(node_id)), expected_revision=revision
            )

        self._check_item(NODE_MODELS[kind], list_name, data)
        account_map = self._edit(account_id, mutate, write, precondition)
        return next(n for n in account_map.nodes(kind) if n.id == node_id)

    def remove_node(
        self, account_id: str, kind: NodeKind, node_id: str, *, precondition: Precondition | None = None
    ) -> None:
        list_name = NODE_LISTS[kind]

        def mutate(document: dict[str, Any]) -> None:
            before = len(document[list_name])
            document[list_name] = [item for item in document[list_name] if item["id"] != node_id]
            if len(document[list_name]) == before:
                raise not_found_for_node(kind, node_id, account_id)
            for edge_kind, edge_list in EDGE_LISTS.items():
                source_field, target_field = _edge_fields(edge_kind)
                document[edge_list] = [
                    e
                    for e in document[edge_list]
                    if not (edge_kind.source_kind == kind and e[source_field] == node_id)
                    and not (edge_kind.target_kind == kind and e[target_field] == node_id)
                ]
            field = {NodeKind.MEMBER: "members", NodeKind.STAKEHOLDER: "stakeholders"}.get(kind)
            for activity in document["activities"] if field else ():
                activity[field] = [i for i in activity[field] if i != node_id]

        self._edit(
            account_id,
            mutate,
            lambda _, rev: self.store.remove_node(
                account_id, kind, node_id, Change(self.actor, f"remove {kind.value}", node_id), expected_revision=rev
            ),
            precondition,
        )

    def put_edge(
        self, account_id: str, kind: EdgeKind, data: Mapping[str, Any], *, precondition: Precondition | None = None
    ) -> Edge:
        """Create or replace a line (matched by its two ends)."""
        list_name = EDGE_LISTS[kind]
        source_field, target_field = _edge_fields(kind)
        ends = (data.get(source_field), data.get(target_field))

        def mutate(document: dict[str, Any]) -> None:
            _upsert(document[list_name], lambda e: (e[source_field], e[target_field]) == ends, data)

        def find(account_map: AccountMap) -> Edge:
            return next(e for e in account_map.edges(kind) if (e.source, e.target) == ends)

        self._check_item(EDGE_MODELS[kind], list_name, data)
        account_map = self._edit(
            account_id,
            mutate,
            lambda m, rev: self.store.put_edge(
                account_id,
                find(m),
                Change(self.actor, f"put {kind.value}", f"{ends[0]}->{ends[1]}"),
                expected_revision=rev,
            ),
            precondition,
        )
        return find(account_map)

    def remove_edge(
        self,
        account_id: str,
        kind: EdgeKind,
        source: str,
        target: str,
        *,
        precondition: Precondition | None = None,
    ) -> None:
        list_name = EDGE_LISTS[kind]
        source_field, target_field = _edge_fields(kind)

        def mutate(document: dict[str, Any]) -> None:
            before = len(document[list_name])
            document[list_name] = [
                e for e in document[list_name] if (e[source_field], e[target_field]) != (source, target)
            ]
            if len(document[list_name]) == before:
                raise not_found_for_edge(kind, source, target, account_id)

        self._edit(
            account_id,
            mutate,
            lambda _, rev: self.store.remove_edge(
                account_id,
                kind,
                source,
                target,
                Change(self.actor, f"remove {kind.value}", f"{source}->{target}"),
                expected_revision=rev,
            ),
            precondition,
        )

    def put_activity(
        self, account_id: str, data: Mapping[str, Any], *, precondition: Precondition | None = None
    ) -> Activity:
        activity_id = data.get("id")

        def mutate(document: dict[str, Any]) -> None:
            _upsert(document["activities"], lambda item: item["id"] == activity_id, data)

        def find(account_map: AccountMap) -> Activity:
            return next(a for a in account_map.activities if a.id == activity_id)

        self._check_item(Activity, "activities", data)
        account_map = self._edit(
            account_id,
            mutate,
            lambda m, rev: self.store.put_activity(
                account_id, find(m), Change(self.actor, "put activity", str(activity_id)), expected_revision=rev
            ),
            precondition,
        )
        return find(account_map)

    def remove_activity(self, account_id: str, activity_id: str, *, precondition: Precondition | None = None) -> None:
        def mutate(document: dict[str, Any]) -> None:
            before = len(document["activities"])
            document["activities"] = [a for a in document["activities"] if a["id"] != activity_id]
            if len(document["activities"]) == before:
                raise ActivityNotFoundError(activity_id, account_id)

        self._edit(
            account_id,
            mutate,
            lambda _, rev: self.store.remove_activity(
                account_id, activity_id, Change(self.actor, "remove activity", activity_id), expected_revision=rev
            ),
            precondition,
        )

    # -- API keys --------------------------------------------------------------------------------

    def add_key(self, name: str, role: str, accounts: Sequence[str] | None = None) -> NewApiKey:
        """Make a key; its token is in the answer and nowhere else (the store keeps only its hash)."""
        token = new_token()
        try:
            key = ApiKey(
                name=name,
                role=role,
                accounts=None if accounts is None else tuple(dict.fromkeys(accounts)),
                token_hash=hash_token(token),
                created_at=dt.datetime.now(dt.UTC),
            )
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            raise InvalidInputError(f"the API key {name!r} is invalid: {problems}") from None
        self.store.add_key(key)
        return NewApiKey(**key.public().model_dump(), token=token)

    def list_keys(self) -> list[ApiKeyPublic]:
        return [key.public() for key in self.store.list_keys()]

    def revoke_key(self, name: str) -> None:
        self.store.revoke_key(name)

    # -- plumbing ----------------------------------------------------------------------------------

    @staticmethod
    def _check_item(model: type[Any], list_name: str, data: Mapping[str, Any]) -> None:
        """Refuse a malformed item before touching the store, naming the field and the item's id."""
        noun = _NOUNS[list_name]
        if not isinstance(data, Mapping):
            raise InvalidMapError([Problem(noun, None, "must be an object")])
        try:
            model.model_validate(data)
        except ValidationError as error:
            raise InvalidMapError(item_problems(error, list_name, data, noun)) from None

    def _edit(
        self,
        account_id: str,
        mutate: Callable[[dict[str, Any]], None],
        write: Callable[[AccountMap, int], int],
        precondition: Precondition | None = None,
    ) -> AccountMap:
        for attempt in range(EDIT_ATTEMPTS):
            snapshot = self.store.read(account_id)
            document = snapshot.account_map.to_document()
            if precondition is not None:  # checked on every fresh snapshot, so it holds when the write lands
                precondition(document)
            mutate(document)
            account_map = parse_account_map(document)
            try:
                write(account_map, snapshot.revision)
            except ConflictError:
                if attempt == EDIT_ATTEMPTS - 1:
                    raise
                # Someone wrote first: back off a random, growing moment so busy writers spread out.
                time.sleep(random.uniform(0.0, min(EDIT_BACKOFF_CAP_S, 0.002 * 2**attempt)))  # noqa: S311
                continue
            return account_map
        raise AssertionError("unreachable")  # pragma: no cover


def _upsert(items: list[dict[str, Any]], same: Callable[[dict[str, Any]], bool], data: Mapping[str, Any]) -> None:
    """Replace the item ``same`` picks, in place, or append ``data`` as a new last item."""
    index = next((i for i, item in enumerate(items) if same(item)), None)
    if index is None:
        items.append(dict(data))
    else:
        items[index] = dict(data)


def _edge_fields(kind: EdgeKind) -> tuple[str, str]:
    model = EDGE_MODELS[kind]
    source = model.model_fields["source"].alias or "source"
    target = model.model_fields["target"].alias or "target"
    return source, target
