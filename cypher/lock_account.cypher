// Start an edit: lock the account, move its revision on, and say which revision and version it had.
MATCH (a:Account {id: $account})
SET a.revision = a.revision + 1, a.updated_at = $now
RETURN a.revision - 1 AS previous, a.scope AS scope
