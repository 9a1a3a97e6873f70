// An account's change log, newest first (below a revision when $before is given).
MATCH (c:Change {account: $account})
WHERE $before IS NULL OR c.revision < $before
RETURN c.revision AS revision, c.at AS at, c.actor AS actor, c.operation AS operation, c.subject AS subject
ORDER BY c.revision DESC, c.at DESC
LIMIT $limit
