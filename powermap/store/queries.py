"""The named Cypher queries of the Neo4j store, loaded once from the ``cypher`` package's files.

Labels and relationship types appear only inside these files; the store picks a file by the closed
:class:`~powermap.model.NodeKind` / :class:`~powermap.model.EdgeKind` enums, and every value travels
as a ``$parameter``. No query is ever built from strings.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from typing import LiteralString

from powermap.model import EdgeKind, NodeKind


class Q(StrEnum):
    """Every query the store may run: the name of a file ``cypher/<name>.cypher``."""

    SCHEMA_ACCOUNT_ID = "schema_account_id"
    SCHEMA_STAKEHOLDER_KEY = "schema_stakeholder_key"
    SCHEMA_MEMBER_KEY = "schema_member_key"
    SCHEMA_COMPETITOR_KEY = "schema_competitor_key"
    SCHEMA_ACTIVITY_KEY = "schema_activity_key"
    SCHEMA_SCOPE_ID = "schema_scope_id"
    SCHEMA_SCOPED_INDEX = "schema_scoped_index"
    SCHEMA_CHANGE_INDEX = "schema_change_index"
    SCHEMA_VOICE_KEY = "schema_voice_key"
    SCHEMA_ROADMAP_ITEM_ID = "schema_roadmap_item_id"
    STAGE_SCOPE = "stage_scope"
    IMPORT_STAKEHOLDERS = "import_stakeholders"
    IMPORT_MEMBERS = "import_members"
    IMPORT_COMPETITORS = "import_competitors"
    IMPORT_ACTIVITIES = "import_activities"
    IMPORT_REPORTS_TO = "import_reports_to"
    IMPORT_INFLUENCES = "import_influences"
    IMPORT_RELATIONSHIPS = "import_relationships"
    IMPORT_COMPETITOR_RELATIONSHIPS = "import_competitor_relationships"
    SWAP_SCOPE = "swap_scope"
    DELETE_SCOPE_BATCH = "delete_scope_batch"
    FORGET_SCOPE = "forget_scope"
    DEAD_SCOPES = "dead_scopes"
    READ_MAP = "read_map"
    LIST_ACCOUNTS = "list_accounts"
    ACCOUNT_REVISION = "account_revision"
    LIST_CHANGES = "list_changes"
    LOCK_ACCOUNT = "lock_account"
    RECORD_CHANGE = "record_change"
    DELETE_ACCOUNT = "delete_account"
    UPDATE_ACCOUNT = "update_account"
    PUT_STAKEHOLDER = "put_stakeholder"
    PUT_MEMBER = "put_member"
    PUT_COMPETITOR = "put_competitor"
    PUT_ACTIVITY = "put_activity"
    REMOVE_STAKEHOLDER = "remove_stakeholder"
    REMOVE_MEMBER = "remove_member"
    REMOVE_COMPETITOR = "remove_competitor"
    REMOVE_ACTIVITY = "remove_activity"
    PUT_REPORTS_TO = "put_reports_to"
    PUT_INFLUENCES = "put_influences"
    PUT_RELATIONSHIP = "put_relationship"
    PUT_COMPETITOR_RELATIONSHIP = "put_competitor_relationship"
    REMOVE_REPORTS_TO = "remove_reports_to"
    REMOVE_INFLUENCES = "remove_influences"
    REMOVE_RELATIONSHIP = "remove_relationship"
    REMOVE_COMPETITOR_RELATIONSHIP = "remove_competitor_relationship"
    BEST_PATHS = "best_paths"
    # history (powermap.store.history)
    SCHEMA_HISTORY_HEAD_INDEX = "schema_history_head_index"
    SCHEMA_HISTORY_CHUNK_INDEX = "schema_history_chunk_index"
    RECORD_HISTORY = "record_history"
    STAGE_HISTORY = "stage_history"
    COMMIT_HISTORY = "commit_history"
    CHECK_IMPORT = "check_import"
    REVISION_AT = "revision_at"
    HISTORY_HEADS = "history_heads"
    HISTORY_CHUNKS = "history_chunks"
    ADD_CHECKPOINT = "add_checkpoint"
    MARK_CHECKPOINT = "mark_checkpoint"
    DROP_CHECKPOINT = "drop_checkpoint"
    PRUNE_HISTORY_BATCH = "prune_history_batch"
    ACCOUNT_HISTORY_CHUNKS = "account_history_chunks"
    REWRITE_HISTORY_CHUNKS = "rewrite_history_chunks"
    # voices and the roadmap
    IMPORT_VOICES = "import_voices"
    PUT_VOICE = "put_voice"
    REMOVE_VOICE = "remove_voice"
    READ_ROADMAP = "read_roadmap"
    IMPORT_ROADMAP = "import_roadmap"
    PUT_ROADMAP_ITEM = "put_roadmap_item"
    REMOVE_ROADMAP_ITEM = "remove_roadmap_item"
    ROADMAP_USERS = "roadmap_users"
    DETACH_ROADMAP_ITEMS = "detach_roadmap_items"
    # the roadmap's revision and change log
    SCHEMA_ROADMAP_CHANGE_REVISION = "schema_roadmap_change_revision"
    LOCK_ROADMAP = "lock_roadmap"
    ROADMAP_REVISION = "roadmap_revision"
    RECORD_ROADMAP_CHANGE = "record_roadmap_change"
    LIST_ROADMAP_CHANGES = "list_roadmap_changes"
    PRUNE_ROADMAP_CHANGES_BATCH = "prune_roadmap_changes_batch"
    OPEN_PAINS = "open_pains"
    SCHEMA_API_KEY_NAME = "schema_api_key_name"
    SCHEMA_API_KEY_HASH = "schema_api_key_hash"
    ADD_API_KEY = "add_api_key"
    FIND_API_KEY = "find_api_key"
    LIST_API_KEYS = "list_api_keys"
    REVOKE_API_KEY = "revoke_api_key"
    # personal data (issue 11)
    SCHEMA_META_KEY = "schema_meta_key"
    SCHEMA_ERASURE_INDEX = "schema_erasure_index"
    ERASE_STAKEHOLDER = "erase_stakeholder"
    FORGET_IN_CHANGES = "forget_in_changes"
    RECORD_ERASURE = "record_erasure"
    LIST_ERASURES = "list_erasures"
    ERASURE_SALT = "erasure_salt"
    READ_ERASURE_SALT = "read_erasure_salt"
    CHANGE_LOG_ACCOUNTS = "change_log_accounts"


SCHEMA = tuple(q for q in Q if q.value.startswith("schema_"))
IMPORT_NODES = {
    NodeKind.COMPETITOR: Q.IMPORT_COMPETITORS,
    NodeKind.MEMBER: Q.IMPORT_MEMBERS,
    NodeKind.STAKEHOLDER: Q.IMPORT_STAKEHOLDERS,
}
IMPORT_EDGES = {
    EdgeKind.REPORTS_TO: Q.IMPORT_REPORTS_TO,
    EdgeKind.INFLUENCES: Q.IMPORT_INFLUENCES,
    EdgeKind.RELATIONSHIP: Q.IMPORT_RELATIONSHIPS,
    EdgeKind.COMPETITOR_RELATIONSHIP: Q.IMPORT_COMPETITOR_RELATIONSHIPS,
}
PUT_NODE = {
    NodeKind.STAKEHOLDER: Q.PUT_STAKEHOLDER,
    NodeKind.MEMBER: Q.PUT_MEMBER,
    NodeKind.COMPETITOR: Q.PUT_COMPETITOR,
}
REMOVE_NODE = {
    NodeKind.STAKEHOLDER: Q.REMOVE_STAKEHOLDER,
    NodeKind.MEMBER: Q.REMOVE_MEMBER,
    NodeKind.COMPETITOR: Q.REMOVE_COMPETITOR,
}
PUT_EDGE = {
    EdgeKind.REPORTS_TO: Q.PUT_REPORTS_TO,
    EdgeKind.INFLUENCES: Q.PUT_INFLUENCES,
    EdgeKind.RELATIONSHIP: Q.PUT_RELATIONSHIP,
    EdgeKind.COMPETITOR_RELATIONSHIP: Q.PUT_COMPETITOR_RELATIONSHIP,
}
REMOVE_EDGE = {
    EdgeKind.REPORTS_TO: Q.REMOVE_REPORTS_TO,
    EdgeKind.INFLUENCES: Q.REMOVE_INFLUENCES,
    EdgeKind.RELATIONSHIP: Q.REMOVE_RELATIONSHIP,
    EdgeKind.COMPETITOR_RELATIONSHIP: Q.REMOVE_COMPETITOR_RELATIONSHIP,
}


def query_files() -> dict[str, str]:
    """Name -> text of every ``.cypher`` file shipped in the ``cypher`` package."""
    folder = resources.files("powermap.cypher")
    return {
        entry.name.removesuffix(".cypher"): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".cypher")
    }


@cache
def cypher(name: Q) -> LiteralString:
    """The text of a named query, read once.

    Typed ``LiteralString`` (which the driver asks for) because these strings come from files shipped
    with the package, never from users.
    """
    text: LiteralString = (
        resources.files("powermap.cypher").joinpath(f"{name.value}.cypher").read_text(encoding="utf-8")
    )
    return text
