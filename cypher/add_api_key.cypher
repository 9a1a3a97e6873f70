// Store a new API key (its token's hash, never the token); returns nothing when the name is taken.
// all_accounts says the key reaches every account (a list property cannot be null).
MERGE (k:ApiKey {name: $name})
ON CREATE SET k.role = $role, k.all_accounts = $all_accounts, k.accounts = $accounts,
              k.token_hash = $token_hash, k.created_at = $created_at, k.fresh = true
WITH k, coalesce(k.fresh, false) AS created
REMOVE k.fresh
RETURN created
