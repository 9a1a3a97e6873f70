// Every API key, by name.
MATCH (k:ApiKey)
RETURN k.name AS name, k.role AS role, k.all_accounts AS all_accounts, k.accounts AS accounts,
       k.token_hash AS token_hash, k.created_at AS created_at
ORDER BY name
