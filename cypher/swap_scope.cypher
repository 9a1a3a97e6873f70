// Make a staged map version live in one step; the version it replaces is marked for deletion.
MERGE (a:Account {id: $account})
  ON CREATE SET a.created_at = $now, a.revision = $start
WITH a, a.scope AS previous
SET a += $props, a.scope = $scope, a.revision = a.revision + 1, a.updated_at = $now
WITH a, previous
MATCH (staged:Scope {id: $scope})
DELETE staged
WITH a, previous
CALL (previous, a) {
  WITH previous WHERE previous IS NOT NULL
  CREATE (:Scope {id: previous, account: a.id, state: 'garbage', since: datetime()})
}
CREATE (:Change {account: a.id, revision: a.revision, at: $now, actor: $actor, operation: $operation,
                 subject: $subject})
RETURN a.revision AS revision, previous
