"""The rules every store shares (``powermap.store.base``): when a whole-map write may go ahead, what a change's
subject names, and the errors for a missing node or line."""

from __future__ import annotations

import pytest

from powermap.errors import (
    AccountNotFoundError,
    CompetitorNotFoundError,
    EdgeNotFoundError,
    IdTakenError,
    MemberNotFoundError,
    StakeholderNotFoundError,
    StaleRevisionError,
)
from powermap.model import EdgeKind, NodeKind
from powermap.store.base import check_replace, not_found_for_edge, not_found_for_node, subject_names


@pytest.mark.parametrize(
    ("current", "expected"),
    [(None, None), (3, None), (None, 0), (3, 3), (1, 1)],
    ids=["new-whatever", "existing-whatever", "create-new", "replace-current", "replace-first"],
)
def test_a_whole_map_write_goes_ahead_when_its_expectation_holds(current: int | None, expected: int | None) -> None:
    check_replace("acme", current, expected)


def test_creating_an_account_that_exists_is_refused_as_taken() -> None:
    with pytest.raises(IdTakenError) as refused:
        check_replace("acme", 3, 0)
    assert str(refused.value) == "an account with id 'acme' already exists"
    assert (refused.value.noun, refused.value.item_id) == ("account", "acme")


@pytest.mark.parametrize("expected", [1, 2])
def test_replacing_a_revision_of_an_account_that_does_not_exist_is_not_found(expected: int) -> None:
    with pytest.raises(AccountNotFoundError) as refused:
        check_replace("acme", None, expected)
    assert str(refused.value) == "no account with id 'acme'"


def test_replacing_a_revision_the_account_has_moved_past_is_stale() -> None:
    with pytest.raises(StaleRevisionError) as refused:
        check_replace("acme", 5, 3)
    assert (refused.value.account_id, refused.value.expected, refused.value.actual) == ("acme", 3, 5)
    assert str(refused.value) == "account 'acme' changed meanwhile (revision 5, expected 3); read it again and retry"


@pytest.mark.parametrize(
    ("subject", "named"),
    [
        ("ceo", True),
        ("cto->ceo", True),
        ("ceo->cfo", True),
        ("", False),
        ("ceo2", False),
        ("xceo", False),
        ("cto->ceo2", False),
        ("ceo2->cfo", False),
    ],
)
def test_a_changes_subject_names_an_id_alone_or_as_either_end_of_a_line(subject: str, named: bool) -> None:
    assert subject_names(subject, "ceo") is named


@pytest.mark.parametrize(
    ("kind", "error", "message"),
    [
        (NodeKind.STAKEHOLDER, StakeholderNotFoundError, "no stakeholder with id 'x' in account 'acme'"),
        (NodeKind.MEMBER, MemberNotFoundError, "no team member with id 'x' in account 'acme'"),
        (NodeKind.COMPETITOR, CompetitorNotFoundError, "no competitor with id 'x' in account 'acme'"),
    ],
)
def test_a_missing_node_is_named_with_its_kind_and_account(
    kind: NodeKind, error: type[Exception], message: str
) -> None:
    missing = not_found_for_node(kind, "x", "acme")
    assert type(missing) is error
    assert str(missing) == message
    assert (missing.item_id, missing.account_id) == ("x", "acme")


def test_a_missing_line_is_named_with_its_kind_both_ends_and_account() -> None:
    missing = not_found_for_edge(EdgeKind.INFLUENCES, "cto", "ceo", "acme")
    assert type(missing) is EdgeNotFoundError
    assert str(missing) == "no line with id \"influences 'cto' -> 'ceo'\" in account 'acme'"
    assert missing.account_id == "acme"
