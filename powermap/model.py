"""The account-map document: the data contract every store, client and test shares.

The shape is fixed by ``powermap/v1`` (see ``DOMAIN.md``); this module states it once as pydantic
models and adds the rules a schema alone cannot say: unique ids, references that resolve, and no
duplicated or self-pointing edges.  :func:`parse_account_map` is the only door a document comes in by;
it reports *every* problem at once, each with its field path and the id of the offending item.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from powermap.errors import InvalidMapError, Problem

FORMAT = "powermap/v1"

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=False)]
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class TeamRole(StrEnum):
    AR = "AR"
    SR = "SR"
    FR = "FR"
    EXECUTIVE = "executive"
    OTHER = "other"


class Level(StrEnum):
    EXECUTIVE = "executive"
    SENIOR = "senior"
    MIDDLE = "middle"
    STAFF = "staff"

    @property
    def rank(self) -> int:
        """3 for executive down to 0 for staff, for matching our people to theirs."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.EXECUTIVE: 3, Level.SENIOR: 2, Level.MIDDLE: 1, Level.STAFF: 0}


class DecisionRole(StrEnum):
    DECISION_MAKER = "decision_maker"
    TECHNICAL_EVALUATOR = "technical_evaluator"
    BUSINESS_EVALUATOR = "business_evaluator"
    PROCUREMENT = "procurement"
    USER = "user"
    GATEKEEPER = "gatekeeper"
    COACH = "coach"
    NONE = "none"


class Stance(StrEnum):
    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    OPPONENT = "opponent"

    @property
    def score(self) -> float:
        """The contract's numeric value of a stance, from -1 (opponent) to +1 (champion)."""
        return _STANCE_SCORE[self]

    def improved(self) -> Stance:
        """One step warmer toward us (a champion stays a champion)."""
        order = list(_STANCE_SCORE)
        return order[max(order.index(self) - 1, 0)]


_STANCE_SCORE = {
    Stance.CHAMPION: 1.0,
    Stance.SUPPORTER: 0.5,
    Stance.NEUTRAL: 0.0,
    Stance.SKEPTIC: -0.5,
    Stance.OPPONENT: -1.0,
}


class ActivityKind(StrEnum):
    ICE_BREAKING = "ice_breaking"
    ATTITUDE_TURNAROUND = "attitude_turnaround"
    RELATIONSHIP_UPGRADE = "relationship_upgrade"
    EXECUTIVE_ENGAGEMENT = "executive_engagement"
    SUMMIT = "summit"
    SITE_VISIT = "site_visit"
    TOPIC_SEMINAR = "topic_seminar"
    COMPETITOR_BLOCK = "competitor_block"
    CALL = "call"
    MEAL = "meal"
    MESSAGE = "message"
    OTHER = "other"


class NodeKind(StrEnum):
    """The kinds of node an account map holds; also the closed set of Neo4j labels."""

    STAKEHOLDER = "stakeholder"
    MEMBER = "member"
    COMPETITOR = "competitor"


class EdgeKind(StrEnum):
    """The kinds of line between nodes; also the closed set of Neo4j relationship types."""

    REPORTS_TO = "reports_to"
    INFLUENCES = "influences"
    RELATIONSHIP = "relationship"
    COMPETITOR_RELATIONSHIP = "competitor_relationship"

    @property
    def source_kind(self) -> NodeKind:
        return _EDGE_ENDS[self][0]

    @property
    def target_kind(self) -> NodeKind:
        return _EDGE_ENDS[self][1]


_EDGE_ENDS = {
    EdgeKind.REPORTS_TO: (NodeKind.STAKEHOLDER, NodeKind.STAKEHOLDER),
    EdgeKind.INFLUENCES: (NodeKind.STAKEHOLDER, NodeKind.STAKEHOLDER),
    EdgeKind.RELATIONSHIP: (NodeKind.MEMBER, NodeKind.STAKEHOLDER),
    EdgeKind.COMPETITOR_RELATIONSHIP: (NodeKind.COMPETITOR, NodeKind.STAKEHOLDER),
}


