// That someone was erased from an account: when, by whom, and a salted fingerprint of the id (never the id).
CREATE (:Erasure {account: $account, revision: $revision, at: $now, actor: $actor, fingerprint: $fingerprint})
