// The erasures recorded for an account, oldest first.
MATCH (e:Erasure {account: $account})
RETURN e.revision AS revision, e.at AS at, e.actor AS actor, e.fingerprint AS fingerprint
ORDER BY e.revision
