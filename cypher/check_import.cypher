// Before an import goes live: lock the account (if it exists), say its revision and the last revision
// its change log recorded (a re-created account goes on from there).
OPTIONAL MATCH (a:Account {id: $account})
CALL (a) {
  WITH a WHERE a IS NOT NULL
  SET a.revision = a.revision
}
WITH a
OPTIONAL MATCH (c:Change {account: $account})
RETURN a.revision AS revision, max(c.revision) AS last
