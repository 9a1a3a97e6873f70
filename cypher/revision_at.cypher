// The revision in force at a moment: the account's last change at or before it.
MATCH (c:Change {account: $account})
WHERE c.at <= $at
RETURN c.revision AS revision
ORDER BY c.at DESC, c.revision DESC
LIMIT 1
