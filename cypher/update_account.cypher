// Replace the account record (name, industry, notes).
MATCH (a:Account {id: $account})
SET a += $props
