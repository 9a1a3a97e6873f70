// An account's current revision, without reading its map (freshness checks, preconditions).
MATCH (a:Account {id: $account})
RETURN a.revision AS revision
