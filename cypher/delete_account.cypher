// Remove an account; its map version is marked for deletion and collected in batches.
MATCH (a:Account {id: $account})
WITH a, a.scope AS scope, a.revision AS revision
CREATE (:Scope {id: scope, account: a.id, state: 'garbage', since: datetime()})
DELETE a
RETURN scope, revision