class ContractModel(BaseModel):
    """Base of every contract model: unknown fields are refused, so a typo is an error, not a loss."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Account(ContractModel):
    id: Id
    name: Name
    industry: Text = ""
    notes: Text = ""


class Competitor(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.COMPETITOR
    id: Id
    name: Name
    notes: Text = ""


class TeamMember(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.MEMBER
    id: Id
    name: Name
    role: TeamRole
    title: Text = ""
    level: Level = Level.MIDDLE


class Stakeholder(ContractModel):
    kind: ClassVar[NodeKind] = NodeKind.STAKEHOLDER
    id: Id
    name: Name
    title: Text = ""
    department: Text = ""
    level: Level
    decision_role: DecisionRole = DecisionRole.NONE
    influence: Unit
    stance: Stance = Stance.NEUTRAL
    notes: Text = ""


class ReportsTo(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.REPORTS_TO
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")


class Influence(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.INFLUENCES
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    weight: Unit


class Relationship(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.RELATIONSHIP
    source: Id = Field(alias="member")
    target: Id = Field(alias="stakeholder")
    strength: Unit
    last_contact: dt.date | None = None


class CompetitorRelationship(ContractModel):
    kind: ClassVar[EdgeKind] = EdgeKind.COMPETITOR_RELATIONSHIP
    source: Id = Field(alias="competitor")
    target: Id = Field(alias="stakeholder")
    strength: Unit


class Activity(ContractModel):
    id: Id
    type: ActivityKind
    date: dt.date
    members: tuple[Id, ...] = ()
    stakeholders: tuple[Id, ...] = ()
    outcome: Text = ""
    notes: Text = ""


Node: TypeAlias = Stakeholder | TeamMember | Competitor
Edge: TypeAlias = ReportsTo | Influence | Relationship | CompetitorRelationship

NODE_MODELS: dict[NodeKind, type[Node]] = {
    NodeKind.STAKEHOLDER: Stakeholder,
    NodeKind.MEMBER: TeamMember,
    NodeKind.COMPETITOR: Competitor,
}
EDGE_MODELS: dict[EdgeKind, type[Edge]] = {
    EdgeKind.REPORTS_TO: ReportsTo,
    EdgeKind.INFLUENCES: Influence,
    EdgeKind.RELATIONSHIP: Relationship,
    EdgeKind.COMPETITOR_RELATIONSHIP: CompetitorRelationship,
}

#: Document list name of each node and edge kind, in document order.
NODE_LISTS: dict[NodeKind, str] = {
    NodeKind.COMPETITOR: "competitors",
    NodeKind.MEMBER: "team",
    NodeKind.STAKEHOLDER: "stakeholders",
}
EDGE_LISTS: dict[EdgeKind, str] = {
    EdgeKind.REPORTS_TO: "reports_to",
    EdgeKind.INFLUENCES: "influences",
    EdgeKind.RELATIONSHIP: "relationships",
    EdgeKind.COMPETITOR_RELATIONSHIP: "competitor_relationships",
}


class AccountMap(ContractModel):
    """One account's whole power map, as it travels between stores and clients.

    Build one from untrusted data with :func:`parse_account_map`, which also checks references;
    the constructor alone checks only the shape of each item.
    """

    format: Literal["powermap/v1"] = "powermap/v1"
    account: Account
    competitors: tuple[Competitor, ...] = ()
    team: tuple[TeamMember, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    reports_to: tuple[ReportsTo, ...] = ()
    influences: tuple[Influence, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    competitor_relationships: tuple[CompetitorRelationship, ...] = ()
    activities: tuple[Activity, ...] = ()

    def nodes(self, kind: NodeKind) -> Sequence[Node]:
        nodes: Sequence[Node] = getattr(self, NODE_LISTS[kind])
        return nodes

    def edges(self, kind: EdgeKind) -> Sequence[Edge]:
        edges: Sequence[Edge] = getattr(self, EDGE_LISTS[kind])
        return edges

    def stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)

    def to_document(self) -> dict[str, Any]:
        """The contract document (JSON-ready), with the contract's field names."""
        return self.model_dump(mode="json", by_alias=True)


# ---------------------------------------------------------------------------------------------------
# Whole-document validation


def parse_account_map(document: Any) -> AccountMap:
    """Validate a contract document and return the map, or raise one error listing every problem.

    >>> m = parse_account_map({"account": {"id": "acme", "name": "ACME"},
    ...     "stakeholders": [{"id": "ceo", "name": "Chen", "level": "executive", "influence": 0.9}]})
    >>> m.stakeholders[0].stance
    <Stance.NEUTRAL: 'neutral'>
    >>> parse_account_map({"account": {"id": "acme", "name": "ACME"},
    ...     "reports_to": [{"from": "cto", "to": "ceo"}]})
    Traceback (most recent call last):
    ...
    powermap.errors.InvalidMapError: the account map has 2 problems:
      reports_to[0].from (from 'cto' to 'ceo'): no stakeholder has id 'cto'
      reports_to[0].to (from 'cto' to 'ceo'): no stakeholder has id 'ceo'
    """
    if not isinstance(document, Mapping):
        raise InvalidMapError([Problem("", None, "an account map must be a JSON/YAML object")])
    try:
        account_map: AccountMap | None = AccountMap.model_validate(document)
        problems = []
    except ValidationError as error:
        account_map, problems = None, problems_from_validation_error(error, document)
    problems.extend(_reference_problems(document))
    if problems or account_map is None:
        raise InvalidMapError(problems)
    return account_map


def validate_account_map(account_map: AccountMap) -> AccountMap:
    """Check the references of a map built in code; returns it unchanged when it is sound."""
    problems = _reference_problems(account_map.to_document())
    if problems:
        raise InvalidMapError(problems)
    return account_map


def item_label(list_name: str, item: Any) -> str | None:
    """How a person recognises an item of a document list: its id, or the ids an edge joins."""
    if not isinstance(item, Mapping):
        return None
    if list_name in _EDGE_FIELDS:
        source_field, target_field = _EDGE_FIELDS[list_name]
        return f"{source_field} {item.get(source_field)!r} to {item.get(target_field)!r}"
    item_id = item.get("id")
    return None if item_id is None else repr(item_id)


_EDGE_FIELDS = {
    "reports_to": ("from", "to"),
    "influences": ("from", "to"),
    "relationships": ("member", "stakeholder"),
    "competitor_relationships": ("competitor", "stakeholder"),
}
_LIST_NAMES = (*NODE_LISTS.values(), *EDGE_LISTS.values(), "activities")


def problems_from_validation_error(
    error: ValidationError, document: Mapping[str, Any], prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Turn pydantic's errors into contract problems that name the field path and the item's id."""
    problems = []
    for detail in error.errors():
        loc = (*prefix, *detail["loc"])
        label = None
        if len(loc) >= 2 and loc[0] in _LIST_NAMES and isinstance(loc[1], int):
            items = document.get(str(loc[0]))
            if isinstance(items, Sequence) and 0 <= loc[1] < len(items):
                label = item_label(str(loc[0]), items[loc[1]])
        problems.append(Problem(_format_loc(loc), label, _plain_message(detail)))
    return problems


def item_problems(error: ValidationError, list_name: str, item: Any, noun: str) -> list[Problem]:
    """Problems of one item given alone (an edit), named ``noun.field`` with the item's id."""
    label = item_label(list_name, item)
    return [Problem(_format_loc((noun, *detail["loc"])), label, _plain_message(detail)) for detail in error.errors()]


def _format_loc(loc: Iterable[str | int]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _plain_message(detail: Any) -> str:
    message = str(detail["msg"])
    if detail["type"] == "extra_forbidden":
        return "is not a field of the powermap/v1 format"
    if detail["type"] in {"missing"}:
        return "is required"
    if "input" in detail and detail["type"] not in {"model_type", "dict_type"}:
        message += f" (got {detail['input']!r})"
    return message


def _reference_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Unique ids, resolvable references, no self-loops, duplicate edges or reporting cycles.

    Works on the raw document and tolerates malformed items (the shape check reports those), so
    that one refusal lists every problem of every kind.
    """
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for list_name in (*NODE_LISTS.values(), "activities"):
        items = _items(document, list_name)
        counts: Counter[str] = Counter(item["id"] for _, item in items if isinstance(item.get("id"), str))
        ids[list_name] = set(counts)
        reported: set[str] = set()
        for index, item in items:
            item_id = item.get("id")
            if isinstance(item_id, str) and counts[item_id] > 1 and item_id not in reported:
                reported.add(item_id)
                problems.append(
                    Problem(f"{list_name}[{index}].id", repr(item_id), f"id is used {counts[item_id]} times")
                )

    endpoint_lists = {
        "from": "stakeholders",
        "to": "stakeholders",
        "member": "team",
        "competitor": "competitors",
        "stakeholder": "stakeholders",
    }
    nouns = {"stakeholders": "stakeholder", "team": "team member", "competitors": "competitor"}
    for list_name, (source_field, target_field) in _EDGE_FIELDS.items():
        seen: set[tuple[str, str]] = set()
        for index, item in _items(document, list_name):
            label = item_label(list_name, item)
            source, target = item.get(source_field), item.get(target_field)
            for field in (source_field, target_field):
                value, target_list = item.get(field), endpoint_lists[field]
                if isinstance(value, str) and value not in ids[target_list]:
                    problems.append(
                        Problem(f"{list_name}[{index}].{field}", label, f"no {nouns[target_list]} has id {value!r}")
                    )
            if not (isinstance(source, str) and isinstance(target, str)):
                continue
            if list_name in {"reports_to", "influences"} and source == target:
                problems.append(Problem(f"{list_name}[{index}]", label, "a stakeholder cannot point to itself"))
            if (source, target) in seen:
                problems.append(Problem(f"{list_name}[{index}]", label, "this line is given more than once"))
            seen.add((source, target))

    for index, item in _items(document, "activities"):
        for field, target_list in (("members", "team"), ("stakeholders", "stakeholders")):
            values = item.get(field)
            if not isinstance(values, list | tuple):
                continue
            for position, value in enumerate(values):
                if isinstance(value, str) and value not in ids[target_list]:
                    problems.append(
                        Problem(
                            f"activities[{index}].{field}[{position}]",
                            repr(item.get("id")),
                            f"no {nouns[target_list]} has id {value!r}",
                        )
                    )
    problems.extend(_reporting_cycle_problems(document))
    return problems


def _reporting_cycle_problems(document: Mapping[str, Any]) -> list[Problem]:
    manager_of: dict[str, list[str]] = {}
    for _, item in _items(document, "reports_to"):
        source, target = item.get("from"), item.get("to")
        if isinstance(source, str) and isinstance(target, str) and source != target:
            manager_of.setdefault(source, []).append(target)
    cycle = _find_cycle(manager_of)
    if not cycle:
        return []
    chain = " -> ".join(repr(node) for node in [*cycle, cycle[0]])
    return [Problem("reports_to", repr(cycle[0]), f"reporting lines form a cycle: {chain}")]


def _find_cycle(successors: Mapping[str, list[str]]) -> list[str]:
    """One cycle of a directed graph given as adjacency lists, or [] (iterative, no recursion limit)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in successors:
        if root in state:
            continue
        path: list[str] = [root]
        stack = [iter(successors.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(successors.get(nxt, ())))
    return []


def _items(document: Mapping[str, Any], list_name: str) -> list[tuple[int, Mapping[str, Any]]]:
    items = document.get(list_name)
    if not isinstance(items, list | tuple):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, Mapping)]
